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

from portal.dashboard import metrics, snapshots
from portal.extensions import db
from portal.staff.imports import FORMULA_STARTS
from portal.taxonomy import PHASES, PROVINCES
from portal.taxonomy.models import CertificationType
from portal.taxonomy.names import local_name, province_name

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
    note: str = ""
    links: dict = field(default_factory=dict)  # (row index, column key) -> (endpoint, url arguments)


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


def _phase_columns(label: str) -> list[Column]:
    return [Column(f"phase_{n}", _l("Phase %(n)s", n=n), series=True) for n in PHASES] + [Column("total", label)]


CATEGORY_FIGURES = [
    "verified_suppliers",
    "monthly_capacity",
    "open_demand",
    "coverage",
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
        self.sources = metrics.Sources(self.scope)

    def table(self, name: str) -> Table:
        return TABLES[name](self)

    @cached_property
    def category_rows(self) -> list[metrics.CategoryRow]:
        return metrics.category_rows(self.sources, CATEGORY_FIGURES)

    def categories(self) -> Table:
        figures = metrics.FIGURES
        columns = [
            Column("category", _l("Category"), "text"),
            Column("phase", _l("Phase")),
            Column("verified_suppliers", figures["verified_suppliers"].label),
            Column("monthly_capacity", figures["monthly_capacity"].label, series=True),
            Column("open_demand", figures["open_demand"].label, series=True),
            Column("coverage", figures["coverage"].label, "percent"),
            Column("certified_share", figures["certified_share"].label, "percent"),
            Column("unserved_needs", figures["unserved_needs"].label),
            Column("awarded_needs", _l("Needs awarded in the period")),
            Column("expiring_certificates", figures["expiring_certificates"].label),
            *(Column(key, figures[key].label) for key in CATEGORY_FIGURES[-5:]),
        ]
        rows = [{"category": r.category.label, "phase": r.category.phase, **r.values} for r in self.category_rows]
        return Table("categories", _("Capacity against open demand, by category"), columns, rows, "bar", log_scale=True)

    def _progress(self, name: str, title: str, figure: str, total_label: str) -> Table:
        series = snapshots.progress_by_phase(self.province, self.since, figure)
        rows = [
            {"month": month.strftime("%Y-%m"), **{f"phase_{n}": by_phase.get(n, 0) for n in PHASES},
             "total": sum(by_phase.values())}
            for month, by_phase in series.items()
        ]  # fmt: skip
        columns = [Column("month", _l("Month"), "text"), *_phase_columns(total_label)]
        return Table(name, title, columns, rows, "line")

    def progress(self) -> Table:
        table = self._progress(
            "progress", _("Verified suppliers by phase, month by month"), "verified_suppliers", _l("All phases")
        )
        table.note = _("A firm making parts of two categories counts in each. From the monthly snapshots.")
        return table

    def gap_progress(self) -> Table:
        table = self._progress(
            "gap-progress",
            _("Open needs without a qualified supplier, by phase, month by month"),
            "unserved_needs",
            _l("All phases"),
        )
        table.note = _("Falling lines mean brands' open needs are finding certified local suppliers.")
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
        return table

    def investment(self) -> Table:
        from portal.investment.service import amounts_by_category

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

    def unserved(self, limit: int | None = None) -> Table:
        needs, total = metrics.unserved_need_list(self.sources, limit)
        columns = [
            Column("need", _l("Need"), "text"),
            Column("category", _l("Category"), "text"),
            Column("phase", _l("Phase")),
            Column("organisation", _l("Brand"), "text"),
            Column("quantity", _l("Quantity per month")),
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

    @cached_property
    def certification_names(self) -> dict[str, str]:
        return {
            slug: local_name("certification", slug, name)
            for slug, name in db.session.execute(select(CertificationType.slug, CertificationType.name))
        }


TABLES: dict[str, Callable[[StaffDashboard], Table]] = {
    "categories": StaffDashboard.categories,
    "progress": StaffDashboard.progress,
    "gap-progress": StaffDashboard.gap_progress,
    "provinces": StaffDashboard.provinces,
    "funnel": StaffDashboard.funnel,
    "introductions": StaffDashboard.introductions,
    "investment": StaffDashboard.investment,
    "gaps": StaffDashboard.gaps,
    "unserved": StaffDashboard.unserved,
    "expiring": StaffDashboard.expiring,
}


PUBLIC_FIGURES = ["verified_suppliers", "monthly_capacity", "open_demand"]


def public_summary() -> Table:
    """Counts only, per category and phase, for anyone: no firm or need is named."""
    sources = metrics.Sources(metrics.scope_for(), certificates=False)
    columns = [
        Column("category", _l("Category"), "text"),
        Column("phase", _l("Phase")),
        *(Column(key, metrics.FIGURES[key].label) for key in PUBLIC_FIGURES),
    ]
    rows = [
        {"phase": r.category.phase, "category": r.category.label, **r.values}
        for r in metrics.category_rows(sources, PUBLIC_FIGURES)
    ]
    return Table("localization", _("Local supply and open demand by category"), columns, rows)
