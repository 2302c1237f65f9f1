"""Staff pages."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from portal.access import staff_required
from portal.accounts import service as accounts
from portal.accounts.forms import StaffInviteForm
from portal.accounts.models import Role, User
from portal.extensions import db
from portal.staff import bp
from portal.suppliers.models import Firm, ListingStatus


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
    return render_template("staff/people.html", form=form, staff=staff)
