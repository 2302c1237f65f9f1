"""Sourcing need pages: a brand's needs, the form, each need with its explained matches, its
attachments and invitations, and the supplier's opportunities. Quote pages are in `quote_views`."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import uploads
from portal.access import role_required, verified_email_required
from portal.accounts.models import Role
from portal.acting import attempt
from portal.extensions import db
from portal.forms import confirmed
from portal.needs import quotes, service
from portal.needs.forms import AttachmentForm, InviteForm, NeedActionForm, NeedForm
from portal.suppliers import labs as lab_finder
from portal.suppliers import service as suppliers
from portal.suppliers.models import Firm

bp = Blueprint("needs", __name__, url_prefix="/needs")

SHOWN_MATCHES = 50
IRREVERSIBLE = ("close", "cancel")  # asked first; publishing is not


@bp.route("/")
@role_required(Role.BRAND)
def index():
    """The brand's sourcing needs, newest first."""
    return render_template("needs/index.html", needs=service.needs_of(current_user), state=service.effective_status)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@role_required(Role.BRAND)
@verified_email_required
def edit(need_id=None):
    """Write or change a sourcing need (a draft until published)."""
    need = service.need_for(need_id, current_user, owner=True) if need_id else None
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
                service.update_need(need, form.need_data(), current_user, form.version.data)
        except service.NeedRefused as error:
            flash(str(error), "danger")
        else:
            flash(_("Need saved."), "success")
            return redirect(url_for("needs.show", need_id=need.id))
    return render_template("needs/form.html", form=form, need=need)


@bp.route("/<int:need_id>")
@login_required
def show(need_id):
    """A need. Its owner and staff also see the matching firms with their reasons, the invited firms
    and how many quotes arrived; a supplier sees its own firm's invitation and quote."""
    need = service.need_for(need_id, current_user)
    context = {
        "need": need,
        "state": service.effective_status(need),
        "accepting": service.is_accepting_quotes(need),
        "editable": service.is_editable(need),
        "acts": service.owner_acts(need),
        "attachment_form": AttachmentForm(formdata=None),
        "owner": service.owns(need, current_user),
    }
    if service.sees_responses(need, current_user):
        invited = service.invitations_of(need)
        context |= {
            "ranked": service.matches_for(need),
            "shown_matches": SHOWN_MATCHES,
            "invitations": invited,
            "invited_ids": {i.firm_id for i in invited},
            "quote_count": service.live_quote_count(need),
            "unsealed": service.quotes_unsealed(need),
        }
    else:
        firms = service.viewing_firms(need, current_user)
        context["own"] = [
            (firm, quotes.quote_of(need, firm), service.is_invited(need, firm), quotes.quote_refusal(need, firm))
            for firm in firms
        ]
    return render_template("needs/show.html", **context)


@bp.post("/<int:need_id>/<any(publish, close, cancel):action>")
@role_required(Role.BRAND)
@verified_email_required
def act(need_id, action):
    """Publish, close or cancel one of the brand's needs."""
    need = service.need_for(need_id, current_user, owner=True)
    form = NeedActionForm()
    if action in IRREVERSIBLE and not confirmed():
        return redirect(url_for("needs.show", need_id=need.id))
    if form.validate_on_submit():
        done = {
            "publish": _("Published: matching firms can now see it."),
            "close": _("Closed to new quotes: they can now be opened."),
            "cancel": _("Cancelled."),
        }[action]
        attempt(lambda: service.transition(need, action, current_user, form.version.data), done, service.NeedRefused)
    else:
        flash(_("Reload the page and try again."), "danger")
    return redirect(url_for("needs.show", need_id=need.id))


# --- attachments ---------------------------------------------------------------------------------


@bp.post("/<int:need_id>/attachments")
@role_required(Role.BRAND)
def add_attachment(need_id):
    """Attach a drawing or specification (PDF, PNG or JPEG, checked by content)."""
    need = service.need_for(need_id, current_user, owner=True)
    form = AttachmentForm()
    if form.validate_on_submit():
        attempt(
            lambda: service.add_attachment(need, form.file.upload, current_user),
            _("File attached."),
            service.NeedRefused,
        )
    else:
        flash(" ".join(form.file.errors) or _("Reload the page and try again."), "danger")
    return redirect(url_for("needs.show", need_id=need.id, _anchor="attachments"))


@bp.post("/<int:need_id>/attachments/<int:attachment_id>/delete")
@role_required(Role.BRAND)
def remove_attachment(need_id, attachment_id):
    need = service.need_for(need_id, current_user, owner=True)
    attachment = service.attachment_of(need, attachment_id)
    if NeedActionForm().validate_on_submit():
        attempt(
            lambda: service.remove_attachment(need, attachment, current_user), _("File removed."), service.NeedRefused
        )
    return redirect(url_for("needs.show", need_id=need.id, _anchor="attachments"))


@bp.route("/<int:need_id>/attachments/<int:attachment_id>")
@login_required
def attachment(need_id, attachment_id):
    """A need's attachment, for whoever may see the need, always as a download."""
    item = service.attachment_of(service.need_for(need_id, current_user), attachment_id)
    return uploads.send_stored(item.path, item.filename, item.mimetype)


# --- invitations ---------------------------------------------------------------------------------


@bp.route("/<int:need_id>/invite")
@role_required(Role.BRAND)
def invite_search(need_id):
    """Find a verified firm by name to invite."""
    need = service.need_for(need_id, current_user, owner=True)
    query = request.args.get("q", "")
    invited = {i.firm_id for i in service.invitations_of(need)}
    return render_template(
        "needs/invite.html",
        need=need,
        query=query,
        firms=service.invitable_firms(query),
        invited_ids=invited,
        editable=service.is_editable(need),
    )


@bp.post("/<int:need_id>/invitations")
@role_required(Role.BRAND)
def invite(need_id):
    """Invite a firm to quote (from the match list or a search by name)."""
    need = service.need_for(need_id, current_user, owner=True)
    form = InviteForm()
    if form.validate_on_submit():
        firm = db.session.get(Firm, form.firm_id.data) or abort(404)
        attempt(
            lambda: service.invite(need, firm, current_user),
            _("%(firm)s is invited to quote.", firm=firm.display_name),
            service.NeedRefused,
        )
    return redirect(url_for("needs.show", need_id=need.id, _anchor="invitations"))


# --- the supplier's side -------------------------------------------------------------------------


@bp.route("/opportunities")
@role_required(Role.SUPPLIER)
def opportunities():
    """Per firm: invitations to quote, open needs it qualifies for (best first), those it would
    qualify for with a certificate it lacks (with the laboratories that test for it), and its quotes."""
    found = []
    for firm in suppliers.firms_of(current_user):
        matched, near = service.open_needs_judged(firm)
        found.append((firm, service.invited_needs(firm), matched, near, quotes.quotes_of(firm)))
    labs = lab_finder.lab_counts({slug for *_, near, _ in found for _, miss in near for slug in miss.certifications})
    return render_template("needs/opportunities.html", found=found, labs=labs, state=service.effective_status)


from portal.needs import quote_views  # noqa: E402, F401  (its routes join bp)
