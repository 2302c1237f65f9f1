"""EDB staff tools: colleagues' accounts now; the review queue and compliance build on it."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from portal.staff import views  # noqa: E402,F401
