"""Investment opportunities: who may see and do what, an opportunity's life under staff review,
investors' profiles, interests with their private threads and deal stages, the matches both ways,
and the pipeline figures the localization dashboard counts.

Each permission rule is one function here, and pages call it; a refusal answers 404, as for
something that does not exist. Each act is one transaction with its audit entry.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import audit, contacts, uploads
from portal.accounts.models import Role
from portal.compliance.service import excluded_firm_ids, is_excluded_from_matching
from portal.extensions import db
from portal.i18n import N_, Name, Phrase, Refusal
from portal.investment.models import (
    DEAL_STAGE_LABELS,
    DealStage,
    Interest,
    InterestMessage,
    InterestStageChange,
    InvestorProfile,
    Opportunity,
    OpportunityDocument,
    OpportunityStatus,
    opportunity_category,
)
from portal.mail import portal_path
from portal.matching.investment import (
    InvestmentMatch,
    InvestorFacts,
    OpportunityFacts,
    rank_investors,
    rank_opportunities,
)
from portal.notifications.service import notify_all
from portal.search.analysis import terms
from portal.stages import StageMachine
from portal.suppliers import service as suppliers
from portal.suppliers.models import Firm, ListingStatus
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import today, utcnow
from portal.transactions import check_version, one_act

S = OpportunityStatus
FIELDS = ("title", "purpose", "amount_min", "amount_max", "currency", "instruments", "stage", "use_of_funds",
          "show_amount")  # fmt: skip
PROFILE_FIELDS = ("organisation", "categories", "ticket_min", "ticket_max", "currency", "instruments", "provinces",
                  "stages")  # fmt: skip

# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "submit": ({S.DRAFT, S.CHANGES_REQUESTED}, S.SUBMITTED),
    "approve": ({S.SUBMITTED}, S.PUBLISHED),
    "request_changes": ({S.SUBMITTED}, S.CHANGES_REQUESTED),
    "reject": ({S.SUBMITTED}, S.REJECTED),
    "close": ({S.PUBLISHED}, S.CLOSED),
    "withdraw": ({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED}, S.WITHDRAWN),
}
FIRM_ACTIONS = ("submit", "close", "withdraw")
EDITABLE = {S.DRAFT, S.CHANGES_REQUESTED}
# The data room stays open to change until the opportunity ends.
DOCUMENTS_OPEN = {S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED}

# The road a deal travels; `declined` leaves it from any point.
PIPELINE = (DealStage.INTEREST, DealStage.NDA, DealStage.DUE_DILIGENCE, DealStage.TERM_SHEET, DealStage.CLOSED)


class InvestmentRefused(Refusal):
    """The act does not apply as things are; the message is for the person acting."""


class ChangedMeanwhile(InvestmentRefused):
    """Someone else acted on the same opportunity or interest after the page was loaded."""

    def __init__(self):
        super().__init__(
            N_("Someone else changed this while you were looking at it; reload the page and decide again.")
        )


def _refused(state: S, _target: S) -> InvestmentRefused:
    return InvestmentRefused(N_("This opportunity is “%(status)s”; that is no longer possible."), status=state.label)


OPPORTUNITY_STAGES = StageMachine("investment", TRANSITIONS, _refused)


# --- who may see and do what -------------------------------------------------------------------


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def _is_staff(user) -> bool:
    return _signed_in(user) and user.is_staff


def is_investor(user) -> bool:
    """Investors, and brands that invest, keep a profile and express interest."""
    return _signed_in(user) and user.has_role(Role.INVESTOR, Role.BRAND)


def is_member(opportunity: Opportunity, user) -> bool:
    """The firm's people manage its opportunities."""
    return suppliers.can_edit(opportunity.firm, user)


def is_listed(opportunity: Opportunity, excluded: set[int] | None = None) -> bool:
    """Public and matchable: published, the firm's listing public, and no compliance decision keeping
    the firm out today. `excluded` (firm ids) saves a query per opportunity in a list."""
    if opportunity.status != S.PUBLISHED or not opportunity.firm.is_public:
        return False
    if excluded is not None:
        return opportunity.firm_id not in excluded
    return not is_excluded_from_matching(opportunity.firm)


def can_view(opportunity: Opportunity, user) -> bool:
    """The public summary of a listed opportunity is for everyone; the rest for its firm and staff."""
    return is_listed(opportunity) or is_member(opportunity, user) or _is_staff(user)


def interest_of(opportunity: Opportunity, user) -> Interest | None:
    if not _signed_in(user):
        return None
    return next((i for i in opportunity.interests if i.investor_id == user.id), None)


def can_see_data_room(opportunity: Opportunity, user) -> bool:
    """The firm's people and staff (who review it); an investor only once the firm accepted that
    investor's interest, and no longer after the deal is declined."""
    if is_member(opportunity, user) or _is_staff(user):
        return True
    interest = interest_of(opportunity, user)
    return interest is not None and interest.firm_consented


def accepted_investor_of(firm: Firm, user) -> bool:
    """Whether the firm accepted this investor's interest in one of its opportunities (and the deal
    is not declined): then the firm's contact details are open to them, on its profile too."""
    if not _signed_in(user):
        return False
    found = (
        select(Interest.id)
        .join(Opportunity)
        .where(
            Opportunity.firm_id == firm.id,
            Interest.investor_id == user.id,
            Interest.accepted_at.is_not(None),
            Interest.stage != DealStage.DECLINED,
        )
    )
    return db.session.scalar(found.limit(1)) is not None


def can_see_contact(opportunity: Opportunity, user) -> bool:
    """The firm's contact details: its own people and staff; an investor as `contacts.shared` says
    (the consent that opens the data room)."""
    if is_member(opportunity, user) or _is_staff(user):
        return True
    interest = interest_of(opportunity, user)
    return interest is not None and contacts.shared(firm_consented=interest.firm_consented, viewer_is_party=True)


def can_see_investor_contact(interest: Interest, user) -> bool:
    """The investor's e-mail, for the firm: as `contacts.shared` says, not before the firm accepts
    (as a brand's contacts in an introduction)."""
    return contacts.shared(firm_consented=interest.firm_consented, viewer_is_party=can_see_interest(interest, user))


def can_express_interest(opportunity: Opportunity, user) -> bool:
    """An investor or brand, once per opportunity, while it is listed."""
    return is_investor(user) and is_listed(opportunity) and interest_of(opportunity, user) is None


def can_see_interest(interest: Interest, user) -> bool:
    """A thread is the investor's and the firm's alone: no other investor, and not staff either."""
    return _signed_in(user) and (interest.investor_id == user.id or is_member(interest.opportunity, user))


def can_decide_interest(interest: Interest, user) -> bool:
    """The firm accepts or declines an interest once."""
    return is_member(interest.opportunity, user) and not interest.accepted and interest.stage == DealStage.INTEREST


def next_stages(interest: Interest) -> list[DealStage]:
    """Stages the deal may move to: forward along the pipeline once accepted; declined at any time."""
    if not interest.is_open:
        return []
    forward = list(PIPELINE[PIPELINE.index(interest.stage) + 1 :]) if interest.accepted else []
    return [*forward, DealStage.DECLINED]


def moves_for(interest: Interest, user) -> list[DealStage]:
    """The stages this side may move the deal to now. Before the firm answers, the firm accepts or
    declines (`decide_interest`) and the investor may only withdraw; after, either side moves it on."""
    if not can_see_interest(interest, user):
        return []
    if not interest.accepted and is_member(interest.opportunity, user):
        return []
    return next_stages(interest)


def can_move_stage(interest: Interest, user) -> bool:
    """Either side moves the deal on (or ends it) while it is open."""
    return bool(moves_for(interest, user))


def can_post_message(interest: Interest, user) -> bool:
    return can_see_interest(interest, user) and interest.stage != DealStage.DECLINED


def can_record_commitment(interest: Interest, user) -> bool:
    """The firm says how much was committed once the deal is closed."""
    return is_member(interest.opportunity, user) and interest.stage == DealStage.CLOSED


def opportunity_for(opportunity_id: int, user=None, *, manage: bool = False) -> Opportunity:
    """The opportunity if `user` may see it (or manage it, when asked); 404 otherwise."""
    user = user or current_user
    opportunity = db.session.get(Opportunity, opportunity_id)
    if opportunity is None:
        abort(404)
    allowed = is_member(opportunity, user) if manage else can_view(opportunity, user)
    if not allowed:
        abort(404)
    return opportunity


def interest_for(interest_id: int, user=None) -> Interest:
    """The interest if `user` is its investor or belongs to the firm; 404 for everyone else."""
    user = user or current_user
    interest = db.session.get(Interest, interest_id)
    if interest is None or not can_see_interest(interest, user):
        abort(404)
    return interest


def document_for(opportunity_id: int, document_id: int, user=None) -> OpportunityDocument:
    """A data-room document for someone the data room is open to; 404 otherwise. Whether the
    opportunity is still listed does not matter here: the firm's consent does."""
    document = db.session.get(OpportunityDocument, document_id)
    if document is None or document.opportunity_id != opportunity_id:
        abort(404)
    if not can_see_data_room(document.opportunity, user or current_user):
        abort(404)
    return document


# --- one transaction per act ---------------------------------------------------------------------


_transaction = partial(one_act, ChangedMeanwhile)


# The event kinds of this module, as the notification kinds users can turn e-mail off for.
NOTICE_KINDS = {
    "investment_published": "investment_review",
    "investment_request_changes": "investment_review",
    "investment_reject": "investment_review",
    "investment_interest": "investment_interest",
    "investment_interest_accepted": "investment_answer",
    "investment_interest_declined": "investment_answer",
    "investment_stage": "investment_stage",
    "investment_message": "investment_message",
}


def _notify(recipients, subject, body, link: str, kind: str, key: str) -> None:
    """A notice (and its e-mail, unless turned off) for each recipient, once per event `key`."""
    notify_all(recipients, NOTICE_KINDS[kind], f"{kind}:{key}", subject, body, link)


def _firm_people(opportunity: Opportunity) -> list:
    return [m.user for m in opportunity.firm.members]


# --- opportunities -------------------------------------------------------------------------------


def opportunities_of(user) -> list[tuple[Firm, list[Opportunity]]]:
    """Each of the user's firms with its opportunities, newest first."""
    found = []
    for firm in suppliers.firms_of(user):
        rows = db.session.scalars(
            select(Opportunity).where(Opportunity.firm_id == firm.id).order_by(Opportunity.created_at.desc())
        )
        found.append((firm, list(rows)))
    return found


def _snapshot(obj, fields) -> dict:
    """audit.snapshot with amounts as exact strings (the trail is JSON, which has no decimals)."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in audit.snapshot(obj, fields).items()}


def _facts(opportunity: Opportunity) -> dict:
    return {**_snapshot(opportunity, FIELDS), "category_slugs": sorted(c.slug for c in opportunity.categories)}


def _apply(opportunity: Opportunity, data: dict) -> None:
    for name in FIELDS:
        setattr(opportunity, name, data.get(name))
    slugs = data.get("category_slugs") or []
    opportunity.categories = list(
        db.session.scalars(select(ComponentCategory).where(ComponentCategory.slug.in_(slugs)))
    )


def create_opportunity(firm: Firm, data: dict, by) -> Opportunity:
    """Start a draft; any member firm may write one, only a verified firm may submit it."""
    with _transaction():
        opportunity = Opportunity(firm=firm, created_by_id=by.id, status=S.DRAFT)
        db.session.add(opportunity)
        _apply(opportunity, data)
        db.session.flush()
        audit.record("investment.created", opportunity, actor=by, after=_facts(opportunity), firm_id=firm.id)
    return opportunity


def update_opportunity(opportunity: Opportunity, data: dict, by) -> None:
    if opportunity.status not in EDITABLE:
        raise InvestmentRefused(
            N_(
                "Only a draft, or an opportunity staff sent back for changes, can be edited; withdraw it and post a new one."
            )
        )
    before = _facts(opportunity)
    with _transaction():
        _apply(opportunity, data)
        after = _facts(opportunity)
        if after != before:
            audit.record(
                "investment.updated", opportunity, actor=by, before=before, after=after, firm_id=opportunity.firm_id
            )


def allowed_actions(opportunity: Opportunity) -> set[str]:
    return OPPORTUNITY_STAGES.allowed(opportunity.status)


def submission_problems(opportunity: Opportunity) -> list[str]:
    """Why the firm may not put the opportunity before investors now: the firm rules of the portal."""
    firm = opportunity.firm
    problems = []
    if firm.status != ListingStatus.VERIFIED:
        problems.append(N_("The firm's listing must be verified by EDB before it can offer an investment opportunity."))
    if firm.suspended:
        problems.append(N_("The firm's listing is suspended; opportunities wait until EDB reinstates it."))
    if is_excluded_from_matching(firm):
        problems.append(
            N_(
                "A compliance decision (incentives withdrawn or licence suspended) keeps the firm out of matching for now."
            )
        )
    return problems


def _transition(opportunity: Opportunity, action: str, by, expected_version: int | None = None, note: str = ""):
    """Check and apply one move of the table above, with its audit entry, in the caller's transaction."""
    check_version(opportunity, expected_version, ChangedMeanwhile)
    OPPORTUNITY_STAGES.move(opportunity, action, by, note=note, firm_id=opportunity.firm_id)


def submit(opportunity: Opportunity, by) -> None:
    problems = submission_problems(opportunity)
    if problems:
        raise InvestmentRefused.of_all(problems)
    with _transaction():
        _transition(opportunity, "submit", by)
        opportunity.submitted_at = utcnow()
        opportunity.review_reason = ""


def close(opportunity: Opportunity, by) -> None:
    """The firm found its capital or partner (or stops looking): off the public list, threads stay."""
    with _transaction():
        _transition(opportunity, "close", by)


def withdraw(opportunity: Opportunity, by) -> None:
    with _transaction():
        _transition(opportunity, "withdraw", by)


def firm_act(opportunity: Opportunity, action: str, by) -> None:
    {"submit": submit, "close": close, "withdraw": withdraw}[action](opportunity, by)


def _tell_firm(opportunity: Opportunity, subject, body, kind: str) -> None:
    link = portal_path("investment.show", opportunity_id=opportunity.id)
    _notify(_firm_people(opportunity), subject, body, link, kind, f"{opportunity.id}:{opportunity.version}")


def approve(opportunity: Opportunity, by, expected_version: int | None = None) -> None:
    """Publish the opportunity, if its firm still may offer one."""
    check_version(opportunity, expected_version, ChangedMeanwhile)
    problems = submission_problems(opportunity)
    if problems:
        raise InvestmentRefused.of_all(problems)
    with _transaction():
        _transition(opportunity, "approve", by, expected_version)
        opportunity.published_at = utcnow()
        opportunity.review_reason = ""
        _tell_firm(
            opportunity,
            _l("Published: %(title)s", title=opportunity.title),
            _l("EDB staff approved your investment opportunity; investors can now find it."),
            "investment_published",
        )


def _decide_with_reason(opportunity: Opportunity, action: str, by, reason: str, expected_version, subject, body):
    reason = (reason or "").strip()
    if not reason:
        raise InvestmentRefused(N_("Give the reason; the firm reads it."))
    with _transaction():
        _transition(opportunity, action, by, expected_version, note=reason)
        opportunity.review_reason = reason
        _tell_firm(opportunity, subject, lambda: f"{body}\n\n{reason}", f"investment_{action}")


def request_changes(opportunity: Opportunity, by, reason: str, expected_version: int | None = None) -> None:
    _decide_with_reason(
        opportunity,
        "request_changes",
        by,
        reason,
        expected_version,
        _l("Changes requested: %(title)s", title=opportunity.title),
        _l("EDB staff reviewed your investment opportunity and ask for these changes before publishing it:"),
    )


def reject(opportunity: Opportunity, by, reason: str, expected_version: int | None = None) -> None:
    _decide_with_reason(
        opportunity,
        "reject",
        by,
        reason,
        expected_version,
        _l("Not accepted: %(title)s", title=opportunity.title),
        _l("EDB staff did not accept your investment opportunity:"),
    )


REVIEW_ACTIONS = {"approve": approve, "request_changes": request_changes, "reject": reject}


def review(opportunity: Opportunity, action: str, by, reason: str, expected_version: int | None) -> None:
    """Staff's decision; approving needs no reason, the other two do."""
    if action == "approve":
        approve(opportunity, by, expected_version)
    else:
        REVIEW_ACTIONS[action](opportunity, by, reason, expected_version)


# --- the data room ---------------------------------------------------------------------------------


def add_document(opportunity: Opportunity, upload: tuple[bytes, str], description: str, by) -> OpportunityDocument:
    """Store a PDF or image under the upload rules (checked by content, at most 10 MB)."""
    if opportunity.status not in DOCUMENTS_OPEN:
        raise InvestmentRefused(N_("This opportunity has ended; its data room no longer changes."))
    stored = uploads.store_document(upload, InvestmentRefused)
    with _transaction(stored.path):
        document = OpportunityDocument(
            opportunity=opportunity, **stored.columns(), description=(description or "").strip()
        )
        db.session.add(document)
        db.session.flush()
        audit.record(
            "investment.document_added",
            document,
            actor=by,
            after={"filename": stored.filename, "description": document.description},
            firm_id=opportunity.firm_id,
        )
    return document


def delete_document(document: OpportunityDocument, by) -> None:
    opportunity = document.opportunity
    if opportunity.status not in DOCUMENTS_OPEN:
        raise InvestmentRefused(N_("This opportunity has ended; its data room no longer changes."))
    path = document.path
    with _transaction():
        audit.record(
            "investment.document_deleted",
            document,
            actor=by,
            before={"filename": document.filename},
            firm_id=opportunity.firm_id,
        )
        db.session.delete(document)
    uploads.discard(path)


# --- investors' profiles -------------------------------------------------------------------------


def profile_of(user) -> InvestorProfile | None:
    return db.session.scalar(select(InvestorProfile).where(InvestorProfile.user_id == user.id))


def save_profile(user, data: dict) -> InvestorProfile:
    profile = profile_of(user)
    before = _snapshot(profile, PROFILE_FIELDS) if profile else None
    with _transaction():
        if profile is None:
            profile = InvestorProfile(user_id=user.id)
            db.session.add(profile)
        for name in PROFILE_FIELDS:
            setattr(profile, name, data.get(name))
        db.session.flush()
        audit.record(
            "investor_profile.saved", profile, actor=user, before=before, after=_snapshot(profile, PROFILE_FIELDS)
        )
    return profile


# --- interests, threads and deal stages ----------------------------------------------------------


def interests_of(user) -> list[Interest]:
    """The investor's own interests, newest first."""
    return list(
        db.session.scalars(select(Interest).where(Interest.investor_id == user.id).order_by(Interest.created_at.desc()))
    )


def _enter_stage(interest: Interest, stage: DealStage, by) -> None:
    db.session.add(
        InterestStageChange(interest=interest, from_stage=interest.stage, to_stage=stage, by_id=by.id, at=utcnow())
    )
    interest.stage = stage


def _tell_other_side(interest: Interest, by, subject, body, kind: str, event: object = "") -> None:
    """Tell the investor when the firm acted, and the firm's people when the investor did."""
    recipients = _firm_people(interest.opportunity) if by.id == interest.investor_id else [interest.investor]
    link = portal_path("investment.interest", interest_id=interest.id)
    _notify(recipients, subject, body, link, kind, f"{interest.id}:{event}")


def express_interest(opportunity: Opportunity, user, message: str) -> Interest:
    """An investor's first word to the firm; the firm sees the investor and the message, nothing opens yet."""
    message = (message or "").strip()
    if not message:
        raise InvestmentRefused(N_("Write a message to the firm."))
    if not can_express_interest(opportunity, user):
        raise InvestmentRefused(N_("You have already expressed interest, or the opportunity is no longer open."))
    with _transaction():
        interest = Interest(opportunity=opportunity, investor_id=user.id, stage=DealStage.INTEREST)
        db.session.add(interest)
        db.session.add(
            InterestStageChange(interest=interest, from_stage=None, to_stage=DealStage.INTEREST, by_id=user.id)
        )
        db.session.add(InterestMessage(interest=interest, author_id=user.id, text=message, at=utcnow()))
        db.session.flush()
        # The message itself stays in the thread: the audit trail is read by staff, the thread is not.
        audit.record(
            "investment.interest_expressed",
            interest,
            actor=user,
            after={"opportunity_id": opportunity.id, "stage": DealStage.INTEREST},
            firm_id=opportunity.firm_id,
        )
        _tell_other_side(
            interest,
            user,
            _l("Investor interest in %(title)s", title=opportunity.title),
            _l(
                "%(name)s (%(organisation)s) is interested in your opportunity “%(title)s”. "
                "Read the message and accept or decline the interest:",
                name=user.full_name,
                organisation=user.organisation or _l("investor"),
                title=opportunity.title,
            ),
            "investment_interest",
        )
    return interest


def decide_interest(interest: Interest, by, accept: bool) -> None:
    """Accepting opens the data room and the firm's contact details to this investor alone."""
    if not can_decide_interest(interest, by):
        raise InvestmentRefused(N_("This interest was already answered."))
    with _transaction():
        if accept:
            interest.accepted_at = utcnow()
        else:
            _enter_stage(interest, DealStage.DECLINED, by)
        audit.record(
            "investment.interest_accepted" if accept else "investment.interest_declined",
            interest,
            actor=by,
            after={"accepted": accept},
            firm_id=interest.opportunity.firm_id,
        )
        title = interest.opportunity.title
        _tell_other_side(
            interest,
            by,
            _l("Accepted: your interest in %(title)s", title=title)
            if accept
            else _l("Declined: your interest in %(title)s", title=title),
            _l(
                "%(firm)s accepted your interest: the data room and their contact details are open to you.",
                firm=interest.opportunity.firm.display_name,
            )
            if accept
            else _l(
                "%(firm)s declined your interest in “%(title)s”.",
                firm=interest.opportunity.firm.display_name,
                title=title,
            ),
            "investment_interest_accepted" if accept else "investment_interest_declined",
        )


def move_stage(interest: Interest, by, stage: DealStage) -> None:
    """Forward along the pipeline (or to declined), by either side, with the time it happened."""
    stage = DealStage(stage)
    if stage not in moves_for(interest, by):
        raise InvestmentRefused(N_("The deal cannot move to that stage from where it stands."))
    before = interest.stage
    with _transaction():
        _enter_stage(interest, stage, by)
        audit.record(
            "investment.stage_moved",
            interest,
            actor=by,
            before={"stage": before},
            after={"stage": stage},
            firm_id=interest.opportunity.firm_id,
        )
        _tell_other_side(
            interest,
            by,
            lambda: f"{interest.opportunity.title}: {DEAL_STAGE_LABELS[stage]}",
            _l(
                "%(name)s moved the deal from %(before)s to %(after)s.",
                name=by.full_name,
                before=DEAL_STAGE_LABELS[before],
                after=DEAL_STAGE_LABELS[stage],
            ),
            "investment_stage",
            stage.value,
        )


def post_message(interest: Interest, by, text: str) -> InterestMessage:
    text = (text or "").strip()
    if not text:
        raise InvestmentRefused(N_("Write the message first."))
    if not can_post_message(interest, by):
        raise InvestmentRefused(N_("This thread is closed."))
    with _transaction():
        message = InterestMessage(interest=interest, author_id=by.id, text=text, at=utcnow())
        db.session.add(message)
        interest.updated_at = utcnow()
        db.session.flush()
        audit.record(
            "investment.message_posted",
            interest,
            actor=by,
            after={"message_id": message.id},
            firm_id=interest.opportunity.firm_id,
        )
        _tell_other_side(
            interest,
            by,
            _l("New message about %(title)s", title=interest.opportunity.title),
            _l("%(name)s wrote in your thread about “%(title)s”.", name=by.full_name, title=interest.opportunity.title),
            "investment_message",
            message.id,
        )
    return message


def record_commitment(interest: Interest, by, amount: Decimal) -> None:
    """The amount committed in a closed deal, in the opportunity's currency, for the figures."""
    if not can_record_commitment(interest, by):
        raise InvestmentRefused(N_("The committed amount is recorded by the firm once the deal is closed."))
    if amount is None or not amount.is_finite() or amount <= 0:
        raise InvestmentRefused(N_("Enter an amount greater than 0."))
    before = interest.committed_amount
    with _transaction():
        interest.committed_amount = amount
        audit.record(
            "investment.commitment_recorded",
            interest,
            actor=by,
            before={"committed_amount": str(before) if before is not None else None},
            after={"committed_amount": str(amount), "currency": interest.opportunity.currency},
            firm_id=interest.opportunity.firm_id,
        )


# --- matching both ways --------------------------------------------------------------------------


def opportunity_facts(opportunity: Opportunity, excluded: set[int]) -> OpportunityFacts:
    firm = opportunity.firm
    return OpportunityFacts(
        opportunity_id=opportunity.id,
        title=opportunity.title,
        firm_name=firm.display_name,
        published=opportunity.status == S.PUBLISHED,
        firm_public=firm.is_public,
        province=firm.province,
        categories=tuple((c.slug, Name(c.name, "category", c.slug)) for c in opportunity.categories),
        amount_min=opportunity.amount_min,
        amount_max=opportunity.amount_max,
        currency=opportunity.currency,
        instruments=tuple(opportunity.instruments or ()),
        stage=opportunity.stage.value,
        excluded=Phrase("incentives withdrawn or licence suspended") if firm.id in excluded else None,
    )


def investor_facts(profile: InvestorProfile) -> InvestorFacts:
    return InvestorFacts(
        investor_id=profile.user_id,
        name=profile.organisation,
        categories=frozenset(profile.categories or ()),
        ticket_min=profile.ticket_min,
        ticket_max=profile.ticket_max,
        currency=profile.currency,
        instruments=frozenset(profile.instruments or ()),
        provinces=frozenset(profile.provinces or ()),
        stages=frozenset(profile.stages or ()),
    )


def matches_for_investor(profile: InvestorProfile) -> list[tuple[Opportunity, InvestmentMatch]]:
    """Published opportunities in the investor's categories, ranked for the profile, best first."""
    candidates = db.session.scalars(
        select(Opportunity)
        .join(Firm, Firm.id == Opportunity.firm_id)
        .where(
            Opportunity.status == S.PUBLISHED,
            Firm.is_public,
            Opportunity.categories.any(ComponentCategory.slug.in_(profile.categories or [])),
        )
        .options(selectinload(Opportunity.categories), selectinload(Opportunity.firm))
    ).all()
    by_id = {o.id: o for o in candidates}
    excluded = excluded_firm_ids(today())
    ranked = rank_opportunities(investor_facts(profile), [opportunity_facts(o, excluded) for o in candidates])
    return [(by_id[m.opportunity_id], m) for m in ranked]


def investors_for(opportunity: Opportunity) -> list[tuple[InvestorProfile, InvestmentMatch]]:
    """Investors whose profiles fit the opportunity, best first; none until it is listed."""
    profiles = db.session.scalars(select(InvestorProfile).options(selectinload(InvestorProfile.user))).all()
    profiles = [p for p in profiles if p.user.is_active and is_investor(p.user)]
    by_user = {p.user_id: p for p in profiles}
    facts = opportunity_facts(opportunity, excluded_firm_ids(today()))
    return [(by_user[m.investor_id], m) for m in rank_investors(facts, [investor_facts(p) for p in profiles])]


# --- the public list -----------------------------------------------------------------------------


def _searchable_terms(opportunity: Opportunity) -> set[str]:
    words = [opportunity.title, opportunity.use_of_funds]
    for category in opportunity.categories:
        words += [category.name, *category.synonym_list]
    return set(terms(" ".join(words)))


def listed_opportunities(
    category: str | None = None, purpose: str | None = None, instrument: str | None = None, text: str = ""
) -> list[Opportunity]:
    """Listed opportunities, newest first, narrowed by category, purpose, instrument and words.

    Words are matched with the portal's own search analysis (`portal.search.analysis.terms`) on both
    sides: the query and each opportunity's title, use of funds and category names with their
    synonyms become stemmed, spelling-folded terms, and every query term must be among them, so
    "moulds" finds "mold", "LCD" finds a display-module opportunity. Category, purpose and status
    are filtered in SQL; the words and the instrument (a JSON list) in Python over what is left,
    which stays small: published opportunities number in the hundreds, not the firms' 100,000.
    """
    query = (
        select(Opportunity)
        .join(Firm, Firm.id == Opportunity.firm_id)
        .where(Opportunity.status == S.PUBLISHED, Firm.is_public)
        .options(selectinload(Opportunity.categories), selectinload(Opportunity.firm))
        .order_by(Opportunity.published_at.desc(), Opportunity.id.desc())
    )
    if category:
        query = query.where(Opportunity.categories.any(ComponentCategory.slug == category))
    if purpose:
        query = query.where(Opportunity.purpose == purpose)
    excluded = excluded_firm_ids(today())
    found = [o for o in db.session.scalars(query) if o.firm_id not in excluded]
    if instrument:
        found = [o for o in found if instrument in (o.instruments or ())]
    wanted = set(terms(text or ""))
    if wanted:
        found = [o for o in found if wanted <= _searchable_terms(o)]
    return found


# --- pipeline figures ----------------------------------------------------------------------------


def _interest_filters(query, category: str | None, province: str | None):
    query = query.join(Opportunity, Opportunity.id == Interest.opportunity_id)
    if category:
        query = query.where(Opportunity.categories.any(ComponentCategory.slug == category))
    if province:
        query = query.join(Firm, Firm.id == Opportunity.firm_id).where(Firm.province == province)
    return query


def stage_counts(category: str | None = None, province: str | None = None, *, current: bool = False) -> dict:
    """Interests per deal stage, every stage named (zero included), in pipeline order.

    By default an interest counts in each stage it has entered (from the stored stage changes), so
    the figures read as a funnel: how many reached an NDA, due diligence, a term sheet, a close.
    `current=True` counts where each interest stands now instead. `category` keeps opportunities
    listing that component category; `province` keeps firms in that province.
    """
    if current:
        query = select(Interest.stage, func.count(Interest.id)).group_by(Interest.stage)
    else:
        query = (
            select(InterestStageChange.to_stage, func.count(func.distinct(InterestStageChange.interest_id)))
            .join(Interest, Interest.id == InterestStageChange.interest_id)
            .group_by(InterestStageChange.to_stage)
        )
    counted = dict(db.session.execute(_interest_filters(query, category, province)).all())
    return {stage: counted.get(stage, 0) for stage in (*PIPELINE, DealStage.DECLINED)}


@dataclass(frozen=True)
class CategoryAmounts:
    """Capital sought and committed in one component category and one currency."""

    category: str
    currency: str
    sought: Decimal
    committed: Decimal


def amounts_by_category() -> list[CategoryAmounts]:
    """Per component category and currency: the amount sought (the sum of the upper end of every
    listed opportunity's range) and the amount committed (the sums firms recorded for closed deals).

    An opportunity spanning several categories counts in each of them, so the rows must not be added
    up across categories; currencies are never mixed.
    """
    sought_rows = db.session.execute(
        select(opportunity_category.c.category_slug, Opportunity.currency, Opportunity.amount_max, Opportunity.firm_id)
        .join(Opportunity, Opportunity.id == opportunity_category.c.opportunity_id)
        .join(Firm, Firm.id == Opportunity.firm_id)
        .where(Opportunity.status == S.PUBLISHED, Firm.is_public)
    ).all()
    committed_rows = db.session.execute(
        select(opportunity_category.c.category_slug, Opportunity.currency, Interest.committed_amount)
        .join(Opportunity, Opportunity.id == opportunity_category.c.opportunity_id)
        .join(Interest, Interest.opportunity_id == Opportunity.id)
        .where(Interest.stage == DealStage.CLOSED, Interest.committed_amount.is_not(None))
    ).all()
    excluded = excluded_firm_ids(today())
    totals: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for slug, currency, amount, firm_id in sought_rows:
        if firm_id not in excluded:
            totals[(slug, currency)][0] += amount
    for slug, currency, amount in committed_rows:
        totals[(slug, currency)][1] += amount
    return [
        CategoryAmounts(slug, currency, sought, committed)
        for (slug, currency), (sought, committed) in sorted(totals.items())
    ]
