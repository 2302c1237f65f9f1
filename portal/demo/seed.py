"""The demo data set loaded by `flask --app portal seed-demo`: fictional firms, brands, investors and staff.

Every name, person and number here is invented; the larger tables (firm profiles, cities, certificates,
names, review reasons) are JSON files in `data/`, read by `portal.demo.datafiles`, and this module keeps
the logic. The data is planned first from a fixed random seed (pure Python, no database), then written in
one transaction, skipping firms and accounts that exist: so a second run finds everything and creates nothing.
"""

import random
import re
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import func

from portal.accounts.models import Role, User
from portal.accounts.passwords import hash_password
from portal.demo.datafiles import read_table
from portal.extensions import db
from portal.suppliers.models import (
    Capability,
    Certificate,
    Firm,
    FirmMember,
    ListingStatus,
    MemberRole,
    ReviewStatus,
)
from portal.suppliers.service import create_firm
from portal.taxonomy import PROVINCES, category_rows, sync_taxonomy
from portal.taxonomy.models import CertificationType, Process
from portal.timeutil import today, utcnow
from portal.transactions import one_act

DEMO_PASSWORD = "demo-portal-2026"
SEED = 2026

# One account per role, for trying the portal: (email, role, full name, organisation).
DEMO_ACCOUNTS = [
    ("supplier@demo.edb.example", Role.SUPPLIER, "Sadia Rehman", "Indus Circuitworks (Pvt) Ltd"),
    ("brand@demo.edb.example", Role.BRAND, "Emma Thornbury", "Crescent Mobile Ltd"),
    ("investor@demo.edb.example", Role.INVESTOR, "Omar Farooq Baig", "Karakoram Growth Partners"),
    ("staff@demo.edb.example", Role.STAFF, "Asma Durrani", "Engineering Development Board"),
]

# More sourcing managers and investors, so lists and matches look lived-in.
EXTRA_ACCOUNTS = [
    ("j.ekberg@nordlys.example", Role.BRAND, "Jonas Ekberg", "Nordlys Devices AS"),
    ("sourcing@orchidmobile.example", Role.BRAND, "Mei Ling Tan", "Orchid Mobile Sdn Bhd"),
    ("procurement@zephyrion.example", Role.BRAND, "Katrin Vogelsang", "Zephyrion Handsets GmbH"),
    ("a.diallo@sahelconnect.example", Role.BRAND, "Aminata Diallo", "Sahel Connect Ltd"),
    ("partners@saltorocapital.example", Role.INVESTOR, "Hira Qadeer", "Saltoro Capital"),
    ("deals@deosaifund.example", Role.INVESTOR, "Faisal Hamdani", "Deosai Impact Fund"),
    ("r.alnuaimi@gulfmeridian.example", Role.INVESTOR, "Rashid Al-Nuaimi", "Gulf Meridian Investments"),
]

# The demo supplier's firm, fixed so the account always shows the same verified listing.
FLAGSHIP = {
    "prefix": "Indus",
    "noun": "Circuitworks",
    "legal_form": " (Pvt) Ltd",
    "trade_name": "Indus Circuitworks",
    "category": "pcba",
    "extra": ["charger"],
    "province": "Punjab",
    "city": "Lahore",
    # (certification, days until expiry): one expires soon so reminders have something to show.
    "certificates": [("iso-9001", 420), ("ipc-a-610", 610), ("rohs", 21)],
}

# Invented first words of firm names (rivers, passes, peaks and Urdu words; paired with a noun per category),
# and the first and last names of firm owners.
_NAMES = read_table("names")
NAME_PREFIXES = tuple(_NAMES["firm_prefixes"])
FIRST_NAMES = tuple(_NAMES["first_names"])
LAST_NAMES = tuple(_NAMES["last_names"])

# Legal forms with weights: most firms are private limited companies.
LEGAL_FORMS = ((" (Pvt) Ltd", 55), (" (Private) Limited", 15), (" (SMC-Pvt) Ltd", 8), ("", 17), (" Ltd", 5))


class City(NamedTuple):
    name: str
    weight: int
    area_code: str
    localities: tuple[str, ...]


# Where the demo firms are, by province: each town's weight in the draw, its telephone area code and
# its industrial localities.
CITIES = {
    province: tuple(City(**row | {"localities": tuple(row["localities"])}) for row in cities)
    for province, cities in read_table("cities").items()
}

# Firms per province besides Punjab, which takes the rest: the industry sits mostly in Punjab and Sindh.
PROVINCE_QUOTAS = {
    "Sindh": 46,
    "Khyber Pakhtunkhwa": 18,
    "Islamabad Capital Territory": 14,
    "Azad Jammu and Kashmir": 9,
    "Balochistan": 7,
    "Gilgit-Baltistan": 4,
}
# Provinces far from the electronics hubs get only simple (phase 1) lines: housings, cables, packaging.
REMOTE_PROVINCES = ("Balochistan", "Gilgit-Baltistan", "Azad Jammu and Kashmir")

# Listing states other than verified; the rest of the generated firms are verified.
STATUS_QUOTAS = {
    ListingStatus.SUBMITTED: 8,
    ListingStatus.CHANGES_REQUESTED: 5,
    ListingStatus.DRAFT: 9,
    ListingStatus.REJECTED: 2,
}
# Why staff suspended, sent back or rejected a listing.
_REASONS = read_table("review_reasons")
SUSPENSION_REASONS = tuple(_REASONS["suspension"])
# What staff asked of the firms sent back for changes: (field of the review form, reason).
CHANGE_REASONS = tuple((row["field"], row["reason"]) for row in _REASONS["changes"])
REJECTION_REASONS = tuple(_REASONS["rejection"])
VERIFIED_OWNERS = 6  # verified firms with an owner account besides the flagship (every unverified firm has one)

EXPORT_MARKETS = (
    "United Arab Emirates", "Saudi Arabia", "China", "Germany", "United Kingdom", "United States", "Afghanistan",
    "Bangladesh", "Sri Lanka", "Kenya", "Turkey", "Qatar", "Oman", "Netherlands", "Malaysia",
)  # fmt: skip
MOBILE_PREFIXES = ("300", "301", "302", "303", "311", "321", "333", "345")


class CertDetails(NamedTuple):
    number: str  # pattern: {year} and {n3}..{n6} are filled with the issue year and random digits
    issuers: tuple[str, ...]
    validity_years: int
    kind: str  # system (a plant), product (a model series), approval, lab or people


# How each certification's demo certificates look: number pattern, issuing bodies, years valid, kind of scope.
CERTIFICATIONS = {
    slug: CertDetails(**row | {"issuers": tuple(row["issuers"])}) for slug, row in read_table("certificates").items()
}


@dataclass(frozen=True)
class Profile:
    """What a firm in one component category looks like: names, processes, scale and certificates."""

    firms: int  # generated firms with this category as their main line
    nouns: tuple[str, ...]  # second part of the firm name
    short: str  # for trade names
    processes: tuple[str, ...]  # always done
    optional: tuple[str, ...]  # sometimes done
    unit: str  # one of the category's units (portal/taxonomy/data/components.csv)
    capacity: tuple[int, int]  # per month
    moq: tuple[int, int]
    lead: tuple[int, int]  # days
    employees: tuple[int, int]
    equipment: tuple[str, ...]  # {n} becomes a small count
    materials: tuple[str, ...]
    makes: tuple[str, ...]  # first sentence of the description
    notes: tuple[str, ...]
    certs: tuple[tuple[str, float], ...]  # fitting certification and the chance a firm holds it
    related: tuple[str, ...] = ()  # plausible second lines

    @classmethod
    def from_table(cls, row: dict) -> "Profile":
        """A profile from its entry in data/profiles.json, whose lists become tuples and certs pairs in order."""
        fields = {name: tuple(value) if isinstance(value, list) else value for name, value in row.items()}
        return cls(**fields | {"certs": tuple(row["certs"].items())})


# One profile per component category, in the order the plan counts out firms.
PROFILES = {slug: Profile.from_table(row) for slug, row in read_table("profiles").items()}


# What the demo laboratories test for, in turn (no random draw: the rest of the demo stays as it was).
# Nobody tests for UN 38.3, which the demo battery need requires: staff's dashboard shows that gap.
LAB_TESTS = (
    ("pta-type-approval", "ce", "fcc"),
    ("iec-62133", "ul"),
    ("rohs", "reach"),
    ("iec-62133", "rohs", "ce"),
    ("pta-type-approval", "psqca"),
)


# ---------------------------------------------------------------------------------------------------------------
# Loading


def seed_demo(progress=None) -> list[str]:
    """Load the demo data set in one transaction and say what was created; safe to run again."""
    progress = progress or (lambda label, items: nullcontext(items))
    with one_act():
        sync_taxonomy()
        rng = random.Random(SEED)
        firm_plans = plan_firms(rng)
        password_hash = hash_password(DEMO_PASSWORD)
        result = _load(firm_plans, password_hash, progress)
    from portal.demo.activity import seed_activity  # needs, introductions and investment on top of the firms

    return _summary(result, len(firm_plans)) + seed_activity()


def _load(firm_plans: list[dict], password_hash: str, progress) -> dict:
    """Write whatever is missing; returns the rows created."""
    processes = {p.slug: p for p in db.session.scalars(db.select(Process))}
    certification_types = {c.slug: c for c in db.session.scalars(db.select(CertificationType))}
    firms = {
        (name.lower(), city.lower()): firm_id
        for firm_id, name, city in db.session.execute(db.select(Firm.id, Firm.legal_name, Firm.city))
    }
    existing_emails = {email.lower() for email in db.session.scalars(db.select(User.email))}
    new_users: dict[str, User] = {}
    created = {"firms": [], "users": []}

    def account(email, role, full_name, organisation, created_at=None) -> tuple[User | None, bool]:
        """The account for `email` and whether it is new; None if it existed before this run."""
        email = email.lower()
        if email in new_users:
            return new_users[email], False
        if email in existing_emails:
            return None, False
        user = User(
            email=email,
            password_hash=password_hash,
            full_name=full_name,
            role=role,
            organisation=organisation,
            email_verified_at=utcnow(),  # the demo's people act at once
        )
        if created_at is not None:
            user.created_at = user.password_changed_at = created_at
        db.session.add(user)
        new_users[email] = user
        created["users"].append(user)
        return user, True

    for email, role, full_name, organisation in DEMO_ACCOUNTS + EXTRA_ACCOUNTS:
        account(email, role, full_name, organisation)

    with progress("Demo firms", firm_plans) as plans:
        for plan in plans:
            fields = plan["firm"]
            owner, new_owner = None, False
            if plan["owner"]:
                email, full_name = plan["owner"]
                owner, new_owner = account(email, Role.SUPPLIER, full_name, fields["legal_name"], fields["created_at"])
            key = (fields["legal_name"].lower(), fields["city"].lower())
            if key in firms:
                if new_owner:  # the firm was there but its owner was not
                    db.session.add(FirmMember(firm_id=firms[key], user=owner, role=MemberRole.OWNER))
                continue
            if owner is None and plan["owner"]:  # the owner was there but the firm was not
                owner = db.session.scalar(db.select(User).where(func.lower(User.email) == plan["owner"][0].lower()))
            firm = create_firm(owner=owner, **fields)
            for capability in plan["capabilities"]:
                kwargs = {k: v for k, v in capability.items() if k != "processes"}
                tests = plan.get("lab_tests", ()) if capability["category_slug"] == "testing-lab" else ()
                firm.capabilities.append(
                    Capability(
                        **kwargs,
                        processes=[processes[s] for s in capability["processes"]],
                        tests_for=[certification_types[s] for s in tests],
                    )
                )
            for certificate in plan["certificates"]:
                firm.certificates.append(Certificate(**certificate))
            created["firms"].append(firm)
    db.session.flush()
    return created


def _summary(created: dict, planned_firms: int) -> list[str]:
    """Lines for the terminal: what was created (or that nothing was), then the accounts to sign in with."""
    firms, users = created["firms"], created["users"]
    lines = []
    if not firms and not users:
        lines.append(f"Demo data already present: found all {planned_firms} demo firms and accounts; nothing created.")
    else:
        found = planned_firms - len(firms)
        statuses = [(s, sum(f.status == s for f in firms)) for s in ListingStatus]
        suspended = sum(f.suspended for f in firms)
        lines.append(
            f"Created {len(firms)} demo firms"
            + (f" ({found} already there)" if found else "")
            + ": "
            + ", ".join(f"{count} {status.value.replace('_', ' ')}" for status, count in statuses if count)
            + (f"; {suspended} of the verified ones are suspended." if suspended else ".")
        )
        days = [c.days_to_expiry() for f in firms for c in f.certificates]
        lines.append(
            f"Created {sum(len(f.capabilities) for f in firms)} capabilities and {len(days)} certificates "
            f"({sum(d <= 0 for d in days)} expired, {sum(0 < d <= 60 for d in days)} expiring within 60 days)."
        )
        demo = {email for email, *_ in DEMO_ACCOUNTS + EXTRA_ACCOUNTS}
        owners = sum(u.email not in demo for u in users)
        lines.append(
            f"Created {len(users)} accounts ({len(users) - owners} demo, brand and investor; {owners} firm owners)."
        )
    lines.append(f"Demo accounts, all with the password {DEMO_PASSWORD}:")
    for email, role, full_name, organisation in DEMO_ACCOUNTS:
        lines.append(f"  {role.value:<9} {email:<28} {full_name}, {organisation}")
    lines.append(
        f"The {len(EXTRA_ACCOUNTS)} other brand and investor accounts and the firm owners "
        "(e-mail on the firm's example.pk domain) use the same password."
    )
    return lines


# ---------------------------------------------------------------------------------------------------------------
# Planning: plain dicts from the random generator, with no database access, so every run plans the same data.


def plan_firms(rng: random.Random) -> list[dict]:
    """Every demo firm with its capabilities, certificates and owner, in creation order."""
    phases = {row["slug"]: int(row["phase"]) for row in category_rows()}
    categories = [slug for slug, profile in PROFILES.items() for _ in range(profile.firms)]
    rng.shuffle(categories)
    provinces = _assign_provinces(rng, categories, phases)
    statuses = [status for status, count in STATUS_QUOTAS.items() for _ in range(count)]
    statuses += [ListingStatus.VERIFIED] * (len(categories) - len(statuses))
    rng.shuffle(statuses)
    verified = [i for i, status in enumerate(statuses) if status == ListingStatus.VERIFIED]
    suspended = dict(zip(rng.sample(verified, len(SUSPENSION_REASONS)), SUSPENSION_REASONS, strict=True))
    owned = {i for i, status in enumerate(statuses) if status != ListingStatus.VERIFIED}
    owned |= set(rng.sample([i for i in verified if i not in suspended], VERIFIED_OWNERS))

    lines = [[category, *_pick_related(rng, category)] for category in categories]
    certifications = [_pick_certifications(rng, PROFILES[category]) for category in categories]
    expiries = iter(_expiry_schedule(rng, sum(map(len, certifications))))

    names = Names(rng)
    plans = [_plan_flagship(rng, names)]
    for i, province in enumerate(provinces):
        city = _pick_city(rng, province)
        certificates = [(slug, next(expiries)) for slug in certifications[i]]
        plan = _plan_firm(rng, names, lines[i], province, city, statuses[i], suspended.get(i), certificates)
        plan["owner"] = _plan_owner(rng, plan["firm"]) if i in owned else None
        plans.append(plan)
    labs = (plan for plan in plans if any(c["category_slug"] == "testing-lab" for c in plan["capabilities"]))
    for number, plan in enumerate(labs):
        plan["lab_tests"] = LAB_TESTS[number % len(LAB_TESTS)]  # for its testing-lab capability
    return plans


def _plan_flagship(rng: random.Random, names: "Names") -> dict:
    spec = FLAGSHIP
    names.reserve(spec["prefix"], spec["noun"])
    plan = _plan_firm(
        rng,
        names,
        [spec["category"], *spec["extra"]],
        spec["province"],
        next(c for c in CITIES[spec["province"]] if c.name == spec["city"]),
        ListingStatus.VERIFIED,
        None,
        spec["certificates"],
        name=(spec["prefix"], spec["noun"], spec["legal_form"], spec["trade_name"]),
    )
    plan["owner"] = (DEMO_ACCOUNTS[0][0], DEMO_ACCOUNTS[0][2])  # the demo supplier account
    return plan


def _assign_provinces(rng: random.Random, categories: list[str], phases: dict[str, int]) -> list[str]:
    """Province per firm by quota; the remote provinces get only phase-1 (simple) lines."""
    quotas = dict(PROVINCE_QUOTAS, Punjab=len(categories) - sum(PROVINCE_QUOTAS.values()))
    remote = [p for p in REMOTE_PROVINCES for _ in range(quotas[p])]
    hubs = [p for p in PROVINCES if p not in REMOTE_PROVINCES for _ in range(quotas[p])]
    rng.shuffle(remote)
    rng.shuffle(hubs)
    simple = [i for i, slug in enumerate(categories) if phases[slug] == 1]
    remote_firms = set(rng.sample(simple, len(remote)))
    return [remote.pop() if i in remote_firms else hubs.pop() for i in range(len(categories))]


def _pick_city(rng: random.Random, province: str) -> City:
    cities = CITIES[province]
    return rng.choices(cities, weights=[c.weight for c in cities])[0]


def _pick_related(rng: random.Random, category: str) -> list[str]:
    """Zero to two second lines that a maker of `category` plausibly also runs."""
    related = PROFILES[category].related
    count = min(len(related), rng.choices((0, 1, 2), weights=(40, 45, 15))[0])
    return rng.sample(related, count)


class Names:
    """Unique invented firm names and web domains; prefixes are used evenly before any repeats."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pairs: set[tuple[str, str]] = set()
        self.domains: set[str] = set()
        self.queue: list[str] = []

    def reserve(self, prefix: str, noun: str) -> None:
        self.pairs.add((prefix, noun))

    def pick(self, category: str) -> tuple[str, str]:
        nouns = PROFILES[category].nouns
        while True:
            if not self.queue:
                self.queue = list(NAME_PREFIXES)
                self.rng.shuffle(self.queue)
            prefix, noun = self.queue.pop(), self.rng.choice(nouns)
            if (prefix, noun) not in self.pairs:
                self.pairs.add((prefix, noun))
                return prefix, noun

    def domain(self, words: str, city: str) -> str:
        base = re.sub(r"[^a-z0-9]", "", words.lower())
        domain = base if base not in self.domains else base + re.sub(r"[^a-z]", "", city.lower())
        self.domains.add(domain)
        return f"{domain}.example.pk"


def _plan_firm(rng, names, categories, province, city, status, suspension, certificates, name=None) -> dict:
    """One firm's fields, capabilities and certificates."""
    profile = PROFILES[categories[0]]
    if name is None:
        prefix, noun = names.pick(categories[0])
        legal_form = rng.choices([f for f, _ in LEGAL_FORMS], weights=[w for _, w in LEGAL_FORMS])[0]
        trade_name = f"{prefix} {profile.short}" if rng.random() < 0.35 else ""
    else:
        prefix, noun, legal_form, trade_name = name
    legal_name = f"{prefix} {noun}{legal_form}"
    domain = names.domain(trade_name or f"{prefix} {noun.split()[0]}", city.name)
    verified = status == ListingStatus.VERIFIED
    draft = status == ListingStatus.DRAFT
    now = _start_of_today()
    this_year = today().year
    created_at = now - timedelta(
        days=rng.randint(60, 900) if verified else rng.randint(3, 120), minutes=rng.randint(0, 1440)
    )
    submitted_at = None if draft else created_at + timedelta(hours=rng.randint(2, 60))
    verified_at = min(submitted_at + timedelta(days=rng.randint(2, 40)), now - timedelta(days=1)) if verified else None
    exporter = verified and rng.random() < 0.4
    markets = rng.sample(EXPORT_MARKETS, rng.randint(1, 4)) if exporter else []
    equipment = [_fill(rng, phrase) for phrase in rng.sample(profile.equipment, rng.randint(1, 2))]
    ntn = f"{rng.randint(1_000_000, 9_999_999)}-{rng.randint(0, 9)}"  # National Tax Number
    firm = {
        "legal_name": legal_name,
        "trade_name": trade_name,
        "city": city.name,
        "province": province,
        "address": f"{_street_number(rng)}, {rng.choice(city.localities)}, {city.name}",
        "website": "" if draft and rng.random() < 0.5 else f"https://{domain}",
        "contact_email": f"{rng.choice(('info', 'info', 'sales', 'contact'))}@{domain}",
        "phone": _phone(rng, city),
        "year_founded": rng.randint(1984, this_year - 2) if verified else rng.randint(2008, this_year - 1),
        "employees": _round(rng.triangular(*profile.employees, profile.employees[0] * 2), 5),
        "export_markets": markets,
        "description": _describe(rng, profile, categories, city, equipment[0], markets),
        "ntn": ntn if rng.random() < (0.5 if draft else 0.92) else None,
        "status": status,
        "suspended": suspension is not None,
        "suspension_reason": suspension,
        "review_reasons": _review_reasons(rng, status),
        "submitted_at": submitted_at,
        "verified_at": verified_at,
        "created_at": created_at,
        "updated_at": verified_at or created_at,
    }
    capabilities = [
        _plan_capability(rng, slug, main=(n == 0), status=status, equipment=equipment if n == 0 else None)
        for n, slug in enumerate(categories)
    ]
    certs = [_plan_certificate(rng, slug, days, categories[0], city, firm) for slug, days in certificates]
    return {"firm": firm, "capabilities": capabilities, "certificates": certs, "owner": None}


def _review_reasons(rng: random.Random, status: ListingStatus) -> dict[str, str]:
    """Staff's reasons for a listing sent back or rejected, as the review form stores them."""
    if status == ListingStatus.CHANGES_REQUESTED:
        return dict(rng.sample(CHANGE_REASONS, 2)) if rng.random() < 0.5 else dict([rng.choice(CHANGE_REASONS)])
    if status == ListingStatus.REJECTED:
        return {"listing": rng.choice(REJECTION_REASONS)}
    return {}


def _plan_capability(rng, category: str, *, main: bool, status: ListingStatus, equipment: list[str] | None) -> dict:
    profile = PROFILES[category]
    processes = list(profile.processes) + [p for p in profile.optional if rng.random() < 0.5]
    if not processes:
        processes = [rng.choice(profile.optional)]
    scale = 1.0 if main else rng.uniform(0.2, 0.6)  # a second line is smaller than the main one
    low, high = profile.capacity
    if status == ListingStatus.VERIFIED:
        review = ReviewStatus.VERIFIED if main or rng.random() < 0.9 else ReviewStatus.PENDING
    else:
        review = ReviewStatus.REJECTED if status == ListingStatus.REJECTED else ReviewStatus.PENDING
    return {
        "category_slug": category,
        "processes": sorted(set(processes)),
        "monthly_capacity": _round(max(low * scale, rng.triangular(low, high, low + (high - low) * 0.3) * scale)),
        "capacity_unit": profile.unit,
        "min_order_quantity": _round(rng.randint(*profile.moq)),
        "lead_time_days": rng.randint(*profile.lead),
        "equipment": "; ".join(_capitalise(e) for e in equipment or [_fill(rng, rng.choice(profile.equipment))]),
        "materials": "; ".join(rng.sample(profile.materials, rng.randint(1, len(profile.materials)))),
        "notes": rng.choice(profile.notes) if rng.random() < 0.7 else "",
        "is_main_line": main,
        "review_status": review,
    }


def _pick_certifications(rng: random.Random, profile: Profile) -> list[str]:
    """ISO 9001 for many, then what fits the main line; at most four."""
    slugs = ["iso-9001"] if rng.random() < 0.6 and "iso-iec-17025" not in dict(profile.certs) else []
    slugs += [slug for slug, chance in profile.certs if rng.random() < chance]
    return slugs[:4]


def _expiry_schedule(rng: random.Random, count: int) -> list[int]:
    """Days to expiry for `count` certificates: 8% expired, 10% due within 60 days (some within a week,
    some within a month), the rest valid 6–30 months ahead; by quota so every run shows each case."""
    week, month = max(2, round(count * 0.025)), max(2, round(count * 0.035))
    days = [-rng.randint(3, 300) for _ in range(round(count * 0.08))]
    days += [rng.randint(1, 7) for _ in range(week)] + [rng.randint(8, 30) for _ in range(month)]
    days += [rng.randint(31, 60) for _ in range(max(0, round(count * 0.10) - week - month))]
    days += [rng.randint(183, 912) for _ in range(count - len(days))]
    rng.shuffle(days)
    return days


def _plan_certificate(rng, slug: str, days: int, category: str, city: City, firm: dict) -> dict:
    details = CERTIFICATIONS[slug]
    expiry = today() + timedelta(days=days)
    validity = max(details.validity_years * 365, days + rng.randint(30, 200))  # issued in the past
    issue = expiry - timedelta(days=validity)
    digits = {f"n{k}": str(rng.randrange(10 ** (k - 1), 10**k)) for k in (3, 4, 5, 6)}
    review = ReviewStatus.PENDING
    verified_at = None
    if firm["status"] == ListingStatus.REJECTED:
        review = ReviewStatus.REJECTED
    elif firm["status"] == ListingStatus.VERIFIED and rng.random() < 0.88:
        review = ReviewStatus.VERIFIED
        issued = datetime.combine(issue, time(10), tzinfo=UTC) + timedelta(days=rng.randint(3, 20))
        verified_at = min(max(firm["verified_at"], issued), _at(expiry) - timedelta(days=1), _start_of_today())
    return {
        "type_slug": slug,
        "number": details.number.format(year=issue.year, **digits),
        "issuing_body": rng.choice(details.issuers),
        "issue_date": issue,
        "expiry_date": expiry,
        "scope": _scope(rng, details.kind, category, city, digits),
        "review_status": review,
        "verified_at": verified_at,
        "created_at": max(firm["created_at"], _at(issue)),
    }


def _scope(rng, kind: str, category: str, city: City, digits: dict) -> str:
    what = next(row["name"] for row in category_rows() if row["slug"] == category)
    series = f"{rng.choice('ABCDEFHKMRSTZ')}{rng.choice('ABCDEFHKMRSTZ')}-{digits['n3']}"
    return {
        "system": f"Manufacture of {_lower_first(what)} at the {city.name} plant",
        "product": f"{what}, model series {series}",
        "approval": f"{what}, model {series}",
        "lab": "RF, EMC, electrical safety and reliability testing",
        "people": "Class 2 workmanship: certified operators and inspectors",
    }[kind]


def _plan_owner(rng: random.Random, firm: dict) -> tuple[str, str]:
    """An invented person with an e-mail address on the firm's domain."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    domain = firm["contact_email"].split("@")[1]
    return f"{first[0]}.{last}@{domain}".lower(), f"{first} {last}"


def _describe(rng, profile: Profile, categories: list[str], city: City, equipment: str, markets: list[str]) -> str:
    """Two or three sentences: what the firm makes, with what, and for whom."""
    sentences = [rng.choice(profile.makes)]
    materials = rng.choice(profile.materials)
    sentences.append(
        rng.choice(
            (
                f"The {city.name} plant runs {equipment}.",
                f"Its {city.name} facility has {equipment}, working mainly with {materials}.",
            )
        )
    )
    if len(categories) > 1:
        names = {row["slug"]: row["name"] for row in category_rows()}
        second = names[categories[1]]
        sentences.append(f"Also supplies {_lower_first(second)}.")
    elif markets:
        sentences.append(f"Exports to {_join(markets)}.")
    return " ".join(sentences)


def _fill(rng: random.Random, phrase: str) -> str:
    return phrase.format(n=rng.randint(2, 8))


def _capitalise(text: str) -> str:
    return text[0].upper() + text[1:]


def _lower_first(text: str) -> str:
    """Lower-case a leading capital for mid-sentence use, but leave acronyms such as PCB alone."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _street_number(rng: random.Random) -> str:
    return rng.choice(
        (
            f"Plot {rng.randint(1, 180)}-{rng.choice('ABCDE')}",
            f"Plot {rng.randint(1, 400)}",
            f"Building {rng.randint(2, 60)}, Street {rng.randint(1, 24)}",
        )
    )


def _phone(rng: random.Random, city: City) -> str:
    """A landline with the city's area code, or a mobile number for some smaller firms."""
    if rng.random() < 0.3:
        return f"+92 {rng.choice(MOBILE_PREFIXES)} {rng.randint(1_000_000, 9_999_999)}"
    digits = 8 if city.area_code in ("21", "42", "51") else 9 - len(city.area_code)
    number = str(rng.randint(2 * 10 ** (digits - 1), 10**digits - 1))
    return f"+92 {city.area_code} {number[:-4]} {number[-4:]}"


def _round(value: float, step: int | None = None) -> int:
    """Round to a number people would quote: two significant figures, or to `step`."""
    if step:
        return max(step, int(round(value / step) * step))
    value = int(value)
    magnitude = 10 ** max(0, len(str(value)) - 2)
    return max(1, round(value / magnitude) * magnitude)


def _start_of_today() -> datetime:
    """The reference time of planned timestamps: fixed for the day, so a plan is the same all day."""
    return datetime.combine(today(), time(0), tzinfo=UTC)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
