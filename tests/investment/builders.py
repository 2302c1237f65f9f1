"""Builders for investment opportunities, investor profiles and interests in a chosen state."""

from decimal import Decimal

from portal.extensions import db
from portal.investment.models import (
    DealStage,
    Interest,
    InterestMessage,
    InterestStageChange,
    InvestorProfile,
    Opportunity,
    OpportunityDocument,
    OpportunityStatus,
    Purpose,
    Stage,
)
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import utcnow

M = Decimal(1_000_000)


def make_opportunity(
    firm,
    title: str = "Second LCM line for feature phones",
    *,
    status: OpportunityStatus = OpportunityStatus.PUBLISHED,
    categories=("display-module",),
    amount=(3 * M, 3 * M),
    **fields,
) -> Opportunity:
    opportunity = Opportunity(
        firm=firm,
        title=title,
        purpose=fields.pop("purpose", Purpose.CAPACITY_EXPANSION),
        amount_min=amount[0],
        amount_max=amount[1],
        currency=fields.pop("currency", "USD"),
        instruments=list(fields.pop("instruments", ("equity", "debt"))),
        stage=fields.pop("stage", Stage.OPERATING),
        use_of_funds=fields.pop("use_of_funds", "A second LCM lamination line with AOI, for 1.8-inch panels."),
        status=status,
        submitted_at=utcnow() if status != OpportunityStatus.DRAFT else None,
        published_at=utcnow() if status == OpportunityStatus.PUBLISHED else None,
        **fields,
    )
    opportunity.categories = [db.session.get(ComponentCategory, slug) for slug in categories]
    db.session.add(opportunity)
    db.session.commit()
    return opportunity


def add_document(opportunity, path: str, filename: str = "business-plan.pdf") -> OpportunityDocument:
    document = OpportunityDocument(
        opportunity=opportunity, path=path, filename=filename, mimetype="application/pdf", size=10
    )
    db.session.add(document)
    db.session.commit()
    return document


def make_profile(user, organisation: str = "Gulf Tech Fund", **fields) -> InvestorProfile:
    profile = InvestorProfile(
        user_id=user.id,
        organisation=organisation,
        categories=list(fields.pop("categories", ("display-module",))),
        ticket_min=fields.pop("ticket_min", 2 * M),
        ticket_max=fields.pop("ticket_max", 5 * M),
        currency=fields.pop("currency", "USD"),
        instruments=list(fields.pop("instruments", ("equity",))),
        provinces=list(fields.pop("provinces", ())),
        stages=list(fields.pop("stages", ())),
    )
    db.session.add(profile)
    db.session.commit()
    return profile


def make_interest(opportunity, investor, *, accepted: bool = False, stage: DealStage = DealStage.INTEREST) -> Interest:
    interest = Interest(
        opportunity=opportunity, investor_id=investor.id, stage=stage, accepted_at=utcnow() if accepted else None
    )
    db.session.add(interest)
    db.session.add(
        InterestStageChange(interest=interest, from_stage=None, to_stage=DealStage.INTEREST, by_id=investor.id)
    )
    db.session.add(InterestMessage(interest=interest, author_id=investor.id, text="We would like to talk."))
    db.session.commit()
    return interest
