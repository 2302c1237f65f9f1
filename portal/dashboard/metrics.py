"""The localization figures per component category, aggregated in SQL.

A few GROUP BY queries (the sources) read the tables once per page. Firms are grouped per
category by the certificates they hold, and open needs by the certificates they require, each
set written as a bit mask; "a firm holds every certificate this need asks for" then compares a
few dozen groups per category instead of walking over firms. Each figure is one function of one
category's groups, registered in FIGURES: the staff page, its CSV files and the monthly snapshot
all read figures from there, so a new figure (introductions, investment) is a new source plus
one function.
"""

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from functools import cached_property

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, select, tuple_
from sqlalchemy.orm import selectinload

from portal.compliance.models import FirmStanding
from portal.compliance.service import excluded_firm_ids
from portal.extensions import db
from portal.i18n import N_
from portal.needs.models import NeedStatus, SourcingNeed, need_certification
from portal.suppliers.models import Capability, Certificate, Firm
from portal.taxonomy.models import CertificationType, ComponentCategory
from portal.taxonomy.units import area_counterpart, convert, unit_name, units_of
from portal.timeutil import today, utcnow

EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class Scope:
    """What the figures cover: the day they are true on, a province (None: the whole country) and
    the start of the period awarded needs are counted from (None: since the beginning)."""

    on: date
    province: str | None = None
    since: date | None = None
    excluded: frozenset[int] = frozenset()  # firms kept out of matching by compliance on `on`


def scope_for(province: str | None = None, since: date | None = None, on: date | None = None) -> Scope:
    on = on or today()
    return Scope(on=on, province=province or None, since=since, excluded=frozenset(excluded_firm_ids(on)))


# --- who counts ----------------------------------------------------------------------------------


def counting_firms(scope: Scope):
    """A firm counts when it is public (verified, not suspended), not excluded from matching by
    compliance, and in the scope's province."""
    conditions = [Firm.is_public]
    if scope.excluded:
        # The same ids, read back through a subquery: both databases then hash them once, where
        # PostgreSQL would compare every firm with each id of a literal list.
        excluded = select(FirmStanding.firm_id).where(FirmStanding.firm_id.in_(sorted(scope.excluded)))
        conditions.append(Firm.id.not_in(excluded))
    if scope.province:
        conditions.append(Firm.province == scope.province)
    return and_(*conditions)


def supplying(scope: Scope):
    """A capability counts for its category when EDB verified it and its firm counts."""
    return and_(Capability.is_verified, counting_firms(scope))


def open_needs(scope: Scope):
    """Needs taking quotes on the scope's day (an open need past its deadline no longer counts),
    delivered to the scope's province when one is chosen."""
    conditions = [SourcingNeed.is_accepting_quotes(scope.on)]
    if scope.province:
        conditions.append(SourcingNeed.delivery_province == scope.province)
    return and_(*conditions)


def _supply_base(scope: Scope):
    return select().select_from(Capability).join(Firm, Firm.id == Capability.firm_id).where(supplying(scope))


# --- sources: one GROUP BY query each ---------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Firms (or needs) of one category holding (or requiring) the same certificates and counting
    in the same unit (with the same board area, for supply): how many, and their monthly capacity
    (or quantity) together, in that unit."""

    mask: int
    count: int
    amount: int
    unit: str | None = None  # None: a capability whose unit waits to be chosen
    board_area_mm2: int | None = None


def holds(mask: int, wanted: int) -> bool:
    return mask & wanted == wanted


class Sources:
    """The aggregates for one scope; each query runs at most once, when a figure first needs it.

    `certificates=False` leaves certificates out of the supply groups (every mask is 0), which
    halves the cost for pages that show no certificate-based figure (the public summary).
    """

    def __init__(self, scope: Scope, certificates: bool = True):
        self.scope, self.certificates = scope, certificates
        self.read_at = utcnow()

    def read_whole(self) -> "Sources":
        """Every aggregate read now (for a copy read ahead of the pages that will show it)."""
        for name, member in vars(type(self)).items():
            if isinstance(member, cached_property):
                getattr(self, name)
        return self

    @cached_property
    def bits(self) -> dict[str, int]:
        """One bit per certification type, so a set of certificates is one integer."""
        slugs = db.session.scalars(select(CertificationType.slug).order_by(CertificationType.slug)).all()
        if len(slugs) > 62:
            raise RuntimeError("more certification types than bits in a 64-bit integer")
        return {slug: 1 << index for index, slug in enumerate(slugs)}

    def _bit(self, column):
        return case(self.bits, value=column, else_=0) if self.bits else literal(0)

    def need_masks(self):
        """Open needs in scope, one row each: id, category, quantity and the mask of what they require."""
        return (
            select(
                SourcingNeed.id.label("id"),
                SourcingNeed.category_slug.label("category"),
                SourcingNeed.quantity_per_month.label("quantity"),
                SourcingNeed.quantity_unit.label("unit"),
                func.coalesce(func.sum(self._bit(need_certification.c.certification_slug)), 0).label("mask"),
            )
            .select_from(SourcingNeed)
            .outerjoin(need_certification, need_certification.c.need_id == SourcingNeed.id)
            .where(open_needs(self.scope))
            .group_by(
                SourcingNeed.id, SourcingNeed.category_slug, SourcingNeed.quantity_per_month, SourcingNeed.quantity_unit
            )
            .subquery()
        )

    @cached_property
    def demand(self) -> dict[str, list[Group]]:
        """Open needs per category, requirement mask and unit: how many, and their monthly quantity."""
        needs = self.need_masks()
        rows = db.session.execute(
            select(
                needs.c.category, needs.c.mask, func.count(), func.sum(needs.c.quantity), needs.c.unit, literal(None)
            ).group_by(needs.c.category, needs.c.mask, needs.c.unit)
        )
        return _grouped(rows)

    @cached_property
    def required(self) -> int:
        """Every certificate some open need in scope asks for, as one mask."""
        mask = 0
        for groups in self.demand.values():
            for group in groups:
                mask |= group.mask
        return mask

    @cached_property
    def supply(self) -> dict[str, list[Group]]:
        """Counting firms per category, mask of the required certificates they hold valid today, unit
        and board area."""
        slugs = [slug for slug, bit in self.bits.items() if bit & self.required] if self.certificates else []
        query = _supply_base(self.scope)
        if slugs:
            held = (
                select(Certificate.firm_id, func.sum(self._bit(Certificate.type_slug).distinct()).label("mask"))
                .where(Certificate.is_valid_on(self.scope.on), Certificate.type_slug.in_(slugs))
                .group_by(Certificate.firm_id)
                .subquery()
            )
            query = query.outerjoin(held, held.c.firm_id == Firm.id)
            mask = func.coalesce(held.c.mask, 0)
        else:
            mask = literal(0)
        per_capability = query.add_columns(
            Capability.category_slug.label("category"),
            mask.label("mask"),
            Capability.monthly_capacity.label("capacity"),
            Capability.capacity_unit.label("unit"),
            Capability.board_area_mm2.label("area"),
        ).subquery()
        c = per_capability.c
        rows = db.session.execute(
            select(c.category, c.mask, func.count(), func.sum(c.capacity), c.unit, c.area).group_by(
                c.category, c.mask, c.unit, c.area
            )
        )
        return _grouped(rows)

    @cached_property
    def awarded(self) -> dict[str, int]:
        """Needs awarded in the period, per category. An awarded need can no longer be edited, so its
        last change is the award."""
        conditions = [SourcingNeed.status == NeedStatus.AWARDED]
        if self.scope.province:
            conditions.append(SourcingNeed.delivery_province == self.scope.province)
        if self.scope.since:
            conditions.append(SourcingNeed.updated_at >= datetime.combine(self.scope.since, dt_time(), UTC))
        rows = db.session.execute(
            select(SourcingNeed.category_slug, func.count()).where(*conditions).group_by(SourcingNeed.category_slug)
        )
        return dict(rows.all())

    @cached_property
    def expiring(self) -> dict[str, dict[str, int]]:
        """Valid certificates of counting firms that expire within EXPIRY_WARNING_DAYS, per category and type."""
        until = self.scope.on + timedelta(days=EXPIRY_WARNING_DAYS)
        # Grouped first, so the few certificates near expiry are found by date before any firm is read.
        expiring = (
            select(Certificate.firm_id, Certificate.type_slug, func.count().label("certificates"))
            .where(Certificate.is_valid_on(self.scope.on), Certificate.expiry_date <= until)
            .group_by(Certificate.firm_id, Certificate.type_slug)
            .subquery()
        )
        rows = db.session.execute(
            _supply_base(self.scope)
            .join(expiring, expiring.c.firm_id == Firm.id)
            .add_columns(Capability.category_slug, expiring.c.type_slug, func.sum(expiring.c.certificates))
            .group_by(Capability.category_slug, expiring.c.type_slug)
        )
        found: dict[str, dict[str, int]] = defaultdict(dict)
        for category, type_slug, count in rows:
            found[category][type_slug] = count
        return found

    @cached_property
    def workforce(self) -> dict[str, tuple[int, int]]:
        """Per category: people working on it at counting firms, and how many of those firms export.

        A firm's people in a category are what it reported for the category; a firm that did not
        split its headcount counts it whole in its main line, and in no other category."""
        people = case(
            (Capability.employees.is_not(None), Capability.employees),
            (Capability.is_main_line.is_(True), func.coalesce(Firm.employees, 0)),
            else_=0,
        )
        exporting = case((func.json_array_length(Firm.export_markets) > 0, 1), else_=0)
        rows = db.session.execute(
            _supply_base(self.scope)
            .add_columns(Capability.category_slug, func.sum(people), func.sum(exporting))
            .group_by(Capability.category_slug)
        )
        return {category: (int(jobs or 0), int(exporters or 0)) for category, jobs, exporters in rows}

    @cached_property
    def markets(self) -> dict[str, list[str]]:
        """Per category, the export markets its counting firms serve, by name."""
        if db.session.get_bind().dialect.name == "postgresql":
            market = func.json_array_elements_text(Firm.export_markets).table_valued("value")
        else:
            market = func.json_each(Firm.export_markets).table_valued("value")
        rows = db.session.execute(
            _supply_base(self.scope)
            .add_columns(Capability.category_slug, market.c.value)
            .join(market, literal(True))
            .distinct()
        )
        found: dict[str, list[str]] = defaultdict(list)
        for category, name in rows:
            found[category].append(str(name))
        return {category: sorted(names, key=str.casefold) for category, names in found.items()}

    @cached_property
    def introductions(self) -> dict[str, dict[str, int]]:
        """Per category, introductions that got at least as far as each stage (and orders won)."""
        from portal.introductions.service import reached_by_category

        return reached_by_category(self.scope.province)

    @cached_property
    def investment(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Per category, capital sought and committed in USD (other currencies: the investment table)."""
        from portal.investment.figures import amounts_by_category

        return {row.category: (row.sought, row.committed) for row in amounts_by_category() if row.currency == "USD"}

    @cached_property
    def blocking(self):
        """Categories that hold back brands' BOM plans (the whole country's, whatever the scope)."""
        from portal.bom.insights import blocking_categories

        return blocking_categories()

    def category(self, slug: str) -> "CategoryFacts":
        return CategoryFacts(slug, self)


STALE_AFTER_WINDOWS = 10  # figures older than this many refresh windows are read afresh in the request


class _Recent:
    """Sources read at most once per DASHBOARD_REFRESH_SECONDS in this process. When a window has
    passed, the page still gets the figures it has (with their time) while a thread reads the
    next ones in full, so no request waits the second or two a fresh read takes at national
    scale; only the first read, or one after a long quiet spell, is done in the request."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._values: dict[tuple, tuple[float, Sources]] = {}
        self._reading: set[tuple] = set()
        self._lock = threading.Lock()

    def get(self, key: tuple, seconds: int) -> Sources:
        now = self._clock()
        with self._lock:
            found = self._values.get(key)
            age = now - found[0] if found else None
            if age is not None and age < seconds:
                return found[1]
            if age is not None and age < seconds * STALE_AFTER_WINDOWS:
                if key not in self._reading:
                    self._reading.add(key)
                    app = current_app._get_current_object()
                    threading.Thread(target=self._read_whole, args=(app, key), daemon=True).start()
                return found[1]
        sources = Sources(*key)
        with self._lock:
            self._values[key] = (now, sources)
        return sources

    def _read_whole(self, app, key: tuple) -> None:
        try:
            with app.app_context():
                started = self._clock()
                sources = Sources(*key).read_whole()
                with self._lock:
                    self._values[key] = (started, sources)
                db.session.remove()
        finally:
            with self._lock:
                self._reading.discard(key)


_recent = _Recent()


def recent_sources(scope: Scope, certificates: bool = True) -> Sources:
    """The aggregates for `scope` as this process last read them (`_Recent`); the pages that show
    them say when they were read (`Sources.read_at`). The monthly snapshot always reads afresh."""
    seconds = current_app.config.get("DASHBOARD_REFRESH_SECONDS", 0)
    if not seconds:
        return Sources(scope, certificates)
    return _recent.get((scope, certificates), seconds)


def _grouped(rows) -> dict[str, list[Group]]:
    groups: dict[str, list[Group]] = defaultdict(list)
    for category, mask, count, amount, unit, area in rows:
        groups[category].append(Group(int(mask or 0), int(count), int(amount or 0), unit, area))
    return groups


@dataclass(frozen=True)
class CategoryFacts:
    """One category's slice of the sources."""

    slug: str
    sources: Sources

    @property
    def supply(self) -> list[Group]:
        return self.sources.supply.get(self.slug, [])

    @property
    def demand(self) -> list[Group]:
        return self.sources.demand.get(self.slug, [])

    def is_served(self, need_mask: int) -> bool:
        """Some counting firm of the category holds every certificate the need requires."""
        return any(holds(group.mask, need_mask) for group in self.supply)


# --- the figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    compute: Callable[[CategoryFacts], int | float | None]
    percent: bool = False


FIGURES: dict[str, Figure] = {}


def figure(key: str, label, percent: bool = False):
    """Register a per-category figure under `key` (its column name in tables, CSV and snapshots)."""

    def register(compute):
        FIGURES[key] = Figure(key, label, compute, percent)
        return compute

    return register


@figure("verified_suppliers", _l("Verified suppliers"))
def verified_suppliers(facts: CategoryFacts) -> int:
    return sum(group.count for group in facts.supply)


@figure("open_needs", _l("Open needs"))
def open_need_count(facts: CategoryFacts) -> int:
    return sum(group.count for group in facts.demand)


def required_certifications(facts: CategoryFacts) -> int:
    """Every certificate at least one open need of the category asks for, as a mask."""
    mask = 0
    for group in facts.demand:
        mask |= group.mask
    return mask


@figure("local_share", _l("Local share of brands' demand"), percent=True)
def local_share(facts: CategoryFacts) -> float | None:
    """Brands' open needs of the category that some qualified local supplier can serve, as a share
    of all its open needs (counted in needs, so units do not matter); None without open needs."""
    needs = open_need_count(facts)
    return 100 * (needs - unserved_needs(facts)) / needs if needs else None


@figure("certified_suppliers", _l("Suppliers holding what brands ask for"))
def certified_suppliers(facts: CategoryFacts) -> int | None:
    """Counting firms holding, valid today, every certificate required by at least one open need of
    the category; None when no open need asks for any."""
    wanted = required_certifications(facts)
    if not wanted:
        return None
    return sum(group.count for group in facts.supply if holds(group.mask, wanted))


@figure("certified_share", _l("Share holding what brands ask for"), percent=True)
def certified_share(facts: CategoryFacts) -> float | None:
    certified, suppliers = certified_suppliers(facts), verified_suppliers(facts)
    return None if certified is None or not suppliers else 100 * certified / suppliers


@figure("unserved_needs", _l("Open needs without a qualified supplier"))
def unserved_needs(facts: CategoryFacts) -> int:
    return sum(group.count for group in facts.demand if not facts.is_served(group.mask))


@figure("jobs", _l("People working on the category"))
def jobs(facts: CategoryFacts) -> int:
    return facts.sources.workforce.get(facts.slug, (0, 0))[0]


@figure("exporting_firms", _l("Firms exporting"))
def exporting_firms(facts: CategoryFacts) -> int:
    return facts.sources.workforce.get(facts.slug, (0, 0))[1]


@figure("awarded_needs", _l("Needs awarded"))
def awarded_needs(facts: CategoryFacts) -> int:
    return facts.sources.awarded.get(facts.slug, 0)


@figure("expiring_certificates", _l("Certificates expiring within 60 days"))
def expiring_certificates(facts: CategoryFacts) -> int:
    return sum(facts.sources.expiring.get(facts.slug, {}).values())


@figure("introductions", _l("Introductions asked"))
def introductions(facts: CategoryFacts) -> int:
    return facts.sources.introductions.get(facts.slug, {}).get("requested", 0)


@figure("introductions_accepted", _l("Introductions accepted"))
def introductions_accepted(facts: CategoryFacts) -> int:
    return facts.sources.introductions.get(facts.slug, {}).get("introduced", 0)


@figure("orders_placed", _l("Orders placed after an introduction"))
def orders_placed(facts: CategoryFacts) -> int:
    return facts.sources.introductions.get(facts.slug, {}).get("order_placed", 0)


@figure("investment_sought", _l("Investment sought (USD)"))
def investment_sought(facts: CategoryFacts) -> int:
    return int(facts.sources.investment.get(facts.slug, (0, 0))[0])


@figure("investment_committed", _l("Investment committed (USD)"))
def investment_committed(facts: CategoryFacts) -> int:
    return int(facts.sources.investment.get(facts.slug, (0, 0))[1])


# --- capacity and demand, one line per unit ------------------------------------------------------

UNIT_FIGURES = {
    "suppliers": _l("Verified suppliers counting in this unit"),
    "monthly_capacity": _l("Monthly capacity"),
    "converted_capacity": _l("Of which converted with the firm's board area"),
    "open_needs": _l("Open needs"),
    "open_demand": _l("Open demand per month"),
    "coverage": _l("Capacity against demand"),
}
NO_COMMON_UNIT = N_("Demand is counted in %(demand)s, capacity in %(capacity)s: they are not compared.")
NO_BOARD_AREA = N_(
    "Capacity in %(capacity)s converts to %(demand)s only with the area of one board, which these firms have not given."
)
UNIT_UNKNOWN = N_("Counted apart until the firms choose one of the category's units.")


@dataclass(frozen=True)
class UnitLine:
    """One category's capacity and demand in one unit; units are never added to each other.

    `monthly_capacity` is what firms stated in this unit plus what converts into it (m² of panel
    and boards, at the board area each firm gave), `converted_capacity` the part that converted.
    `coverage` is capacity as a share of demand, only where both are in this unit; `note` says
    why there is none (and is a message to translate, with its values).
    """

    unit: str | None
    suppliers: int = 0
    monthly_capacity: int = 0
    converted_capacity: int = 0
    open_needs: int = 0
    open_demand: int = 0
    note: tuple[str, dict] | None = None

    @property
    def coverage(self) -> float | None:
        if not self.open_demand or self.note is not None:
            return None
        return 100 * self.monthly_capacity / self.open_demand

    @property
    def values(self) -> dict:
        return {key: getattr(self, key) for key in UNIT_FIGURES}


def unit_lines(facts: CategoryFacts) -> list[UnitLine]:
    """The category's lines: each of its units that has capacity or demand (its usual unit alone
    when neither has), in the category's order, then units it no longer lists, then "not stated"."""
    listed = [u.slug for u in units_of(facts.slug)]
    supply: dict[str | None, list[Group]] = defaultdict(list)
    demand: dict[str | None, list[Group]] = defaultdict(list)
    for group in facts.supply:
        supply[group.unit].append(group)
    for group in facts.demand:
        demand[group.unit].append(group)
    present = set(supply) | set(demand)
    order = [u for u in listed if u in present] + sorted(u for u in present if u not in listed and u is not None)
    if None in present:
        order.append(None)
    if not order:
        order = listed[:1] or [None]
    lines = []
    for unit in order:
        stated = sum(g.amount for g in supply[unit])
        converted = 0
        other = area_counterpart(facts.slug, unit) if unit is not None else None
        for group in supply.get(other, []) if other else []:
            converted += convert(group.amount, other, unit, facts.slug, group.board_area_mm2) or 0
        line = UnitLine(
            unit,
            suppliers=sum(g.count for g in supply[unit]),
            monthly_capacity=stated + converted,
            converted_capacity=converted,
            open_needs=sum(g.count for g in demand[unit]),
            open_demand=sum(g.amount for g in demand[unit]),
        )
        lines.append(replace(line, note=_line_note(line, supply, other)))
    return lines


def _line_note(line: UnitLine, supply: dict[str | None, list[Group]], other: str | None) -> tuple[str, dict] | None:
    """Why a line's capacity is not set against its demand, if it is not."""
    if line.unit is None:
        return (UNIT_UNKNOWN, {})
    if not line.open_demand or line.monthly_capacity:
        return None
    if other and any(g.amount and not g.board_area_mm2 for g in supply.get(other, [])):
        return (NO_BOARD_AREA, {"capacity": unit_name(other), "demand": unit_name(line.unit)})
    elsewhere = [unit_name(u) for u, groups in supply.items() if u != line.unit and any(g.amount for g in groups)]
    if elsewhere:
        return (NO_COMMON_UNIT, {"demand": unit_name(line.unit), "capacity": ", ".join(elsewhere)})
    return None


# --- reading them ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    category: ComponentCategory
    values: dict[str, int | float | None]
    lines: list[UnitLine]


def categories() -> list[ComponentCategory]:
    return list(db.session.scalars(select(ComponentCategory).order_by(ComponentCategory.phase, ComponentCategory.name)))


def category_rows(sources: Sources, keys: list[str]) -> list[CategoryRow]:
    """The chosen figures for every category, phase by phase."""
    rows = []
    for category in categories():
        facts = sources.category(category.slug)
        rows.append(CategoryRow(category, {key: FIGURES[key].compute(facts) for key in keys}, unit_lines(facts)))
    return rows


def unserved_need_list(sources: Sources, limit: int | None = None) -> tuple[list[SourcingNeed], int]:
    """Open needs no counting firm qualifies for (category made, every required certificate held
    valid), phase by phase, the nearest deadline first; and how many there are in all."""
    pairs = [
        (slug, group.mask)
        for slug, groups in sources.demand.items()
        for group in groups
        if not sources.category(slug).is_served(group.mask)
    ]
    if not pairs:
        return [], 0
    needs = sources.need_masks()
    ids = select(needs.c.id).where(tuple_(needs.c.category, needs.c.mask).in_(pairs))
    total = sum(
        group.count for slug, groups in sources.demand.items() for group in groups if (slug, group.mask) in pairs
    )
    query = (
        select(SourcingNeed)
        .join(ComponentCategory)
        .where(SourcingNeed.id.in_(ids))
        .options(selectinload(SourcingNeed.required_certifications), selectinload(SourcingNeed.category))
        .order_by(ComponentCategory.phase, ComponentCategory.name, SourcingNeed.deadline, SourcingNeed.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query)), total


def firms_by_province(scope: Scope) -> dict[str, int]:
    """Counting firms per province: public, not excluded, with at least one verified capability;
    a firm making several categories counts once."""
    makes_something = select(Capability.id).where(Capability.firm_id == Firm.id, Capability.is_verified).exists()
    rows = db.session.execute(
        select(Firm.province, func.count()).where(counting_firms(scope), makes_something).group_by(Firm.province)
    )
    return dict(rows.all())


FUNNEL_STAGES = (
    ("published", _l("Published (open, closed or awarded)"), (NeedStatus.OPEN, NeedStatus.CLOSED, NeedStatus.AWARDED)),
    ("closed", _l("Closed to quotes (closed or awarded)"), (NeedStatus.CLOSED, NeedStatus.AWARDED)),
    ("awarded", _l("Awarded"), (NeedStatus.AWARDED,)),
)


def need_funnel(scope: Scope) -> list[tuple[str, str, int]]:
    """Sourcing needs by how far they got: (key, label, count) per stage; drafts and cancelled
    needs are left out."""
    query = select(SourcingNeed.status, func.count()).group_by(SourcingNeed.status)
    if scope.province:
        query = query.where(SourcingNeed.delivery_province == scope.province)
    by_status = dict(db.session.execute(query).all())
    return [(key, label, sum(by_status.get(s, 0) for s in statuses)) for key, label, statuses in FUNNEL_STAGES]
