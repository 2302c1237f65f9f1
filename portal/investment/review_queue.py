"""Submitted investment opportunities wait for EDB staff; offered to the staff queue, decided on the
opportunity's own review page."""

from sqlalchemy import func, select

from portal.i18n import N_
from portal.investment.models import Opportunity, OpportunityStatus
from portal.staff.queue import QueueFilters, offers, queue_row
from portal.suppliers.models import Firm
from portal.taxonomy.models import ComponentCategory


@offers(
    "investment",
    label=N_("Investment opportunity"),
    model=Opportunity,
    endpoint=lambda opportunity: ("investment.review", {"opportunity_id": opportunity.id}),
)
def submitted_opportunities(filters: QueueFilters) -> list:
    since = func.coalesce(Opportunity.submitted_at, Opportunity.created_at)
    in_category = [Opportunity.categories.any(ComponentCategory.slug == filters.category)] if filters.category else []
    return [
        select(*queue_row("investment", Opportunity.id, Firm.id, since, None, Firm.province))
        .join(Firm, Firm.id == Opportunity.firm_id)
        .where(Opportunity.status == OpportunityStatus.SUBMITTED, *filters.of_firm(), *in_category)
    ]
