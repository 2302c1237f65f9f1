"""Structured logs: one JSON object per line, so sign-ins, refusals, staff actions and errors can
be searched and counted by a log collector.

Every line written during a request carries its request id (also sent back as `X-Request-ID` and
shown on the error page), the route pattern (never the path: paths can hold reset and invitation
tokens), the method, the client address and the signed-in user's id. Events name people by user
id or by a keyed hash of the e-mail address; passwords, tokens, reset links and cookies are never
logged, and tokens that a path or header might carry into another logger's line are masked.
"""

import hashlib
import hmac
import json
import logging
import re
import secrets
from datetime import UTC, datetime

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

events = logging.getLogger("portal.events")

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
REFUSED_STATUSES = {401, 403}
MASK = "[redacted]"
# A token in a header or query string, wherever a line quotes it.
_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[^\s'\"]+"),
    re.compile(r"(?i)((?:token|password|session|csrf_token)=)[^&\s'\"]+"),
]


class JsonLines(logging.Formatter):
    """Formats every record as one JSON object on one line."""

    def __init__(self, secret_paths: list[re.Pattern] | None = None):
        super().__init__()
        self.secret_paths = secret_paths or []

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": self.mask(record.getMessage()),
        }
        entry.update(getattr(record, "fields", None) or {})
        if has_request_context():
            entry.update(request_fields())
        if record.exc_info:
            entry["error"] = self.mask(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)

    def mask(self, text: str) -> str:
        for pattern in (*self.secret_paths, *_SECRET_PATTERNS):
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
        return text


def request_fields() -> dict:
    fields = {"request_id": request_id(), "method": request.method, "ip": request.remote_addr}
    rule = request.url_rule
    fields["route"] = rule.rule if rule is not None else "(no route)"
    user = g.get("_login_user")  # only if Flask-Login already loaded the user: logging never loads it
    if user is not None and getattr(user, "is_authenticated", False):
        fields["user_id"] = user.id
    return fields


def request_id() -> str:
    if "request_id" not in g:
        offered = request.headers.get("X-Request-ID", "")
        g.request_id = offered if REQUEST_ID.fullmatch(offered) else secrets.token_hex(8)
    return g.request_id


def event(name: str, level: int = logging.INFO, **fields) -> None:
    """Log one named event with its fields (no secrets: user ids, hashes, counts, names of things)."""
    events.log(level, name, extra={"fields": {"event": name, **fields}})


def email_hash(email: str) -> str:
    """A keyed hash of the address: the same person's failures group together, the address stays unreadable."""
    key = current_app.config["SECRET_KEY"].encode() if has_app_context() else b""
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]


def after_commit(session: Session, name: str, **fields) -> None:
    """Log the event once the session's transaction commits (and never if it rolls back)."""
    session.info.setdefault("log_events", []).append((name, fields))


@sa_event.listens_for(Session, "after_commit")
def _log_committed(session: Session) -> None:
    for name, fields in session.info.pop("log_events", []):
        event(name, **fields)


@sa_event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop("log_events", None)


def _secret_path_patterns(app: Flask) -> list[re.Pattern]:
    """Rules with a <token> argument (reset and invitation links): mask that part wherever a path is logged."""
    patterns = []
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments:
            head = rule.rule.split("<", 1)[0]
            patterns.append(re.compile("(" + re.escape(head) + r")[^/?#\s\"']+"))
    return patterns


def configure(app: Flask) -> None:
    """Write JSON lines to stderr (unless something, e.g. a test runner, already handles logs),
    tag each request with an id and log refused requests."""
    formatter = JsonLines(_secret_path_patterns(app))
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "portal_json", False)]
    if ours:
        for handler in ours:
            handler.setFormatter(formatter)
    elif not root.handlers:
        handler = logging.StreamHandler()
        handler.portal_json = True
        handler.setFormatter(formatter)
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    app.extensions["portal_log_formatter"] = formatter

    @app.before_request
    def _tag_request():
        request_id()

    @app.after_request
    def _log_refusals(response):
        response.headers["X-Request-ID"] = request_id()
        if response.status_code in REFUSED_STATUSES:
            event("access.refused", logging.WARNING, status=response.status_code)
        return response
