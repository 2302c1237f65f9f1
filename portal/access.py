"""Access rules as small decorators, used by every blueprint (pages) and the API alike."""

from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from portal.accounts import verification
from portal.accounts.models import Role
from portal.redirects import same_site_referrer


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


def verified_email_required(view):
    """Acts that reach other people wait for a confirmed address (`verification.needs_verification`):
    the form still shows, but sending it says why not and leads back to where it was."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        return unconfirmed_refusal() or view(*args, **kwargs)

    return wrapped


def unconfirmed_refusal():
    """For a signed-in person sending such an act without a confirmed address: the answer that says
    why not (back where they were); None when they may go on. Views that let visitors in first
    (the claim form) call it themselves."""
    if request.method not in ("GET", "HEAD") and verification.needs_verification(current_user):
        flash(verification.standing(current_user), "warning")
        rule = request.url_rule
        if rule is not None and "GET" in rule.methods:
            return redirect(request.full_path.rstrip("?"))
        return redirect(same_site_referrer(url_for("main.home")))
    return None
