"""The dashboard's tables: one definition each, rendered as an HTML table (which its chart reads)
and as a CSV download, so the page, the chart and the file always show the same numbers."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.dashboard import metrics, schedule, snapshots, trade
from portal.extensions import db
from portal.staff.imports import FORMULA_STARTS
from portal.suppliers import labs
from portal.taxonomy import PHASES, PROVINCES
from portal.taxonomy.models import CertificationType
from portal.taxonomy.names import local_name, province_name
from portal.taxonomy.units import unit_name

PERIODS = {
    "6": (_l("Last 6 months"), 6),
    "12": (_l("Last 12 months"), 12),
    "24": (_l("Last 24 months"), 24),
    "all": (_l("All time"), None),
}
DEFAULT_PERIOD = "12"
UNSERVED_SHOWN = 100  # needs listed on the page; the CSV has them all


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"  # "text", "count", "change" (signed) or "percent"
    series: bool = False  # drawn in the table's chart


@dataclass
class Table:
    """A titled table; the first column labels the rows (and the chart's axis)."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    chart: str | None = None  # "bar", "line" or "funnel"
    log_scale: bool = False
    axis: str = ""  # what the chart's value axis counts, with its unit
    label_unit: str | None = None  # a column whose value the chart adds to each row's label, "(boards)"
    empty: str = ""  # in words, instead of an empty chart: that there is nothing yet and what would fill it
    note: str = ""
    links: dict = field(default_factory=dict)  # (row index, column key) -> (endpoint, url arguments)

    @property
    def has_data(self) -> bool:
        """Something to draw: a point of a line (zero is a point), a bar longer than zero."""
        values = [row.get(c.key) for row in self.rows for c in self.columns if c.series]
        if self.chart == "line":
            return any(value is not None for value in values)
        return any(values)


def csv_text(table: Table) -> str:
    """The table as CSV: the same headers, raw numbers (percentages to one decimal), blanks for "—"."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([str(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(row.get(c.key), c.kind) for c in table.columns])
    return out.getvalue()


def _csv_value(value, kind: str):
    if value is None:
        return ""
    if kind == "percent":
        return f"{value:.1f}"
    if kind == "text" and str(value).startswith(FORMULA_STARTS):
        return "'" + str(value)  # a spreadsheet would run it as a formula, as the supplier export guards
    return value


def period_start(period: str) -> date | None:
    months = PERIODS[period][1]
    return None if months is None else snapshots.months_before(snapshots.current_month(), months - 1)


def read_filters(args) -> tuple[str | None, str]:
    """(province or None, period key) from the query string; anything unknown falls back to the default."""
    province = args.get("province") or None
    if province not in PROVINCES:
        province = None
    period = args.get("period") or DEFAULT_PERIOD
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    return province, period


def no_snapshot_yet() -> str:
    return _(
        "No monthly snapshot in this period yet: `flask snapshot-metrics` stores one each month (run it from cron), "
        "and each adds a point."
    )


def _phase_columns(label: str) -> list[Column]:
    return [Column(f"phase_{n}", _l("Phase %(n)s", n=n), series=True) for n in PHASES] + [Column("total", label)]


CATEGORY_FIGURES = [
    "verified_suppliers",
    "jobs",
    "exporting_firms",
    "open_needs",
    "local_share",
    "certified_suppliers",
    "certified_share",
    "unserved_needs",
    "awarded_needs",
    "expiring_certificates",
    "introductions",
    "introductions_accepted",
    "orders_placed",
    "investment_sought",
    "investment_committed",
]


def _funnel_table(name: str, title: str, value: tuple[str, str], share_label, stages) -> Table:
    """A funnel: (label, count) per stage, each with its share of the first stage."""
    key, label = value
    first = stages[0][1] if stages else 0
    rows = [{"stage": stage, key: count, "share": 100 * count / first if first else None} for stage, count in stages]
    columns = [
        Column("stage", _l("Stage"), "text"),
        Column(key, label, series=True),
        Column("share", share_label, "percent"),
    ]
    return Table(name, title, columns, rows, "funnel")


class StaffDashboard:
    """Every table of the staff dashboard for one province and period; the SQL behind each runs
    only when a table needs it, so a CSV download costs one table's queries."""

    def __init__(self, province: str | None, period: str):
        self.province, self.period = province, period
        self.since = period_start(period)
        self.scope = metrics.scope_for(province=province, since=self.since)
        self.sources = metrics.recent_sources(self.scope)

    def table(self, name: str) -> Table:
        return TABLES[name](self)

    @cached_property
    def category_rows(self) -> list[metrics.CategoryRow]:
        return metrics.category_rows(self.sources, CATEGORY_FIGURES)

    def categories(self) -> Table:
        table = unit_lines_table(
            "categories", _("Capacity against open demand, by category and unit"), self.category_rows
        )
        table.chart, table.log_scale = "bar", True
        table.empty = _(
            "No verified capacity and no open demand yet: capacity appears when EDB verifies a firm's capability, "
            "demand when a brand publishes a sourcing need."
        )
        return table

    def category_figures(self) -> Table:
        figures = metrics.FIGURES
        columns = [
            Column("category", _l("Category"), "text"),
            Column("phase", _l("Phase")),
            Column("verified_suppliers", figures["verified_suppliers"].label),
            Column("open_needs", figures["open_needs"].label),
            Column("certified_share", figures["certified_share"].label, "percent"),
            Column("unserved_needs", figures["unserved_needs"].label),
            Column("awarded_needs", _l("Needs awarded in the period")),
            Column("expiring_certificates", figures["expiring_certificates"].label),
            *(Column(key, figures[key].label) for key in CATEGORY_FIGURES[-5:]),
        ]
        rows = [{"category": r.category.label, "phase": r.category.phase, **r.values} for r in self.category_rows]
        return Table("category-figures", _("Suppliers, needs, certificates, introductions and investment, by category"),
                     columns, rows)  # fmt: skip

    def _progress(self, name: str, title: str, figure: str, total_label: str) -> Table:
        series = snapshots.progress_by_phase(self.province, self.since, figure)
        rows = [
            {"month": month.strftime("%Y-%m"), **{f"phase_{n}": by_phase.get(n, 0) for n in PHASES},
             "total": sum(by_phase.values())}
            for month, by_phase in series.items()
        ]  # fmt: skip
        columns = [Column("month", _l("Month"), "text"), *_phase_columns(total_label)]
        return Table(name, title, columns, rows, "line", empty=no_snapshot_yet())

    def progress(self) -> Table:
        table = self._progress(
            "progress", _("Verified suppliers by phase, month by month"), "verified_suppliers", _l("All phases")
        )
        table.note = _("A firm making parts of two categories counts in each. From the monthly snapshots.")
        table.axis = _("Verified suppliers")
        return table

    def gap_progress(self) -> Table:
        table = self._progress(
            "gap-progress",
            _("Open needs without a qualified supplier, by phase, month by month"),
            "unserved_needs",
            _l("All phases"),
        )
        table.note = _("Falling lines mean brands' open needs are finding certified local suppliers.")
        table.axis = _("Open needs without a qualified supplier")
        return table

    def trend(self) -> Table:
        """Month over month: how many verified suppliers and unserved needs each month added or lost."""
        suppliers = snapshots.progress_by_phase(self.province, self.since, "verified_suppliers")
        unserved = snapshots.progress_by_phase(self.province, self.since, "unserved_needs")
        rows, before = [], None
        for month in sorted(suppliers):
            now = (sum(suppliers[month].values()), sum(unserved.get(month, {}).values()))
            rows.append({
                "month": month.strftime("%Y-%m"),
                "suppliers": now[0],
                "suppliers_change": None if before is None else now[0] - before[0],
                "unserved": now[1],
                "unserved_change": None if before is None else now[1] - before[1],
            })  # fmt: skip
            before = now
        columns = [
            Column("month", _l("Month"), "text"),
            Column("suppliers", _l("Verified suppliers")),
            Column("suppliers_change", _l("Change in verified suppliers"), "change", series=True),
            Column("unserved", _l("Open needs without a qualified supplier")),
            Column("unserved_change", _l("Change in needs without a qualified supplier"), "change", series=True),
        ]
        table = Table("trend", _("Month over month: what each month added or lost"), columns, rows, "line")
        table.note = _(
            "Each month against the month before, from the monthly snapshots; a firm making two categories counts "
            "in each."
        )
        table.axis = _("Change since the month before (firms, needs)")
        table.empty = _(
            "A change needs two monthly snapshots in the period: `flask snapshot-metrics` stores one each month "
            "(run it from cron), and the second adds the first point."
        )
        return table

    def provinces(self) -> Table:
        counts = metrics.firms_by_province(self.scope)
        rows = [
            {"province": province_name(province), "firms": counts.get(province, 0)}
            for province in PROVINCES
            if self.province in (None, province)
        ]
        columns = [Column("province", _l("Province"), "text"), Column("firms", _l("Verified suppliers"), series=True)]
        table = Table("provinces", _("Verified suppliers by province"), columns, rows, "bar")
        table.note = _("A firm making several categories counts once. Filter by province to see its phases.")
        table.axis = _("Verified suppliers (firms)")
        table.empty = _(
            "No verified supplier here yet: a firm counts once EDB verifies its listing and one of its capabilities."
        )
        return table

    def funnel(self) -> Table:
        stages = [(label, count) for _key, label, count in metrics.need_funnel(self.scope)]
        table = _funnel_table(
            "funnel",
            _("Sourcing needs from publication to award"),
            ("needs", _l("Sourcing needs")),
            _l("Share of published needs"),
            stages,
        )
        table.note = _("All needs ever published, whatever the period.")
        table.axis = _("Sourcing needs")
        table.empty = _("No sourcing need published yet: the funnel fills as brands publish needs.")
        return table

    def introductions(self) -> Table:
        from portal.introductions.models import STAGE_LABELS, STAGE_ORDER
        from portal.introductions.service import funnel_counts

        counts = funnel_counts(self.province)
        stages = [(STAGE_LABELS[stage], counts[stage.value]) for stage in STAGE_ORDER]
        stages.append((_l("Order won"), counts["order_won"]))
        table = _funnel_table(
            "introductions",
            _("Introductions from request to order"),
            ("introductions", _l("Introductions")),
            _l("Share of requests"),
            stages,
        )
        table.note = _("How far brands' introductions to local firms got: a stage skipped counts as passed.")
        table.axis = _("Introductions")
        table.empty = _("No introduction asked yet: brands ask for one on a local firm's profile.")
        return table

    def investment(self) -> Table:
        from portal.investment.figures import amounts_by_category

        names = {c.slug: c.label for c in metrics.categories()}
        rows = [
            {"category": names.get(row.category, row.category), "currency": row.currency,
             "sought": int(row.sought), "committed": int(row.committed)}
            for row in amounts_by_category()
        ]  # fmt: skip
        columns = [
            Column("category", _l("Category"), "text"),
            Column("currency", _l("Currency"), "text"),
            Column("sought", _l("Sought (upper end of published ranges)")),
            Column("committed", _l("Committed in closed deals")),
        ]
        table = Table("investment", _("Investment sought and committed, by category"), columns, rows)
        table.note = _(
            "An opportunity spanning several categories counts in each; currencies are not converted. "
            "All provinces and periods."
        )
        return table

    def gaps(self) -> Table:
        """Categories where open demand has no qualified supplier, now and at the start of the period."""
        first_month, then = snapshots.earliest_in_period(self.province, self.since)
        then_label = _("At %(month)s", month=first_month.strftime("%Y-%m")) if first_month else _("At start of period")
        rows = []
        for r in self.category_rows:
            now = r.values["unserved_needs"]
            before = then[r.category.slug].unserved_needs if r.category.slug in then else None
            if now or before:
                change = None if before is None else now - before
                rows.append({"category": r.category.label, "phase": r.category.phase, "now": now, "then": before,
                             "change": change})  # fmt: skip
        columns = [
            Column("category", _l("Category"), "text"),
            Column("phase", _l("Phase")),
            Column("now", _l("Open needs without a qualified supplier today")),
            Column("then", then_label),
            Column("change", _l("Change"), "change"),
        ]
        table = Table("gaps", _("Demand with no qualified supplier, by category"), columns, rows)
        table.note = _(
            "A qualified supplier is a verified, unsuspended firm in good compliance standing, with an "
            "EDB-checked capability in the category, holding every certificate the need asks for, valid today."
        )
        return table

    def untested(self) -> Table:
        """Certifications open needs require that no listed laboratory tests for: where a new lab is needed."""
        rows = [{"certification": row.certification.label, "needs": row.open_needs} for row in labs.untested_demand()]
        columns = [Column("certification", _l("Certification"), "text"), Column("needs", _l("Open needs requiring it"))]
        return Table(
            "untested",
            _("Certifications brands require that no listed laboratory tests for"),
            columns,
            rows,
            empty=_("Every certification open needs require is tested by at least one listed laboratory."),
            note=_(
                "Firms short of these certificates have no laboratory in the portal to turn to. Laboratories "
                "name the certifications they test for in their testing-laboratory capability."
            ),
        )

    def unserved(self, limit: int | None = None) -> Table:
        needs, total = metrics.unserved_need_list(self.sources, limit)
        columns = [
            Column("need", _l("Need"), "text"),
            Column("category", _l("Category"), "text"),
            Column("phase", _l("Phase")),
            Column("organisation", _l("Brand"), "text"),
            Column("quantity", _l("Quantity per month")),
            Column("unit", _l("Unit"), "text"),
            Column("certifications", _l("Certificates required"), "text"),
            Column("deadline", _l("Quote deadline"), "text"),
            Column("province", _l("Delivery province"), "text"),
        ]
        rows = [
            {
                "phase": need.category.phase,
                "category": need.category.label,
                "need": need.title,
                "organisation": need.organisation,
                "quantity": need.quantity_per_month,
                "unit": _unit_name(need.quantity_unit),
                "certifications": ", ".join(c.label for c in need.required_certifications),
                "deadline": need.deadline.isoformat(),
                "province": need.delivery_province or "",
            }
            for need in needs
        ]
        table = Table("unserved", _("Open needs no local supplier qualifies for"), columns, rows)
        table.links = {(i, "need"): ("needs.show", {"need_id": need.id}) for i, need in enumerate(needs)}
        if limit is not None and total > len(needs):
            table.note = _(
                "The first %(shown)s of %(total)s; the CSV file lists them all.", shown=len(needs), total=total
            )
        return table

    def expiring(self) -> Table:
        names = self.certification_names
        rows = []
        for r in self.category_rows:
            by_type = self.sources.expiring.get(r.category.slug, {})
            if by_type:
                rows.append({
                    "category": r.category.label,
                    "phase": r.category.phase,
                    "certificates": r.values["expiring_certificates"],
                    "types": "; ".join(f"{names.get(slug, slug)}: {n}" for slug, n in sorted(by_type.items())),
                })  # fmt: skip
        columns = [
            Column("category", _l("Category"), "text"),
            Column("phase", _l("Phase")),
            Column("certificates", _l("Certificates expiring within 60 days")),
            Column("types", _l("By certification"), "text"),
        ]
        return Table("expiring", _("Certificates of verified suppliers expiring within 60 days"), columns, rows)

    def schedule(self) -> Table:
        """Each category against its phase's targets, measure by measure: target, what the schedule
        expects by today, the figure now, and met / on track / behind / not started."""
        saved, on = schedule.targets(), self.scope.on
        rows = []
        for r in self.category_rows:
            target = saved.get(r.category.phase)
            if target is None:
                continue
            for item in schedule.progress(r.values, target, on):
                label, _figure, percent = schedule.MEASURES[item.measure]
                rows.append({
                    "category": r.category.label,
                    "phase": r.category.phase,
                    "measure": str(label) + (" (%)" if percent else ""),
                    "target": item.target,
                    "expected": round(item.expected),
                    "actual": None if item.actual is None else round(item.actual, 1) if percent else item.actual,
                    "share": item.share_of_target,
                    "status": str(schedule.STATUS_LABELS[item.status]) if item.status else _("no figure yet"),
                    "key": item.status or "",
                })  # fmt: skip
        columns = [
            Column("category", _l("Category"), "text"),
            Column("phase", _l("Phase")),
            Column("measure", _l("Measure"), "text"),
            Column("target", _l("Target")),
            Column("expected", _l("Expected by today")),
            Column("actual", _l("Now")),
            Column("share", _l("Share of target"), "percent"),
            Column("status", _l("Status"), "text"),
        ]
        table = Table("schedule", _("Phases on schedule: each category against its phase's targets"), columns, rows)
        table.note = _(
            "Targets grow evenly from the phase's start to the day they are due: half way through, half the target "
            "is expected. The local share counts brands' open needs a qualified local supplier can serve."
        )
        table.empty = _("No phase has targets yet: staff set them on the phases page.")
        return table

    def jobs_exports(self) -> Table:
        """Jobs at counting firms and their exports, per category, with jobs against the last snapshot."""
        month, then = snapshots.latest(self.province)
        markets = self.sources.markets
        rows = []
        for r in self.category_rows:
            jobs, before = r.values["jobs"], then.get(r.category.slug)
            served = markets.get(r.category.slug, [])
            rows.append({
                "category": r.category.label,
                "phase": r.category.phase,
                "jobs": jobs,
                "change": None if before is None else jobs - before.jobs,
                "exporting": r.values["exporting_firms"],
                "suppliers": r.values["verified_suppliers"],
                "markets": len(served),
                "names": ", ".join(served),
            })  # fmt: skip
        since = _("Change since %(month)s", month=month.strftime("%Y-%m")) if month else _("Change since last snapshot")
        columns = [
            Column("category", _l("Category"), "text"),
            Column("phase", _l("Phase")),
            Column("jobs", _l("People working on the category")),
            Column("change", since, "change"),
            Column("suppliers", _l("Verified suppliers")),
            Column("exporting", _l("Of which exporting")),
            Column("markets", _l("Markets served")),
            Column("names", _l("Markets"), "text"),
        ]
        table = Table("jobs-exports", _("Jobs and exports, by category"), columns, rows)
        table.note = _(
            "People at verified suppliers: what a firm reports for the category, or, if it does not split its "
            "headcount, its whole headcount in its main line. Exports are the markets firms name on their listing."
        )
        return table

    def imports(self) -> Table:
        """Each category's imports (latest year loaded for its HS code) against its local capacity
        over a year, in the same unit where the source counts one."""
        loaded = trade.latest_by_hs_code()
        rows = []
        for r in self.category_rows:
            found = loaded.get(r.category.hs_code or "")
            if found is None:
                continue
            line = next((line for line in r.lines if line.unit == found.unit), None) if found.unit else None
            yearly = None if line is None else 12 * line.monthly_capacity
            if found.unit is None:
                note = _("The source gives a value only, no quantity to set capacity against.")
            elif line is None or not line.monthly_capacity:
                note = _("No local capacity counted in %(unit)s.", unit=_unit_name(found.unit))
            else:
                note = ""
            rows.append({
                "category": r.category.label,
                "hs_code": found.hs_code,
                "year": str(found.year),
                "source": found.source,
                "value": found.value_usd,
                "quantity": found.quantity,
                "unit": _unit_name(found.unit) if found.unit else "",
                "capacity": yearly,
                "share": 100 * yearly / found.quantity if yearly is not None and found.quantity else None,
                "note": note,
            })  # fmt: skip
        columns = [
            Column("category", _l("Category"), "text"),
            Column("hs_code", _l("HS code"), "text"),
            Column("year", _l("Year"), "text"),
            Column("source", _l("Source"), "text"),
            Column("value", _l("Imports (USD)")),
            Column("quantity", _l("Imports (quantity)")),
            Column("unit", _l("Unit"), "text"),
            Column("capacity", _l("Local capacity a year, same unit")),
            Column("share", _l("Local capacity against imports"), "percent"),
            Column("note", _l("Note"), "text"),
        ]
        table = Table("imports", _("Imports that local supply could replace, by category"), columns, rows)
        table.note = _(
            "Imports as loaded by staff (flask load-imports), the latest year for each HS code, with their source. "
            "Local capacity is twelve months of verified capacity in the unit the source counts; categories "
            "sharing an HS code show the same imports."
        )
        table.empty = _("No import figures loaded yet: staff load them with flask load-imports.")
        return table

    @cached_property
    def certification_names(self) -> dict[str, str]:
        return {
            slug: local_name("certification", slug, name)
            for slug, name in db.session.execute(select(CertificationType.slug, CertificationType.name))
        }


TABLES: dict[str, Callable[[StaffDashboard], Table]] = {
    "categories": StaffDashboard.categories,
    "category-figures": StaffDashboard.category_figures,
    "progress": StaffDashboard.progress,
    "gap-progress": StaffDashboard.gap_progress,
    "trend": StaffDashboard.trend,
    "schedule": StaffDashboard.schedule,
    "jobs-exports": StaffDashboard.jobs_exports,
    "imports": StaffDashboard.imports,
    "provinces": StaffDashboard.provinces,
    "funnel": StaffDashboard.funnel,
    "introductions": StaffDashboard.introductions,
    "investment": StaffDashboard.investment,
    "gaps": StaffDashboard.gaps,
    "unserved": StaffDashboard.unserved,
    "expiring": StaffDashboard.expiring,
    "untested": StaffDashboard.untested,
}


def _unit_name(unit: str | None) -> str:
    """A unit's name in the reader's language."""
    return local_name("unit", unit, unit_name(unit)) if unit else unit_name(unit)


def unit_lines_table(name: str, title: str, category_rows: list[metrics.CategoryRow], keys=None) -> Table:
    """One row per category and unit: capacity and demand are only ever added within a unit, and
    set against each other only in a shared one (the note says why not, where not)."""
    keys = keys or list(metrics.UNIT_FIGURES)
    columns = [
        Column("category", _l("Category"), "text"),
        Column("phase", _l("Phase")),
        Column("unit", _l("Unit"), "text"),
        *(
            Column(key, metrics.UNIT_FIGURES[key], "percent" if key == "coverage" else "count",
                   series=key in ("monthly_capacity", "open_demand"))
            for key in keys
        ),
        Column("note", _l("Note"), "text"),
    ]  # fmt: skip
    rows = []
    for r in category_rows:
        for line in r.lines:
            values = line.values
            rows.append({
                "category": r.category.label,
                "phase": r.category.phase,
                "unit": _unit_name(line.unit) if line.unit else _("unit not stated"),
                **{key: values[key] for key in keys},
                "note": _(line.note[0], **line.note[1]) if line.note else "",
            })  # fmt: skip
    table = Table(name, title, columns, rows, label_unit="unit")
    table.axis = _("Per month, each bar in its own category's unit (in brackets)")
    return table


PUBLIC_UNIT_FIGURES = ["suppliers", "monthly_capacity", "open_demand", "coverage"]


def public_summary() -> Table:
    """Counts only, per category, unit and phase, for anyone: no firm or need is named."""
    sources = metrics.recent_sources(metrics.scope_for(), certificates=False)
    return unit_lines_table(
        "localization",
        _("Local supply and open demand by category"),
        metrics.category_rows(sources, []),
        PUBLIC_UNIT_FIGURES,
    )
