"""Staff pages."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from portal.access import staff_required
from portal.accounts import service as accounts
from portal.accounts.forms import StaffInviteForm
from portal.accounts.models import Role, User
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.staff import queue
from portal.staff.forms import ReviewDecisionForm
from portal.suppliers import lifecycle
from portal.suppliers import service as suppliers_service
from portal.suppliers.forms import FirmProfileForm
from portal.suppliers.lifecycle import REASON_FIELDS
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/")
@staff_required
def home():
    """Staff's start page: what waits for review and the listings' state at a glance."""
    by_status = dict(db.session.execute(select(Firm.status, func.count(Firm.id)).group_by(Firm.status)).all())
    suspended = db.session.scalar(select(func.count(Firm.id)).where(Firm.suspended.is_(True)))
    return render_template("staff/home.html", by_status=by_status, suspended=suspended, statuses=ListingStatus)


@bp.route("/people", methods=["GET", "POST"])
@staff_required
def people():
    """List staff accounts and add a colleague, who sets a password from an e-mailed link."""
    form = StaffInviteForm()
    if form.validate_on_submit():
        try:
            user = accounts.invite_staff(email=form.email.data, full_name=form.full_name.data, invited_by=current_user)
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            flash(
                _(
                    "%(name)s is added; a link to set a password was sent to %(email)s.",
                    name=user.full_name,
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("staff.people"))
    staff = db.session.scalars(select(User).where(User.role == Role.STAFF).order_by(User.full_name)).all()
    return render_template("staff/people.html", form=form, staff=staff, confirm=ConfirmForm())


@bp.post("/people/<int:user_id>/deactivate")
@staff_required
def deactivate_account(user_id):
    """Close an account: it cannot sign in again, and its sessions and API tokens end at once."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        accounts.deactivate(user, by=current_user)
    except accounts.AccountError as error:
        flash(str(error), "danger")
    else:
        flash(
            _("%(name)s can no longer sign in; every session of the account has ended.", name=user.full_name), "success"
        )
    return redirect(url_for("staff.people"))


# --- listings ------------------------------------------------------------------------------------


@bp.route("/firms")
@staff_required
def firms():
    """Listings by state, oldest submission first, so nothing waits longer than it must."""
    wanted = request.args.get("status", ListingStatus.SUBMITTED.value)
    query = select(Firm)
    if wanted == "suspended":
        query = query.where(Firm.suspended.is_(True))
    elif wanted in {s.value for s in ListingStatus}:
        query = query.where(Firm.status == ListingStatus(wanted))
    query = query.order_by(Firm.submitted_at.asc().nulls_last(), Firm.created_at.asc(), Firm.id)
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=50, error_out=False)
    pending_items = queue.counts_by_firm()
    return render_template(
        "staff/firms.html", page=page, wanted=wanted, statuses=ListingStatus, pending_items=pending_items
    )


@bp.route("/firms/new", methods=["GET", "POST"])
@staff_required
def add_firm():
    """List a firm from EDB's records that nobody runs on the portal yet."""
    form = FirmProfileForm()
    if form.validate_on_submit():
        firm = suppliers_service.add_unowned_listing(form.profile_data(), current_user)
        flash(_("%(firm)s is listed and waits in the review queue.", firm=firm.legal_name), "success")
        return redirect(url_for("staff.review_firm", firm_id=firm.id))
    return render_template("staff/firm_new.html", form=form)


@bp.route("/firms/<int:firm_id>")
@staff_required
def review_firm(firm_id):
    """Everything about one listing, with the actions a reviewer can take."""
    firm = db.session.get(Firm, firm_id) or abort(404)
    return _review_page(firm)


def _review_page(firm: Firm, item_error: tuple[str, int, str, str] | None = None, status: int = 200):
    """The review page; `item_error` is (kind, item id, message, the words typed) for a refused item decision."""
    page = render_template(
        "staff/firm_review.html",
        firm=firm,
        actions=lifecycle.allowed_actions(firm),
        form=ReviewDecisionForm(version=firm.version),
        reason_fields=REASON_FIELDS,
        next_item=queue.next_item(after_firm_id=firm.id),
        item_error=item_error,
    )
    return page, status


@bp.post("/firms/<int:firm_id>/<any(verify, request_changes, reject, suspend, reinstate):action>")
@staff_required
def decide_firm(firm_id, action):
    """Apply a reviewer's decision on the listing, refusing it if the listing changed meanwhile."""
    firm = db.session.get(Firm, firm_id) or abort(404)
    form = ReviewDecisionForm()
    if not form.validate_on_submit():
        flash(_("The decision could not be read; reload the page and try again."), "danger")
        return redirect(url_for("staff.review_firm", firm_id=firm.id))
    version, reason = form.version.data, form.reason.data or ""
    try:
        if action == "verify":
            lifecycle.verify(firm, current_user, version)
        elif action == "request_changes":
            reasons = {field: request.form.get(f"reason_{field}", "") for field, _label in REASON_FIELDS}
            lifecycle.request_changes(firm, current_user, reasons, version)
        else:
            getattr(lifecycle, action)(firm, current_user, reason, version)
    except lifecycle.TransitionRefused as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        flash(DECISION_MESSAGES[action] % {"firm": firm.display_name}, "success")
    return redirect(url_for("staff.review_firm", firm_id=firm.id))


@bp.post("/firms/<int:firm_id>/profile-changes")
@staff_required
def decide_profile_changes(firm_id):
    """Apply or discard the identity changes a verified firm proposed."""
    firm = db.session.get(Firm, firm_id) or abort(404)
    form = ReviewDecisionForm()
    if form.validate_on_submit():
        try:
            lifecycle.review_profile_changes(
                firm,
                current_user,
                approve=request.form.get("decision") == "approve",
                expected_version=form.version.data,
            )
        except lifecycle.TransitionRefused as error:
            flash(str(error), "danger")
        else:
            flash(_("Profile changes decided."), "success")
    return redirect(url_for("staff.review_firm", firm_id=firm.id))


@bp.post("/<any(capabilities, certificates):kind>/<int:item_id>/review")
@staff_required
def review_item(kind, item_id):
    """Verify or reject one capability or certificate."""
    model = Capability if kind == "capabilities" else Certificate
    item = db.session.get(model, item_id) or abort(404)
    form = ReviewDecisionForm()
    if form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        review = lifecycle.review_capability if model is Capability else lifecycle.review_certificate
        try:
            review(item, current_user, approve, form.reason.data or "")
        except lifecycle.TransitionRefused as error:
            db.session.rollback()
            if item.awaits_decision:
                # Still undecided: the message goes next to the field, with what the reviewer typed.
                return _review_page(item.firm, (kind, item.id, str(error), form.reason.data or ""), 422)
            flash(str(error), "danger")
            return redirect(url_for("staff.review_firm", firm_id=item.firm_id, _anchor=kind))
        flash(_("Verified.") if approve else _("Rejected."), "success")
    return redirect(url_for("staff.review_firm", firm_id=item.firm_id, _anchor=kind))


DECISION_MESSAGES = {
    "verify": _l("%(firm)s is verified and public."),
    "request_changes": _l("Changes requested from %(firm)s."),
    "reject": _l("%(firm)s is rejected."),
    "suspend": _l("%(firm)s is suspended and hidden from the directory."),
    "reinstate": _l("%(firm)s is reinstated."),
}
from portal.staff import address_views, audit_views, imports_views, merge_views, queue_views  # noqa: E402, F401  (their routes join bp)
