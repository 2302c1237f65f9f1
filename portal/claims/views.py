"""Claiming a listing: the claim form on an unowned firm, the confirmation link, the claimant's list."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import uploads
from portal.access import staff_required, unconfirmed_refusal
from portal.acting import attempt
from portal.claims import service
from portal.claims.forms import STATUS_LABELS, ClaimForm
from portal.claims.models import ClaimMethod, FirmClaim
from portal.extensions import db
from portal.forms import ConfirmForm, confirmed
from portal.staff.forms import ReviewDecisionForm
from portal.suppliers.decisions import NEXT_STEPS
from portal.suppliers.models import Firm

bp = Blueprint("claims", __name__)
bp.add_app_template_global(service.claims_on, "claims_on")
bp.add_app_template_global(service.is_unowned, "is_unowned")
bp.add_app_template_global(STATUS_LABELS, "claim_status_labels")
bp.add_app_template_global(service.listing_reference, "listing_reference")


@bp.route("/suppliers/<int:firm_id>/claim", methods=["GET", "POST"])
def claim(firm_id):
    """The claim form; a visitor signs in first, or signs up through a link that carries the listing."""
    firm = db.session.get(Firm, firm_id)
    if not current_user.is_authenticated:
        reference = service.listing_reference(firm) if firm is not None and firm.is_public else None
        return redirect(url_for("accounts.sign_in", next=request.path, claim=reference))
    if firm is None or not firm.is_public:
        abort(404)
    if unconfirmed := unconfirmed_refusal():
        return unconfirmed
    refusal = service.refusal(firm, current_user)
    form = ClaimForm()
    if request.method == "GET" and service.email_fits_domain(current_user.email, service.website_domain(firm)):
        form.email.data = current_user.email  # signed up with the firm's address: that is the evidence
    if refusal is None and form.validate_on_submit():
        method = ClaimMethod(form.method.data)
        try:
            started = service.start_claim(
                firm, current_user, method=method, position=form.position.data, note=form.note.data or "",
                email=form.email.data, document=form.document.upload if method == ClaimMethod.DOCUMENT else None,
            )  # fmt: skip
        except service.ClaimRefused as error:
            form.email.errors.append(str(error))
        else:
            if started.is_awaiting_email:
                flash(_("We sent a link to %(email)s. Open it to send your claim to EDB staff.", email=started.email),
                      "success")  # fmt: skip
            elif started.is_by_email:
                flash(_("Your claim is with EDB staff. This portal does not send e-mail, so they check with the firm "
                        "that %(email)s is its address. Their decision will appear here and in your notifications.",
                        email=started.email), "success")  # fmt: skip
            else:
                flash(_("Your claim is with EDB staff. Their decision will appear here, in your notifications and by e-mail."),
                      "success")  # fmt: skip
            return redirect(url_for(".mine"))
    return render_template(
        "claims/claim.html", firm=firm, form=form, refusal=refusal, domain=service.website_domain(firm)
    )


@bp.route("/claims/confirm/<token>")
def confirm_email(token):
    claim = service.claim_for_token(token)
    if claim is None:
        flash(_("This confirmation link is used, expired or wrong. Start the claim again if needed."), "danger")
        return redirect(url_for("main.home"))
    service.confirm_email(claim)
    flash(_("Address confirmed: your claim of %(firm)s is with EDB staff.", firm=claim.firm.display_name), "success")
    return redirect(url_for(".mine") if current_user.is_authenticated else url_for("main.home"))


@bp.route("/claims/")
@login_required
def mine():
    return render_template(
        "claims/mine.html", claims=service.claims_of(current_user), form=ConfirmForm(), next_steps=NEXT_STEPS
    )


@bp.post("/claims/<int:claim_id>/withdraw")
@login_required
def withdraw(claim_id):
    claim = db.session.get(FirmClaim, claim_id)
    if claim is None or claim.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit() and confirmed():
        attempt(lambda: service.withdraw(claim, current_user), _("Claim withdrawn."), service.ClaimRefused)
    return redirect(url_for(".mine"))


# --- staff ------------------------------------------------------------------------------------------


@bp.post("/staff/claims/<int:claim_id>/decide")
@staff_required
def decide(claim_id):
    claim = db.session.get(FirmClaim, claim_id) or abort(404)
    form = ReviewDecisionForm()
    if form.validate_on_submit():
        try:
            service.decide(
                claim, current_user, approve=request.form.get("decision") == "approve",
                reason=form.reason.data or "", expected_version=form.version.data,
            )  # fmt: skip
        except service.ClaimRefused as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(_("Claim approved: the claimant now runs the listing.") if claim.is_approved
                  else _("Claim rejected; the claimant is told why."), "success")  # fmt: skip
    return redirect(url_for("staff.review_firm", firm_id=claim.firm_id, _anchor=f"claim-{claim.id}"))


@bp.route("/claims/<int:claim_id>/document")
@login_required
def document(claim_id):
    """The claim's document, for staff and the claimant only; always a download."""
    claim = db.session.get(FirmClaim, claim_id)
    if claim is None or not claim.document_path or not (current_user.is_staff or claim.user_id == current_user.id):
        abort(404)
    return uploads.send_stored(claim.document_path, claim.document_name, claim.document_mime)
