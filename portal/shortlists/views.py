"""Shortlist pages: a brand's lists, one list with its notes, adding a firm, inviting a list, the CSV."""

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import role_required
from portal.accounts.models import Role
from portal.extensions import db
from portal.forms import ConfirmForm, confirmed
from portal.mail import external_url
from portal.redirects import local_path
from portal.shortlists import service
from portal.shortlists.forms import AddFirmForm, InviteAllForm, NameForm, NoteForm
from portal.suppliers.models import Firm
from portal.validators import choices

bp = Blueprint("shortlists", __name__, url_prefix="/shortlists")


@bp.app_template_global("shortlist_picker")
def shortlist_picker() -> list | None:
    """The brand user's shortlists as (id, name) for the "Shortlist" form beside each firm, read once
    per request; None for every other role (they keep no shortlists)."""
    if not service.may_keep(current_user):
        return None
    if "shortlist_choices" not in g:
        g.shortlist_choices = [(s.id, s.name) for s in service.shortlists_of(current_user)]
    return g.shortlist_choices


def _refused(error: service.ShortlistRefused) -> None:
    flash(str(error), "danger")


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.BRAND)
def index():
    """The brand's shortlists, and a new one."""
    form = NameForm()
    if form.validate_on_submit():
        try:
            shortlist = service.create(current_user, form.name.data)
        except service.ShortlistRefused as error:
            _refused(error)
        else:
            return redirect(url_for(".show", shortlist_id=shortlist.id))
    return render_template("shortlists/index.html", shortlists=service.shortlists_of(current_user), form=form)


@bp.route("/<int:shortlist_id>")
@role_required(Role.BRAND)
def show(shortlist_id):
    """One shortlist: its firms with notes, and what can be done with the whole list."""
    shortlist = service.shortlist_for(shortlist_id, current_user)
    return _show_page(shortlist)


def _show_page(shortlist, name_form=None, invite_form=None, status=200):
    name_form = name_form or NameForm(formdata=None, name=shortlist.name)
    invite_form = invite_form or InviteAllForm(formdata=None)
    open_needs = service.invitable_needs(current_user)
    invite_form.need_id.choices = choices((need.id, need.title) for need in open_needs)
    page = render_template(
        "shortlists/show.html",
        shortlist=shortlist,
        name_form=name_form,
        invite_form=invite_form,
        open_needs=open_needs,
        note_form=NoteForm,
        form=ConfirmForm(),
    )
    return page, status


@bp.post("/add")
@role_required(Role.BRAND)
def add():
    """Put a firm on a shortlist (an existing one or a new one) from wherever the brand found it."""
    back = local_path(request.form.get("next"), url_for(".index"))
    form = AddFirmForm()
    if not form.validate_on_submit():
        flash(_("Choose a shortlist and try again."), "danger")
        return redirect(back)
    firm = db.session.get(Firm, form.firm_id.data)
    if firm is None or not firm.is_public:
        abort(404)
    try:
        shortlist, added = service.add_to_new_or_existing(
            current_user, firm, form.shortlist_id.data, form.new_name.data or ""
        )
    except service.ShortlistRefused as error:
        _refused(error)
    else:
        message = (
            _("%(firm)s is on your shortlist “%(name)s”.", firm=firm.display_name, name=shortlist.name)
            if added
            else _("%(firm)s was already on “%(name)s”.", firm=firm.display_name, name=shortlist.name)
        )
        flash(message, "success")
    return redirect(back)


@bp.post("/<int:shortlist_id>/rename")
@role_required(Role.BRAND)
def rename(shortlist_id):
    shortlist = service.shortlist_for(shortlist_id, current_user)
    form = NameForm()
    if not form.validate_on_submit():
        return _show_page(shortlist, name_form=form, status=422)
    try:
        service.rename(shortlist, form.name.data)
    except service.ShortlistRefused as error:
        _refused(error)
    else:
        flash(_("Shortlist renamed."), "success")
    return redirect(url_for(".show", shortlist_id=shortlist.id))


@bp.post("/<int:shortlist_id>/delete")
@role_required(Role.BRAND)
def delete(shortlist_id):
    """Delete the list and its notes (asks first); the firms on it never learn of it."""
    shortlist = service.shortlist_for(shortlist_id, current_user)
    if not (ConfirmForm().validate_on_submit() and confirmed()):
        return redirect(url_for(".show", shortlist_id=shortlist.id))
    service.delete(shortlist)
    flash(_("Shortlist deleted."), "success")
    return redirect(url_for(".index"))


def _entry(shortlist, firm_id):
    return service.entry_of(shortlist, firm_id) or abort(404)


@bp.post("/<int:shortlist_id>/firms/<int:firm_id>/note")
@role_required(Role.BRAND)
def note(shortlist_id, firm_id):
    shortlist = service.shortlist_for(shortlist_id, current_user)
    entry = _entry(shortlist, firm_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            service.set_note(entry, form.note.data or "")
        except service.ShortlistRefused as error:
            _refused(error)
        else:
            flash(_("Note saved."), "success")
    else:
        flash(" ".join(form.note.errors) or _("Reload the page and try again."), "danger")
    return redirect(url_for(".show", shortlist_id=shortlist.id, _anchor=f"firm-{firm_id}"))


@bp.post("/<int:shortlist_id>/firms/<int:firm_id>/remove")
@role_required(Role.BRAND)
def remove(shortlist_id, firm_id):
    shortlist = service.shortlist_for(shortlist_id, current_user)
    entry = _entry(shortlist, firm_id)
    if ConfirmForm().validate_on_submit():
        name = entry.firm.display_name
        service.remove(shortlist, entry)
        flash(_("%(firm)s is off the list.", firm=name), "success")
    return redirect(url_for(".show", shortlist_id=shortlist.id))


@bp.post("/<int:shortlist_id>/invite")
@role_required(Role.BRAND)
def invite(shortlist_id):
    """Invite every firm on the list to quote on one of the brand's needs."""
    shortlist = service.shortlist_for(shortlist_id, current_user)
    form = InviteAllForm()
    form.need_id.choices = choices((need.id, need.title) for need in service.invitable_needs(current_user))
    if not form.validate_on_submit():
        return _show_page(shortlist, invite_form=form, status=422)
    need = next((n for n in service.invitable_needs(current_user) if n.id == form.need_id.data), None)
    if need is None:
        form.need_id.errors.append(_("Choose one of your needs that still takes quotes."))
        return _show_page(shortlist, invite_form=form, status=422)
    invited, skipped = service.invite_all(shortlist, need, current_user)
    flash(
        _("%(n)s firms invited to quote on “%(need)s”.", n=len(invited), need=need.title),
        "success" if invited else "info",
    )
    for firm, why in skipped:
        flash(f"{firm.display_name}: {why}", "info")
    return redirect(url_for("needs.show", need_id=need.id, _anchor="invitations"))


@bp.route("/<int:shortlist_id>.csv")
@role_required(Role.BRAND)
def export(shortlist_id):
    """The list as CSV, safe to open in a spreadsheet."""
    shortlist = service.shortlist_for(shortlist_id, current_user)
    text = service.csv_text(shortlist, lambda firm: external_url("suppliers.profile", firm_id=firm.id, slug=firm.slug))
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="shortlist-{shortlist.id}.csv"'},
    )
