"""Matching both ways: opportunities for an investor's profile, investors for an opportunity, ranked
by `portal.matching.investment` from the facts gathered here."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.compliance.service import excluded_firm_ids
from portal.extensions import db
from portal.i18n import Name, Phrase
from portal.investment.models import (
    InvestorProfile,
    Opportunity,
)
from portal.investment.rules import S, is_investor
from portal.matching.investment import (
    InvestmentMatch,
    InvestorFacts,
    OpportunityFacts,
    rank_investors,
    rank_opportunities,
)
from portal.suppliers.models import Firm
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import today


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
