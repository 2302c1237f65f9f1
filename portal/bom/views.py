"""BOM planner pages: a brand's plans, the upload, each plan with its lines, local suppliers and
local content, a line's suppliers, versions and their comparison, and turning lines into needs.

Every plan page is its owner's alone (`service.plan_for` answers 404 to anyone else, staff too).
"""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.access import role_required
from portal.accounts.models import Role
from portal.acting import attempt
from portal.bom import actions, insights, reading, service
from portal.bom.forms import (
    CategoryForm,
    DraftNeedsForm,
    InviteSuppliersForm,
    LineForm,
    RevisedFileForm,
    SaveVersionForm,
    UploadForm,
)
from portal.dashboard.schedule import STATUS_LABELS
from portal.forms import ConfirmForm
from portal.i18n import translated
from portal.taxonomy import PHASES, category_choices
from portal.validators import choices

bp = Blueprint("bom", __name__, url_prefix="/bom")

SHOWN_SUPPLIERS = 20
SHOWN_BLOCKING = 10


def _read(form, default_currency: str) -> reading.Reading | None:
    """The form's table read into rows; a file that cannot be read at all is said next to the field."""
    table = form.table()
    try:
        if isinstance(table, tuple):
            return reading.read_upload(table[0], table[1], form.devices_per_month.data, default_currency)
        return reading.read_text(table, form.devices_per_month.data, default_currency)
    except reading.BomUnreadable as error:
        form.file.errors = [translated(error.phrase)]
        return None


def _report(result: reading.Reading) -> None:
    if result.refused:
        flash(
            ngettext(
                "%(num)s line was refused: see why below.",
                "%(num)s lines were refused: see why below.",
                len(result.refused),
            ),
            "warning",
        )


@bp.route("/")
@role_required(Role.BRAND)
def index():
    """The brand's BOM plans, most recently changed first."""
    return render_template("bom/index.html", plans=service.plans_of(current_user))


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.BRAND)
def new():
    """Upload a BOM (CSV, .xlsx or a pasted table): each line is read and mapped to a category."""
    form = UploadForm()
    refused = []
    if form.validate_on_submit():
        result = _read(form, form.currency.data)
        if result is not None:
            refused = result.refused
            try:
                plan = service.create_plan(current_user, form.title.data, form.currency.data, result.rows)
            except service.PlanRefused as error:
                form.file.errors = [str(error)]
            else:
                _report(result)
                flash(
                    ngettext("%(num)s line read and mapped.", "%(num)s lines read and mapped.", len(result.rows)),
                    "success",
                )
                if not refused:
                    return redirect(url_for("bom.show", plan_id=plan.id))
                return render_template("bom/refused.html", plan=plan, refused=refused)
    return render_template("bom/new.html", form=form, refused=refused)


@bp.route("/template.<any(csv, xlsx):kind>")
@role_required(Role.BRAND)
def template(kind):
    """The BOM template, with its columns and three example lines."""
    if kind == "csv":
        body, mimetype = reading.template_csv(), "text/csv"
    else:
        body, mimetype = reading.template_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="bom-template.{kind}"'}
    )


@bp.route("/<int:plan_id>")
@role_required(Role.BRAND)
def show(plan_id):
    """The plan: each line's category and local suppliers, and the local content per phase."""
    plan = service.plan_for(plan_id, current_user)
    figures = service.plan_figures(plan)
    category_form = CategoryForm(formdata=None)
    category_form.category.choices = choices(category_choices())
    by_id = {line.id: line for line in figures.lines}
    return render_template(
        "bom/show.html",
        plan=plan,
        figures=figures,
        blocking=[by_id[f.line_id] for f in figures.content.blocking[:SHOWN_BLOCKING]],
        category_form=category_form,
        categories=category_choices(),
        confirm_form=ConfirmForm(formdata=None),
        draft_form=DraftNeedsForm(formdata=None),
        save_form=SaveVersionForm(formdata=None, version=plan.version),
        phases=PHASES,
        status_labels=STATUS_LABELS,
    )


@bp.post("/<int:plan_id>/lines/<int:line_id>/confirm")
@role_required(Role.BRAND)
def confirm(plan_id, line_id):
    """The brand confirms the category read from a line's words."""
    plan, line = _plan_and_line(plan_id, line_id)
    if ConfirmForm().validate_on_submit():
        attempt(
            lambda: service.confirm_line(plan, line),
            _("Line %(line)s confirmed.", line=line.reference),
            service.PlanRefused,
        )
    return redirect(url_for("bom.show", plan_id=plan.id, _anchor=f"line-{line.id}"))


@bp.post("/<int:plan_id>/lines/<int:line_id>/category")
@role_required(Role.BRAND)
def correct(plan_id, line_id):
    """The brand chooses a line's category; the choice is remembered for its next BOMs."""
    plan, line = _plan_and_line(plan_id, line_id)
    form = CategoryForm()
    form.category.choices = choices(category_choices())
    if form.validate_on_submit():
        done = _("Line %(line)s corrected; the planner will remember it.", line=line.reference)
        attempt(lambda: service.correct_line(plan, line, form.category.data), done, service.PlanRefused)
    else:
        flash(_("Choose a category from the list."), "danger")
    return redirect(url_for("bom.show", plan_id=plan.id, _anchor=f"line-{line.id}"))


def _plan_and_line(plan_id: int, line_id: int):
    """The brand's own plan and a line of its working version (404 for anything else)."""
    plan = service.plan_for(plan_id, current_user)
    return plan, service.line_of(plan, line_id)


@bp.route("/<int:plan_id>/lines/<int:line_id>")
@role_required(Role.BRAND)
def line(plan_id, line_id):
    """One line: its local suppliers ranked and explained, the nearest misses, its need."""
    plan, item = _plan_and_line(plan_id, line_id)
    ranked, near = ([], []) if item.category_slug is None else service.line_matches(item)
    invite_form = InviteSuppliersForm(formdata=None)
    return render_template(
        "bom/line.html",
        plan=plan,
        line=item,
        ranked=ranked,
        shown=ranked[:SHOWN_SUPPLIERS] if ranked else [],
        near=near,
        supply=service.supply_for([item]).get(item.id) if item.category_slug else None,
        invite_form=invite_form,
    )


@bp.route("/<int:plan_id>/lines/<int:line_id>/edit", methods=["GET", "POST"])
@role_required(Role.BRAND)
def edit_line(plan_id, line_id):
    """Change a line's words, quantity or cost in the working version."""
    plan, item = _plan_and_line(plan_id, line_id)
    form = LineForm(obj=item)
    if form.validate_on_submit() and attempt(
        lambda: service.edit_line(plan, item, form.line_data()), _("Line saved."), service.PlanRefused
    ):
        return redirect(url_for("bom.show", plan_id=plan.id, _anchor=f"line-{item.id}"))
    return render_template("bom/edit_line.html", plan=plan, line=item, form=form)


@bp.post("/<int:plan_id>/lines/<int:line_id>/invite")
@role_required(Role.BRAND)
def invite(plan_id, line_id):
    """Invite chosen local suppliers of a line to quote on its need."""
    plan, item = _plan_and_line(plan_id, line_id)
    form = InviteSuppliersForm()
    if form.validate_on_submit():
        try:
            invited = actions.invite_suppliers(item, form.firms.data or [], current_user)
        except service.PlanRefused as error:
            flash(str(error), "danger")
        else:
            flash(ngettext("%(num)s supplier invited.", "%(num)s suppliers invited.", len(invited)), "success")
    return redirect(url_for("bom.line", plan_id=plan.id, line_id=item.id))


@bp.post("/<int:plan_id>/needs")
@role_required(Role.BRAND)
def draft_needs(plan_id):
    """Turn the chosen lines into draft sourcing needs, to review and publish in the needs flow."""
    plan = service.plan_for(plan_id, current_user)
    form = DraftNeedsForm()
    if form.validate_on_submit():
        wanted = set(form.lines.data or [])
        lines = [line for line in plan.working.lines if line.id in wanted]
        try:
            drafted = actions.draft_needs(plan, lines, current_user)
        except service.PlanRefused as error:
            flash(str(error), "danger")
        else:
            flash(
                ngettext(
                    "%(num)s draft need made: review and publish it under Sourcing needs.",
                    "%(num)s draft needs made: review and publish them under Sourcing needs.",
                    len(drafted),
                ),
                "success",
            )
    return redirect(url_for("bom.show", plan_id=plan.id))


@bp.post("/<int:plan_id>/versions")
@role_required(Role.BRAND)
def save_version(plan_id):
    """Keep the working version as it stands, with its local content today."""
    plan = service.plan_for(plan_id, current_user)
    form = SaveVersionForm()
    if form.validate_on_submit():
        saved = None

        def save():
            nonlocal saved
            saved = service.save_version(plan, form.note.data or "", form.version.data)

        if attempt(save, _("Version saved."), service.PlanRefused):
            return redirect(url_for("bom.show", plan_id=plan.id))
    else:
        flash(_("Reload the page and try again."), "danger")
    return redirect(url_for("bom.show", plan_id=plan.id))


@bp.route("/<int:plan_id>/revise", methods=["GET", "POST"])
@role_required(Role.BRAND)
def revise(plan_id):
    """A revised BOM file: the working version is saved as it stood, the new lines follow it."""
    plan = service.plan_for(plan_id, current_user)
    form = RevisedFileForm()
    if form.validate_on_submit():
        result = _read(form, plan.currency)
        if result is not None:
            try:
                service.replace_lines(plan, result.rows, current_user)
            except service.PlanRefused as error:
                form.file.errors = [str(error)]
            else:
                _report(result)
                if not result.refused:
                    return redirect(url_for("bom.show", plan_id=plan.id))
                return render_template("bom/refused.html", plan=plan, refused=result.refused)
    return render_template("bom/revise.html", plan=plan, form=form)


@bp.route("/<int:plan_id>/compare")
@role_required(Role.BRAND)
def compare(plan_id):
    """What changed since an earlier version: lines, their mapping, and the local share."""
    plan = service.plan_for(plan_id, current_user)
    saved = plan.saved_versions
    if not saved:
        flash(_("Save a version first; later changes are compared with it."), "info")
        return redirect(url_for("bom.show", plan_id=plan.id))
    number = request.args.get("version", type=int) or saved[-1].number
    earlier = service.version_of(plan, number)
    figures = service.plan_figures(plan)
    return render_template(
        "bom/compare.html",
        plan=plan,
        earlier=earlier,
        changes=service.compare(earlier, plan.working),
        now=figures.content.whole,
        saved=saved,
        categories=dict(category_choices()),
    )


@bp.route("/priorities")
@role_required(Role.INVESTOR, Role.STAFF)
def priorities():
    """Where investment would matter most: categories blocking the most local content across
    brands' plans, only where at least three brands' plans hold the category."""
    return render_template("bom/priorities.html", found=insights.blocking_categories())
