"""The public directory's queries: only verified, unsuspended firms, only verified capabilities."""

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, select

from portal.extensions import db
from portal.suppliers.models import Capability, Certificate, Firm, ReviewStatus
from portal.taxonomy.models import ComponentCategory

PER_PAGE = 20
# Sort by the name people see on the card (trade name if any), whatever its letter case.
SHOWN_NAME = func.lower(func.coalesce(func.nullif(Firm.trade_name, ""), Firm.legal_name))
SORTS = {
    "name": (SHOWN_NAME.asc(),),
    "recent": (Firm.verified_at.desc(), SHOWN_NAME.asc()),
}


@dataclass(frozen=True)
class DirectoryFilters:
    category: str | None = None
    province: str | None = None
    certification: str | None = None
    min_capacity: int | None = None
    sort: str = "name"

    @property
    def active(self) -> bool:
        return any((self.category, self.province, self.certification, self.min_capacity))


def verified_capability(*conditions):
    return exists().where(Capability.firm_id == Firm.id, Capability.review_status == ReviewStatus.VERIFIED, *conditions)


def valid_certificate(type_slug: str):
    return exists().where(Certificate.firm_id == Firm.id, Certificate.type_slug == type_slug, Certificate.is_valid_on())


def directory_query(filters: DirectoryFilters) -> Select:
    query = select(Firm).where(Firm.is_public)
    capability_conditions = []
    if filters.category:
        capability_conditions.append(Capability.category_slug == filters.category)
    if filters.min_capacity:
        capability_conditions.append(Capability.monthly_capacity >= filters.min_capacity)
    if capability_conditions:
        query = query.where(verified_capability(*capability_conditions))
    if filters.province:
        query = query.where(Firm.province == filters.province)
    if filters.certification:
        query = query.where(valid_certificate(filters.certification))
    return query.order_by(*SORTS.get(filters.sort, SORTS["name"]), Firm.id)


def directory_page(filters: DirectoryFilters, page: int = 1):
    return db.paginate(directory_query(filters), page=page, per_page=PER_PAGE, error_out=False)


def public_capabilities(firm: Firm) -> list[Capability]:
    return [c for c in firm.capabilities if c.review_status == ReviewStatus.VERIFIED]


@dataclass(frozen=True)
class CategorySummary:
    category: ComponentCategory
    firm_count: int
    capacity_by_unit: dict[str, int]
    certified_firm_count: int


def category_summary(category: ComponentCategory) -> CategorySummary:
    """A category's public firms, their monthly capacity per unit, and how many hold a valid certificate."""
    in_category = and_(
        Capability.category_slug == category.slug, Capability.review_status == ReviewStatus.VERIFIED, Firm.is_public
    )
    capacity = db.session.execute(
        select(Capability.capacity_unit, func.sum(Capability.monthly_capacity))
        .join(Firm)
        .where(in_category)
        .group_by(Capability.capacity_unit)
    ).all()
    firm_count = db.session.scalar(select(func.count(func.distinct(Capability.firm_id))).join(Firm).where(in_category))
    certified = db.session.scalar(
        select(func.count(func.distinct(Capability.firm_id)))
        .join(Firm)
        .where(in_category, exists().where(Certificate.firm_id == Firm.id, Certificate.is_valid_on()))
    )
    return CategorySummary(category, firm_count or 0, {unit: int(total) for unit, total in capacity}, certified or 0)


def category_firms(category: ComponentCategory, page: int = 1):
    query = (
        select(Firm)
        .join(Capability)
        .where(
            Firm.is_public, Capability.category_slug == category.slug, Capability.review_status == ReviewStatus.VERIFIED
        )
        .order_by(Capability.is_main_line.desc(), Capability.monthly_capacity.desc(), Firm.legal_name, Firm.id)
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
