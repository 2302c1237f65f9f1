"""EDB's view across brands' BOMs: which categories block the most local content by value.

Only aggregates leave here, and only for categories that at least `MIN_BRANDS` brands' plans
hold, so no brand's plan can be read back from a figure. Each plan counts with its working
version; values are summed in USD with the rate of the day (a line in a currency without one is
counted by line only, and the page says how many).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.bom.models import BomLine, BomPlan, BomVersion
from portal.bom.supply import supply_for
from portal.extensions import db
from portal.money.rates import rates_on
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import today

MIN_BRANDS = 3
CURRENCY = "USD"


@dataclass(frozen=True)
class BlockingCategory:
    category: ComponentCategory
    brands: int  # brands with lines of the category no local firm covers (at least MIN_BRANDS)
    blocked_value: Decimal  # per device summed over plans, USD, of lines no local firm covers
    blocked_lines: int
    unvalued_lines: int  # blocked lines whose value could not be converted
    monthly_value: Decimal  # blocked value × devices per month: what local supply would replace


@dataclass(frozen=True)
class Blocking:
    categories: list[BlockingCategory]  # most blocked value a month first
    hidden: int  # categories left out because fewer than MIN_BRANDS brands' plans are blocked in them


def _working_lines() -> list[tuple[str, BomLine]]:
    """(brand, line) of each plan's working version, mapped lines only; a brand is its
    organisation (several people of one brand are one brand), else its account."""
    newest = select(BomVersion.plan_id, func.max(BomVersion.number).label("number")).group_by(BomVersion.plan_id)
    newest = newest.subquery()
    query = (
        select(BomPlan.owner_id, User.organisation, BomLine)
        .join(BomVersion, BomVersion.id == BomLine.version_id)
        .join(newest, (newest.c.plan_id == BomVersion.plan_id) & (newest.c.number == BomVersion.number))
        .join(BomPlan, BomPlan.id == BomVersion.plan_id)
        .join(User, User.id == BomPlan.owner_id)
        .where(BomLine.category_slug.is_not(None))
        .options(selectinload(BomLine.category))
    )
    return [
        (" ".join((organisation or "").casefold().split()) or f"#{owner_id}", line)
        for owner_id, organisation, line in db.session.execute(query)
    ]


def blocking_categories() -> Blocking:
    """Categories by the local content their unsourceable lines hold back, where at least
    `MIN_BRANDS` brands have such lines (so no figure is one brand's)."""
    lines = _working_lines()
    supply = supply_for([line for _brand, line in lines], named=False)
    blocked = [(brand, line) for brand, line in lines if not supply[line.id].is_local]
    brands: dict[str, set[str]] = defaultdict(set)
    for brand, line in blocked:
        brands[line.category_slug].add(brand)
    shown = {slug for slug, owners in brands.items() if len(owners) >= MIN_BRANDS}
    book = rates_on(today())
    totals: dict[str, list] = defaultdict(lambda: [Decimal(0), 0, 0, Decimal(0)])
    for _brand, line in blocked:
        if line.category_slug not in shown:
            continue
        total = totals[line.category_slug]
        total[1] += 1
        converted = (
            None if line.cost_per_device is None else book.convert(line.cost_per_device, line.currency, CURRENCY)
        )
        if converted is None:
            total[2] += 1
            continue
        total[0] += converted.value
        total[3] += converted.value * line.devices_per_month
    categories = {
        c.slug: c for c in db.session.scalars(select(ComponentCategory).where(ComponentCategory.slug.in_(totals)))
    }
    found = [
        BlockingCategory(categories[slug], len(brands[slug]), value, count, unvalued, monthly)
        for slug, (value, count, unvalued, monthly) in totals.items()
    ]
    found.sort(key=lambda item: (-item.monthly_value, -item.blocked_lines, item.category.name))
    return Blocking(found, len(set(brands) - shown))
