"""EDB staff confirm an account's address when the e-mailed link cannot reach its person.

Without a mail server the link never leaves the outbox, and with one it may bounce: such accounts
wait in the staff's queue. Staff check the address off-line (they phone the firm, know the person)
and confirm it with a note of how, or decline it with a reason; either way the person is told in
the portal (and by e-mail, which waits in the outbox when none is sent). The page, the queue and
`flask accounts confirm` all call the functions here. How long confirmation usually takes is the
median of past staff confirmations in working days, or a stated estimate while there are too few.
"""

import math
from datetime import date, timedelta
from statistics import median

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, true

from portal import audit
from portal.accounts.models import Role, User
from portal.extensions import db
from portal.i18n import N_
from portal.mail import OutgoingEmail, mail_is_on, portal_path
from portal.notifications.service import notify
from portal.timeutil import as_utc, utcnow
from portal.transactions import one_act

VERIFICATION_KIND = "email_verification"  # the kind of the e-mail that carries the link
MIN_SAMPLE = 5  # fewer staff confirmations than this and the median says little
DEFAULT_WORKING_DAYS = 2  # the estimate shown (as an estimate) until then
SAMPLE = 200  # the most recent staff confirmations the median is taken from
NOTE_MAX = 2000
AUDIT_ACTIONS = ("account.email_confirmed", "account.email_declined")


DECLINED_NEXT = N_(
    "Write to EDB from this address, or create an account with the address you use at your organisation."
)


class AddressReviewRefused(ValueError):
    """The act does not apply to the account as it is; the message is for the staff member."""


def working_days_between(start: date, end: date) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`; 0 on the same day."""
    if end <= start:
        return 0
    whole_weeks, extra = divmod((end - start).days, 7)
    days = whole_weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    return days


def usual_wait() -> tuple[int, bool]:
    """(working days, measured): how long staff usually took to confirm an address, rounded up and
    at least one day; DEFAULT_WORKING_DAYS with measured False while fewer than MIN_SAMPLE were."""
    rows = db.session.execute(
        select(User.created_at, User.email_verified_at)
        .where(User.email_confirmed_by_staff == true(), User.email_verified_at.is_not(None))
        .order_by(User.email_verified_at.desc())
        .limit(SAMPLE)
    ).all()
    if len(rows) < MIN_SAMPLE:
        return DEFAULT_WORKING_DAYS, False
    days = median(working_days_between(as_utc(asked).date(), as_utc(done).date()) for asked, done in rows)
    return max(1, math.ceil(days)), True


def _link_undeliverable():
    """The account's confirmation e-mail failed (a bounce or a refused address): the link will not come."""
    return exists().where(
        OutgoingEmail.recipient == User.email,
        OutgoingEmail.kind == VERIFICATION_KIND,
        OutgoingEmail.sent_at.is_(None),
        OutgoingEmail.error.is_not(None),
    )


def link_failed(user: User) -> bool:
    """Whether the e-mail carrying `user`'s link could not be delivered (then staff confirm instead)."""
    return bool(db.session.scalar(select(_link_undeliverable()).where(User.id == user.id)))


def waiting_for_staff() -> list[User]:
    """Accounts whose address only staff can confirm now, oldest first: every unconfirmed one while
    the portal sends no e-mail, else those whose link could not be delivered."""
    query = select(User).where(
        User.email_verified_at.is_(None),
        User.email_declined_at.is_(None),
        User.is_active_account.is_(True),
        User.role != Role.STAFF,
    )
    if mail_is_on():
        query = query.where(_link_undeliverable())
    return list(db.session.scalars(query.order_by(User.created_at, User.id)))


def _checked_text(text: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise AddressReviewRefused(_(missing))
    if len(text) > NOTE_MAX:
        raise AddressReviewRefused(_("Keep it to %(limit)s characters.", limit=NOTE_MAX))
    return text


def _check_waiting(user: User) -> None:
    if user.has_verified_email:
        raise AddressReviewRefused(_("This address is confirmed already."))
    if not user.is_active:
        raise AddressReviewRefused(_("This account is closed."))


def confirm_address(user: User, by: User | None, note: str) -> None:
    """Staff confirm the address after checking it off-line; `note` says how (the audit keeps it).
    `by` is None from the command line."""
    note = _checked_text(note, N_('Write how you checked the address, e.g. "phoned the firm".'))
    _check_waiting(user)
    with one_act(AddressReviewRefused):
        user.email_verified_at, user.email_confirmed_by_staff = utcnow(), True
        user.email_declined_at, user.email_decline_reason = None, ""
        audit.record(AUDIT_ACTIONS[0], user, actor=by, after={"email": user.email}, note=note)
        _tell(user, "confirmed", _l("EDB confirmed your e-mail address"), _l(
            "You can now use every part of the portal: post needs, quote, ask for introductions, express "
            "investment interest and claim a listing."
        ))  # fmt: skip


def decline_address(user: User, by: User | None, reason: str) -> None:
    """Staff could not confirm the address; the person reads `reason` and what to do next."""
    reason = _checked_text(reason, N_("Give a reason: the person reads it."))
    _check_waiting(user)
    with one_act(AddressReviewRefused):
        user.email_declined_at, user.email_decline_reason = utcnow(), reason
        audit.record(AUDIT_ACTIONS[1], user, actor=by, after={"email": user.email}, note=reason)

        def body() -> str:
            return f"{_('Reason')}: {reason}\n{_('What to do next')}: {_(DECLINED_NEXT)}"

        _tell(user, "declined", _l("EDB could not confirm your e-mail address"), body)


def _tell(user: User, outcome: str, subject, body) -> None:
    stamp = int(as_utc(utcnow()).timestamp())
    notify(
        user, "address_review", f"address:{user.id}:{outcome}:{stamp}", subject, body, portal_path("accounts.overview")
    )
