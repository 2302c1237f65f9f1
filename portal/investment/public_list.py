"""The public list of investment opportunities, narrowed by category, purpose, instrument and words."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.compliance.service import excluded_firm_ids
from portal.extensions import db
from portal.investment.models import Opportunity
from portal.investment.rules import S
from portal.search.analysis import terms
from portal.suppliers.models import Firm
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import today


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
