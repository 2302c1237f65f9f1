"""Public pages: the home page and what the portal is for."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from portal.main import views  # noqa: E402,F401
