"""Investment pages: the public list, a firm's opportunities and data room, staff review, investors'
profiles and ranked matches, and the private thread of each interest."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal import uploads
from portal.access import role_required, staff_required, verified_email_required
from portal.accounts.models import Role
from portal.acting import attempt
from portal.forms import ConfirmForm, ThreadMessageForm, confirmed
from portal.investment import data_room, deals, opportunities, profiles, public_list, rules
from portal.investment import matches as ranked_matches
from portal.investment.forms import (
    CONSEQUENCES,
    END_VERBS,
    INSTRUMENT_LABELS,
    MOVE_VERBS,
    PURPOSE_LABELS,
    STAGE_LABELS,
    CommitmentForm,
    DocumentForm,
    InterestForm,
    InvestorProfileForm,
    OpportunityForm,
    StageForm,
)
from portal.investment.models import DEAL_STAGE_LABELS, DealStage
from portal.matching.investment import money_span
from portal.staff import queue
from portal.staff.forms import ReviewDecisionForm
from portal.suppliers import service as suppliers
from portal.taxonomy import category_choices

bp = Blueprint("investment", __name__, url_prefix="/investment")

INVESTORS = (Role.INVESTOR, Role.BRAND)
DONE = {
    "submit": _l("Submitted. EDB staff review opportunities before investors see them."),
    "close": _l("Closed: it no longer shows to investors; your threads stay open."),
    "withdraw": _l("Withdrawn."),
    "approve": _l("Published: investors can now find it."),
    "request_changes": _l("Changes requested from the firm."),
    "reject": _l("Not accepted; the firm is told why."),
}


@bp.context_processor
def labels():
    """Words for the stored values, and the rules templates ask, on every investment page."""
    return {
        "purpose_labels": PURPOSE_LABELS,
        "instrument_labels": INSTRUMENT_LABELS,
        "stage_labels": STAGE_LABELS,
        "deal_stage_labels": DEAL_STAGE_LABELS,
        "can_see_data_room": rules.can_see_data_room,
        "money_span": money_span,
    }


def _refused(error: rules.InvestmentRefused) -> None:
    flash(str(error), "danger")


# --- public --------------------------------------------------------------------------------------


@bp.route("/")
def index():
    """Published opportunities for everyone, narrowed by category, purpose, instrument and words."""
    filters = {
        name: (request.args.get(name) or "").strip()[:200] for name in ("q", "category", "purpose", "instrument")
    }
    found = public_list.listed_opportunities(
        category=filters["category"] or None,
        purpose=filters["purpose"] if filters["purpose"] in PURPOSE_LABELS else None,
        instrument=filters["instrument"] or None,
        text=filters["q"],
    )
    return render_template("investment/index.html", found=found, filters=filters, categories=category_choices())


@bp.route("/<int:opportunity_id>")
def show(opportunity_id):
    """The public summary; the firm also sees its state, data room and interests, and an investor
    whose interest the firm accepted sees the data room and the firm's contact details."""
    return _show_page(rules.opportunity_for(opportunity_id, current_user))


def _show_page(opportunity, interest_form=None, document_form=None):
    """The opportunity page, with a bound form when a post from it needs its messages shown."""
    member = rules.is_member(opportunity, current_user)
    return render_template(
        "investment/show.html",
        opportunity=opportunity,
        member=member,
        interest=rules.interest_of(opportunity, current_user),
        listed=rules.is_listed(opportunity),
        actions=opportunities.allowed_actions(opportunity) & set(opportunities.FIRM_ACTIONS) if member else set(),
        problems=opportunities.submission_problems(opportunity) if member else [],
        can_edit=member and opportunity.status in opportunities.EDITABLE,
        documents_open=member and opportunity.status in data_room.DOCUMENTS_OPEN,
        can_see_contact=rules.can_see_contact(opportunity, current_user),
        can_express_interest=rules.can_express_interest(opportunity, current_user),
        interest_form=interest_form or InterestForm(formdata=None),
        document_form=document_form or DocumentForm(formdata=None),
        confirm=ConfirmForm(),
    )


# --- the firm's side -----------------------------------------------------------------------------


@bp.route("/mine")
@role_required(Role.SUPPLIER)
def mine():
    """The opportunities of the supplier's firms, with a way to post a new one."""
    return render_template("investment/mine.html", found=opportunities.opportunities_of(current_user))


@bp.route("/firms/<int:firm_id>/new", methods=["GET", "POST"])
@bp.route("/<int:opportunity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(firm_id=None, opportunity_id=None):
    """Write an opportunity (a draft until submitted), or change a draft or one sent back."""
    opportunity = rules.opportunity_for(opportunity_id, current_user, manage=True) if opportunity_id else None
    firm = opportunity.firm if opportunity else suppliers.firm_for_member(firm_id, current_user)
    form = OpportunityForm(obj=opportunity)
    if request.method == "GET" and opportunity is not None:
        form.purpose.data = opportunity.purpose.value
        form.stage.data = opportunity.stage.value
        form.categories.data = [c.slug for c in opportunity.categories]
    if form.validate_on_submit():
        try:
            if opportunity is None:
                opportunity = opportunities.create_opportunity(firm, form.opportunity_data(), current_user)
            else:
                opportunities.update_opportunity(opportunity, form.opportunity_data(), current_user)
        except rules.InvestmentRefused as error:
            _refused(error)
        else:
            flash(_("Opportunity saved."), "success")
            return redirect(url_for("investment.show", opportunity_id=opportunity.id))
    return render_template("investment/form.html", form=form, firm=firm, opportunity=opportunity)


@bp.post("/<int:opportunity_id>/<any(submit, close, withdraw):action>")
@login_required
def act(opportunity_id, action):
    """Submit for review, close, or withdraw one of the firm's opportunities."""
    opportunity = rules.opportunity_for(opportunity_id, current_user, manage=True)
    if ConfirmForm().validate_on_submit():
        attempt(
            lambda: opportunities.firm_act(opportunity, action, current_user), DONE[action], rules.InvestmentRefused
        )
    return redirect(url_for("investment.show", opportunity_id=opportunity.id))


@bp.post("/<int:opportunity_id>/documents")
@login_required
def upload_document(opportunity_id):
    """Add a file to the data room; a refused file is named next to the field."""
    opportunity = rules.opportunity_for(opportunity_id, current_user, manage=True)
    form = DocumentForm()
    if form.validate_on_submit():
        attempt(
            lambda: data_room.add_document(opportunity, form.document.upload, form.description.data, current_user),
            _("Document added to the data room."),
            rules.InvestmentRefused,
        )
        return redirect(url_for("investment.show", opportunity_id=opportunity.id, _anchor="data-room"))
    return _show_page(opportunity, document_form=form)


@bp.post("/<int:opportunity_id>/documents/<int:document_id>/delete")
@login_required
def delete_document(opportunity_id, document_id):
    """Remove a file from the data room."""
    opportunity = rules.opportunity_for(opportunity_id, current_user, manage=True)
    document = rules.document_for(opportunity.id, document_id, current_user)
    if ConfirmForm().validate_on_submit():
        attempt(
            lambda: data_room.delete_document(document, current_user), _("Document removed."), rules.InvestmentRefused
        )
    return redirect(url_for("investment.show", opportunity_id=opportunity.id, _anchor="data-room"))


@bp.route("/<int:opportunity_id>/documents/<int:document_id>")
@login_required
def document(opportunity_id, document_id):
    """A data-room file, always a download, for those the data room is open to."""
    item = rules.document_for(opportunity_id, document_id, current_user)
    return uploads.send_stored(item.path, item.filename, item.mimetype)


@bp.route("/<int:opportunity_id>/investors")
@login_required
def investors(opportunity_id):
    """Investors whose profiles fit the firm's opportunity, best first, with the reasons."""
    opportunity = rules.opportunity_for(opportunity_id, current_user, manage=True)
    ranked = ranked_matches.investors_for(opportunity) if rules.is_listed(opportunity) else None
    return render_template("investment/investors.html", opportunity=opportunity, ranked=ranked)


# --- staff review --------------------------------------------------------------------------------


@bp.route("/<int:opportunity_id>/review")
@staff_required
def review(opportunity_id):
    """Everything about one opportunity, with the reviewer's decisions."""
    opportunity = rules.opportunity_for(opportunity_id, current_user)
    waiting = queue.review_queue(limit=2)
    next_item = next((i for i in waiting if not (i.kind == "investment" and i.subject.id == opportunity.id)), None)
    return render_template(
        "investment/review.html",
        opportunity=opportunity,
        firm=opportunity.firm,
        actions=opportunities.allowed_actions(opportunity) & set(opportunities.REVIEW_ACTIONS),
        form=ReviewDecisionForm(version=opportunity.version),
        next_item=next_item,
    )


@bp.post("/<int:opportunity_id>/review/<any(approve, request_changes, reject):action>")
@staff_required
def decide(opportunity_id, action):
    """Apply a reviewer's decision, refusing it if someone decided or changed the opportunity meanwhile."""
    opportunity = rules.opportunity_for(opportunity_id, current_user)
    form = ReviewDecisionForm()
    if not form.validate_on_submit():
        flash(_("The decision could not be read; reload the page and try again."), "danger")
    else:
        attempt(
            lambda: opportunities.review(opportunity, action, current_user, form.reason.data or "", form.version.data),
            DONE[action],
            rules.InvestmentRefused,
        )
    return redirect(url_for("investment.review", opportunity_id=opportunity.id))


# --- the investor's side -------------------------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
@role_required(*INVESTORS)
def profile():
    """What the investor looks for: matching ranks opportunities by it."""
    saved = profiles.profile_of(current_user)
    form = InvestorProfileForm(obj=saved)
    if request.method == "GET" and saved is None:
        form.organisation.data = current_user.organisation
    if form.validate_on_submit():
        profiles.save_profile(current_user, form.profile_data())
        flash(_("Profile saved."), "success")
        return redirect(url_for("investment.matches"))
    return render_template("investment/profile.html", form=form)


@bp.route("/matches")
@role_required(*INVESTORS)
def matches():
    """Published opportunities ranked for the investor's profile, with what fits and what does not."""
    saved = profiles.profile_of(current_user)
    ranked = ranked_matches.matches_for_investor(saved) if saved else None
    return render_template(
        "investment/matches.html", profile=saved, ranked=ranked, interests=deals.interests_of(current_user)
    )


@bp.post("/<int:opportunity_id>/interest")
@role_required(*INVESTORS)
@verified_email_required
def express_interest(opportunity_id):
    """Tell the firm the investor is interested, with a first message."""
    opportunity = rules.opportunity_for(opportunity_id, current_user)
    form = InterestForm()
    if not form.validate_on_submit():
        return _show_page(opportunity, interest_form=form)
    try:
        interest = deals.express_interest(opportunity, current_user, form.message.data)
    except rules.InvestmentRefused as error:
        _refused(error)
        return redirect(url_for("investment.show", opportunity_id=opportunity.id))
    flash(_("Interest sent. The firm decides whether to open its data room to you."), "success")
    return redirect(url_for("investment.interest", interest_id=interest.id))


def _stage_choices(item):
    return [(s, DEAL_STAGE_LABELS[s]) for s in rules.moves_for(item, current_user)]


def _offered_moves(item) -> list[tuple[DealStage, str, str | None]]:
    """The buttons this side sees now: the next step, then ending the talks, each named as a verb,
    with what it does when it cannot be undone. The service still accepts skipping a step."""
    moves = rules.moves_for(item, current_user)
    forward = [s for s in moves if s != DealStage.DECLINED][:1]
    side = "firm" if rules.is_member(item.opportunity, current_user) else "investor"
    offered = [(s, MOVE_VERBS[s], CONSEQUENCES.get(s)) for s in forward]
    if DealStage.DECLINED in moves:
        offered.append((DealStage.DECLINED, END_VERBS[side], CONSEQUENCES[DealStage.DECLINED]))
    return offered


@bp.route("/interests/<int:interest_id>", methods=["GET", "POST"])
@login_required
def interest(interest_id):
    """The private thread of one interest, its stage, and what each side may do next."""
    item = rules.interest_for(interest_id, current_user)
    form = ThreadMessageForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            deals.post_message(item, current_user, form.text.data)
        except rules.InvestmentRefused as error:
            _refused(error)
        else:
            return redirect(url_for("investment.interest", interest_id=item.id, _anchor="thread-end"))
    return _interest_page(item, form=form)


def _interest_page(item, form=None, stage_form=None, commitment_form=None):
    """The thread page, with a bound form when a post from it needs its messages shown."""
    return render_template(
        "investment/interest.html",
        interest=item,
        opportunity=item.opportunity,
        form=form or ThreadMessageForm(formdata=None),
        stage_form=stage_form or StageForm(formdata=None, stages=_stage_choices(item)),
        commitment_form=commitment_form or CommitmentForm(formdata=None),
        confirm=ConfirmForm(),
        member=rules.is_member(item.opportunity, current_user),
        can_decide=rules.can_decide_interest(item, current_user),
        can_move=rules.can_move_stage(item, current_user),
        moves=_offered_moves(item),
        decline_consequence=CONSEQUENCES[DealStage.DECLINED],
        can_post=deals.can_post_message(item, current_user),
        can_record=rules.can_record_commitment(item, current_user),
        can_see_contact=rules.can_see_contact(item.opportunity, current_user),
        can_see_investor_contact=rules.can_see_investor_contact(item, current_user),
        pipeline=rules.PIPELINE,
    )


@bp.post("/interests/<int:interest_id>/<any(accept, decline):decision>")
@login_required
def decide_interest(interest_id, decision):
    """The firm accepts (opening its data room and contact details) or declines an interest."""
    item = rules.interest_for(interest_id, current_user)
    if not rules.is_member(item.opportunity, current_user):
        abort(404)
    if decision == "decline" and not confirmed():
        return redirect(url_for("investment.interest", interest_id=item.id))
    if ConfirmForm().validate_on_submit():
        try:
            deals.decide_interest(item, current_user, accept=decision == "accept")
        except rules.InvestmentRefused as error:
            _refused(error)
        else:
            flash(
                _("Accepted: the investor now sees your data room and contact details.")
                if decision == "accept"
                else _("Declined."),
                "success",
            )
    return redirect(url_for("investment.interest", interest_id=item.id))


@bp.post("/interests/<int:interest_id>/stage")
@login_required
def move_stage(interest_id):
    """Either side moves the deal forward, or declines it."""
    item = rules.interest_for(interest_id, current_user)
    form = StageForm(stages=_stage_choices(item))
    if not form.validate_on_submit():
        return _interest_page(item, stage_form=form)
    stage = DealStage(form.stage.data)
    if stage in CONSEQUENCES and not confirmed():
        return redirect(url_for("investment.interest", interest_id=item.id))
    attempt(
        lambda: deals.move_stage(item, current_user, stage),
        _("The deal is now at: %(stage)s.", stage=DEAL_STAGE_LABELS[stage]),
        rules.InvestmentRefused,
    )
    return redirect(url_for("investment.interest", interest_id=item.id))


@bp.post("/interests/<int:interest_id>/commitment")
@login_required
def record_commitment(interest_id):
    """The firm records the amount committed in a closed deal."""
    item = rules.interest_for(interest_id, current_user)
    form = CommitmentForm()
    if not form.validate_on_submit():
        return _interest_page(item, commitment_form=form)
    attempt(
        lambda: deals.record_commitment(item, current_user, form.amount.data),
        _("Committed amount recorded."),
        rules.InvestmentRefused,
    )
    return redirect(url_for("investment.interest", interest_id=item.id))
