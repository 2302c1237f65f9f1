"""Sourcing need pages: a brand's needs, the form, and each need with its explained matches."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.access import role_required
from portal.accounts.models import Role
from portal.forms import ConfirmForm
from portal.needs import service
from portal.needs.forms import NeedForm
from portal.suppliers import service as suppliers

bp = Blueprint("needs", __name__, url_prefix="/needs")


@bp.route("/")
@role_required(Role.BRAND)
def index():
    """The brand's sourcing needs, newest first."""
    return render_template("needs/index.html", needs=service.needs_of(current_user))


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@role_required(Role.BRAND)
def edit(need_id=None):
    """Write or change a sourcing need (a draft until published)."""
    need = service.need_for(need_id, owner=True) if need_id else None
    form = NeedForm(obj=need)
    if request.method == "GET" and need is not None:
        form.category.data = need.category_slug
        form.certifications.data = [c.slug for c in need.required_certifications]
        form.processes.data = [p.slug for p in need.processes]
        form.visibility.data = need.visibility.value
    if form.validate_on_submit():
        try:
            if need is None:
                need = service.create_need(current_user, form.need_data())
            else:
                service.update_need(need, form.need_data(), current_user)
        except service.NeedRefused as error:
            flash(str(error), "danger")
        else:
            flash(_("Need saved."), "success")
            return redirect(url_for("needs.show", need_id=need.id))
    return render_template("needs/form.html", form=form, need=need)


@bp.route("/<int:need_id>")
@login_required
def show(need_id):
    """A need; its owner and staff also see the matching firms with their reasons."""
    need = service.need_for(need_id)
    ranked = service.matches_for(need) if (need.owner_id == current_user.id or current_user.is_staff) else None
    return render_template("needs/show.html", need=need, ranked=ranked, confirm=ConfirmForm())


@bp.post("/<int:need_id>/<any(publish, close, cancel):action>")
@role_required(Role.BRAND)
def act(need_id, action):
    """Publish, close or cancel one of the brand's needs."""
    need = service.need_for(need_id, owner=True)
    if ConfirmForm().validate_on_submit():
        try:
            service.transition(need, action, current_user)
        except service.NeedRefused as error:
            flash(str(error), "danger")
        else:
            flash(
                {
                    "publish": _("Published: matching firms can now see it."),
                    "close": _("Closed to new quotes."),
                    "cancel": _("Cancelled."),
                }[action],
                "success",
            )
    return redirect(url_for("needs.show", need_id=need.id))


@bp.route("/opportunities")
@role_required(Role.SUPPLIER)
def opportunities():
    """Open sourcing needs the supplier's firms qualify for, best first, with the reasons."""
    firms = suppliers.firms_of(current_user)
    return render_template(
        "needs/opportunities.html", found=[(firm, service.opportunities_for(firm)) for firm in firms]
    )
