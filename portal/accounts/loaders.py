"""How Flask-Login finds the user: by session cookie for pages, by bearer token for the API."""

from flask import request
from sqlalchemy import select

from portal.accounts.models import ApiToken, User
from portal.extensions import db
from portal.timeutil import utcnow


def load_user_from_session(session_id: str) -> User | None:
    user_id = session_id.partition(".")[0]
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.get_id() == session_id else None


def load_user_from_token(req) -> User | None:
    """Bearer tokens count only under /api/; pages never accept them."""
    if not req.path.startswith("/api/"):
        return None
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token.strip())))
    if row is None or row.is_revoked or not row.user.is_active:
        return None
    row.last_used_at = utcnow()
    db.session.commit()
    return row.user


def register_loaders(login_manager) -> None:
    login_manager.user_loader(load_user_from_session)
    login_manager.request_loader(lambda req: load_user_from_token(req or request))
