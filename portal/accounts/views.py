"""Account pages; the rules live in `service`."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.accounts import address_review, service, verification
from portal.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
    TokenForm,
)
from portal.accounts.models import SELF_SERVICE_ROLES, Role
from portal.accounts.service import AccountError, FirmDetails
from portal.claims import service as claims
from portal.extensions import limiter
from portal.forms import ConfirmForm
from portal.i18n import SESSION_KEY, is_language, page_language
from portal.mail import mail_is_on
from portal.redirects import local_path, same_site_referrer
from portal.validators import choices

bp = Blueprint("accounts", __name__, url_prefix="/account")
bp.add_app_template_global(verification.standing, "address_standing")
bp.add_app_template_global(mail_is_on, "mail_is_on")


def _safe_next(default: str) -> str:
    """Follow `next` only to a path on this site, never to another host."""
    return local_path(request.args.get("next"), default)


WORKSPACES = {
    Role.SUPPLIER: "suppliers.my_firm",  # its firm: the listing to complete, opportunities from there
    Role.BRAND: "needs.index",  # its needs, with its shortlists beside them
    Role.INVESTOR: "investment.matches",
    Role.STAFF: "staff.queue",
}


def _home_for(user) -> str:
    """Each role's own workspace: where a person goes after signing up or in, unless `next` says otherwise."""
    return url_for(WORKSPACES.get(user.role, "main.home"))


def _start_session(user, remember: bool) -> None:
    # A fresh session at sign-in: nothing set before it (by anyone) survives into the account,
    # except a language the visitor just chose, which the account takes over.
    language = session.get(SESSION_KEY) if is_language(session.get(SESSION_KEY)) else None
    session.clear()
    login_user(user, remember=remember)
    session.permanent = True
    if language:
        session[SESSION_KEY] = language
    service.record_sign_in(user, language)


@bp.route("/sign-up", methods=["GET", "POST"])
def sign_up():
    """Create a supplier, brand or investor account; through a claim link, a supplier account that
    claims that listing instead of starting a second one."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignUpForm()
    form.claiming = claims.claimable_listing(request.args.get("claim"))
    if form.claiming is not None:
        form.role.data = Role.SUPPLIER.value  # a claim is a local firm's: the role is not asked
    elif request.method == "GET" and request.args.get("role") in {r.value for r in SELF_SERVICE_ROLES}:
        form.role.data = request.args["role"]
    alike = []
    if form.validate_on_submit():
        try:
            claiming = form.claiming or claims.listing_named_at_sign_up(
                form.role.data, form.firm_name.data, form.firm_city.data, form.listing.data
            )
        except claims.SameFirm as same:
            alike = same.listings
            form.listing.choices = choices([(str(f.id), f.legal_name) for f in alike] + [(claims.NEW_LISTING, "")])
            form.listing.errors = [_("Say whether your firm is one of these, and enter your password again.")]
            return render_template("accounts/sign_up.html", form=form, alike=alike, new_listing=claims.NEW_LISTING)
        firm = None
        if form.role.data == "supplier" and claiming is None:
            firm = FirmDetails(form.firm_name.data, form.firm_city.data, form.firm_province.data)
        try:
            service.sign_up(
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data,
                role=form.role.data,
                organisation=form.organisation.data or "",
                firm=firm,
                language=page_language(),
                claiming=claiming,
            )
        except AccountError as error:
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            # The same answer whether the address was new or already had an account (its owner was
            # told instead): nobody learns from sign-up which addresses have accounts.
            flash(_sign_up_answer(form.email.data), "success")
            if claiming is not None:
                home = url_for("claims.claim", firm_id=claiming.id)  # after signing in: the claim form
            else:
                home = url_for(WORKSPACES.get(Role(form.role.data), "main.home"))
            return redirect(url_for("accounts.sign_in", next=_safe_next(home)))
    return render_template("accounts/sign_up.html", form=form, alike=alike, new_listing=claims.NEW_LISTING)


def _sign_up_answer(email: str) -> str:
    """What sign-up says, the same whether the address was new or taken; without a mail server,
    that EDB staff confirm the address and about when, since no link will come."""
    if not mail_is_on():
        days, _measured = address_review.usual_wait()
        return _(
            "Thank you. Sign in with the password you chose. This portal does not send e-mail: EDB staff "
            "confirm %(email)s, usually within %(days)s working days, and you will see it in the portal.",
            email=email,
            days=days,
        )
    return _(
        "Thank you. We sent a message to %(email)s: open the link in it to confirm the "
        "address. Meanwhile, sign in with the password you chose.",
        email=email,
    )


def verification_delivery_note() -> str:
    """Said where the portal tells of a link it sent: without a mail server, nothing leaves it."""
    if mail_is_on():
        return ""
    return _(
        "This portal sends no e-mail yet (no mail server is set up), so the message waits in its outbox "
        "until sending starts."
    )


@bp.get("/verify-email/<token>")
def verify_email(token):
    """Confirm the account's address through the link sent to it."""
    user = verification.confirm(token)
    if user is None:
        flash(_("This confirmation link is damaged or expired. Sign in and ask for a new one."), "danger")
    else:
        flash(_("Your e-mail address is confirmed; you can now use every part of the portal."), "success")
    return redirect(url_for("main.home") if current_user.is_authenticated else url_for("accounts.sign_in"))


@bp.post("/verify-email/send")
@login_required
@limiter.limit(lambda: current_app.config["EMAIL_VERIFICATION_RATE_LIMIT"], scope="email-verification")
def send_verification():
    """Send the link that confirms the address again (a few an hour)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.resend_verification(current_user)
    except verification.TooManyLinks as error:
        flash(_(str(error)), "warning")
    else:
        if not current_user.has_verified_email:
            note = verification_delivery_note()
            flash(
                " ".join((_("A new link is on its way to %(email)s.", email=current_user.email), note)).strip(), "info"
            )
    return redirect(same_site_referrer(url_for("accounts.overview")))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("main.home")))
    form = SignInForm()
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        try:
            service.check_throttle(form.email.data, address)
            user = service.authenticate(form.email.data, form.password.data)
        except service.TooManyAttempts as error:
            form.password.errors.append(str(error))
            return render_template("accounts/sign_in.html", form=form), 429
        if user is None:
            service.record_failure(form.email.data, address)
            form.password.errors.append(_("The e-mail address or password is not correct."))
        else:
            _start_session(user, remember=form.remember.data)
            flash(_("Signed in as %(email)s.", email=user.email), "success")
            return redirect(_safe_next(_home_for(user)))
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    """Sign out (a POST with a CSRF token, so no other site can sign a user out). The session ends
    on the server too: a copy of this session's or remember-me cookie no longer works."""
    if current_user.is_authenticated:
        service.sign_out_everywhere(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session of the account, on every device and browser (a lost laptop, a shared PC)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.sign_out_everywhere(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out on every device. Sign in again to continue here."), "info")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/")
@login_required
def overview():
    """The signed-in user's account page."""
    return render_template("accounts/overview.html", form=ConfirmForm())


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password, knowing the current one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current_password.data, form.password.data)
        except AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            # The session id carries the password's fingerprint: renew it for this device only.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.overview"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"], scope="password-reset")
def forgot_password():
    """Ask for a reset link by e-mail (limited per address; the service limits each account)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data)
        flash(
            _(
                "If an account uses %(email)s, a reset link is on its way. It expires in an hour.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Choose a new password through a link from the reset e-mail."""
    user = service.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid, already used or expired. Ask for a new one."), "danger")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        service.reset_password(token, form.password.data)
        flash(_("Your new password is set. Sign in with it."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form, user=user)


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """Create, list and revoke API tokens; a new token is shown once, here."""
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        _token, created = service.issue_token(current_user, form.name.data)
        form = TokenForm(formdata=None)
    return render_template(
        "accounts/tokens.html", form=form, tokens=service.tokens_of(current_user), created=created, revoke=ConfirmForm()
    )


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    """Revoke one of your tokens: calls with it are refused from now on."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if service.revoke_token(current_user, token_id) is None:
        abort(404)
    flash(_("Token revoked; calls with it are refused from now on."), "success")
    return redirect(url_for("accounts.tokens"))
