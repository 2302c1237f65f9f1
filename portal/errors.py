"""One place for error responses: JSON under /api/, friendly pages elsewhere."""

import logging
import time

from flask import jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from portal.extensions import db, limiter

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


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str, fields: dict | None = None, code: str | None = None):
    body = {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return jsonify(body), status


def _http_error(error: HTTPException):
    status = error.code or 500
    if wants_json():
        response, status = json_error(status, error.description or error.name, fields=getattr(error, "fields", None))
    else:
        template = f"errors/{status}.html" if status in FRIENDLY_PAGES else "errors/generic.html"
        response = make_response(render_template(template, error=error, status=status), status)
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
    if wants_json():
        return json_error(400, "The CSRF token is missing or invalid.")
    return render_template("errors/csrf.html", error=error), 400


def _conflict(error: Exception):
    """Under /api/, a write that lost a race with another one is a 409 the caller can retry."""
    if not wants_json():
        return _unexpected_error(error)
    db.session.rollback()
    log.warning("conflicting write on %s %s: %s", request.method, request.path, error)
    return json_error(409, "The data changed while this request was being stored; read it again and retry.")


def _unexpected_error(error: Exception):
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    if wants_json():
        return json_error(500, "Something went wrong on our side; it has been logged.")
    return render_template("errors/500.html", error=InternalServerError(), status=500), 500


def _refuse_nul_characters():
    """A NUL character cannot be stored in PostgreSQL text and is never typed by a person: refuse
    the form (or query) as a bad request before any view stores half of it. The API checks its
    own input against its document, field by field."""
    if wants_json():
        return
    values = [*request.args.values(), *(request.form.values() if request.mimetype != "application/json" else [])]
    if any("\x00" in value for value in values):
        raise BadRequest("The request contains a NUL character, which no field accepts.")


def register(app) -> None:
    app.before_request(_refuse_nul_characters)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(IntegrityError, _conflict)
    app.register_error_handler(StaleDataError, _conflict)
    app.register_error_handler(Exception, _unexpected_error)
