"""Confirming the address an account signed up with.

A new account may look around at once, but acts that reach other people (posting needs, quoting,
asking for introductions, expressing investment interest, claiming a listing) wait until its
person opens the link sent to the address: `needs_verification` is that one rule, used by the
pages' decorator (`access.verified_email_required`) and the API's operations alike. Sign-up
answers the same whether or not the address has an account; the owner of a taken address is
told someone tried (`tell_owner_of_attempt`) instead.
"""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from portal import logs
from portal.accounts import address_review
from portal.accounts.models import Role, User
from portal.extensions import db
from portal.i18n import N_
from portal.mail import OutgoingEmail, external_url, mail_is_on, send_mail_to
from portal.timeutil import utcnow
from portal.transactions import one_act

KIND = "email_verification"
ATTEMPT_KIND = "sign_up_attempt"
UNVERIFIED = N_(
    "Your e-mail address is not confirmed yet, so you cannot post needs, quote, ask for introductions, "
    "express investment interest or claim a listing."
)
LINK_SENT = N_("We sent a link to %(email)s: open it to confirm the address, or have it sent again.")
STAFF_CONFIRM = N_(
    "This portal does not send e-mail: EDB staff confirm new addresses, usually within %(days)s working days, "
    "and you will see it here."
)
LINK_FAILED = N_(
    "The link we sent to %(email)s could not be delivered: EDB staff confirm the address instead, usually "
    "within %(days)s working days, and you will see it here."
)
ESTIMATED = N_("(An estimate: too few addresses have been confirmed yet to measure it.)")
DECLINED = N_("EDB staff could not confirm %(email)s: %(reason)s")
MEANWHILE = {
    Role.SUPPLIER: N_("Meanwhile you can complete your firm's listing and send it for verification."),
    Role.BRAND: N_("Meanwhile you can search suppliers, compare them and keep shortlists."),
    Role.INVESTOR: N_("Meanwhile you can browse published investment opportunities and set up your investor profile."),
}

log = logging.getLogger(__name__)


def needs_verification(user) -> bool:
    """Whether `user` must confirm their address before acting towards other people."""
    return user is not None and user.is_authenticated and not user.has_verified_email


def standing(user) -> str:
    """What an unconfirmed person reads wherever an act waits (the refusal, the banner, the account
    page, the API): why, what happens now (a link, or EDB staff and how long they take, or their
    reason for declining), and what they can already do meanwhile."""
    parts = [_(UNVERIFIED)]
    if user.email_declined_at is not None:
        parts += [_(DECLINED, email=user.email, reason=user.email_decline_reason), _(address_review.DECLINED_NEXT)]
    elif mail_is_on() and not address_review.link_failed(user):
        parts.append(_(LINK_SENT, email=user.email))
    else:
        days, measured = address_review.usual_wait()
        parts.append(_(LINK_FAILED if mail_is_on() else STAFF_CONFIRM, email=user.email, days=days))
        if not measured:
            parts.append(_(ESTIMATED))
    if user.role in MEANWHILE:
        parts.append(_(MEANWHILE[user.role]))
    return " ".join(parts)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="email-verification")


def make_token(user: User) -> str:
    # Bound to the address: a link sent to an earlier address confirms nothing.
    return _serializer().dumps({"uid": user.id, "email": user.email})


def _recent_mails(user: User, kind: str) -> int:
    since = utcnow() - timedelta(hours=1)
    query = select(func.count(OutgoingEmail.id)).where(
        OutgoingEmail.recipient == user.email, OutgoingEmail.kind == kind, OutgoingEmail.created_at >= since
    )
    return db.session.scalar(query) or 0


class TooManyLinks(ValueError):
    """The account was sent as many links as an hour allows."""


def send_link(user: User) -> None:
    """Queue the link that confirms `user`'s address (at most a few an hour, so nobody is flooded)."""
    if _recent_mails(user, KIND) >= current_app.config["EMAIL_VERIFICATION_MAX_PER_HOUR"]:
        logs.event("email_verification.throttled", logging.WARNING, user_id=user.id)
        raise TooManyLinks(N_("We sent you several links within the hour; use the newest, or try again later."))
    link = external_url("accounts.verify_email", token=make_token(user))
    days = current_app.config["EMAIL_VERIFICATION_MAX_AGE"] // 86400
    send_mail_to(
        user,
        _l("Confirm your e-mail address for the EDB Supplier Portal"),
        lambda: str(
            _l(
                "Hello %(name)s,\n\nTo confirm that this address is yours, open:\n\n%(link)s\n\n"
                "The link works for %(days)d days. Until you open it you can look around the portal, but not "
                "post needs, quote, ask for introductions, express investment interest or claim a listing.\n\n"
                "If you did not sign up, ignore this message.\n",
                name=user.full_name,
                link=link,
                days=days,
            )
        ),
        kind=KIND,
    )
    if current_app.config.get("PORTAL_ENV") == "development" and not mail_is_on():
        # No mail leaves a development portal: the developer opens the link from the log. (A field,
        # since log messages mask token paths; production never logs it.)
        logs.event("email_verification.development_link", user_id=user.id, link=link)


def tell_owner_of_attempt(user: User) -> None:
    """Someone signed up with an address that has an account: its owner is told, not the visitor."""
    if _recent_mails(user, ATTEMPT_KIND) >= current_app.config["EMAIL_VERIFICATION_MAX_PER_HOUR"]:
        return
    send_mail_to(
        user,
        _l("Someone tried to sign up with your address"),
        lambda: str(
            _l(
                "Hello %(name)s,\n\nSomeone tried to create an EDB Supplier Portal account with this address, "
                "which already has one. No new account was made.\n\nIf it was you, sign in instead; if you "
                "forgot your password, reset it here:\n\n%(link)s\n\nIf it was not you, you need do nothing.\n",
                name=user.full_name,
                link=external_url("accounts.forgot_password"),
            )
        ),
        kind=ATTEMPT_KIND,
    )


def user_for_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["EMAIL_VERIFICATION_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or not user.is_active or user.email != data.get("email"):
        return None
    return user


def confirm(token: str) -> User | None:
    """Mark the address confirmed; None for a link that is damaged, expired or for another address.
    A link opened again changes nothing."""
    user = user_for_token(token)
    if user is None or user.has_verified_email:
        return user
    with one_act():
        user.email_verified_at = utcnow()
    logs.event("email_verification.confirmed", user_id=user.id)
    return user
