"""Operations on a firm's listing that pages, the API, the CLI and imports share.

Each function is one act inside `transactions.one_act`: its rows and audit entry are saved
together or not at all. A listing saved by someone else meanwhile is left to the error handler's
409 page ("changed meanwhile"), so these acts name no conflict of their own.
"""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import audit, uploads
from portal.denials import NotFound
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.mail import external_url, send_mail_to
from portal.suppliers.models import (
    IDENTITY_FIELDS,
    Capability,
    Certificate,
    Firm,
    FirmInvitation,
    FirmMember,
    FirmPhoto,
    ListingStatus,
    MemberRole,
    ReviewStatus,
    slugify,
)
from portal.suppliers.names import refuse_taken_names
from portal.taxonomy.models import CertificationType, Process
from portal.timeutil import as_utc, utcnow
from portal.transactions import one_act

CAPABILITY_FIELDS = (
    "monthly_capacity",
    "capacity_unit",
    "board_area_mm2",
    "employees",
    "min_order_quantity",
    "lead_time_days",
    "equipment",
    "materials",
    "notes",
    "is_main_line",
)
CERTIFICATE_FIELDS = ("type_slug", "number", "issuing_body", "issue_date", "expiry_date", "scope")


class ListingLocked(Refusal):
    """The listing cannot be changed in its present state (for example, rejected)."""


# --- who may do what -----------------------------------------------------------------------------


def membership(firm: Firm, user) -> FirmMember | None:
    if user is None or not user.is_authenticated:
        return None
    return next((m for m in firm.members if m.user_id == user.id), None)


def can_edit(firm: Firm, user) -> bool:
    return membership(firm, user) is not None


def can_manage_members(firm: Firm, user) -> bool:
    member = membership(firm, user)
    return member is not None and member.role == MemberRole.OWNER


def can_view(firm: Firm, user) -> bool:
    """Public listings are for everyone; the rest only for the firm's people and staff."""
    return firm.is_public or can_edit(firm, user) or (user is not None and user.is_authenticated and user.is_staff)


def firm_for_member(firm_id: int, user, *, owner: bool = False, staff_too: bool = False) -> Firm:
    """The firm if `user` belongs to it (as owner when asked, or is staff when allowed); `NotFound`
    otherwise, so another firm's ids reveal nothing."""
    firm = db.session.get(Firm, firm_id)
    if firm is None:
        raise NotFound()
    allowed = can_manage_members(firm, user) if owner else can_edit(firm, user)
    if not (allowed or (staff_too and user.is_authenticated and user.is_staff)):
        raise NotFound()
    return firm


def firm_for_viewer(firm_id: int, user) -> Firm:
    """The firm if `user` may see its listing (`can_view`); `NotFound` otherwise."""
    firm = db.session.get(Firm, firm_id)
    if firm is None or not can_view(firm, user):
        raise NotFound()
    return firm


def item_of(firm: Firm, model, item_id: int):
    """A capability, certificate or photo of this firm; `NotFound` for another firm's id."""
    item = db.session.get(model, item_id)
    if item is None or item.firm_id != firm.id:
        raise NotFound()
    return item


def firms_of(user) -> list[Firm]:
    query = select(Firm).join(FirmMember).where(FirmMember.user_id == user.id).order_by(Firm.id)
    return list(db.session.scalars(query))


def ensure_editable(firm: Firm) -> None:
    if firm.status == ListingStatus.REJECTED:
        raise ListingLocked(N_("This listing was rejected and can no longer be changed; contact EDB staff."))


# --- creating and editing ------------------------------------------------------------------------


def create_firm(*, legal_name: str, city: str, province: str, owner=None, by=None, **fields) -> Firm:
    """Start a draft listing; the signing-up user, if any, becomes its owner (`by` is who acted,
    when that is not the owner)."""
    firm = Firm(legal_name=legal_name.strip(), city=city.strip(), province=province, slug=slugify(legal_name), **fields)
    db.session.add(firm)
    if owner is not None:
        db.session.add(FirmMember(firm=firm, user=owner, role=MemberRole.OWNER))
    db.session.flush()
    audit.record(
        "firm.created",
        firm,
        actor=by or owner,
        after=audit.snapshot(firm, ("legal_name", "city", "province")),
        firm_id=firm.id,
    )
    return firm


def add_unowned_listing(data: dict, by) -> Firm:
    """Staff list a firm nobody runs on the portal yet; it waits in the queue for a second
    reviewer's check like any submitted listing, and its people can claim it once public."""
    with one_act():
        firm = create_firm(by=by, **data)
        firm.status, firm.submitted_at = ListingStatus.SUBMITTED, utcnow()
        audit.record("firm.submitted", firm, actor=by, after={"status": firm.status}, firm_id=firm.id)
    return firm


def update_profile(firm: Firm, data: dict, by) -> dict:
    """Apply the profile form; returns {"applied": [...], "for_review": [...]} field names.

    A verified listing takes low-risk edits at once; identity changes (its names among them) wait
    for staff. A name another public firm reads as is refused (`names.NameTaken`).
    """
    ensure_editable(firm)
    changed = {name: value for name, value in data.items() if getattr(firm, name) != value}
    refuse_taken_names(changed, other_than=firm.id)
    held = {}
    if firm.is_verified:
        held = {name: value for name, value in changed.items() if name in IDENTITY_FIELDS}
    applied = {name: value for name, value in changed.items() if name not in held}
    before = audit.snapshot(firm, applied)
    with one_act():
        if held:
            firm.proposed = {**(firm.proposed or {}), **held}
        for name, value in applied.items():
            setattr(firm, name, value)
        if "legal_name" in applied:
            firm.slug = slugify(firm.legal_name)
        if changed:
            audit.record(
                "firm.profile_updated",
                firm,
                actor=by,
                before=before,
                after={**applied, **{f"proposed.{k}": v for k, v in held.items()}},
                firm_id=firm.id,
            )
    return {"applied": sorted(applied), "for_review": sorted(held)}


def _by_slug(model, slugs) -> list:
    """The taxonomy rows (processes, certifications) with these slugs, by name."""
    return list(db.session.scalars(select(model).where(model.slug.in_(slugs)).order_by(model.name))) if slugs else []


def capability_facts(capability: Capability) -> dict:
    return {
        "category_slug": capability.category_slug,
        "process_slugs": sorted(p.slug for p in capability.processes),
        "test_slugs": sorted(t.slug for t in capability.tests_for),
        **{name: getattr(capability, name) for name in CAPABILITY_FIELDS},
    }


def apply_capability(capability: Capability, data: dict) -> None:
    capability.category_slug = data["category_slug"]
    capability.processes = _by_slug(Process, data.get("process_slugs") or [])
    capability.tests_for = _by_slug(CertificationType, data.get("test_slugs") or [])
    for name in CAPABILITY_FIELDS:
        setattr(capability, name, data.get(name))


class DuplicateCategory(Refusal):
    """The firm already lists the category: its capability is edited, not added twice."""


def _check_category_free(firm: Firm, category_slug: str, except_id: int | None = None) -> None:
    if any(c.category_slug == category_slug and c.id != except_id for c in firm.capabilities):
        raise DuplicateCategory(N_("The firm already lists this category; edit that capability instead."))


def add_capability(firm: Firm, data: dict, by) -> Capability:
    ensure_editable(firm)
    _check_category_free(firm, data["category_slug"])
    with one_act():
        capability = Capability(firm=firm, review_status=ReviewStatus.PENDING)
        db.session.add(capability)
        apply_capability(capability, data)
        db.session.flush()
        audit.record("capability.added", capability, actor=by, after=data)
    return capability


def update_capability(capability: Capability, data: dict, by) -> bool:
    """Edit a capability; returns True when the edit waits for review (the capability was verified)."""
    firm = capability.firm
    ensure_editable(firm)
    _check_category_free(firm, data["category_slug"], except_id=capability.id)
    before = capability_facts(capability)
    if before == data:
        return False
    held = capability.is_verified and firm.status == ListingStatus.VERIFIED
    with one_act():
        if held:
            capability.proposed = data
        else:
            apply_capability(capability, data)
            capability.review_status, capability.review_note = ReviewStatus.PENDING, ""
        audit.record(
            "capability.updated",
            capability,
            actor=by,
            before=before,
            after=data,
            note="held for review" if held else "",
        )
    return held


def delete_capability(capability: Capability, by) -> None:
    ensure_editable(capability.firm)
    with one_act():
        audit.record("capability.deleted", capability, actor=by, before=capability_facts(capability))
        db.session.delete(capability)


def add_certificate(firm: Firm, data: dict, evidence: tuple[bytes, str] | None, by) -> Certificate:
    ensure_editable(firm)
    certificate = Certificate(firm=firm, review_status=ReviewStatus.PENDING, **data)
    stored = _store_evidence(certificate, evidence)
    with one_act(stored_path=stored):
        db.session.add(certificate)
        db.session.flush()
        audit.record(
            "certificate.added", certificate, actor=by, after={**data, "evidence": certificate.evidence_filename}
        )
    return certificate


def update_certificate(certificate: Certificate, data: dict, evidence: tuple[bytes, str] | None, by) -> None:
    """Any change sends the certificate back to review: it counts again once staff verify it."""
    ensure_editable(certificate.firm)
    before = {**audit.snapshot(certificate, CERTIFICATE_FIELDS), "evidence": certificate.evidence_filename}
    old_evidence = certificate.evidence_path
    for name, value in data.items():
        setattr(certificate, name, value)
    stored = _store_evidence(certificate, evidence)
    after = {**audit.snapshot(certificate, CERTIFICATE_FIELDS), "evidence": certificate.evidence_filename}
    if before == after and not stored:
        return
    certificate.review_status, certificate.review_note = ReviewStatus.PENDING, ""
    certificate.verified_at = None
    with one_act(stored_path=stored):
        audit.record("certificate.updated", certificate, actor=by, before=before, after=after)
    if stored and old_evidence:
        uploads.discard(old_evidence)


def _store_evidence(certificate: Certificate, evidence) -> str | None:
    if not evidence:
        return None
    stored = uploads.store(*evidence, kinds=uploads.DOCUMENT_KINDS)
    certificate.evidence_path, certificate.evidence_filename, certificate.evidence_mimetype = (
        stored.path,
        stored.filename,
        stored.mimetype,
    )
    return stored.path


def delete_certificate(certificate: Certificate, by) -> None:
    ensure_editable(certificate.firm)
    path = certificate.evidence_path
    with one_act():
        audit.record(
            "certificate.deleted", certificate, actor=by, before=audit.snapshot(certificate, CERTIFICATE_FIELDS)
        )
        db.session.delete(certificate)
    uploads.discard(path)


def add_photo(firm: Firm, upload: tuple[bytes, str], caption: str, by) -> FirmPhoto:
    ensure_editable(firm)
    stored = uploads.store(*upload, kinds=uploads.IMAGE_KINDS, max_bytes=5 * uploads.MB)
    photo = FirmPhoto(firm=firm, path=stored.path, filename=stored.filename, mimetype=stored.mimetype, caption=caption)
    with one_act(stored_path=stored.path):
        db.session.add(photo)
        db.session.flush()
        audit.record("photo.added", photo, actor=by, after={"filename": stored.filename, "caption": caption})
    return photo


def delete_photo(photo: FirmPhoto, by) -> None:
    ensure_editable(photo.firm)
    path = photo.path
    with one_act():
        audit.record("photo.deleted", photo, actor=by, before={"filename": photo.filename, "caption": photo.caption})
        db.session.delete(photo)
    uploads.discard(path)


def set_logo(firm: Firm, upload: tuple[bytes, str], by) -> None:
    ensure_editable(firm)
    stored = uploads.store(*upload, kinds=uploads.IMAGE_KINDS, max_bytes=2 * uploads.MB)
    old = firm.logo_path
    with one_act(stored_path=stored.path):
        firm.logo_path = stored.path
        audit.record("firm.logo_changed", firm, actor=by, firm_id=firm.id)
    uploads.discard(old)


# --- colleagues ----------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_colleague(firm: Firm, email: str, role: MemberRole, by) -> FirmInvitation:
    email = email.strip().lower()
    if any(m.user.email == email for m in firm.members):
        raise Refusal(N_("This person already belongs to the firm's account."))
    token = secrets.token_urlsafe(32)
    with one_act():
        invitation = FirmInvitation(
            firm=firm, email=email, role=MemberRole(role), token_hash=_token_hash(token), invited_by_id=by.id
        )
        db.session.add(invitation)
        db.session.flush()
        link = external_url("suppliers.join_firm", token=token)
        send_mail_to(
            email,
            _l("Join %(firm)s on the EDB Supplier Portal", firm=firm.display_name),
            _l(
                "%(name)s invites you to help manage the listing of %(firm)s on the EDB Supplier Portal.\n\n"
                "Accept the invitation here (sign in or create a local-firm account first):\n\n%(link)s\n",
                name=by.full_name,
                firm=firm.display_name,
                link=link,
            ),
            kind="firm_invitation",
        )
        audit.record(
            "firm.colleague_invited",
            invitation,
            actor=by,
            after={"email": email, "role": invitation.role},
            firm_id=firm.id,
        )
    return invitation


INVITATION_DAYS = 14


def invitation_for(token: str) -> FirmInvitation | None:
    """An open invitation: not used yet and not older than INVITATION_DAYS."""
    invitation = db.session.scalar(select(FirmInvitation).where(FirmInvitation.token_hash == _token_hash(token)))
    if invitation is None or invitation.accepted_at is not None:
        return None
    return invitation if utcnow() - as_utc(invitation.created_at) <= timedelta(days=INVITATION_DAYS) else None


def invitation_is_for(invitation: FirmInvitation, user) -> bool:
    """Only the invited address may use the link, so a forwarded link lets nobody else in."""
    return user.email.lower() == invitation.email.lower()


def accept_invitation(invitation: FirmInvitation, user) -> FirmMember:
    firm = invitation.firm
    with one_act():
        member = membership(firm, user)
        if member is None:
            member = FirmMember(firm=firm, user=user, role=invitation.role)
            db.session.add(member)
        invitation.accepted_at = utcnow()
        db.session.flush()
        audit.record(
            "firm.colleague_joined",
            member,
            actor=user,
            after={"email": user.email, "role": member.role},
            firm_id=firm.id,
        )
    return member


def remove_member(member: FirmMember, by) -> None:
    firm = member.firm
    owners = [m for m in firm.members if m.role == MemberRole.OWNER]
    if member.role == MemberRole.OWNER and len(owners) == 1:
        raise Refusal(N_("A firm needs at least one owner; make someone else owner first."))
    with one_act():
        audit.record(
            "firm.colleague_removed",
            member,
            actor=by,
            before={"email": member.user.email, "role": member.role},
            firm_id=firm.id,
        )
        db.session.delete(member)
