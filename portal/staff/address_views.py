"""Staff confirm or decline an account's address when the e-mailed link cannot reach its person."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import staff_required
from portal.accounts import address_review
from portal.accounts.models import Role, User
from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.staff.forms import AddressReviewForm
from portal.staff.views import bp


@bp.route("/addresses/<int:user_id>", methods=["GET", "POST"])
@staff_required
def review_address(user_id):
    """The account whose address waits, with the decision: confirm with a note of how, or decline."""
    person = db.session.get(User, user_id)
    if person is None or person.role == Role.STAFF:
        abort(404)
    form = AddressReviewForm()
    if form.validate_on_submit():
        act = address_review.confirm_address if form.decision.data == "confirm" else address_review.decline_address
        try:
            act(person, current_user, form.note.data)
        except address_review.AddressReviewRefused as error:
            form.note.errors.append(str(error))
        else:
            if person.has_verified_email:
                flash(
                    _(
                        "%(email)s is confirmed; %(name)s is told in the portal.",
                        email=person.email,
                        name=person.full_name,
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "%(email)s is declined; %(name)s reads your reason in the portal.",
                        email=person.email,
                        name=person.full_name,
                    ),
                    "success",
                )
            return redirect(url_for("staff.queue"))
    history = db.session.scalars(
        db.select(AuditEntry)
        .where(
            AuditEntry.subject_type == "User",
            AuditEntry.subject_id == person.id,
            AuditEntry.action.in_(address_review.AUDIT_ACTIONS),
        )
        .order_by(AuditEntry.sequence)
    ).all()
    return render_template("staff/address_review.html", person=person, form=form, history=history)
