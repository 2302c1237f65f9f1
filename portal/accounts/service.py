"""Sign-up, sign-in, password changes and resets: the rules, apart from the pages."""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from portal import logs
from portal.accounts import verification
from portal.accounts.models import ApiToken, Role, SignInAttempt, User
from portal.accounts.passwords import hash_password, verify_password
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.mail import OutgoingEmail, external_url, send_mail_to
from portal.suppliers.service import create_firm
from portal.timeutil import utcnow
from portal.transactions import one_act

log = logging.getLogger(__name__)

# Compared against when the e-mail is unknown, so a wrong address costs as much time as a wrong password.
_DUMMY_HASH = None


class AccountError(Refusal):
    """A rule refused the request; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None, **values):
        super().__init__(message, **values)
        self.field = field


@dataclass
class FirmDetails:
    legal_name: str
    city: str
    province: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(
    *, email: str, password: str, full_name: str, role: Role | str, organisation: str = "", verified: bool = True
) -> User:
    """An account; one made by staff or the CLI counts as verified, a self-service one (`verified`
    False) waits for its person to open the link sent to the address."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError(N_("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email,
        password_hash=hash_password(password),
        full_name=full_name.strip(),
        organisation=organisation.strip(),
        role=Role(role),
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    return user


def sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    role: Role | str,
    organisation: str = "",
    firm: FirmDetails | None = None,
    language: str | None = None,
    claiming=None,
) -> User | None:
    """Create a self-service account; a supplier account starts its firm's draft listing too,
    unless it signs up to claim the listing `claiming` (then no second listing is made).
    `language` is the one the person signed up in: what the portal sends them is written in it.

    The new account is sent a link to confirm its address. An address that already has an account
    gets a note that someone tried instead, and None is returned: the page answers both alike, so
    sign-up never tells whether an address has an account."""
    role = Role(role)
    if role == Role.STAFF:
        raise AccountError(N_("Staff accounts are created by EDB staff."), field="role")
    if role == Role.SUPPLIER and firm is None and claiming is None:
        raise AccountError(N_("Tell us the firm's name, city and province."), field="firm_name")
    existing = find_user(email)
    if existing is not None:
        hash_password(password)  # the work a new account costs, so the answer's timing tells nothing
        with one_act():
            verification.tell_owner_of_attempt(existing)
        logs.event("sign_up.address_taken", user_id=existing.id)
        return None
    with one_act():
        user = create_user(
            email=email, password=password, full_name=full_name, role=role, organisation=organisation, verified=False
        )
        user.language = language
        if role == Role.SUPPLIER and claiming is not None:
            user.organisation = claiming.legal_name
        elif role == Role.SUPPLIER:
            user.organisation = firm.legal_name.strip()
            create_firm(
                legal_name=firm.legal_name, city=firm.city, province=firm.province, owner=user, contact_email=user.email
            )
        db.session.flush()
        verification.send_link(user)
    log.info("account created user_id=%s role=%s", user.id, user.role)
    return user


class TooManyAttempts(AccountError):
    """Sign-ins for this account or from this address failed too often; wait before trying again."""


def _recent_failures(column, value, since) -> int:
    return (
        db.session.scalar(select(func.count(SignInAttempt.id)).where(column == value, SignInAttempt.at >= since)) or 0
    )


def check_throttle(email: str, ip: str) -> None:
    """Refuse further tries after too many failures for the account or from the address."""
    config = current_app.config
    window = timedelta(minutes=config["SIGN_IN_WINDOW_MINUTES"])
    since = utcnow() - window
    if _recent_failures(SignInAttempt.email, normalise_email(email), since) >= config[
        "SIGN_IN_MAX_FAILURES_PER_ACCOUNT"
    ] or (_recent_failures(SignInAttempt.ip, ip, since) >= config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]):
        logs.event("sign_in.throttled", logging.WARNING, email_hash=logs.email_hash(email), ip=ip)
        raise TooManyAttempts(
            f"Too many failed sign-ins. For your security, wait {config['SIGN_IN_WINDOW_MINUTES']} minutes and try again, "
            "or reset your password.",
            field="password",
        )


def record_failure(email: str, ip: str) -> None:
    old = utcnow() - timedelta(days=1)
    with one_act():
        db.session.execute(delete(SignInAttempt).where(SignInAttempt.at < old))  # keep the table small
        db.session.add(SignInAttempt(email=normalise_email(email), ip=ip))
    logs.event("sign_in.failed", logging.WARNING, email_hash=logs.email_hash(email), ip=ip)


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, or None; no hint which one was wrong."""
    global _DUMMY_HASH
    user = find_user(email)
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password("not-a-real-password-at-all")
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    return user


def record_sign_in(user: User, language: str | None = None) -> None:
    """Note the sign-in; a language chosen in the browser just before it becomes the account's."""
    with one_act():
        user.last_sign_in_at = utcnow()
        if language:
            user.language = language
    logs.event("sign_in.succeeded", user_id=user.id, role=user.role.value)


def set_language(user: User, language: str) -> None:
    """Keep `language` as the one the portal speaks to `user` in: pages, e-mails, notices."""
    with one_act(AccountError):
        user.language = language


def set_password(user: User, new_password: str) -> None:
    """A new password ends every session and remember-me cookie of the account."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.end_sessions()


def sign_out_everywhere(user: User) -> None:
    """End every session of the account, on every device, this one included."""
    with one_act():
        user.end_sessions()
    logs.event("sessions.ended", user_id=user.id)


def deactivate(user: User, by: User) -> None:
    """Staff close an account: it can no longer sign in, and its sessions and tokens end at once."""
    from portal import audit

    if user.id == by.id:
        raise AccountError(N_("You cannot deactivate your own account."))
    with one_act():
        user.is_active_account = False
        user.end_sessions()
        for token in user.tokens:
            token.revoked_at = token.revoked_at or utcnow()
        audit.record("account.deactivated", user, actor=by, before={"active": True}, after={"active": False})
    logs.event("account.deactivated", user_id=user.id, by=by.id)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(N_("The current password is not correct."), field="current_password")
    with one_act():
        set_password(user, new_password)
    log.info("password changed user_id=%s", user.id)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User) -> str:
    # Binding the token to the current hash makes it single-use: a new password voids it.
    return _reset_serializer().dumps({"uid": user.id, "pw": user.password_hash[-12:]})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or not user.is_active or user.password_hash[-12:] != data.get("pw"):
        return None
    return user


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the account exists; the caller says the same thing either way."""
    user = find_user(email)
    if user is None or not user.is_active:
        log.info("password reset asked for unknown or inactive address")
        return
    if _recent_reset_mails(user) >= current_app.config["PASSWORD_RESET_MAX_PER_ACCOUNT"]:
        logs.event("password_reset.throttled", logging.WARNING, user_id=user.id)
        return  # the links already sent still work; the person is not flooded
    link = external_url("accounts.reset_password", token=make_reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with one_act():
        send_mail_to(
            user,
            _l("Reset your EDB Supplier Portal password"),
            _l(
                "Hello %(name)s,\n\n"
                "Someone asked to reset the password of this account. To choose a new password, open:\n\n%(link)s\n\n"
                "The link works once and expires in %(minutes)d minutes. If you did not ask for it, ignore this message.\n",
                name=user.full_name,
                link=link,
                minutes=minutes,
            ),
            kind="password_reset",
        )


def _recent_reset_mails(user: User) -> int:
    since = utcnow() - timedelta(seconds=current_app.config["PASSWORD_RESET_MAX_AGE"])
    return (
        db.session.scalar(
            select(func.count(OutgoingEmail.id)).where(
                OutgoingEmail.recipient == user.email,
                OutgoingEmail.kind == "password_reset",
                OutgoingEmail.created_at >= since,
            )
        )
        or 0
    )


def reset_password(token: str, new_password: str) -> User | None:
    user = user_for_reset_token(token)
    if user is None:
        return None
    with one_act():
        set_password(user, new_password)
        user.email_verified_at = user.email_verified_at or utcnow()  # the link reached the address
    log.info("password reset user_id=%s", user.id)
    return user


def invite_staff(*, email: str, full_name: str, invited_by: User) -> User:
    """A staff member adds a colleague, who chooses a password through a reset link."""
    with one_act():
        user = create_user(
            email=email,
            password=secrets.token_urlsafe(32),
            full_name=full_name,
            role=Role.STAFF,
            organisation="Engineering Development Board",
        )
        db.session.flush()
        link = external_url("accounts.reset_password", token=make_reset_token(user))
        send_mail_to(
            user,
            _l("Your EDB Supplier Portal staff account"),
            _l(
                "Hello %(name)s,\n\n%(by)s added you as EDB staff on the Supplier Portal. "
                "Choose your password here:\n\n%(link)s\n\nThe link expires in %(minutes)d minutes; "
                "use “Forgot password” on the sign-in page for a new one.\n",
                name=user.full_name,
                by=invited_by.full_name,
                link=link,
                minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
            ),
            kind="staff_invitation",
        )
    log.info("staff account created user_id=%s by=%s", user.id, invited_by.id)
    return user


def resend_verification(user: User) -> None:
    """Send the link that confirms the address again (`verification.TooManyLinks` past the hour's share)."""
    if user.has_verified_email:
        return
    with one_act(AccountError):
        verification.send_link(user)


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for `user`; the plain token is returned once and only its hash is kept."""
    with one_act():
        token, plain = ApiToken.issue(user, name.strip() or "API token")
    log.info("api token created user_id=%s token_id=%s", user.id, token.id)
    return token, plain


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc()))
    )


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    """Revoke one of the user's own tokens; None when the id is not theirs (the page answers 404)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        with one_act():
            token.revoked_at = utcnow()
        log.info("api token revoked user_id=%s token_id=%s", user.id, token.id)
    return token
