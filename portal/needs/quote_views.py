"""Quote pages: a firm sends, revises and withdraws its sealed quote; once the need has closed the
brand compares the quotes side by side and awards one or more. Rules live in `quotes.py`."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import uploads
from portal.access import role_required, verified_email_required
from portal.accounts.models import Role
from portal.acting import attempt
from portal.extensions import db
from portal.forms import ConfirmForm, confirmed
from portal.needs import quotes, service
from portal.needs.forms import AwardForm, NeedActionForm, QuoteForm
from portal.needs.models import Quote
from portal.needs.views import bp
from portal.timeutil import today
from portal.validators import choices


def _quoting_firm(need):
    """The user's firm acting on the need (`?firm=` when they belong to several); 404 when none of
    their firms sees it."""
    wanted = request.args.get("firm", type=int)
    firm = next((f for f in service.viewing_firms(need, current_user) if wanted in (None, f.id)), None)
    if firm is None:
        abort(404)
    return firm


def _back(need, firm):
    return redirect(url_for("needs.quote", need_id=need.id, firm=firm.id))


@bp.route("/<int:need_id>/quote", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
@verified_email_required
def quote(need_id):
    """Send the firm's sealed quote, or revise it, until the deadline."""
    need = service.need_for(need_id, current_user)
    firm = _quoting_firm(need)
    existing = quotes.quote_of(need, firm)
    refusal = quotes.quote_refusal(need, firm)
    # Filled from the quote only for display: a posted form without a version is a first quote.
    form = QuoteForm(need, obj=existing if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = existing.version if existing else None
        if existing is None:
            form.currency.data = need.currency
            form.valid_until.data = need.deadline
    if refusal is None and form.validate_on_submit():
        data, upload = form.quote_data(), form.attachment.upload
        try:
            if form.version.data is None:
                quotes.send_quote(need, firm, data, upload, current_user)
            elif existing is None:
                abort(404)
            else:
                quotes.revise_quote(existing, data, upload, current_user, form.version.data)
        except service.NeedRefused as error:
            flash(str(error), "danger")
            if existing is not None:
                return _back(need, firm)
        else:
            flash(_("Quote revised.") if existing else _("Quote sent. It stays sealed until the deadline."), "success")
            return redirect(url_for("needs.show", need_id=need.id))
    elif refusal is not None and request.method == "POST":
        flash(str(refusal), "danger")
    return render_template(
        "needs/quote.html",
        need=need,
        firm=firm,
        quote=existing,
        form=form,
        refusal=refusal,
    )


@bp.post("/<int:need_id>/quote/withdraw")
@role_required(Role.SUPPLIER)
def withdraw(need_id):
    """Withdraw the firm's quote (it can be sent again until the deadline)."""
    need = service.need_for(need_id, current_user)
    firm = _quoting_firm(need)
    existing = quotes.quote_of(need, firm) or abort(404)
    form = NeedActionForm()
    if form.validate_on_submit():
        attempt(
            lambda: quotes.withdraw_quote(existing, current_user, form.version.data),
            _("Quote withdrawn."),
            service.NeedRefused,
        )
    return _back(need, firm)


@bp.post("/<int:need_id>/invitation/decline")
@role_required(Role.SUPPLIER)
def decline_invitation(need_id):
    """The firm answers its invitation: it will not quote (the brand is not kept waiting)."""
    need = service.need_for(need_id, current_user)
    firm = _quoting_firm(need)
    if ConfirmForm().validate_on_submit():
        attempt(
            lambda: service.decline_invitation(need, firm, current_user),
            _("Noted: %(firm)s will not quote on this need.", firm=firm.display_name),
            service.NeedRefused,
        )
    return redirect(url_for("needs.opportunities"))


@bp.post("/<int:need_id>/quote/attachments/<int:attachment_id>/delete")
@role_required(Role.SUPPLIER)
def remove_quote_attachment(need_id, attachment_id):
    need = service.need_for(need_id, current_user)
    firm = _quoting_firm(need)
    existing = quotes.quote_of(need, firm) or abort(404)
    attachment = quotes.quote_attachment(existing, attachment_id) or abort(404)
    if NeedActionForm().validate_on_submit():
        attempt(
            lambda: quotes.remove_quote_attachment(existing, attachment, current_user),
            _("File removed."),
            service.NeedRefused,
        )
    return _back(need, firm)


@bp.route("/<int:need_id>/quotes/<int:quote_id>/attachments/<int:attachment_id>")
@login_required
def quote_attachment(need_id, quote_id, attachment_id):
    """A file sent with a quote: for its firm, and for the brand and staff once quotes are unsealed."""
    item = db.session.get(Quote, quote_id)
    if item is None or item.need_id != need_id or not quotes.can_read_quote(item, current_user):
        abort(404)
    attachment = quotes.quote_attachment(item, attachment_id) or abort(404)
    return uploads.send_stored(attachment.path, attachment.filename, attachment.mimetype)


@bp.route("/<int:need_id>/quotes")
@login_required
def compare(need_id):
    """The quotes side by side, sortable by price or lead time, once the need has closed."""
    need = service.need_for(need_id, current_user)
    if not service.sees_responses(need, current_user):
        abort(404)
    if not service.quotes_unsealed(need):
        flash(_("Quotes stay sealed until the need closes."), "info")
        return redirect(url_for("needs.show", need_id=need.id))
    sort = request.args.get("sort", "price")
    sort = sort if sort in quotes.SORTS else "price"
    rows = quotes.comparison(need, sort)
    form = AwardForm(formdata=None, version=need.version)
    form.quotes.choices = choices((row.quote.id, row.firm_name) for row in rows)
    return render_template(
        "needs/compare.html",
        need=need,
        rows=rows,
        sort=sort,
        form=form,
        state=service.effective_status(need),
        can_award=service.can_award(need, current_user),
        today=today(),
    )


@bp.post("/<int:need_id>/award")
@role_required(Role.BRAND)
def award(need_id):
    """Award one or more quotes: the need is awarded and every quoting firm hears its outcome."""
    need = service.need_for(need_id, current_user, owner=True)
    form = AwardForm()
    if not confirmed():
        return redirect(url_for("needs.compare", need_id=need.id))
    if form.validate_on_submit():
        try:
            awarded = quotes.award(need, form.quotes.data, current_user, form.version.data)
        except service.NeedRefused as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "Awarded to %(firms)s. Every quoting firm is told its outcome.",
                    firms=", ".join(q.firm.display_name for q in awarded),
                ),
                "success",
            )
            return redirect(url_for("needs.show", need_id=need.id))
    else:
        flash(_("Reload the page and try again."), "danger")
    return redirect(url_for("needs.compare", need_id=need.id))
