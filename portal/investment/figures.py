"""Pipeline figures for the localization dashboard: interests per deal stage, capital sought and
committed per category."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from portal.compliance.service import excluded_firm_ids
from portal.extensions import db
from portal.investment.models import (
    DealStage,
    Interest,
    InterestStageChange,
    Opportunity,
    opportunity_category,
)
from portal.investment.rules import PIPELINE, S
from portal.suppliers.models import Firm
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import today


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
