"""What a judge knows of a firm: its attributes, never what the search engine made of them.

The generated corpus keeps these beside each firm it writes; for the demo data they are read from
the database rows (categories of verified capabilities, certificates with their status, place)
and from the numbers with units the firm wrote, parsed here by the judge's own simple reading.
"""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.suppliers.models import Capability, Certificate, Firm, ReviewStatus, capability_process
from portal.suppliers.rules import certificate_counts

VALID, EXPIRED, UNVERIFIED = "valid", "expired", "unverified"


@dataclass(frozen=True)
class Spec:
    """A stated value or range: `unit` is one of UNITS, `low` <= `high`."""

    unit: str
    low: float
    high: float

    def covers(self, value: float) -> bool:
        return self.low <= value <= self.high


UNITS = ("W", "mAh", "V", "A", "layers", "inch", "mm", "µm")


@dataclass(frozen=True)
class FirmFacts:
    firm_id: int
    public: bool  # verified and not suspended: the only firms search may return
    categories: tuple[str, ...]  # main line first
    processes: frozenset[str]
    certificates: tuple[tuple[str, str], ...]  # (certification slug, VALID | EXPIRED | UNVERIFIED)
    city: str
    province: str
    specs: tuple[Spec, ...] = ()
    capacity: int = 0  # units per month of the main line

    def holds(self, certification: str) -> bool:
        """Held means valid today: an expired or unverified certificate does not count."""
        return (certification, VALID) in self.certificates

    def states(self, unit: str, value: float) -> bool:
        return any(s.unit == unit and s.covers(value) for s in self.specs)


# The judge's own reading of numbers with units in the demo firms' texts ("5 W to 65 W",
# "1,500–5,000 mAh", "up to 8 layers", '6.8"'). Kept deliberately plain: it only has to read what
# the demo data says, and it never looks at the search index.
_NUMBER = r"(\d+(?:[.,]\d+)*)"
_UNIT_WORDS = {
    "W": r"W\b|watts?\b",
    "mAh": r"mAh\b",
    "V": r"V\b|volts?\b",
    "A": r"A\b|amps?\b",
    "layers": r"layers?\b|L\b",
    "inch": r'"|inch(?:es)?\b',
    "mm": r"mm\b",
    "µm": r"µm\b|um\b|microns?\b",
}
_SPEC_PATTERNS = {
    unit: re.compile(
        rf"(?:{_NUMBER}\s*(?:{words})?\s*(?:–|-|to)\s*)?{_NUMBER}\s*-?\s*(?:{words})",
        re.IGNORECASE if unit not in ("A", "V", "W", "layers") else 0,
    )
    for unit, words in _UNIT_WORDS.items()
}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def specs_in(text: str) -> tuple[Spec, ...]:
    """Every value or range with a unit that `text` states."""
    found = []
    for unit, pattern in _SPEC_PATTERNS.items():
        for low, high in pattern.findall(text):
            high_value = _number(high)
            low_value = _number(low) if low else high_value
            if re.search(rf"up to\s*{re.escape(high)}", text):
                low_value = 0.0
            found.append(Spec(unit, min(low_value, high_value), max(low_value, high_value)))
    return tuple(found)


def facts_from_database(day: date) -> dict[int, FirmFacts]:
    """The facts of every firm in the database (for the demo set), read from its rows."""
    firms = db.session.execute(
        select(Firm.id, Firm.is_public, Firm.city, Firm.province, Firm.description).order_by(Firm.id)
    ).all()
    capabilities: dict[int, list] = {}
    rows = db.session.execute(
        select(
            Capability.id,
            Capability.firm_id,
            Capability.category_slug,
            Capability.monthly_capacity,
            Capability.equipment,
            Capability.materials,
            Capability.notes,
            Capability.is_main_line,
        )
        .where(Capability.review_status == ReviewStatus.VERIFIED)
        .order_by(Capability.firm_id, Capability.is_main_line.desc(), Capability.id)
    ).all()
    for row in rows:
        capabilities.setdefault(row.firm_id, []).append(row)
    processes: dict[int, set[str]] = {}
    links = db.session.execute(
        select(Capability.firm_id, capability_process.c.process_slug)
        .join(capability_process, capability_process.c.capability_id == Capability.id)
        .where(Capability.review_status == ReviewStatus.VERIFIED)
    ).all()
    for firm_id, process in links:
        processes.setdefault(firm_id, set()).add(process)
    certificates: dict[int, list] = {}
    for firm_id, slug, status, expiry in db.session.execute(
        select(Certificate.firm_id, Certificate.type_slug, Certificate.review_status, Certificate.expiry_date)
    ).all():
        verified = status == ReviewStatus.VERIFIED
        state = VALID if certificate_counts(verified, expiry, day) else EXPIRED if verified else UNVERIFIED
        certificates.setdefault(firm_id, []).append((slug, state))
    facts = {}
    for firm_id, public, city, province, description in firms:
        caps = capabilities.get(firm_id, [])
        texts = " ".join([description or "", *(f"{c.equipment} {c.materials} {c.notes}" for c in caps)])
        facts[firm_id] = FirmFacts(
            firm_id=firm_id,
            public=bool(public),
            categories=tuple(dict.fromkeys(c.category_slug for c in caps)),
            processes=frozenset(processes.get(firm_id, ())),
            certificates=tuple(certificates.get(firm_id, ())),
            city=city,
            province=province,
            specs=specs_in(texts),
            capacity=caps[0].monthly_capacity if caps else 0,
        )
    return facts
