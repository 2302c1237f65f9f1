"""Introduction pages: asking, the list, and each introduction with its answer, thread and stages.

Views only read forms and call the service; the rules live in `portal.introductions.service`.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import role_required, staff_required, verified_email_required
from portal.accounts.models import Role
from portal.acting import attempt
from portal.extensions import db
from portal.forms import ThreadMessageForm, confirmed
from portal.introductions import brokering, service
from portal.introductions.forms import (
    CLOSE_VERBS,
    CLOSING,
    MOVE_VERBS,
    AcceptForm,
    AskForm,
    BrokerForm,
    ClaimInviteForm,
    DeclineForm,
    StageForm,
    WithdrawForm,
)
from portal.introductions.models import Introduction, Stage
from portal.needs import service as needs

bp = Blueprint("introductions", __name__, url_prefix="/introductions")
PER_PAGE = 50


@bp.app_template_global("firm_contacts_visible")
def firm_contacts_visible(firm) -> bool:
    return service.firm_contacts_visible(firm, current_user)


@bp.app_template_global("open_introduction")
def open_introduction(firm_id: int, need_id: int | None = None) -> Introduction | None:
    """For the ask button: the signed-in brand user's open introduction to the firm, if any."""
    if not service.may_ask(current_user):
        return None
    return service.open_introduction(current_user, firm_id, need_id)


@bp.route("/")
@role_required(Role.BRAND, Role.SUPPLIER, Role.STAFF)
def index():
    """A brand's introductions, a firm's, or (for staff) every one; filtered by stage."""
    stage = request.args.get("stage", "")
    page = db.paginate(
        service.introductions_query(current_user, stage),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("introductions/index.html", page=page, stage=stage, stages=list(Stage))


@bp.route("/ask/<int:firm_id>", methods=["GET", "POST"])
@role_required(Role.BRAND)
@verified_email_required
def ask(firm_id):
    """Ask a public firm for an introduction, optionally about one of the brand's needs."""
    firm = service.askable_firm(firm_id)
    need_id = request.args.get("need_id", type=int)
    need = needs.need_for(need_id, current_user, owner=True) if need_id else None
    existing = service.open_introduction(current_user, firm.id, need_id)
    form = AskForm()
    if existing is None and form.validate_on_submit():
        try:
            intro = service.request_introduction(current_user, firm, form.message.data, need)
        except service.AlreadyOpen as error:
            existing = error.existing
        except service.IntroductionRefused as error:
            form.message.errors = [*form.message.errors, str(error)]
        else:
            if intro.brokered:
                flash(_brokered_message(firm), "info")
            else:
                flash(_("Your request is on its way to %(firm)s.", firm=firm.display_name), "success")
            return redirect(url_for(".show", intro_id=intro.id))
    return render_template("introductions/ask.html", form=form, firm=firm, need=need, existing=existing)


def _brokered_message(firm) -> str:
    """What a brand is told at once when nobody runs the firm's listing: who handles it, and how long."""
    days, measured = brokering.usual_turnaround()
    how_long = (
        _("It usually takes %(days)s days, measured over recent brokered requests.", days=days)
        if measured
        else _(
            "It usually takes about %(days)s days (an estimate: too few brokered requests yet to measure).", days=days
        )
    )
    return " ".join(
        (
            _(
                "Nobody runs the listing of %(firm)s on the portal yet, so EDB staff broker your request: they "
                "contact the firm and tell you here what it said.",
                firm=firm.display_name,
            ),
            how_long,
        )
    )


def _forms(intro: Introduction, **bound) -> dict:
    """The page's forms for this viewer, each with the version shown; a form that failed comes in `bound`."""
    forms = {
        "accept_form": AcceptForm(prefix="accept", formdata=None, version=intro.version),
        "decline_form": DeclineForm(prefix="decline", formdata=None, version=intro.version),
        "withdraw_form": WithdrawForm(prefix="withdraw", formdata=None, version=intro.version),
        "message_form": ThreadMessageForm(prefix="message", formdata=None),
        "stage_form": StageForm(prefix="stage", formdata=None, version=intro.version),
        "broker_form": BrokerForm(prefix="broker", formdata=None, version=intro.version),
        "claim_invite_form": ClaimInviteForm(prefix="claim_invite", formdata=None),
    }
    forms.update(bound)
    # Offer only later stages; a posted form accepts any, so a backward move gets the service's
    # clear refusal rather than "not a valid choice".
    forms["stage_form"].offer(service.next_stages(intro))
    return forms


def _render(intro: Introduction, **bound):
    user = current_user
    return render_template(
        "introductions/show.html",
        intro=intro,
        contacts=service.contacts_for(intro, user),
        show_need=service.can_view_need(intro, user),
        can_answer=service.can_answer(intro, user),
        can_withdraw=service.can_withdraw(intro, user),
        can_post=service.can_post(intro, user),
        can_move=service.can_move_stage(intro, user),
        is_firm_side=service.is_firm_side(intro, user),
        is_party=service.is_party(intro, user),
        actor_name=lambda actor: service.actor_name(intro, actor, user),
        turnaround=brokering.usual_turnaround() if intro.brokered else None,
        next_step=next((s for s in service.next_stages(intro) if s in MOVE_VERBS), None),
        move_verbs=MOVE_VERBS,
        close_verbs=CLOSE_VERBS,
        closing=CLOSING,
        can_broker=user.is_staff and intro.brokered,
        **_forms(intro, **bound),
    )


@bp.route("/<int:intro_id>")
@role_required(Role.BRAND, Role.SUPPLIER, Role.STAFF)
def show(intro_id):
    """One introduction: the request, the answer, contacts once accepted, the thread and the stages."""
    return _render(service.introduction_for(intro_id, current_user))


def _party_introduction(intro_id: int) -> Introduction:
    """The introduction for a viewer who may act on it: 404 if they cannot see it, 403 for staff."""
    intro = service.introduction_for(intro_id, current_user)
    if not service.is_party(intro, current_user):
        abort(403)
    return intro


def _run_form(intro_id: int, form_class, act, success: str, load=_party_introduction, ask_first: bool = False):
    """Run one form's act on the introduction. The form's own errors show next to its fields; a
    refusal (already answered, a backward move, someone else acted first) is flashed over the page;
    an act that is not this side's to make raises `NotAllowed`, answered 403.
    `ask_first`: an act that cannot be undone runs only once its "I understand" box is ticked."""
    intro = load(intro_id)
    form = form_class(prefix=form_class.form_name)
    if not form.validate_on_submit():
        return _render(intro, **{f"{form_class.form_name}_form": form})
    if ask_first and not confirmed():
        return redirect(url_for(".show", intro_id=intro.id, _anchor=form_class.form_name))
    attempt(lambda: act(intro, form), success, service.IntroductionRefused)
    return redirect(url_for(".show", intro_id=intro.id, _anchor=form_class.form_name))


@bp.post("/<int:intro_id>/accept")
@role_required(Role.SUPPLIER)
def accept(intro_id):
    """A member of the firm accepts the request."""
    return _run_form(
        intro_id,
        AcceptForm,
        lambda intro, form: service.accept(intro, current_user, form.version.data),
        _("Accepted: you and the brand now see each other's contact details."),
    )


@bp.post("/<int:intro_id>/decline")
@role_required(Role.SUPPLIER)
def decline(intro_id):
    """A member of the firm declines the request, optionally with a reason."""
    return _run_form(
        intro_id,
        DeclineForm,
        lambda intro, form: service.decline(intro, current_user, form.reason.data, form.version.data),
        _("Declined. The brand has been told."),
    )


@bp.post("/<int:intro_id>/withdraw")
@role_required(Role.BRAND)
def withdraw(intro_id):
    """The brand user takes back a request the firm has not answered, optionally with a reason."""
    return _run_form(
        intro_id,
        WithdrawForm,
        lambda intro, form: service.withdraw(intro, current_user, form.reason.data, form.version.data),
        _("Request withdrawn. The firm has been told; you may ask it again later."),
        ask_first=True,
    )


@bp.post("/<int:intro_id>/messages")
@role_required(Role.BRAND, Role.SUPPLIER)
def post_message(intro_id):
    """Either side writes in the thread."""
    return _run_form(
        intro_id,
        ThreadMessageForm,
        lambda intro, form: service.post_message(intro, current_user, form.text.data),
        _("Message sent."),
    )


@bp.post("/<int:intro_id>/stage")
@role_required(Role.BRAND, Role.SUPPLIER)
def move_stage(intro_id):
    """Either side moves the introduction forward."""
    return _run_form(
        intro_id,
        StageForm,
        lambda intro, form: service.move_stage(
            intro, current_user, form.stage.data, form.outcome.data, form.version.data
        ),
        _("Stage changed."),
        ask_first=request.form.get("stage-stage") == Stage.CLOSED.value,
    )


# --- EDB staff broker requests to listings nobody runs ---------------------------------------------


def _brokered_introduction(intro_id: int) -> Introduction:
    intro = service.introduction_for(intro_id, current_user)
    if not intro.brokered:
        abort(404)
    return intro


@bp.post("/<int:intro_id>/broker")
@staff_required
def broker(intro_id):
    """Staff record what the firm said when they contacted it; the brand is told."""
    return _run_form(
        intro_id,
        BrokerForm,
        lambda intro, form: brokering.record_outcome(
            intro, current_user, form.outcome.data, form.note.data, form.version.data
        ),
        _("Outcome recorded; the brand is told."),
        load=_brokered_introduction,
    )


@bp.post("/<int:intro_id>/invite-to-claim")
@staff_required
def invite_to_claim(intro_id):
    """Staff e-mail the firm a link to claim its listing, so it answers on the portal itself."""
    return _run_form(
        intro_id,
        ClaimInviteForm,
        lambda intro, form: brokering.invite_to_claim(intro, current_user, form.email.data),
        _("Invitation sent: the link lets the firm sign up and claim its listing."),
        load=_brokered_introduction,
    )
