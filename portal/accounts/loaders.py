"""How Flask-Login finds the user: by session cookie for pages, by bearer token for the API."""

from flask import request
from sqlalchemy import select

from portal.accounts.models import ApiToken, User
from portal.extensions import db
from portal.timeutil import utcnow
from portal.transactions import one_act


def load_user_from_session(session_id: str) -> User | None:
    user_id = session_id.partition(".")[0]
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id)) if len(user_id) < 11 else None
    # A deactivated account's sessions end at once, as do those of an older generation or password.
    return user if user is not None and user.is_active and user.get_id() == session_id else None


def bearer_token(req) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header, if the request has one."""
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def load_user_from_token(req) -> User | None:
    """Bearer tokens count only under /api/; pages never accept them."""
    token = bearer_token(req) if req.path.startswith("/api/") else None
    if token is None:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token)))
    if row is None or row.is_revoked or not row.user.is_active:
        return None
    with one_act():
        row.last_used_at = utcnow()
    return row.user


def register_loaders(login_manager) -> None:
    login_manager.user_loader(load_user_from_session)
    login_manager.request_loader(lambda req: load_user_from_token(req or request))
