"""Monthly snapshots: store each category's figures once a month, and read them back as progress.

`take_snapshot` is what the monthly cron runs (`flask snapshot-metrics`); running it again in the
same month updates that month's rows instead of adding more.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from portal import audit
from portal.dashboard import metrics
from portal.dashboard.models import UNIT_NOT_STATED, WHOLE_COUNTRY, MetricSnapshot, MetricSnapshotUnit
from portal.extensions import db
from portal.taxonomy import PROVINCES
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import today, utcnow
from portal.transactions import one_act

# The figures a snapshot keeps; each is a column of MetricSnapshot.
SNAPSHOT_FIGURES = [
    "verified_suppliers",
    "open_needs",
    "unserved_needs",
    "certified_suppliers",
    "awarded_needs",
    "jobs",
]


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_before(month: date, count: int) -> date:
    """The first day of the month `count` months before `month`."""
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class SnapshotResult:
    month: date
    created: int
    updated: int


def snapshot_scopes() -> list[str | None]:
    """The whole country first, then each province, so the filtered dashboard has a history too."""
    return [None, *PROVINCES]


def take_snapshot(month: date, progress=None) -> SnapshotResult:
    """Store today's figures under `month` for the whole country and each province, in one
    transaction; rows already stored for that month are updated.

    `progress(province, rows)`, if given, is called after each scope with its category rows.
    """
    month = month_start(month)
    stored = {
        (row.category_slug, row.province): row
        for row in db.session.scalars(select(MetricSnapshot).where(MetricSnapshot.month == month))
    }
    stored_lines = {
        (row.category_slug, row.province, row.unit): row
        for row in db.session.scalars(select(MetricSnapshotUnit).where(MetricSnapshotUnit.month == month))
    }
    with one_act():
        created = updated = 0
        taken_at = utcnow()
        for province in snapshot_scopes():
            sources = metrics.Sources(metrics.scope_for(province=province))
            rows = metrics.category_rows(sources, SNAPSHOT_FIGURES)
            for row in rows:
                key = (row.category.slug, province or WHOLE_COUNTRY)
                snapshot = stored.get(key)
                if snapshot is None:
                    snapshot = MetricSnapshot(month=month, category_slug=key[0], province=key[1])
                    db.session.add(snapshot)
                    created += 1
                else:
                    updated += 1
                for name, value in row.values.items():
                    setattr(snapshot, name, value)
                snapshot.taken_at = taken_at
                _store_lines(stored_lines, month, key, row.lines, taken_at)
            if progress is not None:
                progress(province, rows)
        db.session.flush()
        audit.record(
            "dashboard.snapshot_taken",
            None,
            after={"month": month, "rows_created": created, "rows_updated": updated},
        )
    return SnapshotResult(month, created, updated)


def _store_lines(stored: dict, month: date, key: tuple[str, str], lines, taken_at) -> None:
    """The category's capacity and demand per unit; a unit that had figures earlier in the month
    and has none now is set to zero rather than left as it was."""
    seen = set()
    for line in lines:
        unit = line.unit or UNIT_NOT_STATED
        seen.add(unit)
        row = stored.get((*key, unit))
        if row is None:
            row = stored[(*key, unit)] = MetricSnapshotUnit(
                month=month, category_slug=key[0], province=key[1], unit=unit
            )
            db.session.add(row)
        row.suppliers, row.monthly_capacity = line.suppliers, line.monthly_capacity
        row.open_needs, row.open_demand, row.taken_at = line.open_needs, line.open_demand, taken_at
    for (category, province, unit), row in stored.items():
        if (category, province) == key and unit not in seen:
            row.suppliers = row.monthly_capacity = row.open_needs = row.open_demand = 0
            row.taken_at = taken_at


# --- reading ---------------------------------------------------------------------------------------


def _rows_in(province: str | None, since: date | None):
    conditions = [MetricSnapshot.province == (province or WHOLE_COUNTRY)]
    if since is not None:
        conditions.append(MetricSnapshot.month >= since)
    return conditions


def progress_by_phase(province: str | None, since: date | None, figure: str) -> dict[date, dict[int, int]]:
    """One stored figure summed per month and phase (the categories' phases as they are now, so a
    category moved to another phase carries its history along)."""
    column = getattr(MetricSnapshot, figure)
    rows = db.session.execute(
        select(MetricSnapshot.month, ComponentCategory.phase, func.sum(column))
        .join(ComponentCategory, ComponentCategory.slug == MetricSnapshot.category_slug)
        .where(*_rows_in(province, since))
        .group_by(MetricSnapshot.month, ComponentCategory.phase)
        .order_by(MetricSnapshot.month)
    )
    series: dict[date, dict[int, int]] = {}
    for month, phase, total in rows:
        series.setdefault(month, {})[phase] = int(total or 0)
    return series


def earliest_in_period(province: str | None, since: date | None) -> tuple[date | None, dict[str, MetricSnapshot]]:
    """The first month stored in the period and its rows by category, to compare today against."""
    first = db.session.scalar(select(func.min(MetricSnapshot.month)).where(*_rows_in(province, since)))
    if first is None:
        return None, {}
    rows = db.session.scalars(select(MetricSnapshot).where(*_rows_in(province, None), MetricSnapshot.month == first))
    return first, {row.category_slug: row for row in rows}


def latest(province: str | None) -> tuple[date | None, dict[str, MetricSnapshot]]:
    """The last month stored for the scope and its rows by category, to show the change since."""
    last = db.session.scalar(select(func.max(MetricSnapshot.month)).where(*_rows_in(province, None)))
    if last is None:
        return None, {}
    rows = db.session.scalars(select(MetricSnapshot).where(*_rows_in(province, None), MetricSnapshot.month == last))
    return last, {row.category_slug: row for row in rows}


def current_month() -> date:
    return month_start(today())
