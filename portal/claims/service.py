"""The rules of claiming a firm: who may claim which firm, what counts as evidence, and the decision.

A firm that staff or an import created has no members. A supplier proves they run it with an
address on the firm's website domain (confirmed by a link sent there) or with a document; staff
then approve (the claimant becomes the owner) or reject. Each rule is one function here, used by
the pages and the review queue alike.
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from portal import audit, uploads
from portal.accounts.models import Role
from portal.claims.models import OPEN_STATUSES, ClaimMethod, ClaimStatus, FirmClaim
from portal.extensions import db
from portal.i18n import N_, Phrase, Refusal
from portal.mail import external_url, mail_is_on, portal_path, send_mail_to
from portal.notifications.service import notify
from portal.suppliers.decisions import NEXT_STEPS
from portal.suppliers.likeness import public_listings_like
from portal.suppliers.models import Firm, FirmMember, MemberRole
from portal.timeutil import as_utc, utcnow
from portal.transactions import check_version, one_act

CONFIRMATION_DAYS = 3
REFERENCE_DAYS = 7  # how long a "sign up to claim" link carries its listing


class ClaimRefused(Refusal):
    """The claim cannot be made or decided as things are; the message is for the person acting."""


class ClaimChanged(ClaimRefused):
    """Another reviewer decided the claim after the page was loaded."""

    def __init__(self):
        super().__init__(N_("Another reviewer decided this claim meanwhile; see its current state below."))


def is_unowned(firm: Firm) -> bool:
    return not firm.members


def website_domain(firm: Firm) -> str | None:
    """The firm's web domain without "www.", or None when it lists no usable website."""
    address = (firm.website or "").strip().lower()
    if not address:
        return None
    host = urlsplit(address if "//" in address else f"//{address}").hostname or ""
    host = host.removeprefix("www.")
    return host if "." in host else None


def email_fits_domain(email: str, domain: str | None) -> bool:
    """The address is on the domain itself or one of its subdomains (sales.example.pk)."""
    host = email.rpartition("@")[2].strip().lower()
    return bool(domain) and (host == domain or host.endswith("." + domain))


def open_claim(firm: Firm, user) -> FirmClaim | None:
    return db.session.scalar(
        select(FirmClaim).where(
            FirmClaim.firm_id == firm.id, FirmClaim.user_id == user.id, FirmClaim.status.in_(OPEN_STATUSES)
        )
    )


def refusal(firm: Firm, user) -> Phrase | None:
    """Why `user` may not claim `firm` now (read in the reader's language), or None when they may."""
    if not user.is_authenticated or user.role != Role.SUPPLIER:
        return Phrase("Only a local-firm account can claim a listing.")
    if not is_unowned(firm):
        return Phrase("This listing is already run by an account holder; ask them to invite you as a colleague.")
    if open_claim(firm, user) is not None:
        return Phrase("You have already claimed this listing; your claim is waiting.")
    return None


def _references() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="claim-listing")


def listing_reference(firm: Firm) -> str:
    """A signed reference to `firm` for a sign-up link: whoever edits it gets no listing at all."""
    return _references().dumps(firm.id)


def claimable_listing(reference: str | None) -> Firm | None:
    """The public, unowned listing a sign-up link names, or None for a missing, altered or old one."""
    if not reference:
        return None
    try:
        firm_id = _references().loads(reference, max_age=REFERENCE_DAYS * 86400)
    except BadData:
        return None
    firm = db.session.get(Firm, firm_id) if isinstance(firm_id, int) else None
    return firm if firm is not None and firm.is_public and is_unowned(firm) else None


NEW_LISTING = "new"  # the answer "mine is a different firm" to the question below


class SameFirm(Exception):
    """Public listings nobody runs match the firm named at sign-up: the person chooses first."""

    def __init__(self, listings: list[Firm]):
        super().__init__()
        self.listings = listings


def listing_named_at_sign_up(role: str, firm_name: str, city: str, choice: str | None) -> Firm | None:
    """The listing a new supplier account claims instead of starting a copy: the one the person
    picked (`choice`, a firm id) among public unowned listings of the same name and city. None when
    there is none or they said theirs is a different firm; `SameFirm` while they have not said."""
    if role != Role.SUPPLIER.value:
        return None
    alike = [firm for firm in public_listings_like(firm_name or "", city or "") if is_unowned(firm)]
    if not alike or choice == NEW_LISTING:
        return None
    chosen = next((firm for firm in alike if choice == str(firm.id)), None)
    if chosen is None:
        raise SameFirm(alike)
    return chosen


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_claim(firm: Firm, user, *, method: ClaimMethod, position: str, note: str, email=None, document=None):
    """Record a claim; an e-mail claim waits for its link (or, when the portal sends no e-mail, goes
    to staff with the address unconfirmed), a document claim goes to staff at once.

    `document` is (bytes, filename) for a document claim. Raises ClaimRefused with a message for
    the page; the uploaded file is removed again if the claim is not stored.
    """
    reason = refusal(firm, user)
    if reason:
        raise ClaimRefused(reason.message)
    claim = FirmClaim(firm=firm, user=user, method=method, position=position, note=note)
    stored = None
    token = None
    if method == ClaimMethod.EMAIL:
        email = (email or "").strip().lower()
        if not email_fits_domain(email, website_domain(firm)):
            raise ClaimRefused(N_("Use an address on the firm's website domain."))
        claim.email = email
        if mail_is_on():
            token = secrets.token_urlsafe(32)
            claim.email_token_hash, claim.status = _token_hash(token), ClaimStatus.AWAITING_EMAIL
        else:
            # No link can reach the address: staff review the claim at once and see the address
            # unconfirmed, to check with the firm off-line, instead of it waiting for ever.
            claim.status, claim.submitted_at = ClaimStatus.PENDING, utcnow()
    else:
        data, filename = document
        stored = uploads.store(data, filename)
        claim.document_path, claim.document_name, claim.document_mime = stored.path, stored.filename, stored.mimetype
        claim.status, claim.submitted_at = ClaimStatus.PENDING, utcnow()
    with one_act(ClaimChanged, stored.path if stored else None):
        db.session.add(claim)
        db.session.flush()
        if token:
            send_mail_to(
                claim.email,
                _l("Confirm your claim of %(firm)s", firm=firm.display_name),
                _l(
                    "%(name)s asked to run the listing of %(firm)s on the EDB Supplier Portal and gave this "
                    "address as proof. If that was you, confirm within %(days)d days:\n\n%(link)s\n\n"
                    "If it was not you, ignore this message.",
                    name=user.full_name,
                    firm=firm.display_name,
                    days=CONFIRMATION_DAYS,
                    link=external_url("claims.confirm_email", token=token),
                ),
                kind="claim",
            )
        audit.record("claim.started", claim, actor=user, after={"method": method, "email": claim.email})
    return claim


def claim_for_token(token: str) -> FirmClaim | None:
    """The claim a confirmation link belongs to, if it still waits for it and is recent enough."""
    claim = db.session.scalar(select(FirmClaim).where(FirmClaim.email_token_hash == _token_hash(token)))
    if claim is None or not claim.is_awaiting_email:
        return None
    return claim if utcnow() - as_utc(claim.created_at) <= timedelta(days=CONFIRMATION_DAYS) else None


def confirm_email(claim: FirmClaim) -> None:
    """Whoever holds the link reads that mailbox: that is the evidence, so no sign-in is asked."""
    with one_act(ClaimChanged):
        claim.email_confirmed_at = claim.submitted_at = utcnow()
        claim.status = ClaimStatus.PENDING
        audit.record("claim.email_confirmed", claim, after={"email": claim.email})


def withdraw(claim: FirmClaim, user) -> None:
    if claim.user_id != user.id or not claim.is_open:
        raise ClaimRefused(N_("This claim can no longer be withdrawn."))
    with one_act(ClaimChanged):
        claim.status = ClaimStatus.WITHDRAWN
        audit.record("claim.withdrawn", claim, actor=user)


def decide(claim: FirmClaim, by, *, approve: bool, reason: str, expected_version: int | None) -> None:
    """Approve (the claimant becomes the firm's owner) or reject (reason required).

    Approving closes every other open claim on the firm, since a firm has one first owner.
    """
    check_version(claim, expected_version, ClaimChanged)
    if not claim.is_awaiting_decision:
        raise ClaimRefused(N_("This claim is not waiting for a decision."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ClaimRefused(N_("Give a reason for the rejection; the claimant will read it."))
    firm = claim.firm
    if approve and not is_unowned(firm):
        raise ClaimRefused(N_("The listing has an owner already; reject this claim instead."))
    with one_act(ClaimChanged):
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        claim.reason, claim.decided_by, claim.decided_at = reason, by, utcnow()
        if approve:
            db.session.add(FirmMember(firm=firm, user=claim.user, role=MemberRole.OWNER))
            for other in db.session.scalars(
                select(FirmClaim).where(
                    FirmClaim.firm_id == firm.id, FirmClaim.id != claim.id, FirmClaim.status.in_(OPEN_STATUSES)
                )
            ):
                other.status, other.decided_by, other.decided_at = ClaimStatus.REJECTED, by, utcnow()
                other.reason = N_("Another claim on this listing was approved.")
                _tell_claimant(other)
        _tell_claimant(claim)
        audit.record(f"claim.{claim.status.value}", claim, actor=by, after={"status": claim.status}, note=reason)


def _tell_claimant(claim: FirmClaim) -> None:
    """A portal notice and an e-mail: approved (with the way to the listing), or the reason and what next."""
    firm = claim.firm
    if claim.is_approved:
        subject = _l("You now run the listing of %(firm)s", firm=firm.display_name)
        body = _l("EDB staff approved your claim. Complete the listing and keep it up to date.")
        link = portal_path("suppliers.manage", firm_id=firm.id)
    else:
        subject = _l("Your claim of %(firm)s was not approved", firm=firm.display_name)
        reason = claim.reason

        def body() -> str:
            return f"{_('Reason')}: {_(reason)}\n{_('What to do next')}: {_(NEXT_STEPS['claim.rejected'])}"

        link = portal_path("claims.mine")
    notify(claim.user, "claim_decision", f"claim:{claim.id}:{claim.status.value}", subject, body, link)


def claims_of(user) -> list[FirmClaim]:
    return list(
        db.session.scalars(select(FirmClaim).where(FirmClaim.user_id == user.id).order_by(FirmClaim.created_at.desc()))
    )


def claims_on(firm: Firm) -> list[FirmClaim]:
    return list(
        db.session.scalars(select(FirmClaim).where(FirmClaim.firm_id == firm.id).order_by(FirmClaim.created_at))
    )
