"""Full-text search of firms. The only code that knows Whoosh lives in this package.

The rest of the portal calls these few functions: `search` (directory and API), `need_candidates`
and `matching_firm_ids` (matching), `sync` (bring the index up to date with the outbox), `rebuild`
and `check`.
"""

from portal.search.indexing import check, rebuild, sync
from portal.search.service import (
    Candidate,
    Candidates,
    SearchParams,
    SearchResult,
    category_candidates,
    matching_firm_ids,
    need_candidates,
    search,
)

__all__ = [
    "Candidate",
    "Candidates",
    "SearchParams",
    "SearchResult",
    "category_candidates",
    "check",
    "matching_firm_ids",
    "need_candidates",
    "rebuild",
    "search",
    "sync",
]
