"""Searching firms: the one function the directory, the API and matching all call."""

import math
from dataclasses import dataclass, field

from portal.search.documents import firm_texts
from portal.search.engine import vocabulary
from portal.search.facts import IndexFacts
from portal.search.indexing import catch_up, load_firms, open_store, thesaurus
from portal.search.query import indexed_phrases, parse, suggestion
from portal.search.ranking import iter_bits, matches, top
from portal.search.snippets import snippet
from portal.timeutil import today

SORTS = ("relevance", "capacity", "name", "recent")
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    category: str | None = None
    province: str | None = None
    certification: str | None = None
    min_capacity: int | None = None
    max_capacity: int | None = None
    market: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    snippets: bool = True


@dataclass
class Hit:
    firm_id: int
    score: float | None
    snippet: str = ""


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _filters(facts: IndexFacts, params: SearchParams, day) -> int:
    """The bit set of documents every chosen filter lets through."""
    allowed = facts.live
    for facet, value in (("category", params.category), ("province", params.province), ("market", params.market)):
        if value:
            allowed &= facts.having(facet, value)
    if params.certification:
        allowed &= facts.valid_certificates(day).get(params.certification, 0)
    if params.min_capacity or params.max_capacity:
        allowed &= facts.capacity_between(params.category, params.min_capacity, params.max_capacity)
    return allowed


def search(params: SearchParams) -> SearchResult:
    """Public firms matching the words and filters, in the order asked, one page of them."""
    per_page = max(1, min(params.per_page, MAX_PER_PAGE))
    page = max(1, params.page)
    catch_up()
    store = open_store()
    searcher = store.searcher()
    facts, terms = store.facts(searcher)
    day = today()
    words = parse(params.q, thesaurus(), indexed_phrases(searcher)) if params.q else None
    found = _filters(facts, params, day)
    if words is not None and found:
        found &= matches(words, terms, searcher, facts.live)
    sort = params.sort if params.sort in SORTS else "relevance"
    if words is None and sort == "relevance":
        sort = "name"
    start = (page - 1) * per_page
    if sort == "relevance":
        ranked = top(words, found, terms, start + per_page)[start:]
    else:
        ranked = [(doc, None) for doc in facts.page_in_order(found, sort, params.category, start, per_page)]
    hits = [
        Hit(firm_id=facts.firm_ids[doc], score=round(score, 4) if score is not None else None) for doc, score in ranked
    ]
    if params.snippets and words is not None and hits:
        phrases = indexed_phrases(searcher)
        firms = load_firms([hit.firm_id for hit in hits])
        for hit in hits:
            if hit.firm_id in firms:
                hit.snippet = snippet(firm_texts(firms[hit.firm_id]), words, phrases)
    total = found.bit_count()
    hint = suggestion(params.q, *vocabulary(store.current_path())) if params.q and not total else None
    return SearchResult(
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        facets=facts.facet_counts(found, params.category, day),
        suggestion=hint,
    )


def matching_firm_ids(q: str, category: str | None = None) -> set[int]:
    """Ids of every public firm whose text matches `q` (thesaurus included), optionally in a category.

    Matching uses it to learn which firms offer a need's specification features, in their own words.
    """
    catch_up()
    store = open_store()
    searcher = store.searcher()
    facts, terms = store.facts(searcher)
    words = parse(q, thesaurus(), indexed_phrases(searcher))
    if words is None:
        return set()
    found = facts.live & (facts.having("category", category) if category else facts.live)
    found &= matches(words, terms, searcher, facts.live)
    return {facts.firm_ids[doc] for doc in iter_bits(found)}
