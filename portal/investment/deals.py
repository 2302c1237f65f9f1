"""Interests and their deals: an investor's first word, the firm's answer, the deal's stages and its
private thread (`portal.threads`), and the amount committed. Each act is one transaction with its
audit entry and the other side told."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import audit, threads
from portal.extensions import db
from portal.i18n import N_
from portal.investment.models import (
    DEAL_STAGE_LABELS,
    DealStage,
    Interest,
    InterestMessage,
    InterestStageChange,
    Opportunity,
)
from portal.investment.notices import NOTICE_KINDS, firm_people, notify
from portal.investment.rules import (
    ChangedMeanwhile,
    InvestmentRefused,
    can_decide_interest,
    can_express_interest,
    can_record_commitment,
    can_see_interest,
    moves_for,
    transaction,
)
from portal.mail import portal_path
from portal.timeutil import utcnow


def can_post_message(interest: Interest, user) -> bool:
    """The investor and the firm's people, while the deal is open (`THREAD`)."""
    return THREAD.can_post(interest, user)


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
    recipients = firm_people(interest.opportunity) if by.id == interest.investor_id else [interest.investor]
    link = portal_path("investment.interest", interest_id=interest.id)
    notify(recipients, subject, body, link, kind, f"{interest.id}:{event}")


def express_interest(opportunity: Opportunity, user, message: str) -> Interest:
    """An investor's first word to the firm; the firm sees the investor and the message, nothing opens yet."""
    message = threads.cleaned(message, InvestmentRefused, empty=N_("Write a message to the firm."))
    if not can_express_interest(opportunity, user):
        raise InvestmentRefused(N_("You have already expressed interest, or the opportunity is no longer open."))
    with transaction():
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
    with transaction():
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
    with transaction():
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


def _thread_closed_because(interest: Interest) -> str | None:
    """The thread is open from the first word until the deal ends (closed or declined)."""
    return None if interest.is_open else N_("This thread is closed.")


def _other_side(interest: Interest, by) -> tuple[list, str]:
    """The firm's people hear of the investor's messages, the investor of the firm's; each side by its name."""
    if by.id == interest.investor_id:
        return firm_people(interest.opportunity), by.organisation or by.full_name
    return [interest.investor], interest.opportunity.firm.display_name


THREAD = threads.Thread(
    kind="investment",
    refusal=InvestmentRefused,
    conflict=ChangedMeanwhile,
    is_party=can_see_interest,
    closed_because=_thread_closed_because,
    message=lambda interest, **fields: InterestMessage(interest=interest, **fields),
    other_side=_other_side,
    notice_kind=NOTICE_KINDS["investment_message"],
    event=lambda interest, message: f"investment_message:{interest.id}:{message.id}",
    link=lambda interest: portal_path("investment.interest", interest_id=interest.id),
    firm_id=lambda interest: interest.opportunity.firm_id,
)


def post_message(interest: Interest, by, text: str) -> InterestMessage:
    """Either side writes in the thread (`portal.threads`: the rules both pipelines share)."""
    return THREAD.post(interest, by, text)


def record_commitment(interest: Interest, by, amount: Decimal) -> None:
    """The amount committed in a closed deal, in the opportunity's currency, for the figures."""
    if not can_record_commitment(interest, by):
        raise InvestmentRefused(N_("The committed amount is recorded by the firm once the deal is closed."))
    if amount is None or not amount.is_finite() or amount <= 0:
        raise InvestmentRefused(N_("Enter an amount greater than 0."))
    before = interest.committed_amount
    with transaction():
        interest.committed_amount = amount
        audit.record(
            "investment.commitment_recorded",
            interest,
            actor=by,
            before={"committed_amount": str(before) if before is not None else None},
            after={"committed_amount": str(amount), "currency": interest.opportunity.currency},
            firm_id=interest.opportunity.firm_id,
        )
