"""Access rules as small decorators, used by every blueprint (pages) and the API alike."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from portal.accounts.models import Role


def role_required(*roles: Role | str):
    """Signed-in users of the given roles pass; others get 403 (anonymous users sign in first)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.STAFF)
