"""The rules of introductions: who may ask, see, answer, write and move one, and the acts themselves.

Each act is one transaction with its audit entry, its stage-history row and its notifications.
Answers and stage moves name the version the user saw, so two people acting at once never
silently overwrite each other: the second is told to reload.

Staff may read every introduction (oversight) but never act on one or post in its thread, and the
contact panel stays between the two parties: staff reach firms and accounts through their own pages.
"""

from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, false, func, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit, contacts, threads
from portal.accounts.models import Role
from portal.denials import NotAllowed, NotFound
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.introductions.models import (
    ACTIVE_STAGES,
    STAGE_ORDER,
    Introduction,
    IntroductionMessage,
    Outcome,
    Stage,
    StageChange,
)
from portal.mail import portal_path
from portal.needs import service as needs
from portal.needs.models import SourcingNeed
from portal.notifications import notify
from portal.notifications.service import notify_all
from portal.suppliers import responsiveness
from portal.suppliers import service as suppliers
from portal.suppliers.models import Capability, Firm, FirmMember
from portal.timeutil import utcnow
from portal.transactions import check_version, one_act

REQUEST_MAX = 1000
REASON_MAX = 1000


class IntroductionRefused(Refusal):
    """The act does not apply to the introduction as it is; the message is for the user."""


class IntroductionChanged(IntroductionRefused):
    """Someone else answered or moved the introduction after the user loaded it."""

    def __init__(self):
        super().__init__(
            N_("Someone else changed this introduction while you were looking at it; here it is as it is now.")
        )


class AlreadyOpen(IntroductionRefused):
    """The brand user already has a pending or active introduction to this firm (for this need)."""

    def __init__(self, existing: Introduction):
        super().__init__(N_("You already asked this firm for an introduction; it is still open."))
        self.existing = existing


# --- who may do what -----------------------------------------------------------------------------


def may_ask(user) -> bool:
    """Only brand users ask for introductions (investors have their own flow, staff oversee)."""
    return user is not None and user.is_authenticated and user.role == Role.BRAND


def can_be_asked(firm: Firm) -> bool:
    """Only public firms (verified, not suspended) can be asked."""
    return firm.is_public


def needs_broker(firm: Firm) -> bool:
    """Nobody runs the firm's listing, so nobody could answer a request on the portal: EDB staff
    broker it (`portal.introductions.brokering`)."""
    return not firm.members


def is_brand_side(intro: Introduction, user) -> bool:
    return user is not None and user.is_authenticated and intro.brand_user_id == user.id


def is_firm_side(intro: Introduction, user) -> bool:
    """Any member of the firm speaks for it."""
    return suppliers.membership(intro.firm, user) is not None


def is_party(intro: Introduction, user) -> bool:
    return is_brand_side(intro, user) or is_firm_side(intro, user)


def can_view(intro: Introduction, user) -> bool:
    """The two sides, and staff for oversight (read-only); nobody else learns it exists."""
    return is_party(intro, user) or (user is not None and user.is_authenticated and user.is_staff)


def can_see_contacts(intro: Introduction, user) -> bool:
    """Contacts flow both ways only once the firm accepted, and only between the two sides."""
    return contacts.shared(firm_consented=intro.was_accepted, viewer_is_party=is_party(intro, user))


def can_answer(intro: Introduction, user) -> bool:
    return intro.is_pending and is_firm_side(intro, user)


def can_withdraw(intro: Introduction, user) -> bool:
    """The brand user takes back a request only while the firm has not answered it."""
    return intro.is_pending and is_brand_side(intro, user)


def can_post(intro: Introduction, user) -> bool:
    """Either side writes in the thread between acceptance and closing."""
    return THREAD.can_post(intro, user)


def can_move_stage(intro: Introduction, user) -> bool:
    return intro.is_active and is_party(intro, user)


def can_view_need(intro: Introduction, user) -> bool:
    return intro.need is not None and needs.can_view(intro.need, user)


def next_stages(intro: Introduction) -> list[Stage]:
    """The stages an active introduction may move to: any later one, skipping allowed."""
    if not intro.is_active:
        return []
    return list(STAGE_ORDER[STAGE_ORDER.index(intro.stage) + 1 :])


# --- reading -------------------------------------------------------------------------------------


def introduction_for(intro_id: int, user) -> Introduction:
    """The introduction if `user` may see it; `NotFound` otherwise, as for a missing one."""
    intro = db.session.get(Introduction, intro_id)
    if intro is None or not can_view(intro, user):
        raise NotFound()
    return intro


def askable_firm(firm_id: int) -> Firm:
    """The firm to ask; `NotFound` unless it is public, so hidden listings reveal nothing."""
    firm = db.session.get(Firm, firm_id)
    if firm is None or not can_be_asked(firm):
        raise NotFound()
    return firm


def open_key(brand_user_id: int, firm_id: int, need_id: int | None) -> str:
    return f"{brand_user_id}:{firm_id}:{need_id or 0}"


def open_introduction(user, firm_id: int, need_id: int | None = None) -> Introduction | None:
    """The user's pending or active introduction to this firm (about this need), if any."""
    return db.session.scalar(select(Introduction).where(Introduction.open_key == open_key(user.id, firm_id, need_id)))


def firm_contacts_visible(firm: Firm, user) -> bool:
    """Whether a firm's e-mail and phone show on its profile: to its own people and staff, to a
    brand once the firm accepted an introduction, and to an investor whose interest it accepted
    (consent first)."""
    from portal.investment.rules import accepted_investor_of

    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or suppliers.can_edit(firm, user) or accepted_investor_of(firm, user):
        return True
    accepted = select(Introduction.id).where(
        Introduction.firm_id == firm.id, Introduction.brand_user_id == user.id, Introduction.was_accepted
    )
    return db.session.scalar(accepted.limit(1)) is not None


def contacts_for(intro: Introduction, user) -> dict | None:
    """Both sides' contact details for a user allowed to see them; None for everyone else."""
    if not can_see_contacts(intro, user):
        return None
    firm = intro.firm
    return {
        "firm": {
            "name": firm.display_name,
            "email": firm.contact_email,
            "phone": firm.phone,
            "website": firm.website,
            "address": firm.address,
            "city": firm.city,
            "province": firm.province,
            "people": [{"name": m.user.full_name, "email": m.user.email} for m in firm.members],
        },
        "brand": {
            "name": intro.brand_user.full_name,
            "email": intro.brand_user.email,
            "organisation": intro.organisation,
        },
    }


def actor_name(intro: Introduction, actor, viewer) -> str:
    """Who acted, by name where the viewer may know names, otherwise by the side they act for."""
    if actor is None:
        return ""
    if actor.id == getattr(viewer, "id", None) or can_see_contacts(intro, viewer) or viewer.is_staff:
        return actor.full_name
    return intro.organisation if actor.id == intro.brand_user_id else intro.firm.display_name


def introductions_query(user, stage: str = ""):
    """The introductions a user may list, newest first: a brand's own, a firm's, every one for staff.

    `stage` is one stage's value, "open" (awaiting answer or active) or empty for all.
    """
    query = select(Introduction).options(selectinload(Introduction.firm))
    if user.role == Role.BRAND:
        query = query.where(Introduction.brand_user_id == user.id)
    elif user.role == Role.SUPPLIER:
        query = query.where(Introduction.firm_id.in_(select(FirmMember.firm_id).where(FirmMember.user_id == user.id)))
    elif not user.is_staff:
        query = query.where(false())
    if stage == "open":
        query = query.where(Introduction.stage.in_((Stage.REQUESTED, *ACTIVE_STAGES)))
    elif stage in set(Stage):
        query = query.where(Introduction.stage == Stage(stage))
    return query.order_by(Introduction.requested_at.desc(), Introduction.id.desc())


def stage_counts(category: str | None = None, province: str | None = None) -> dict[Stage, int]:
    """How many introductions stand at each stage now, every stage present (for the funnel).

    `category`: an introduction linked to a need counts for that need's category; one without a
    need counts for every category the firm has a verified capability in. `province`: the firm's.
    """
    query = select(Introduction.stage, func.count(Introduction.id)).group_by(Introduction.stage)
    if province:
        query = query.join(Firm, Firm.id == Introduction.firm_id).where(Firm.province == province)
    if category:
        firm_makes_it = exists().where(
            Capability.firm_id == Introduction.firm_id,
            Capability.category_slug == category,
            Capability.is_verified,
        )
        query = query.outerjoin(SourcingNeed, SourcingNeed.id == Introduction.need_id).where(
            or_(SourcingNeed.category_slug == category, and_(Introduction.need_id.is_(None), firm_makes_it))
        )
    counts = dict(db.session.execute(query).all())
    return {stage: counts.get(stage, 0) for stage in Stage}


def _attributed(province: str | None):
    """(category, introduction id) pairs by the rule of `stage_counts`: the linked need's category,
    or every category the firm has a verified capability in."""
    linked = select(SourcingNeed.category_slug.label("category"), Introduction.id.label("intro_id")).join(
        SourcingNeed, SourcingNeed.id == Introduction.need_id
    )
    unlinked = (
        select(Capability.category_slug.label("category"), Introduction.id.label("intro_id"))
        .join(Capability, Capability.firm_id == Introduction.firm_id)
        .where(Introduction.need_id.is_(None), Capability.is_verified)
    )
    if province:
        linked = linked.join(Firm, Firm.id == Introduction.firm_id).where(Firm.province == province)
        unlinked = unlinked.join(Firm, Firm.id == Introduction.firm_id).where(Firm.province == province)
    return union_all(linked, unlinked).subquery("attributed")


def _reached_columns(intro_id):
    """One count per stage of STAGE_ORDER: introductions that got at least that far (a skipped
    stage counts as passed), and "order_won" for those closed with an order."""
    columns = []
    for index, stage in enumerate(STAGE_ORDER):
        later = [s.value for s in STAGE_ORDER[index:]]
        hit = case((StageChange.to_stage.in_(later), intro_id))
        columns.append(func.count(func.distinct(hit)).label(stage.value))
    won = case((StageChange.outcome == Outcome.ORDER_WON, intro_id))
    columns.append(func.count(func.distinct(won)).label("order_won"))
    return columns


def reached_by_category(province: str | None = None) -> dict[str, dict[str, int]]:
    """Per category (by the rule of `stage_counts`), how many introductions got at least as far as
    each stage, from their stage history: the funnel of introductions and their outcomes."""
    attributed = _attributed(province)
    query = (
        select(attributed.c.category, *_reached_columns(attributed.c.intro_id))
        .join(StageChange, StageChange.introduction_id == attributed.c.intro_id)
        .group_by(attributed.c.category)
    )
    return {row.category: dict(row._mapping) for row in db.session.execute(query)}


def funnel_counts(province: str | None = None) -> dict[str, int]:
    """How many introductions got at least as far as each stage, and how many won an order."""
    query = select(*_reached_columns(StageChange.introduction_id)).join(
        Introduction, Introduction.id == StageChange.introduction_id
    )
    if province:
        query = query.join(Firm, Firm.id == Introduction.firm_id).where(Firm.province == province)
    return dict(db.session.execute(query).one()._mapping)


# --- notices -------------------------------------------------------------------------------------


def _link(intro: Introduction) -> str:
    return portal_path("introductions.show", intro_id=intro.id)


def _tell_firm(intro: Introduction, kind: str, event: str, subject, body: str) -> None:
    """Every member of the firm hears once of what the brand did, in their own language;
    `subject` names the brand and the firm."""
    names = {"organisation": intro.organisation or intro.brand_user.full_name, "firm": intro.firm.display_name}
    members = [m.user for m in intro.firm.members]
    notify_all(members, kind, f"intro:{intro.id}:{event}", lambda: str(subject) % names, body, _link(intro))


def _tell_firm_of_request(intro: Introduction) -> None:
    subject = _l("%(organisation)s asks to be introduced to %(firm)s")
    _tell_firm(intro, "intro_request", "request", subject, intro.message)


def _tell_firm_of_withdrawal(intro: Introduction) -> None:
    subject = _l("%(organisation)s withdrew its introduction request to %(firm)s")
    _tell_firm(intro, "intro_withdrawn", "withdrawn", subject, intro.withdraw_reason)


def _tell_brand_of_answer(intro: Introduction) -> None:
    """The brand user hears the firm's answer once (an introduction is answered only once)."""
    firm = intro.firm.display_name
    if intro.was_accepted:
        subject = _l("%(firm)s accepted your introduction request", firm=firm)
        body = _l("Their contact details are on the introduction page; write to them there.")
    else:
        subject = _l("%(firm)s declined your introduction request", firm=firm)
        body = intro.decline_reason
    notify(intro.brand_user, "intro_answer", f"intro:{intro.id}:answer", subject, body, _link(intro))


# --- acting --------------------------------------------------------------------------------------


_transaction = partial(one_act, IntroductionChanged)


def _move(intro: Introduction, to_stage: Stage, by, outcome: Outcome | None = None) -> StageChange:
    """Set the stage and keep the step in the stage history (a new request starts from nothing)."""
    from_stage = intro.stage if intro.id is not None else None
    change = StageChange(
        introduction=intro, from_stage=from_stage, to_stage=to_stage, outcome=outcome, actor_id=by.id, at=utcnow()
    )
    db.session.add(change)
    intro.stage = to_stage
    return change


def _optional_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise IntroductionRefused(N_("Keep it to %(limit)s characters."), limit=REASON_MAX)
    return reason


def request_introduction(user, firm: Firm, message: str, need: SourcingNeed | None = None) -> Introduction:
    """A brand user asks a public firm for an introduction, optionally about one of their needs."""
    if not may_ask(user):
        raise NotAllowed()
    if not can_be_asked(firm):
        raise IntroductionRefused(N_("This firm's listing is not public, so it cannot be asked."))
    if need is not None and need.owner_id != user.id:
        raise NotAllowed()
    message = threads.cleaned(
        message, IntroductionRefused, limit=REQUEST_MAX, empty=N_("Write a short message to the firm.")
    )
    need_id = need.id if need is not None else None
    existing = open_introduction(user, firm.id, need_id)
    if existing is not None:
        raise AlreadyOpen(existing)
    intro = Introduction(
        brand_user_id=user.id,
        organisation=user.organisation,
        firm=firm,
        need=need,
        message=message,
        open_key=open_key(user.id, firm.id, need_id),
        requested_at=utcnow(),
        brokered=needs_broker(firm),
    )
    try:
        with _transaction():
            db.session.add(intro)
            _move(intro, Stage.REQUESTED, user)
            db.session.flush()
            # The trail records the act, not the correspondence (the message stays with the introduction).
            after = {"firm_id": firm.id, "need_id": need_id}
            audit.record("introduction.requested", intro, actor=user, after=after)
            if not intro.brokered:
                _tell_firm_of_request(intro)
    except IntegrityError as error:
        # Another request for the same pair committed between the check above and this one.
        existing = open_introduction(user, firm.id, need_id)
        if existing is None:
            raise
        raise AlreadyOpen(existing) from error
    return intro


def _answer(intro: Introduction, by, expected_version: int | None, to_stage: Stage, reason: str = "") -> None:
    if not is_firm_side(intro, by):
        raise NotAllowed()
    check_version(intro, expected_version, IntroductionChanged)
    if intro.is_withdrawn:
        raise IntroductionRefused(N_("The brand withdrew this request, so it can no longer be answered."))
    if not intro.is_pending:
        raise IntroductionRefused(N_("This request was already answered."))
    if to_stage == Stage.INTRODUCED and not can_be_asked(intro.firm):
        raise IntroductionRefused(
            N_("Your firm's listing is not public just now, so it cannot accept introductions; it may still decline.")
        )
    with _transaction():
        _move(intro, to_stage, by)
        intro.answered_at = utcnow()
        intro.answered_by_id = by.id
        intro.decline_reason = reason
        if to_stage == Stage.DECLINED:
            intro.open_key = None
        db.session.flush()
        action = "introduction.declined" if to_stage == Stage.DECLINED else "introduction.accepted"
        audit.record(action, intro, actor=by, before={"stage": Stage.REQUESTED}, after={"stage": to_stage}, note=reason)
        responsiveness.refresh([intro.firm_id])
        _tell_brand_of_answer(intro)


def accept(intro: Introduction, by, expected_version: int | None = None) -> None:
    """A member of the firm accepts: the stage becomes "introduced" and contacts open both ways."""
    _answer(intro, by, expected_version, Stage.INTRODUCED)


def decline(intro: Introduction, by, reason: str = "", expected_version: int | None = None) -> None:
    """A member of the firm declines, optionally saying why; the brand may ask again later."""
    _answer(intro, by, expected_version, Stage.DECLINED, _optional_reason(reason))


def withdraw(intro: Introduction, by, reason: str = "", expected_version: int | None = None) -> None:
    """The brand user takes back a request the firm has not answered, optionally saying why. The
    firm can no longer answer it, no contacts are shared, and the brand may ask the firm again."""
    if not is_brand_side(intro, by):
        raise NotAllowed()
    reason = _optional_reason(reason)
    check_version(intro, expected_version, IntroductionChanged)
    if intro.is_withdrawn:
        raise IntroductionRefused(N_("You already withdrew this request."))
    if not intro.is_pending:
        raise IntroductionRefused(N_("The firm already answered this request, so it can no longer be withdrawn."))
    with _transaction():
        _move(intro, Stage.WITHDRAWN, by)
        intro.withdraw_reason = reason
        intro.open_key = None
        db.session.flush()
        before, after = {"stage": Stage.REQUESTED}, {"stage": Stage.WITHDRAWN}
        audit.record("introduction.withdrawn", intro, actor=by, before=before, after=after, note=reason)
        _tell_firm_of_withdrawal(intro)


def _thread_closed_because(intro: Introduction) -> str | None:
    """The thread opens when the firm accepts and is kept as it is once the introduction ends."""
    if intro.is_pending:
        return N_("You can write here once the firm has accepted the introduction.")
    if not intro.is_active:
        return N_("This introduction has ended; its thread is kept as it is.")
    return None


def _other_side(intro: Introduction, by) -> tuple[list, str]:
    """The brand user, or every member of the firm; the writer named by the side they write for."""
    if is_brand_side(intro, by):
        return [m.user for m in intro.firm.members], intro.organisation or by.full_name
    return [intro.brand_user], intro.firm.display_name


THREAD = threads.Thread(
    kind="introduction",
    refusal=IntroductionRefused,
    conflict=IntroductionChanged,
    is_party=is_party,
    closed_because=_thread_closed_because,
    message=lambda intro, **fields: IntroductionMessage(introduction=intro, **fields),
    other_side=_other_side,
    notice_kind="intro_message",
    event=lambda intro, message: f"intro:{intro.id}:message:{message.id}",
    link=_link,
    firm_id=lambda intro: intro.firm_id,
)


def post_message(intro: Introduction, by, text: str) -> IntroductionMessage:
    """Either side writes in the thread (`portal.threads`: the rules both pipelines share)."""
    return THREAD.post(intro, by, text)


def move_stage(intro: Introduction, by, stage, outcome=None, expected_version: int | None = None) -> None:
    """Either side moves an active introduction forward; closing needs the outcome."""
    if not is_party(intro, by):
        raise NotAllowed()
    check_version(intro, expected_version, IntroductionChanged)
    if not intro.is_active:
        raise IntroductionRefused(N_("Only an accepted introduction that is not closed can change stage."))
    stage = Stage(stage)
    if stage not in next_stages(intro):
        raise IntroductionRefused(
            N_("Stages only move forward: this introduction is already at “%(stage)s”."), stage=intro.stage.label
        )
    outcome = Outcome(outcome) if outcome and stage == Stage.CLOSED else None
    if stage == Stage.CLOSED and outcome is None:
        raise IntroductionRefused(N_("Say how it ended: order won or no deal."))
    with _transaction():
        before = {"stage": intro.stage}
        _move(intro, stage, by, outcome)
        intro.outcome = outcome
        if stage == Stage.CLOSED:
            intro.open_key = None
        db.session.flush()
        after = {"stage": stage, "outcome": outcome}
        audit.record("introduction.stage_moved", intro, actor=by, before=before, after=after)
