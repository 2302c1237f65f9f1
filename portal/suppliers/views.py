"""Supplier pages: the public directory, profiles and categories, and a firm's own listing pages."""

import threading
import weakref

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from portal import search, uploads
from portal.access import role_required
from portal.accounts.models import Role
from portal.acting import attempt
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.search.cards import cards_in_order
from portal.search.facts import LRU
from portal.shortlists.views import shortlist_picker
from portal.suppliers import directory, lifecycle, public_profile, responsiveness, service
from portal.suppliers import labs as lab_finder
from portal.suppliers.completeness import completeness, completeness_score
from portal.suppliers.decisions import NEXT_STEPS, standing_decisions
from portal.suppliers.forms import (
    CapabilityForm,
    CertificateForm,
    FirmProfileForm,
    InviteColleagueForm,
    LogoForm,
    PhotoForm,
)
from portal.suppliers.models import Capability, Certificate, Firm, FirmMember, FirmPhoto
from portal.suppliers.names import NameTaken
from portal.taxonomy import english_names
from portal.taxonomy.models import CertificationType, ComponentCategory

bp = Blueprint("suppliers", __name__)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "").replace(",", "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


# --- public pages --------------------------------------------------------------------------------


@bp.route("/suppliers/")
def directory_page():
    """Find verified firms by words, component, province, certification and capacity."""
    params, _problems = directory.search_params(request.args)  # a page ignores what it cannot use
    result = search.search(params)
    args = request.args.to_dict()
    return render_template(
        "suppliers/directory.html",
        params=params,
        result=result,
        results=_results(result, params, args),
        # Filters the query's own words name ("ISO 9001", "KPK", "chargers"), one click away.
        offered=_offered(result, args),
        as_typed_href=url_for("suppliers.directory_page", **{**args, "as_typed": "1", "page": 1}),
    )


# A results page's cards, filters and page links read the same for every reader of one language who
# keeps no shortlists, for one answer and query string: popular searches are rendered once for each
# change to the index (an answer lives as long as the index it came from; see search.service).
_rendered: "weakref.WeakKeyDictionary[search.SearchResult, LRU]" = weakref.WeakKeyDictionary()
RENDERINGS_PER_ANSWER = 4
_rendered_lock = threading.Lock()


def _results(result, params, args: dict) -> Markup:
    if shortlist_picker() is not None:  # a brand's own shortlists beside each firm
        return _render_results(result, params, args)
    key = (str(get_locale()), tuple(request.args.items(multi=True)))
    with _rendered_lock:
        # A few per answer: links keep whatever else the query string holds, so made-up
        # parameters must not grow it without end.
        kept = _rendered.setdefault(result, LRU(RENDERINGS_PER_ANSWER))
        html = kept.recall(key)
    if html is None:
        html = _render_results(result, params, args)
        with _rendered_lock:
            kept.put(key, html)
    return html


def _render_results(result, params, args: dict) -> Markup:
    by_id = {hit.firm_id: hit for hit in result.hits}
    base, labels = url_for("suppliers.directory_page"), english_names()
    return Markup(
        render_template(
            "suppliers/_results.html",
            params=params,
            result=result,
            firms=cards_in_order(list(by_id), result.cards),
            snippets={firm_id: Markup(hit.snippet) for firm_id, hit in by_id.items()},
            facets={
                name: directory.facet_links(base, args, name, result.facets.get(name, {}), labels.get(name, {}))
                for name in ("category", "province", "certification", "market")
            },
        )
    )


def _offered(result, args: dict) -> list:
    base, labels = url_for("suppliers.directory_page"), english_names() if result.offered else {}
    return [
        (name, link)
        for name, value in result.offered
        if (count := result.facets.get(name, {}).get(value))
        for link in directory.facet_links(base, args, name, {value: count}, labels.get(name, {}))
    ]


# What a profile shows of the firm itself comes with its row (photos, members and the answering figure are
# short, with nothing below them); its capabilities and certificates are read by `public_profile`.
PROFILE_READS = (joinedload(Firm.photos), joinedload(Firm.members), joinedload(Firm.responsiveness))


@bp.route("/suppliers/<int:firm_id>")
@bp.route("/suppliers/<int:firm_id>-<slug>")
def profile(firm_id, slug=None):
    """A firm's public profile; its own people and staff also see it before it is public.

    A duplicate merged into another record sends its visitors (and old links) to the kept one.
    """
    record = db.session.get(Firm, firm_id, options=PROFILE_READS)
    if record is not None and record.merged_into_id and not (current_user.is_authenticated and current_user.is_staff):
        return redirect(url_for("suppliers.profile", firm_id=record.merged_into_id), 301)
    firm = service.firm_for_viewer(firm_id, current_user)
    if slug != firm.slug:
        return redirect(url_for("suppliers.profile", firm_id=firm.id, slug=firm.slug), 301)
    capabilities, certificates = public_profile.verified_lines(firm.id)
    return render_template(
        "suppliers/profile.html",
        firm=firm,
        capabilities=capabilities,
        certificates=certificates,
        is_member=service.can_edit(firm, current_user),
        answers=responsiveness.in_words(responsiveness.days_in(firm.responsiveness)),
    )


@bp.route("/suppliers/<int:firm_id>/logo")
def logo(firm_id):
    """The firm's logo, for anyone who may see the listing."""
    firm = service.firm_for_viewer(firm_id, current_user)
    if not firm.logo_path:
        abort(404)
    return uploads.send_stored(firm.logo_path, "logo", _image_type(firm.logo_path), inline=True)


@bp.route("/suppliers/<int:firm_id>/photos/<int:photo_id>")
def photo(firm_id, photo_id):
    """A factory photo, for anyone who may see the listing."""
    firm = service.firm_for_viewer(firm_id, current_user)
    item = service.item_of(firm, FirmPhoto, photo_id)
    return uploads.send_stored(item.path, item.filename, item.mimetype, inline=True)


def _image_type(path: str) -> str:
    return "image/png" if path.endswith(".png") else "image/jpeg"


@bp.route("/categories/")
def categories():
    """Every component category with its HS code and number of verified firms."""
    summaries = [
        directory.category_summary(c)
        for c in db.session.scalars(
            db.select(ComponentCategory).order_by(ComponentCategory.phase, ComponentCategory.name)
        )
    ]
    return render_template("suppliers/categories.html", summaries=summaries)


@bp.route("/categories/<slug>")
def category(slug):
    """A bookmarkable page per component category: HS code, what it covers, firms, national capacity."""
    item = db.session.get(ComponentCategory, slug) or abort(404)
    page = directory.category_firms(item, page=_int_arg("page") or 1)
    return render_template(
        "suppliers/category.html",
        summary=directory.category_summary(item),
        page=page,
        firms=cards_in_order([firm.id for firm in page.items]),
    )


@bp.route("/labs/<slug>")
def labs(slug):
    """The laboratories listed in the portal that test for one certification, nearest first to
    `?near=` (a firm the visitor may see), or to the signed-in supplier's own firm."""
    certification = db.session.get(CertificationType, slug) or abort(404)
    near = _firm_to_measure_from(request.args.get("near", type=int))
    return render_template(
        "suppliers/labs.html",
        certification=certification,
        near=near,
        labs=lab_finder.labs_for([slug], near).get(slug, []),
    )


def _firm_to_measure_from(firm_id: int | None) -> Firm | None:
    if firm_id is not None:
        firm = db.session.get(Firm, firm_id)
        return firm if firm is not None and service.can_view(firm, current_user) else None
    if current_user.is_authenticated and current_user.has_role(Role.SUPPLIER):
        return next(iter(service.firms_of(current_user)), None)
    return None


# --- the firm's own pages ------------------------------------------------------------------------


@bp.route("/my-firm")
@role_required(Role.SUPPLIER)
def my_firm():
    """Take a supplier to their firm's page (or the list, if they belong to several)."""
    firms = service.firms_of(current_user)
    if len(firms) == 1:
        return redirect(url_for("suppliers.manage", firm_id=firms[0].id))
    return render_template("suppliers/my_firms.html", firms=firms)


@bp.route("/firms/<int:firm_id>/")
@login_required
def manage(firm_id):
    """The firm's workspace: state of the listing, what is missing, and every part to edit."""
    firm = service.firm_for_member(firm_id, current_user)
    checks = completeness(firm)
    return render_template(
        "suppliers/manage.html",
        firm=firm,
        checks=checks,
        score=completeness_score(checks),
        decisions=standing_decisions(firm),
        next_steps=NEXT_STEPS,
        problems=lifecycle.submission_problems(firm),
        can_submit="submit" in lifecycle.allowed_actions(firm),
        is_owner=service.can_manage_members(firm, current_user),
        confirm=ConfirmForm(),
        logo_form=LogoForm(),
        photo_form=PhotoForm(),
    )


def _locked(error: service.ListingLocked, firm):
    flash(str(error), "danger")
    return redirect(url_for("suppliers.manage", firm_id=firm.id))


def _delete_item(firm_id: int, model, item_id: int, remove, done: str, anchor: str):
    """The one way a firm's people delete a capability, certificate or photo (POST with CSRF)."""
    firm = service.firm_for_member(firm_id, current_user)
    item = service.item_of(firm, model, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            remove(item, current_user)
        except service.ListingLocked as error:
            return _locked(error, firm)
        flash(done, "success")
    return redirect(url_for("suppliers.manage", firm_id=firm.id, _anchor=anchor))


@bp.route("/firms/<int:firm_id>/profile", methods=["GET", "POST"])
@login_required
def edit_profile(firm_id):
    """Edit the firm's profile; a verified firm's identity changes wait for staff."""
    firm = service.firm_for_member(firm_id, current_user)
    form = FirmProfileForm(obj=firm)
    if request.method == "GET":
        form.export_markets.data = ", ".join(firm.export_markets or [])
    if form.validate_on_submit():
        try:
            outcome = service.update_profile(firm, form.profile_data(), current_user)
        except service.ListingLocked as error:
            return _locked(error, firm)
        except NameTaken as error:
            form[error.field].errors.append(error.message.translated())
            return render_template("suppliers/profile_form.html", firm=firm, form=form)
        if outcome["for_review"]:
            flash(
                _(
                    "Saved. Changes to %(fields)s wait for EDB review; the rest is live.",
                    fields=", ".join(f.replace("_", " ") for f in outcome["for_review"]),
                ),
                "info",
            )
        else:
            flash(_("Profile saved."), "success")
        return redirect(url_for("suppliers.manage", firm_id=firm.id))
    return render_template("suppliers/profile_form.html", firm=firm, form=form)


@bp.route("/firms/<int:firm_id>/capabilities/new", methods=["GET", "POST"])
@bp.route("/firms/<int:firm_id>/capabilities/<int:capability_id>/edit", methods=["GET", "POST"])
@login_required
def edit_capability(firm_id, capability_id=None):
    """Add or edit one component category the firm makes."""
    firm = service.firm_for_member(firm_id, current_user)
    capability = service.item_of(firm, Capability, capability_id) if capability_id else None
    form = CapabilityForm()
    if request.method == "GET" and capability is not None:
        facts = {**service.capability_facts(capability), **(capability.proposed or {})}
        form.process(
            data={
                **facts,
                "category": facts["category_slug"],
                "processes": facts["process_slugs"],
                "tests_for": facts.get("test_slugs", []),
            }
        )
    if form.validate_on_submit():
        try:
            if capability is None:
                service.add_capability(firm, form.capability_data(), current_user)
                flash(_("Capability added; EDB verifies it with the listing."), "success")
            elif service.update_capability(capability, form.capability_data(), current_user):
                flash(_("Saved. The change waits for EDB review; brands see the verified values until then."), "info")
            else:
                flash(_("Capability saved."), "success")
        except service.DuplicateCategory as error:
            form.category.errors.append(str(error))
        except service.ListingLocked as error:
            return _locked(error, firm)
        else:
            return redirect(url_for("suppliers.manage", firm_id=firm.id, _anchor="capabilities"))
    return render_template("suppliers/capability_form.html", firm=firm, form=form, capability=capability)


@bp.post("/firms/<int:firm_id>/capabilities/<int:capability_id>/delete")
@login_required
def delete_capability(firm_id, capability_id):
    """Remove a capability from the listing."""
    return _delete_item(
        firm_id, Capability, capability_id, service.delete_capability, _("Capability removed."), "capabilities"
    )


@bp.route("/firms/<int:firm_id>/certificates/new", methods=["GET", "POST"])
@bp.route("/firms/<int:firm_id>/certificates/<int:certificate_id>/edit", methods=["GET", "POST"])
@login_required
def edit_certificate(firm_id, certificate_id=None):
    """Add or edit a certificate with its evidence file; any change sends it back to review."""
    firm = service.firm_for_member(firm_id, current_user)
    certificate = service.item_of(firm, Certificate, certificate_id) if certificate_id else None
    form = CertificateForm(obj=certificate, evidence_required=certificate is None or not certificate.evidence_path)
    if request.method == "GET" and certificate is not None:
        form.type.data = certificate.type_slug
    if form.validate_on_submit():
        try:
            if certificate is None:
                service.add_certificate(firm, form.certificate_data(), form.evidence.upload, current_user)
            else:
                service.update_certificate(certificate, form.certificate_data(), form.evidence.upload, current_user)
        except service.ListingLocked as error:
            return _locked(error, firm)
        flash(_("Certificate saved. It counts once EDB staff have checked the evidence."), "success")
        return redirect(url_for("suppliers.manage", firm_id=firm.id, _anchor="certificates"))
    return render_template("suppliers/certificate_form.html", firm=firm, form=form, certificate=certificate)


@bp.post("/firms/<int:firm_id>/certificates/<int:certificate_id>/delete")
@login_required
def delete_certificate(firm_id, certificate_id):
    """Remove a certificate and its evidence file."""
    return _delete_item(
        firm_id, Certificate, certificate_id, service.delete_certificate, _("Certificate removed."), "certificates"
    )


@bp.route("/firms/<int:firm_id>/certificates/<int:certificate_id>/evidence")
@login_required
def evidence(firm_id, certificate_id):
    """The evidence file, only for the firm's people and EDB staff; always a download."""
    firm = service.firm_for_member(firm_id, current_user, staff_too=True)
    certificate = service.item_of(firm, Certificate, certificate_id)
    if not certificate.evidence_path:
        abort(404)
    return uploads.send_stored(certificate.evidence_path, certificate.evidence_filename, certificate.evidence_mimetype)


@bp.post("/firms/<int:firm_id>/logo")
@login_required
def upload_logo(firm_id):
    """Replace the firm's logo."""
    firm = service.firm_for_member(firm_id, current_user)
    form = LogoForm()
    if form.validate_on_submit():
        try:
            service.set_logo(firm, form.logo.upload, current_user)
        except service.ListingLocked as error:
            return _locked(error, firm)
        flash(_("Logo updated."), "success")
    else:
        flash(" ".join(form.logo.errors) or _("Choose a logo to upload."), "danger")
    return redirect(url_for("suppliers.manage", firm_id=firm.id, _anchor="media"))


@bp.post("/firms/<int:firm_id>/photos")
@login_required
def upload_photo(firm_id):
    """Add a factory or product photo."""
    firm = service.firm_for_member(firm_id, current_user)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            service.add_photo(firm, form.photo.upload, form.caption.data, current_user)
        except service.ListingLocked as error:
            return _locked(error, firm)
        flash(_("Photo added."), "success")
    else:
        flash(" ".join(form.photo.errors + form.caption.errors) or _("Choose a photo to upload."), "danger")
    return redirect(url_for("suppliers.manage", firm_id=firm.id, _anchor="media"))


@bp.post("/firms/<int:firm_id>/photos/<int:photo_id>/delete")
@login_required
def delete_photo(firm_id, photo_id):
    """Remove a photo."""
    return _delete_item(firm_id, FirmPhoto, photo_id, service.delete_photo, _("Photo removed."), "media")


@bp.post("/firms/<int:firm_id>/submit")
@login_required
def submit(firm_id):
    """Send the listing to EDB staff for review."""
    firm = service.firm_for_member(firm_id, current_user)
    if ConfirmForm().validate_on_submit():
        attempt(
            lambda: lifecycle.submit(firm, current_user),
            _("Submitted. EDB staff review new listings in the order they arrive."),
            lifecycle.TransitionRefused,
        )
    return redirect(url_for("suppliers.manage", firm_id=firm.id))


@bp.route("/firms/<int:firm_id>/colleagues", methods=["GET", "POST"])
@login_required
def colleagues(firm_id):
    """The firm's owners invite colleagues and remove them."""
    firm = service.firm_for_member(firm_id, current_user, owner=True)
    form = InviteColleagueForm()
    if form.validate_on_submit():
        try:
            service.invite_colleague(firm, form.email.data, form.role.data, current_user)
        except ValueError as error:
            form.email.errors.append(str(error))
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("suppliers.colleagues", firm_id=firm.id))
    return render_template("suppliers/colleagues.html", firm=firm, form=form, confirm=ConfirmForm())


@bp.post("/firms/<int:firm_id>/colleagues/<int:member_id>/remove")
@login_required
def remove_colleague(firm_id, member_id):
    """Take a colleague off the firm's account."""
    firm = service.firm_for_member(firm_id, current_user, owner=True)
    member = service.item_of(firm, FirmMember, member_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: service.remove_member(member, current_user), _("Colleague removed."), ValueError)
    return redirect(url_for("suppliers.colleagues", firm_id=firm.id))


@bp.route("/firms/join/<token>", methods=["GET", "POST"])
@login_required
def join_firm(token):
    """Accept an invitation to a firm's account (local-firm accounts only)."""
    invitation = service.invitation_for(token)
    if invitation is None:
        flash(_("This invitation is invalid, expired or already used. Ask for a new one."), "danger")
        return redirect(url_for("main.home"))
    if not service.invitation_is_for(invitation, current_user):
        flash(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.", email=invitation.email),
            "danger",
        )
        return redirect(url_for("main.home"))
    if current_user.role != Role.SUPPLIER:
        flash(
            _(
                "Only local-firm accounts can join a firm. Sign out and create a local-firm account with this invitation."
            ),
            "danger",
        )
        return redirect(url_for("main.home"))
    form = ConfirmForm()
    if form.validate_on_submit():
        service.accept_invitation(invitation, current_user)
        flash(_("You now help manage %(firm)s.", firm=invitation.firm.display_name), "success")
        return redirect(url_for("suppliers.manage", firm_id=invitation.firm_id))
    return render_template("suppliers/join.html", invitation=invitation, form=form)
