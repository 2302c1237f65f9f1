"""A user's notifications: the list, opening one, marking them read, and e-mail settings."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.extensions import db
from portal.forms import ConfirmForm
from portal.notifications import service
from portal.notifications.forms import chosen_kinds, email_settings_form
from portal.notifications.models import Notification

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
PER_PAGE = 30


@bp.route("/")
@login_required
def index():
    page = db.paginate(
        service.notices_of(current_user), page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
        error_out=False,
    )  # fmt: skip
    return render_template("notifications/index.html", page=page, form=ConfirmForm(), kinds=service.KINDS)


@bp.route("/<int:notice_id>", methods=["POST"])
@login_required
def open_notice(notice_id):
    """Mark the notice read and go where it points; someone else's notice is a 404."""
    notice = db.session.get(Notification, notice_id)
    if notice is None or notice.user_id != current_user.id or not ConfirmForm().validate_on_submit():
        abort(404)
    service.mark_read(current_user, notice_id)
    return redirect(notice.link or url_for(".index"))


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    if ConfirmForm().validate_on_submit():
        service.mark_read(current_user)
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".index"))


@bp.route("/email", methods=["GET", "POST"])
@login_required
def email_settings():
    form = email_settings_form(service.email_kinds_off(current_user))
    if form.validate_on_submit():
        service.set_email_kinds(current_user, chosen_kinds(form))
        flash(_("Your e-mail settings are saved."), "success")
        return redirect(url_for(".email_settings"))
    return render_template("notifications/email.html", form=form, kinds=service.KINDS)
