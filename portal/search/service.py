"""Searching firms: the one function the directory, the API and matching all call."""

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from portal.operations.metrics import SEARCH_SECONDS, timed
from portal.search.cards import FirmCard, public_cards
from portal.search.engine import vocabulary
from portal.search.facts import IndexFacts, bits_of, is_member, members
from portal.search.indexing import catch_up, open_store, thesaurus
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
    # The hits' cards (public firms only), read in this request when snippets needed their texts,
    # so the page can show them without reading them again; None when not read.
    cards: dict[int, FirmCard] | None = None

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


@timed(SEARCH_SECONDS)
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
    cards = None
    hits = [
        Hit(firm_id=facts.firm_ids[doc], score=round(score, 4) if score is not None else None) for doc, score in ranked
    ]
    if params.snippets and words is not None and hits:
        phrases = indexed_phrases(searcher)
        cards = public_cards([hit.firm_id for hit in hits], day)
        for hit in hits:
            if hit.firm_id in cards:
                hit.snippet = snippet(cards[hit.firm_id].texts, words, phrases)
    total = found.bit_count()
    hint = suggestion(params.q, *vocabulary(store.current_path())) if params.q and not total else None
    return SearchResult(
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        facets=facts.facet_counts(found, params.category, day),
        suggestion=hint,
        cards=cards,
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


class Candidate(NamedTuple):
    """What the index knows of a qualified firm that scoring a need reads."""

    firm_id: int
    sort_name: str  # the display name, lower-cased: ties are ordered by it
    capacity: int  # monthly capacity in the need's category
    in_province: bool  # based in the need's delivery province


@dataclass(frozen=True)
class Candidates:
    """The firms a sourcing need is judged against, found with the directory's filters and thesaurus."""

    qualified: list[Candidate]  # public, make the category, hold every required certification valid on the day
    near: list[int]  # others making the category: fewest requirements missed first, then by name
    offered: dict[int, tuple[str, ...]]  # for qualified firms: the features their own text matches


def need_candidates(
    category: str,
    certifications,
    day,
    quantity: int,
    features=(),
    province: str | None = None,
    near_limit: int = 20,
) -> Candidates:
    """Candidates for a need, without reading a row of the database.

    `near` counts as requirements missed each certification not held valid on `day` and a monthly
    capacity below `quantity` (the order matching lists near misses in) and keeps the first
    `near_limit`. Callers check candidates against the database again: the index may lag a commit.
    """
    catch_up()
    store = open_store()
    searcher = store.searcher()
    facts, terms = store.facts(searcher)
    in_category = facts.having("category", category)
    valid = facts.valid_certificates(day)
    lacking = [in_category & ~valid.get(slug, 0) for slug in dict.fromkeys(certifications)]
    qualified = in_category
    for bits in lacking:
        qualified &= ~bits
    near = _fewest_missed(facts, in_category & ~qualified, lacking, category, quantity, near_limit)
    offered: dict[int, tuple[str, ...]] = {}
    phrases = indexed_phrases(searcher)
    for feature in features:
        words = parse(feature, thesaurus(), phrases)
        if words is None or not qualified:
            continue
        for doc in iter_bits(qualified & matches(words, terms, searcher, facts.live)):
            firm_id = facts.firm_ids[doc]
            offered[firm_id] = (*offered.get(firm_id, ()), feature)
    local = members(facts.having("province", province) if province else 0, facts.size)
    return Candidates(
        qualified=[
            Candidate(facts.firm_ids[doc], facts.sort_name(doc), facts.capacity(doc, category), is_member(local, doc))
            for doc in iter_bits(qualified)
        ],
        near=[facts.firm_ids[doc] for doc in near],
        offered=offered,
    )


def _fewest_missed(facts: IndexFacts, near: int, lacking: list[int], category: str, quantity: int, limit: int):
    """Up to `limit` documents of `near`, by how many of the `lacking` sets and the capacity test
    they fail, then by name. The counts are kept as bit sets: buckets[n] holds those failing n."""
    if not near or limit <= 0:
        return []
    short = bits_of((d for d in iter_bits(near) if facts.capacity(d, category) < quantity), facts.size)
    buckets = [near]
    for missed in [*lacking, short]:
        buckets.append(0)
        for n in range(len(buckets) - 1, 0, -1):
            buckets[n] = (buckets[n] & ~missed) | (buckets[n - 1] & missed)
        buckets[0] &= ~missed
    found: list[int] = []
    for bucket in buckets:
        if bucket:
            found += facts.page_in_order(bucket, "name", category, 0, limit - len(found))
            if len(found) >= limit:
                break
    return found
