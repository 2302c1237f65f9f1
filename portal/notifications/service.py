"""Sending a notification once per event, with its e-mail unless the user turned that kind off.

Callers pass the event's key; sending runs in the caller's transaction, so a rolled-back action
leaves neither a notice nor an e-mail behind. The reader's own acts (marking read, e-mail
settings) are each one act of their own.
"""

from urllib.parse import urljoin

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from portal.extensions import db
from portal.i18n import in_language_of, language_of
from portal.mail import send_mail
from portal.notifications.models import EmailOptOut, Notification
from portal.text import column_length, one_line
from portal.timeutil import utcnow
from portal.transactions import one_act

# Every kind a user can receive, with the label shown on the e-mail settings page.
KINDS = {
    "address_review": _l("EDB confirms my e-mail address (or cannot)"),
    "listing_review": _l("EDB's decision on my firm's listing"),
    "item_review": _l("EDB's decision on my firm's capabilities and certificates"),
    "claim_decision": _l("EDB's decision on my claim to run a listing"),
    "compliance_standing": _l("EDB's decision on my firm's incentives or import licence"),
    "compliance_response": _l("A firm responds in a compliance case I opened"),
    "need_match": _l("A new open sourcing need matches my firm"),
    "need_invitation": _l("A brand invites my firm to quote"),
    "need_changed": _l("A need I was invited to or quoted on changed"),
    "quotes_ready": _l("Quotes on my need can be opened"),
    "need_awarded": _l("The outcome of a need I quoted on"),
    "intro_request": _l("A brand asks to be introduced to my firm"),
    "intro_answer": _l("A firm answers my introduction request"),
    "intro_withdrawn": _l("A brand withdraws its introduction request to my firm"),
    "intro_message": _l("A new message in an introduction"),
    "intro_brokered": _l("What EDB heard from a firm it contacted for my introduction request"),
    "investment_review": _l("EDB's decision on my firm's investment opportunity"),
    "investment_interest": _l("An investor is interested in my firm's opportunity"),
    "investment_answer": _l("A firm answers my interest in its opportunity"),
    "investment_stage": _l("An investment deal moves to a new stage"),
    "investment_message": _l("A new message about an investment"),
}


class UnknownKind(ValueError):
    pass


def notify(user, kind: str, key: str, subject, body="", link: str = "") -> Notification | None:
    """Tell `user` once about the event `key`; None when they were already told.

    `subject` and `body` are written in each recipient's language: pass a lazy string or a
    function that writes the text (it runs once per language); a plain string is sent as it is.

    `link` is a portal path (`url_for(...)` without `_external`); the e-mail gets it absolute.
    """
    told = notify_each([(user, key)], kind, subject, body, link)
    return told[0] if told else None


def _absolute(link: str) -> str:
    """The portal-relative `link` as an address that works from a mail client."""
    if not link:
        return ""
    base = request.host_url if has_request_context() else current_app.config["PORTAL_BASE_URL"]
    return urljoin(base, link)


def notify_all(users, kind: str, key: str, subject, body="", link: str = "") -> int:
    """`notify` for each distinct user; returns how many were newly told."""
    return len(notify_each([(user, key) for user in users], kind, subject, body, link))


CHUNK = 500  # ids per IN list


def notify_each(recipients, kind: str, subject, body="", link: str = "") -> list[Notification]:
    """Tell each (user, event key) pair once, in a few queries however many pairs there are: a need
    published to a whole category tells the people of thousands of firms in one request."""
    if kind not in KINDS:
        raise UnknownKind(kind)
    pairs = list(dict.fromkeys((user.id, key) for user, key in recipients))
    users = {user.id: user for user, _key in recipients}
    done = _told_already(pairs)
    no_mail = _email_off({user_id for user_id, _key in pairs}, kind)
    address = _absolute(link)
    written: dict[str, tuple[str, str]] = {}  # language -> (subject, body), written once each
    told = []
    for user_id, key in pairs:
        if (user_id, key) in done:
            continue
        done.add((user_id, key))
        user = users[user_id]
        language = language_of(user)
        if language not in written:
            written[language] = (
                one_line(in_language_of(user, subject), column_length(Notification.subject)),
                in_language_of(user, body),
            )
        text_subject, text_body = written[language]
        notice = Notification(user_id=user_id, kind=kind, key=key, subject=text_subject, body=text_body, link=link)
        db.session.add(notice)
        if user_id not in no_mail:
            send_mail(user.email, text_subject, f"{text_body}\n\n{address}".strip(), kind=kind)
        told.append(notice)
    return told


def _told_already(pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (user id, key) pairs already have a notice, stored or waiting in this transaction."""
    wanted = set(pairs)
    found = {
        (obj.user_id, obj.key)
        for obj in db.session.new
        if isinstance(obj, Notification) and (obj.user_id, obj.key) in wanted
    }
    ordered = sorted(wanted)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        rows = db.session.execute(
            select(Notification.user_id, Notification.key).where(
                Notification.user_id.in_(sorted({user_id for user_id, _key in chunk})),
                Notification.key.in_(sorted({key for _user_id, key in chunk})),
            )
        )
        found.update((user_id, key) for user_id, key in rows if (user_id, key) in wanted)
    return found


def _email_off(user_ids: set[int], kind: str) -> set[int]:
    ids = sorted(user_ids)
    off: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        off.update(
            db.session.scalars(
                select(EmailOptOut.user_id).where(
                    EmailOptOut.kind == kind, EmailOptOut.user_id.in_(ids[start : start + CHUNK])
                )
            )
        )
    return off


def email_kinds_off(user) -> set[str]:
    return set(db.session.scalars(select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)))


def set_email_kinds(user, wanted: set[str]) -> None:
    """Keep e-mail on for `wanted` kinds and off for every other kind."""
    with one_act():
        db.session.execute(delete(EmailOptOut).where(EmailOptOut.user_id == user.id))
        db.session.add_all(EmailOptOut(user_id=user.id, kind=kind) for kind in KINDS if kind not in wanted)


def unread_count(user) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def notices_of(user):
    """The user's notices, newest first, as a query for pagination."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(user, notice_id: int | None = None) -> None:
    """Mark one notice (or all) of this user as read; another user's notice is left alone."""
    statement = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notice_id is not None:
        statement = statement.where(Notification.id == notice_id)
    with one_act():
        db.session.execute(statement.values(read_at=utcnow()))
