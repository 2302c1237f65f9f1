"""Accounts: sign-up, sign-in, roles, passwords and API tokens."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")

from portal.accounts import views  # noqa: E402,F401
