"""One place for error responses: JSON under /api/, friendly pages elsewhere."""

import logging
import time

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, Forbidden, HTTPException, InternalServerError, NotFound

from portal import denials, logs
from portal.extensions import db, limiter
from portal.i18n import N_

log = logging.getLogger(__name__)

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}

FRIENDLY_PAGES = {403, 404, 500}

# What a refusal means, for people, when the code refusing gave no reason of its own (Werkzeug's
# own wording is English only): (heading, message).
STATUS_WORDS = {
    400: (N_("Bad request"), N_("The request could not be understood; check what was sent and try again.")),
    401: (N_("Sign-in needed"), N_("Sign in, or send a valid API token, to use this.")),
    403: (N_("Not allowed"), N_("This is not yours to see or change.")),
    404: (N_("Not found"), N_("Nothing is found at this address; it may be mistyped, moved, or not yours to see.")),
    405: (N_("Not allowed here"), N_("This address does not take this kind of request.")),
    409: (
        N_("Changed meanwhile"),
        N_("The data changed while this request was being stored; read it again and retry."),
    ),
    413: (N_("Too large"), N_("What was sent is larger than the portal accepts.")),
    415: (N_("Unsupported format"), N_("What was sent is in a format this address does not take.")),
    422: (N_("Not valid"), N_("Some of what was sent is not valid.")),
    429: (N_("Too many requests"), N_("Too many requests in a short time; wait a little, then try again.")),
    500: (N_("Something went wrong"), N_("Something went wrong on our side.")),
}
CHANGED_MEANWHILE = N_(
    "Someone else changed this while you were working on it, so nothing of yours was saved. "
    "Reload the page to see their change, then make yours again."
)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str, fields: dict | None = None, code: str | None = None):
    body = {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return jsonify(body), status


def in_words(error: HTTPException) -> tuple[str, str]:
    """(heading, message) for a refusal in the reader's language: the refusing code's own reason,
    translated where it was marked, else the portal's words for the status, else Werkzeug's."""
    status = error.code or 500
    heading, message = STATUS_WORDS.get(status, (error.name, error.description or error.name))
    own = error.description if error.description != type(error).description and status != 429 else None
    # A rate limit's description is the limit itself ("10 per 1 minute"): the portal's words say more.
    return _(heading), _(own or message)


def _http_error(error: HTTPException):
    status = error.code or 500
    heading, message = in_words(error)
    if wants_json():
        response, status = json_error(status, message, fields=getattr(error, "fields", None))
    else:
        template = f"errors/{status}.html" if status in FRIENDLY_PAGES else "errors/generic.html"
        # The language switch on an error page leads home: the failed address would fail again.
        page = render_template(template, error=error, heading=heading, message=message, status=status, here="")
        response = make_response(page, status)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value  # e.g. Allow on 405, WWW-Authenticate on 401
    if status == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(_seconds_until_limit_resets())
    return response, status


def _seconds_until_limit_resets() -> int:
    """Whole seconds until the rate limit this request broke lets it through again (at least 1)."""
    breached = limiter.current_limit
    return max(1, int(breached.reset_at - time.time())) if breached else 60


def _csrf_error(error: CSRFError):
    logs.event("csrf.refused", logging.WARNING, reason=error.description)
    if wants_json():
        return json_error(400, _("The CSRF token is missing or invalid."))
    return render_template("errors/csrf.html", error=error, here=""), 400


def _conflict(error: Exception):
    """Under /api/, a write that broke a uniqueness rule in a race is a 409 the caller can retry."""
    if not wants_json():
        return _unexpected_error(error)
    db.session.rollback()
    log.warning("conflicting write on %s %s: %s", request.method, request.path, error)
    return json_error(409, _(STATUS_WORDS[409][1]))


def _changed_meanwhile(error: StaleDataError):
    """Two people saved the same record at once (its version moved on): the later save is refused whole."""
    db.session.rollback()
    logs.event("request.conflict", logging.WARNING, reason="the record changed since it was read")
    return _http_error(Conflict(CHANGED_MEANWHILE))


def _unexpected_error(error: Exception):
    """Roll back whatever the request began, log it under the request id, show nothing of it."""
    try:
        db.session.rollback()
    except Exception:  # a lost connection can fail the rollback too; the pool replaces it
        log.warning("rollback after an unhandled error failed", exc_info=True)
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    log.exception("unhandled error on %s %s", request.method, rule, extra={"fields": {"event": "request.failed"}})
    if wants_json():
        message = _(
            "Something went wrong on our side; it has been logged as %(reference)s.", reference=logs.request_id()
        )
        return json_error(500, message)
    try:
        return render_template("errors/500.html", error=InternalServerError(), status=500, here=""), 500
    except Exception:  # the page itself needs the database (the signed-in user): answer plainly
        log.warning("the error page could not be rendered", exc_info=True)
        return f"Something went wrong on our side. Reference: {logs.request_id()}", 500, {"Content-Type": "text/plain"}


def _denied(error: Exception):
    """A service's `denials.NotFound` or `denials.NotAllowed`, answered as the 404 or 403 it means."""
    return _http_error(Forbidden() if isinstance(error, denials.NotAllowed) else NotFound())


def register(app) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(denials.NotFound, _denied)
    app.register_error_handler(denials.NotAllowed, _denied)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(IntegrityError, _conflict)
    app.register_error_handler(StaleDataError, _changed_meanwhile)
    app.register_error_handler(Exception, _unexpected_error)
