"""Who may see and do what with investment opportunities and interests, one function per rule,
and the refusals of the domain. Pages call these rules; what a person may not see is `NotFound`, which
the page answers 404, as for something that does not exist."""

from functools import partial

from sqlalchemy import select

from portal import contacts
from portal.accounts.models import Role
from portal.compliance.service import is_excluded_from_matching
from portal.denials import NotFound
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.investment.models import (
    DealStage,
    Interest,
    Opportunity,
    OpportunityDocument,
    OpportunityStatus,
)
from portal.suppliers import service as suppliers
from portal.suppliers.models import Firm
from portal.transactions import one_act

S = OpportunityStatus


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
    return is_member(interest.opportunity, user) and interest.awaits_firm_answer


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


def can_record_commitment(interest: Interest, user) -> bool:
    """The firm says how much was committed once the deal is closed."""
    return is_member(interest.opportunity, user) and interest.stage.is_closed


def opportunity_for(opportunity_id: int, user, *, manage: bool = False) -> Opportunity:
    """The opportunity if `user` may see it (or manage it, when asked); `NotFound` otherwise."""
    opportunity = db.session.get(Opportunity, opportunity_id)
    if opportunity is None:
        raise NotFound()
    allowed = is_member(opportunity, user) if manage else can_view(opportunity, user)
    if not allowed:
        raise NotFound()
    return opportunity


def interest_for(interest_id: int, user) -> Interest:
    """The interest if `user` is its investor or belongs to the firm; `NotFound` for everyone else."""
    interest = db.session.get(Interest, interest_id)
    if interest is None or not can_see_interest(interest, user):
        raise NotFound()
    return interest


def document_for(opportunity_id: int, document_id: int, user) -> OpportunityDocument:
    """A data-room document for someone the data room is open to; `NotFound` otherwise. Whether the
    opportunity is still listed does not matter here: the firm's consent does."""
    document = db.session.get(OpportunityDocument, document_id)
    if document is None or document.opportunity_id != opportunity_id:
        raise NotFound()
    if not can_see_data_room(document.opportunity, user):
        raise NotFound()
    return document


# Every act of the domain is one transaction; a version that moved meanwhile is `ChangedMeanwhile`.
transaction = partial(one_act, ChangedMeanwhile)
