"""Sending a notification once per event, with its e-mail unless the user turned that kind off.

Callers pass the event's key; everything runs in the caller's transaction, so a rolled-back
action leaves neither a notice nor an e-mail behind.
"""

from urllib.parse import urljoin

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from portal.extensions import db
from portal.mail import send_mail
from portal.notifications.models import EmailOptOut, Notification
from portal.timeutil import utcnow

# Every kind a user can receive, with the label shown on the e-mail settings page.
KINDS = {
    "need_match": _l("A new open sourcing need matches my firm"),
    "need_invitation": _l("A brand invites my firm to quote"),
    "need_changed": _l("A need I was invited to or quoted on changed"),
    "quotes_ready": _l("Quotes on my need can be opened"),
    "need_awarded": _l("The outcome of a need I quoted on"),
    "intro_request": _l("A brand asks to be introduced to my firm"),
    "intro_answer": _l("A firm answers my introduction request"),
    "intro_withdrawn": _l("A brand withdraws its introduction request to my firm"),
    "intro_message": _l("A new message in an introduction"),
    "investment_review": _l("EDB's decision on my firm's investment opportunity"),
    "investment_interest": _l("An investor is interested in my firm's opportunity"),
    "investment_answer": _l("A firm answers my interest in its opportunity"),
    "investment_stage": _l("An investment deal moves to a new stage"),
    "investment_message": _l("A new message about an investment"),
}


class UnknownKind(ValueError):
    pass


def notify(user, kind: str, key: str, subject: str, body: str = "", link: str = "") -> Notification | None:
    """Tell `user` once about the event `key`; None when they were already told.

    `link` is a portal path (`url_for(...)` without `_external`); the e-mail gets it absolute.
    """
    if kind not in KINDS:
        raise UnknownKind(kind)
    if _already_told(user.id, key):
        return None
    notice = Notification(user_id=user.id, kind=kind, key=key, subject=subject, body=body, link=link)
    db.session.add(notice)
    if wants_email(user.id, kind):
        send_mail(user.email, subject, f"{body}\n\n{_absolute(link)}".strip(), kind=kind)
    return notice


def _absolute(link: str) -> str:
    """The portal-relative `link` as an address that works from a mail client."""
    if not link:
        return ""
    base = request.host_url if has_request_context() else current_app.config["PORTAL_BASE_URL"]
    return urljoin(base, link)


def notify_all(users, kind: str, key: str, subject: str, body: str = "", link: str = "") -> int:
    """`notify` for each distinct user; returns how many were newly told."""
    seen: set[int] = set()
    told = 0
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        told += notify(user, kind, key, subject, body, link) is not None
    return told


def _already_told(user_id: int, key: str) -> bool:
    pending = any(isinstance(obj, Notification) and obj.user_id == user_id and obj.key == key for obj in db.session.new)
    return (
        pending
        or db.session.scalar(select(Notification.id).where(Notification.user_id == user_id, Notification.key == key))
        is not None
    )


def wants_email(user_id: int, kind: str) -> bool:
    return db.session.get(EmailOptOut, (user_id, kind)) is None


def email_kinds_off(user) -> set[str]:
    return set(db.session.scalars(select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)))


def set_email_kinds(user, wanted: set[str]) -> None:
    """Keep e-mail on for `wanted` kinds and off for every other kind."""
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
    db.session.execute(statement.values(read_at=utcnow()))
