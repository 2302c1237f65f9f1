"""The firm's side of compliance: its incentive and licence standing, with reasons and effects, and its
response to the case behind them (which joins the case for staff)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.compliance import notices, service
from portal.compliance.forms import ResponseForm
from portal.compliance.models import ComplianceCase
from portal.extensions import db
from portal.suppliers import service as suppliers

bp = Blueprint("standing", __name__)


@bp.app_template_global("standing_notices")
def standing_notices(firm) -> list[notices.StandingNotice]:
    """The measures not active for the firm, for its own pages (manage, opportunities)."""
    return notices.notices_for(service.standing_of(firm))


@bp.app_template_global("kept_out_of_matching")
def kept_out_of_matching(firm) -> bool:
    return service.is_excluded_from_matching(firm)


def _render(firm, form=None, case_id=None, status=200):
    shown = standing_notices(firm)
    cases = {notice.case_id: db.session.get(ComplianceCase, notice.case_id) for notice in shown if notice.case_id}
    page = render_template(
        "compliance/firm_standing.html",
        firm=firm,
        notices=shown,
        cases=cases,
        responses=service.responses_of(firm),
        form=form or ResponseForm(),
        failed_case_id=case_id,
        how_to_respond=notices.HOW_TO_RESPOND,
    )
    return page, status


@bp.route("/firms/<int:firm_id>/standing")
@login_required
def show(firm_id):
    """The firm's incentive and import-licence standing as EDB decided it, and how to answer."""
    return _render(suppliers.firm_for_member(firm_id, current_user))


@bp.post("/firms/<int:firm_id>/standing/cases/<int:case_id>/respond")
@login_required
def respond(firm_id, case_id):
    """The firm's people answer the case behind a measure; the answer reaches staff in the case."""
    firm = suppliers.firm_for_member(firm_id, current_user)
    case = db.session.get(ComplianceCase, case_id)
    if case is None or case.firm_id != firm.id:
        abort(404)
    form = ResponseForm()
    if form.validate_on_submit():
        try:
            service.respond(case, form.text.data, current_user)
        except service.ComplianceError as error:
            if not case.is_open:
                flash(str(error), "danger")
                return redirect(url_for("standing.show", firm_id=firm.id))
            form.text.errors = [*form.text.errors, str(error)]
        else:
            flash(_("Your response is with the EDB staff handling the case."), "success")
            return redirect(url_for("standing.show", firm_id=firm.id))
    return _render(firm, form, case.id, 422)
