"""The JSON API under /api/v1 (see CONTRACT.md); no CSRF, bearer tokens instead of cookies."""

from flask import Blueprint

from portal.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from portal.api import views  # noqa: E402,F401
