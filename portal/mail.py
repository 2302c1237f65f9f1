"""Outgoing e-mail: every message is written to the `outgoing_email` table (the outbox) in the
caller's transaction, so a rolled-back action sends nothing, and a request never waits for SMTP.

With `MAIL_SERVER` set, a courier thread in each process delivers the outbox after a request's
commit, and `flask mail send` (from cron, or after an outage) delivers whatever is due. A message
that fails keeps its error and is tried again later (`RETRY_AFTER`), so none is lost; without
`MAIL_SERVER` mail stays in the table and the log for development and tests. Commands deliver
what they queued before they end.
"""

import logging
import os
import smtplib
import threading
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_app_context, has_request_context, url_for
from sqlalchemy import DateTime, String, Text, event, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.extensions import db
from portal.text import column_length, one_line
from portal.timeutil import utcnow

log = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, … attempt; after the last the message stays in the outbox with its error.
RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# How often an idle courier looks for messages whose retry has come.
COURIER_POLL_SECONDS = 60


class OutgoingEmail(db.Model):
    __tablename__ = "outgoing_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(60), default="general", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # None: due now. Set before each attempt, so a crash mid-send retries later instead of never.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_given_up(self) -> bool:
        return self.sent_at is None and self.attempts >= MAX_ATTEMPTS


def mail_is_on() -> bool:
    """Whether the portal delivers e-mail at all (MAIL_SERVER set); without it, nothing leaves the
    outbox, so a message a person waits for must reach them in the portal instead."""
    return bool(current_app.config.get("MAIL_SERVER"))


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, also from the CLI (then based on PORTAL_BASE_URL)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PORTAL_BASE_URL"]):
        return url_for(endpoint, _external=True, **values)


def portal_path(endpoint: str, **values) -> str:
    """The path of a page (no host), e.g. for a notification's link; works from the CLI too."""
    parts = urlsplit(external_url(endpoint, **values))
    return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def send_mail(recipient: str, subject: str, body: str, kind: str = "general") -> OutgoingEmail:
    """Queue a plain-text message in the current transaction. The subject is made one line and cut
    to fit, whatever user text it was built from (a title with CR/LF cannot add a header)."""
    subject = one_line(subject, column_length(OutgoingEmail.subject))
    message = OutgoingEmail(recipient=one_line(recipient), subject=subject, body=body, kind=kind)
    db.session.add(message)
    db.session.info["outgoing_email"] = True
    log.info("mail queued kind=%s subject=%r", kind, subject)
    return message


def send_mail_to(recipient, subject, body, kind: str = "general") -> OutgoingEmail:
    """Queue a message written in the recipient's language, whoever sends it.

    `recipient` is an account, or an address (its account's language if it has one, else the
    language of the page that sends it). `subject` and `body` are lazy strings or functions that
    write the text; they run in that language.
    """
    from flask_babel import force_locale, get_locale

    from portal.accounts.models import User
    from portal.i18n import in_language_of

    if isinstance(recipient, str):
        account = db.session.scalar(select(User).where(func.lower(User.email) == recipient.strip().lower()))
        address = recipient
    else:
        account, address = recipient, recipient.email
    if account is not None:
        return send_mail(address, in_language_of(account, subject), in_language_of(account, body), kind=kind)
    with force_locale(str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])):
        text_subject, text_body = (str(text() if callable(text) else text) for text in (subject, body))
    return send_mail(address, text_subject, text_body, kind=kind)


def _email(message: OutgoingEmail, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = one_line(message.subject)
    email.set_content(message.body)
    return email


def _claim(message: OutgoingEmail, now: datetime) -> bool:
    """Mark the attempt before making it; False when another process claimed the message first.
    Committed at once, outside any act: the claim must hold before the message leaves."""
    wait = RETRY_AFTER[min(message.attempts, len(RETRY_AFTER) - 1)]
    claimed = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == message.id, OutgoingEmail.attempts == message.attempts)
        .values(attempts=message.attempts + 1, next_attempt_at=now + wait)
    ).rowcount
    db.session.commit()
    return claimed == 1


def due_messages(limit: int, now: datetime | None = None) -> list[OutgoingEmail]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(OutgoingEmail)
            .where(
                OutgoingEmail.sent_at.is_(None),
                OutgoingEmail.attempts < MAX_ATTEMPTS,
                or_(OutgoingEmail.next_attempt_at.is_(None), OutgoingEmail.next_attempt_at <= now),
            )
            .order_by(OutgoingEmail.id)
            .limit(limit)
        )
    )


def deliver_due(limit: int = 200) -> tuple[int, int]:
    """Send the outbox's due messages over SMTP: (sent, failed). A failure, of the connection or of
    one message, is recorded on the message and tried again later; it is never raised.

    Not one act: each message is committed as sent the moment it leaves, so a failure later in the
    run never sends it twice (the SMTP server cannot be rolled back)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return 0, 0
    now = utcnow()
    messages = [m for m in due_messages(limit, now) if _claim(m, now)]
    if not messages:
        return 0, 0
    sent, done = 0, set()
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            for message in messages:
                try:
                    smtp.send_message(_email(message, config["MAIL_DEFAULT_SENDER"]))
                except (ValueError, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
                    _failed(message, exc)  # this message alone: the next ones still go
                else:
                    message.sent_at, message.error, message.next_attempt_at = utcnow(), None, None
                    sent += 1
                done.add(message.id)
                db.session.commit()
    except (OSError, smtplib.SMTPException) as exc:
        for message in messages:
            if message.id not in done:
                _failed(message, exc)
    db.session.commit()
    return sent, len(messages) - sent


def _failed(message: OutgoingEmail, exc: Exception) -> None:
    message.error = f"attempt {message.attempts}: {exc}"[:500]
    log.warning("mail delivery failed message_id=%s attempt=%s: %s", message.id, message.attempts, exc)


class Courier:
    """A thread per process that delivers the outbox when a request queued mail, and retries."""

    def __init__(self):
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def nudge(self, app: Flask) -> None:
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()  # a forked worker starts its own
                self._thread = threading.Thread(target=self._run, args=(app,), name="mail-courier", daemon=True)
                self._thread.start()
            self._idle.clear()
            self._wake.set()

    def wait_idle(self, timeout: float = 10) -> bool:
        """Until the courier has delivered what it was nudged about (for tests and shutdown)."""
        return self._idle.wait(timeout)

    def _run(self, app: Flask) -> None:
        while True:
            self._wake.wait(COURIER_POLL_SECONDS)
            self._wake.clear()
            with app.app_context():
                try:
                    deliver_due()
                except Exception:  # the database may be away for a moment; try again on the next nudge
                    log.exception("mail courier failed; the outbox keeps the messages")
                    db.session.rollback()
                finally:
                    db.session.remove()
            with self._lock:
                if not self._wake.is_set():
                    self._idle.set()


courier = Courier()


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    if session.info.pop("outgoing_email", None) and has_app_context() and mail_is_on():
        if has_request_context():
            courier.nudge(current_app._get_current_object())
        else:
            g.mail_queued = True  # a command: delivered when it ends (teardown)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outgoing_email", None)


def _deliver_after_command(_exc=None) -> None:
    """A command (cron's reminders, a CLI action) delivers what it queued before it ends."""
    if g.pop("mail_queued", False):
        try:
            deliver_due()
        except Exception:
            log.exception("mail delivery after a command failed; `flask mail send` will retry")


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_deliver_after_command)
