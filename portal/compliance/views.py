"""Staff pages for compliance cases: the list, opening a case, and the case page with its forms.

Views only read forms and call the service; the rules live in `portal.compliance.service`.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import uploads
from portal.access import staff_required
from portal.acting import attempt
from portal.compliance import service
from portal.compliance.forms import (
    KIND_LABELS,
    MEASURE_LABELS,
    OUTCOME_LABELS,
    STATUS_LABELS,
    CloseCaseForm,
    DocumentForm,
    NoteForm,
    OpenCaseForm,
    StandingForm,
)
from portal.compliance.models import CaseDocument, CaseKind, CaseStatus, ComplianceCase
from portal.extensions import db
from portal.suppliers.models import Firm

bp = Blueprint("compliance", __name__, url_prefix="/staff/compliance")


def _labels() -> dict:
    return {
        "kind_labels": KIND_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "status_labels": STATUS_LABELS,
        "measure_labels": MEASURE_LABELS,
    }


@bp.app_template_global("firm_standing")
def firm_standing(firm: Firm) -> dict | None:
    """What the firm review page shows staff: each measure's status today and the open cases."""
    if not (current_user.is_authenticated and current_user.has_role("staff")):
        return None
    standing = service.standing_of(firm)
    return {
        "standing": standing,
        "today": {measure: service.status_on(standing, measure) for measure in service.MEASURES},
        "excluded": service.is_excluded_from_matching(firm),
        "open_cases": service.open_case_count(firm),
        **_labels(),
    }


@bp.route("/")
@staff_required
def cases():
    """Every case, open ones first; filter by status, kind or firm."""
    status, kind = request.args.get("status", ""), request.args.get("kind", "")
    firm_id = request.args.get("firm_id", type=int)
    page = db.paginate(
        service.cases_query(status, kind, firm_id),
        page=request.args.get("page", 1, type=int),
        per_page=50,
        error_out=False,
    )
    firm = db.session.get(Firm, firm_id) if firm_id else None
    return render_template(
        "compliance/cases.html",
        page=page,
        status=status,
        kind=kind,
        firm=firm,
        statuses=CaseStatus,
        kinds=CaseKind,
        **_labels(),
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def open_case():
    """Choose the firm (by link from its review page or by name), then say what it is suspected of."""
    form = OpenCaseForm()
    firm_id = form.firm_id.data if request.method == "POST" else request.args.get("firm_id", type=int)
    firm = db.session.get(Firm, firm_id) if firm_id else None
    if firm_id and firm is None:
        abort(404)
    if firm is not None and request.method == "GET":
        form.firm_id.data = firm.id
    if firm is not None and form.validate_on_submit():
        try:
            case = service.open_case(firm, form.kind.data, form.summary.data, current_user)
        except service.ComplianceError as error:
            form.summary.errors = [*form.summary.errors, str(error)]
        else:
            flash(_("Case opened against %(firm)s.", firm=firm.legal_name), "success")
            return redirect(url_for("compliance.case", case_id=case.id))
    query = request.args.get("q", "")
    matches = service.find_firms(query) if firm is None else []
    return render_template("compliance/open_case.html", form=form, firm=firm, query=query, matches=matches)


def _case_or_404(case_id: int) -> ComplianceCase:
    return db.session.get(ComplianceCase, case_id) or abort(404)


def _case_forms(case: ComplianceCase, **bound) -> dict:
    """The case page's forms, each with the case version; a form that failed comes in `bound`."""
    forms = {
        "note_form": NoteForm(prefix="note", formdata=None, version=case.version),
        "document_form": DocumentForm(prefix="document", formdata=None, version=case.version),
        "close_form": CloseCaseForm(prefix="close", formdata=None, version=case.version),
        "standing_forms": {
            measure: StandingForm(measure, formdata=None, version=case.version) for measure in service.MEASURES
        },
    }
    if "standing_form" in bound:
        standing_form = bound.pop("standing_form")
        forms["standing_forms"][standing_form.measure] = standing_form
    forms.update(bound)
    return forms


def _render_case(case: ComplianceCase, **bound):
    return render_template(
        "compliance/case.html",
        case=case,
        standing=service.standing_of(case.firm),
        **_case_forms(case, **bound),
        **_labels(),
    )


@bp.route("/<int:case_id>")
@staff_required
def case(case_id):
    return _render_case(_case_or_404(case_id))


def _run_form(case: ComplianceCase, form, field, action, success: str, form_name: str):
    """Run a validated form's action: a refusal is shown next to `field`; a success, or the case
    changed meanwhile, is flashed over the case as it is now."""
    if form.validate_on_submit():
        try:
            attempt(action, success, service.CaseChanged)
        except service.ComplianceError as error:
            field.errors = [*field.errors, str(error)]
        else:
            return redirect(url_for("compliance.case", case_id=case.id))
    return _render_case(case, **{form_name: form})


@bp.post("/<int:case_id>/notes")
@staff_required
def add_note(case_id):
    """Add a note to an open case."""
    case = _case_or_404(case_id)
    form = NoteForm(prefix="note")
    return _run_form(
        case,
        form,
        form.text,
        lambda: service.add_note(case, form.text.data, current_user, form.version.data),
        _("Note added."),
        "note_form",
    )


@bp.post("/<int:case_id>/documents")
@staff_required
def attach_document(case_id):
    """Attach a document (checked by content) to an open case."""
    case = _case_or_404(case_id)
    form = DocumentForm(prefix="document")
    return _run_form(
        case,
        form,
        form.document,
        lambda: service.attach_document(
            case, form.document.upload, form.description.data, current_user, form.version.data
        ),
        _("Document attached."),
        "document_form",
    )


@bp.post("/<int:case_id>/standing/<any(incentive, licence):measure>")
@staff_required
def set_standing(case_id, measure):
    """Set the firm's incentive or import-licence status, with dates."""
    case = _case_or_404(case_id)
    form = StandingForm(measure)
    return _run_form(
        case,
        form,
        form.status,
        lambda: service.set_standing(
            case,
            measure,
            form.status.data,
            form.since.data,
            form.until.data,
            current_user,
            form.version.data,
            note=form.note.data,
        ),
        _("%(measure)s status set.", measure=MEASURE_LABELS[measure]),
        "standing_form",
    )


@bp.post("/<int:case_id>/close")
@staff_required
def close_case(case_id):
    """Close a case with its outcome."""
    case = _case_or_404(case_id)
    form = CloseCaseForm(prefix="close")
    return _run_form(
        case,
        form,
        form.outcome,
        lambda: service.close_case(case, form.outcome.data, form.note.data, current_user, form.version.data),
        _("Case closed."),
        "close_form",
    )


@bp.route("/<int:case_id>/documents/<int:document_id>")
@staff_required
def document(case_id, document_id):
    """A case document, for staff only and always as a download."""
    item = db.session.get(CaseDocument, document_id)
    if item is None or item.case_id != case_id:
        abort(404)
    return uploads.send_stored(item.path, item.filename, item.mimetype)
