"""The demo's life after the firms: brands' sourcing needs (one quoted and awarded), introductions,
an investment opportunity with an investor's interest, and a first monthly snapshot.

Everything goes through the portal's own service functions, so the demo shows what real use
leaves behind (notices, audit entries, index updates). Each piece is looked up first and left
alone when present, so `flask seed-demo` stays safe to run again.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.demo.datafiles import read_table
from portal.extensions import db
from portal.introductions import service as introductions
from portal.introductions.models import Introduction, Stage
from portal.investment import deals, opportunities, profiles
from portal.investment.models import Opportunity
from portal.needs import quotes
from portal.needs import service as needs
from portal.needs.models import NeedVisibility, SourcingNeed
from portal.suppliers.models import Capability, Firm, FirmMember
from portal.timeutil import today

M = Decimal(1_000_000)


@dataclass(frozen=True)
class NeedPlan:
    brand: str
    title: str
    category: str
    quantity: int
    description: str
    features: str = ""
    certifications: tuple[str, ...] = ()
    province: str | None = None
    days: int = 21
    quoted: bool = False  # two firms quote, the brand closes and awards one


# The brands' sourcing needs (data/needs.json), in the order they are posted.
NEEDS = tuple(NeedPlan(**row | {"certifications": tuple(row.get("certifications", ()))}) for row in read_table("needs"))


def seed_activity() -> list[str]:
    """Add what is missing; returns lines saying what was created."""
    lines = []
    created = [plan.title for plan in NEEDS if _need(plan)]
    if created:
        lines.append(f"Created {len(created)} sourcing needs, one quoted and awarded.")
    if _introductions():
        lines.append("Created introductions for the demo brand and supplier.")
    if _investment():
        lines.append("Created a published investment opportunity, the demo investor's profile and an interest.")
    return lines


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def _need(plan: NeedPlan) -> bool:
    brand = _user(plan.brand)
    exists = select(SourcingNeed.id).where(SourcingNeed.title == plan.title)
    if brand is None or db.session.scalar(exists) is not None:
        return False
    data = {
        "title": plan.title, "category_slug": plan.category, "description": plan.description,
        "features": plan.features, "quantity_per_month": plan.quantity, "target_unit_price": None,
        "currency": "USD", "delivery_province": plan.province, "start_date": None,
        "deadline": today() + timedelta(days=plan.days), "visibility": NeedVisibility.OPEN,
        "certification_slugs": list(plan.certifications), "process_slugs": [],
    }  # fmt: skip
    need = needs.create_need(brand, data)
    needs.transition(need, "publish", brand)
    if plan.quoted:
        _quote_and_award(need, brand)
    return True


def _makers(category: str, limit: int) -> list[Firm]:
    """Public firms with a verified capability in the category and people to act for them."""
    return list(
        db.session.scalars(
            select(Firm)
            .join(Capability)
            .where(Firm.is_public, Capability.category_slug == category, Capability.is_verified)
            .where(select(FirmMember.id).where(FirmMember.firm_id == Firm.id).exists())
            .order_by(Capability.monthly_capacity.desc(), Firm.id)
            .limit(limit)
        )
    )  # fmt: skip


def _quote_and_award(need: SourcingNeed, brand: User) -> None:
    sent = []
    for index, firm in enumerate(_makers(need.category_slug, 2)):
        data = {
            "unit_price": Decimal("0.85") + Decimal("0.07") * index, "currency": "USD",
            "min_order_quantity": 5_000 * (index + 1), "lead_time_days": 21 + 7 * index,
            "valid_until": need.deadline + timedelta(days=60), "notes": "Tooling included; samples in two weeks.",
        }  # fmt: skip
        sent.append(quotes.send_quote(need, firm, data, None, firm.members[0].user))
    needs.close_need(need, brand)
    if sent:
        quotes.award(db.session.get(SourcingNeed, need.id), [sent[0].id], brand)


def _flagship() -> tuple[Firm, User] | None:
    supplier = _user("supplier@demo.edb.example")
    member = supplier and db.session.scalar(select(FirmMember).where(FirmMember.user_id == supplier.id))
    return (member.firm, supplier) if member else None


def _introductions() -> bool:
    flagship, brand = _flagship(), _user("brand@demo.edb.example")
    if flagship is None or brand is None:
        return False
    firm, supplier = flagship
    if db.session.scalar(select(Introduction.id).where(Introduction.firm_id == firm.id)) is not None:
        return False
    intro = introductions.request_introduction(
        brand, firm, "We are localising mainboard assembly for our 4G feature phone and would like to visit your line."
    )
    introductions.accept(intro, supplier)
    introductions.post_message(intro, brand, "Could we see your AOI reports and discuss a pilot lot of 5,000?")
    introductions.post_message(intro, supplier, "Certainly. We can host you any weekday; reports attached by e-mail.")
    introductions.move_stage(intro, brand, Stage.IN_TALKS)
    other = _user("sourcing@orchidmobile.example")
    if other is not None:
        introductions.request_introduction(other, firm, "We need an SMT partner for 30,000 boards a month from Q2.")
    return True


def _investment() -> bool:
    flagship, investor, staff = _flagship(), _user("investor@demo.edb.example"), _user("staff@demo.edb.example")
    if flagship is None or investor is None or staff is None:
        return False
    firm, supplier = flagship
    if db.session.scalar(select(Opportunity.id).where(Opportunity.firm_id == firm.id)) is not None:
        return False
    opportunity = opportunities.create_opportunity(
        firm,
        {
            "title": "Second SMT line for 4G mainboards", "purpose": "capacity_expansion",
            "amount_min": 2 * M, "amount_max": 4 * M, "currency": "USD", "instruments": ["equity", "jv"],
            "stage": "scaling", "show_amount": True, "category_slugs": ["pcba", "motherboard"],
            "use_of_funds": "A second high-speed SMT line with AOI and X-ray, and the clean-room extension it needs.",
        },
        supplier,
    )  # fmt: skip
    opportunities.submit(opportunity, supplier)
    opportunities.approve(opportunity, staff)
    profiles.save_profile(
        investor,
        {
            "organisation": "Karakoram Growth Partners", "categories": ["pcba", "motherboard", "display-module"],
            "ticket_min": 1 * M, "ticket_max": 5 * M, "currency": "USD", "instruments": ["equity", "jv"],
            "provinces": ["Punjab", "Sindh"], "stages": ["operating", "scaling"],
        },
    )  # fmt: skip
    interest = deals.express_interest(
        opportunity,
        investor,
        "We back growing electronics makers; could we see your plan and last two years' accounts?",
    )
    deals.decide_interest(interest, supplier, accept=True)
    return True
