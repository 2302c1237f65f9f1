"""The public directory: reading its filters from a request, and the category pages' figures.

Firm lists come from `portal.search` (the same function the API and matching call); the firms
are then loaded from the database and checked once more, so a listing suspended a moment ago
never shows even before the index catches up.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.search import SearchParams
from portal.search.service import MAX_PER_PAGE, SORTS
from portal.suppliers.models import Capability, Certificate, Firm
from portal.taxonomy import PROVINCES, english_names
from portal.taxonomy.models import ComponentCategory

PER_PAGE = 20
MAX_QUERY_LENGTH = 500


def _whole_number(raw: str | None, name: str, problems: dict, minimum: int = 0) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    cleaned = raw.replace(",", "").strip()
    if not cleaned.isdigit() or len(cleaned) > 12 or int(cleaned) < minimum:
        problems[name] = f"Give a whole number of at least {minimum}."
        return None
    return int(cleaned)


def _known(raw: str | None, is_known, name: str, problems: dict) -> str | None:
    if not raw:
        return None
    if not is_known(raw):
        problems[name] = f"Unknown {name.replace('_', ' ')} '{raw}'."
        return None
    return raw


def _named(facet: str):
    """Whether a slug names a category or certification: the taxonomy files, from which
    sync_taxonomy fills the database, answer without a statement on every filtered search."""
    return english_names()[facet].__contains__


def search_params(args, *, default_per_page: int = PER_PAGE) -> tuple[SearchParams, dict[str, str]]:
    """SearchParams from query-string arguments, and a message per argument that was not usable."""
    problems: dict[str, str] = {}
    per_page = _whole_number(args.get("per_page"), "per_page", problems, minimum=1) or default_per_page
    if per_page > MAX_PER_PAGE:
        problems["per_page"] = f"At most {MAX_PER_PAGE} per page."
        per_page = MAX_PER_PAGE
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        problems["q"] = f"Keep the search under {MAX_QUERY_LENGTH} characters."
        q = q[:MAX_QUERY_LENGTH]
    sort = args.get("sort") or ("relevance" if q else "name")
    if sort not in SORTS:
        problems["sort"] = f"Sort by one of: {', '.join(SORTS)}."
        sort = "relevance"
    params = SearchParams(
        q=q,
        category=_known(args.get("category"), _named("category"), "category", problems),
        province=_known(args.get("province"), PROVINCES.__contains__, "province", problems),
        certification=_known(args.get("certification"), _named("certification"), "certification", problems),
        min_capacity=_whole_number(args.get("min_capacity"), "min_capacity", problems),
        max_capacity=_whole_number(args.get("max_capacity"), "max_capacity", problems),
        market=(args.get("market") or "").strip() or None,
        sort=sort,
        page=_whole_number(args.get("page"), "page", problems, minimum=1) or 1,
        per_page=per_page,
        as_typed=args.get("as_typed") in ("1", "true"),
    )
    return params, problems


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    href: str
    current: bool  # the filter is on; its link takes it off


def facet_links(base: str, args: dict, name: str, counts: dict[str, int], labels: dict) -> list[FacetLink]:
    """One facet's links: each value adds itself to the current filters (back to page 1), the
    chosen one removes itself. Built here rather than in the template: a page has about sixty."""
    current = args.get(name)
    kept = {key: value for key, value in args.items() if key not in ("page", name)}

    def href(extra: dict) -> str:
        query = {**kept, **extra}
        return f"{base}?{urlencode(query)}" if query else base

    return [
        FacetLink(
            value, labels.get(value, value), count, href({} if value == current else {name: value}), value == current
        )
        for value, count in counts.items()
    ]


def public_firms(firm_ids: list[int]) -> list[Firm]:
    """The firms with these ids that are public right now, in the order given."""
    if not firm_ids:
        return []
    # Cards show each firm's capabilities and certificates by name: two queries for the page, not dozens.
    # Being public is checked on the loaded rows: as a filter, SQLite would scan its index of live
    # firms rather than look up the ids (see search/cards.py).
    query = (
        select(Firm)
        .where(Firm.id.in_(firm_ids))
        .options(
            selectinload(Firm.capabilities).joinedload(Capability.category),
            selectinload(Firm.certificates).joinedload(Certificate.type),
        )
    )
    firms = {f.id: f for f in db.session.scalars(query) if f.is_public}
    return [firms[i] for i in firm_ids if i in firms]


def public_capabilities(firm: Firm) -> list[Capability]:
    return [c for c in firm.capabilities if c.is_verified]


@dataclass(frozen=True)
class CategorySummary:
    category: ComponentCategory
    firm_count: int
    capacity_by_unit: dict[str, int]
    certified_firm_count: int


def category_summary(category: ComponentCategory) -> CategorySummary:
    """A category's public firms, their monthly capacity per unit, and how many hold a valid certificate."""
    in_category = and_(Capability.category_slug == category.slug, Capability.is_verified, Firm.is_public)
    capacity = db.session.execute(
        select(Capability.capacity_unit, func.sum(Capability.monthly_capacity))
        .join(Firm)
        .where(in_category)
        .group_by(Capability.capacity_unit)
    ).all()
    firm_count = db.session.scalar(select(func.count()).select_from(Capability).join(Firm).where(in_category))
    certified = db.session.scalar(
        select(func.count())
        .select_from(Capability)
        .join(Firm)
        .where(in_category, exists().where(Certificate.firm_id == Firm.id, Certificate.is_valid_on()))
    )
    return CategorySummary(category, firm_count or 0, {unit: int(total) for unit, total in capacity}, certified or 0)


def category_firms(category: ComponentCategory, page: int = 1):
    query = (
        select(Firm)
        .join(Capability)
        .where(Firm.is_public, Capability.category_slug == category.slug, Capability.is_verified)
        .order_by(Capability.is_main_line.desc(), Capability.monthly_capacity.desc(), Firm.legal_name, Firm.id)
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
