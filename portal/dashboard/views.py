"""The localization pages: a public summary for anyone, the full dashboard and phase editing for staff."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import staff_required
from portal.dashboard import metrics, schedule, service, tables
from portal.dashboard.forms import PhaseForm, PhaseTargetForm
from portal.dashboard.metrics import EXPIRY_WARNING_DAYS
from portal.extensions import db
from portal.taxonomy import PHASES, PROVINCES
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import today

bp = Blueprint("dashboard", __name__)

# What the staff page shows, top to bottom; each table has its CSV download by the same name.
CHARTED = ("categories", "progress", "gap-progress", "trend", "provinces", "funnel", "introductions")
LISTED = (
    "schedule",
    "category-figures",
    "jobs-exports",
    "imports",
    "gaps",
    "unserved",
    "expiring",
    "untested",
    "investment",
)


def _csv_response(table: tables.Table, name: str) -> Response:
    return Response(
        tables.csv_text(table),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}-{today().isoformat()}.csv"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/localization")
def summary():
    """Anyone: verified local suppliers, their capacity and open demand, per category and phase."""
    return render_template("dashboard/summary.html", table=tables.public_summary(), phases=PHASES)


@bp.route("/localization.csv")
def summary_csv():
    """The public summary as CSV."""
    return _csv_response(tables.public_summary(), "localization")


@bp.route("/staff/dashboard")
@staff_required
def index():
    """Where the country stands for each part of a phone, what is missing, and how it moves."""
    province, period = tables.read_filters(request.args)
    board = tables.StaffDashboard(province, period)
    shown = {name: board.table(name) for name in CHARTED + LISTED if name != "unserved"}
    shown["unserved"] = board.unserved(limit=tables.UNSERVED_SHOWN)
    return render_template(
        "dashboard/index.html",
        board=board,
        tables=shown,
        charted=CHARTED,
        provinces=PROVINCES,
        periods=tables.PERIODS,
        phases=PHASES,
        warning_days=EXPIRY_WARNING_DAYS,
        priorities=board.sources.blocking,
    )


@bp.route("/staff/dashboard/<name>.csv")
@staff_required
def table_csv(name):
    """One dashboard table as CSV, with the page's filters."""
    if name not in tables.TABLES:
        abort(404)
    province, period = tables.read_filters(request.args)
    board = tables.StaffDashboard(province, period)
    suffix = "-".join(filter(None, (name, province and province.lower().replace(" ", "-"))))
    return _csv_response(board.table(name), f"localization-{suffix}")


def _phase_forms(failed: tuple[str, PhaseForm] | None = None) -> list[tuple[ComponentCategory, PhaseForm]]:
    """A form per category, phase by phase; the one that failed keeps its messages."""
    forms = []
    for category in metrics.categories():
        if failed and failed[0] == category.slug:
            forms.append((category, failed[1]))
        else:
            forms.append((category, PhaseForm(prefix=category.slug, phase=category.phase, formdata=None)))
        forms[-1][1].phase.label.text = _("Phase of %(name)s", name=category.name)
    return forms


def _target_forms(failed: tuple[int, PhaseTargetForm] | None = None) -> list[tuple[int, PhaseTargetForm]]:
    """A schedule and targets form per phase, filled with what is saved; the one that failed keeps its messages."""
    saved = schedule.targets()
    forms = []
    for phase in PHASES:
        if failed and failed[0] == phase:
            forms.append((phase, failed[1]))
        else:
            forms.append((phase, PhaseTargetForm(prefix=f"phase-{phase}", obj=saved.get(phase), formdata=None)))
    return forms


def _phases_page(status: int = 200, failed_phase=None, failed_targets=None):
    page = render_template(
        "dashboard/phases.html",
        forms=_phase_forms(failed_phase),
        target_forms=_target_forms(failed_targets),
        phases=PHASES,
    )
    return page, status


@bp.route("/staff/dashboard/phases")
@staff_required
def phases():
    """Which localization phase each component category belongs to, and each phase's schedule and
    targets; staff may change both."""
    return _phases_page()


@bp.post("/staff/dashboard/phases/<int:phase>/targets")
@staff_required
def set_targets(phase):
    """Save one phase's start, due date and targets (audited)."""
    if phase not in PHASES:
        abort(404)
    form = PhaseTargetForm(prefix=f"phase-{phase}")
    if not form.validate_on_submit():
        return _phases_page(400, failed_targets=(phase, form))
    try:
        saved = service.set_targets(phase, form.target_data(), current_user, form.version.data)
    except service.TargetsChanged:
        flash(_("Someone saved these targets meanwhile; here they are as saved. Make your change again."), "warning")
    else:
        if saved:
            flash(_("The schedule and targets of phase %(phase)s are saved.", phase=phase), "success")
        else:
            flash(_("Nothing changed in the targets of phase %(phase)s.", phase=phase), "info")
    return redirect(url_for("dashboard.phases", _anchor=f"targets-{phase}"))


@bp.post("/staff/dashboard/phases/<slug>")
@staff_required
def set_phase(slug):
    """Move one category to another phase (audited)."""
    category = db.session.get(ComponentCategory, slug) or abort(404)
    form = PhaseForm(prefix=slug)
    if not form.validate_on_submit():
        return _phases_page(400, failed_phase=(slug, form))
    if service.set_phase(category, form.phase.data, current_user):
        flash(_("%(category)s is now in phase %(phase)s.", category=category.name, phase=form.phase.data), "success")
    else:
        flash(_("%(category)s was already in phase %(phase)s.", category=category.name, phase=form.phase.data), "info")
    return redirect(url_for("dashboard.phases", _anchor=f"category-{slug}"))
