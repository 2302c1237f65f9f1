"""Who is calling the API: only a bearer token counts here, never a session cookie (the API takes
no CSRF token, so a cookie must not be enough to act)."""

from flask import g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from portal.accounts import verification
from portal.accounts.loaders import bearer_token, load_user_from_token
from portal.accounts.models import ApiToken, Role


def token_user():
    """The account the request's bearer token belongs to, or None (looked up once per request)."""
    if "api_user" not in g:
        g.api_user = load_user_from_token(request)
    return g.api_user


def require_token(roles: tuple[Role, ...], verified_email: bool = False):
    """The calling account; 401 without a valid token, 403 when its role may not use the operation
    or, for an act towards other people (`verified_email`), its address is not confirmed yet."""
    user = token_user()
    if user is None:
        challenge = WWWAuthenticate("bearer", {"error": "invalid_token"} if bearer_token(request) else None)
        raise Unauthorized(
            _("Send a valid API token as 'Authorization: Bearer TOKEN'; tokens are made on your account page."),
            www_authenticate=challenge,
        )
    if not user.has_role(*roles):
        raise Forbidden(
            _("This operation is for these accounts: %(roles)s.", roles=", ".join(Role(r).label for r in roles))
        )
    if verified_email and verification.needs_verification(user):
        raise Forbidden(verification.standing(user))
    return user


def rate_limit_key() -> str:
    """Count a valid token's calls together wherever they come from; anything else per address."""
    token = bearer_token(request)
    if token and token_user() is not None:
        return "token:" + ApiToken.hash(token)
    return "address:" + get_remote_address()
