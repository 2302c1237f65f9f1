"""Outgoing e-mail: every message is written to the `outgoing_email` table in the caller's
transaction, so a rolled-back action sends nothing; after commit it goes out by SMTP when
`MAIL_SERVER` is set, otherwise it stays in the table and the log for development and tests.
"""

import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app, g, has_app_context, has_request_context, url_for
from sqlalchemy import DateTime, String, Text, event, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.extensions import db
from portal.timeutil import utcnow

log = logging.getLogger(__name__)


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
    """Queue a plain-text message in the current transaction."""
    message = OutgoingEmail(recipient=recipient, subject=subject, body=body, kind=kind)
    db.session.add(message)
    db.session.info.setdefault("outgoing_email", []).append(message)
    log.info("mail queued kind=%s to=%s subject=%r", kind, recipient, subject)
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


def deliver(messages: list[OutgoingEmail]) -> None:
    """Send queued messages over SMTP; a failure is recorded on the row, never raised."""
    config = current_app.config
    if not config.get("MAIL_SERVER") or not messages:
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            for message in messages:
                email = EmailMessage()
                email["From"] = config["MAIL_DEFAULT_SENDER"]
                email["To"] = message.recipient
                email["Subject"] = message.subject
                email.set_content(message.body)
                smtp.send_message(email)
                message.sent_at = utcnow()
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail delivery failed: %s", exc)
        for message in messages:
            if message.sent_at is None:
                message.error = str(exc)[:500]
    db.session.commit()


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    pending = session.info.pop("outgoing_email", None)
    if pending and has_app_context() and current_app.config.get("MAIL_SERVER"):
        # Delivery commits again; postpone it until this commit has fully finished.
        g.setdefault("mail_pending", []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outgoing_email", None)


def flush_pending_mail(response=None):
    """Deliver what the request's commits queued; runs after each request."""
    pending = g.pop("mail_pending", None)
    if pending:
        deliver([db.session.merge(m) for m in pending])
    return response
