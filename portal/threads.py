"""A deal's private thread, whichever pipeline the deal travels (an introduction, an investment
interest): one set of rules for who writes in it, what a message may be, what the audit trail keeps
and how the other side is told.

Each pipeline declares its thread once (`Thread(...)`) and says when it is open; the rules are here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.denials import NotAllowed
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.notifications.service import notify_all
from portal.timeutil import utcnow
from portal.transactions import one_act

MESSAGE_MAX = 2000
EMPTY = N_("Write your message first.")
TOO_LONG = N_("Keep it to %(limit)s characters.")


def cleaned(text: str | None, refusal: type[Refusal], *, limit: int = MESSAGE_MAX, empty: str = EMPTY) -> str:
    """The text as it is kept (trimmed); refused when nothing is left or it is longer than `limit`."""
    text = (text or "").strip()
    if not text:
        raise refusal(empty)
    if len(text) > limit:
        raise refusal(TOO_LONG, limit=limit)
    return text


@dataclass(frozen=True)
class Thread:
    """What one pipeline tells the thread rules about its deals.

    `kind` names the audit entry (`<kind>.message_posted`); `message(deal, author_id, text, at)`
    builds a message row; `closed_because(deal)` is the `N_` reason nobody may write now, or None
    while the thread is open; `other_side(deal, by)` is who hears of a message and the name the
    writer goes by for them (the side they write for, never a person's name before consent);
    `notice_kind`, `event(deal, message)` and `link(deal)` make the notice.
    """

    kind: str
    refusal: type[Refusal]
    conflict: type[Exception]
    is_party: Callable[[Any, Any], bool]
    closed_because: Callable[[Any], str | None]
    message: Callable[..., Any]
    other_side: Callable[[Any, Any], tuple[list, str]]
    notice_kind: str
    event: Callable[[Any, Any], str]
    link: Callable[[Any], str]
    firm_id: Callable[[Any], int | None]

    def can_post(self, deal, user) -> bool:
        """Only the two sides write (staff oversee, never write), and only while the thread is open."""
        return self.is_party(deal, user) and self.closed_because(deal) is None

    def post(self, deal, by, text: str):
        """Add a message and tell the other side, in one act. The audit entry names the message but
        does not copy its text: private correspondence stays out of the permanent trail."""
        if not self.is_party(deal, by):
            raise NotAllowed()
        reason = self.closed_because(deal)
        if reason is not None:
            raise self.refusal(reason)
        text = cleaned(text, self.refusal)
        with one_act(self.conflict):
            message = self.message(deal, author_id=by.id, text=text, at=utcnow())
            db.session.add(message)
            db.session.flush()
            audit.record(
                f"{self.kind}.message_posted",
                deal,
                actor=by,
                after={"message_id": message.id},
                firm_id=self.firm_id(deal),
            )
            self._tell_other_side(deal, by, message)
        return message

    def _tell_other_side(self, deal, by, message) -> None:
        """Each person on the other side hears of each message once, by the name of the side that
        wrote; the text stays behind the thread's own access check, not in notices and e-mails."""
        recipients, sender = self.other_side(deal, by)
        subject = _l("New message from %(sender)s", sender=sender)
        body = _l("%(sender)s wrote to you on the portal. Read it and answer there:", sender=sender)
        notify_all(recipients, self.notice_kind, self.event(deal, message), subject, body, self.link(deal))
