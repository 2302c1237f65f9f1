"""Searching firms: the one function the directory, the API and matching all call."""

import math
import operator
import threading
from dataclasses import dataclass, field, replace
from functools import cache
from typing import NamedTuple

from flask import current_app
from sqlalchemy import bindparam, select

from portal.extensions import read
from portal.operations.metrics import SEARCH_SECONDS, timed
from portal.search.cards import FirmCard, public_cards
from portal.search.engine import index_corrector, vocabulary
from portal.search.facts import IndexFacts, bits_of, is_member, members
from portal.search.indexing import catch_up, lexicon, open_store, thesaurus
from portal.search.query import has_syntax, indexed_phrases, parse, suggestion
from portal.search.ranking import covering_top, highlight_terms, iter_bits, matches, part_match, top, union
from portal.search.snippets import query_terms, snippet
from portal.search.understanding import understand
from portal.suppliers.models import Firm
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
    as_typed: bool = False  # search the words exactly as typed, without spelling corrections


@dataclass
class Hit:
    firm_id: int
    score: float | None
    snippet: str = ""


@dataclass(eq=False)  # one answer is one object: pages keep what they rendered of it by identity
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
    # The query as corrected, when words no firm wrote were corrected to find these results.
    corrected_query: str | None = None
    # The query's words the best results lack, when no firm has them all.
    dropped_terms: list[str] = field(default_factory=list)
    complete: int | None = None  # how many firms cover every part of the query (None without words)
    offered: list[tuple[str, str]] = field(default_factory=list)  # (facet, value) the words name

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
    """Public firms matching the words and filters, in the order asked, one page of them.

    Plain words rank firms by how much of the query they cover (see understanding.py); a query
    written with quotes or AND/OR/NOT keeps its exact meaning, every term required.

    The answer is a function of the index as it is, the words and filters, and the day (which
    certificates are valid): popular searches repeat, so answers are kept until the index
    changes. Answers are shared: callers read them and never change them.
    """
    in_step = catch_up()
    store = open_store()
    searcher = store.searcher()
    facts, terms = store.facts(searcher)
    day = today()
    key, vocabularies = (params, day), (thesaurus(), lexicon())  # staff may edit the thesaurus
    keeps = current_app.config["SEARCH_KEEPS_ANSWERS"]
    with _answers_lock:
        kept = terms.answers.recall(key) if keeps else None
    if kept is not None and all(map(operator.is_, kept[0], vocabularies)):
        return kept[1] if in_step else _without_hidden(kept[1])
    answer = _to_keep(_answer(params, store, searcher, facts, terms, day))
    if keeps:
        with _answers_lock:
            terms.answers.put(key, (vocabularies, answer))
    return answer


_answers_lock = threading.Lock()


def _to_keep(answer: SearchResult) -> SearchResult:
    """The answer without the firms' texts its snippets were cut from (most of its size)."""
    if answer.cards is None:
        return answer
    return replace(answer, cards={firm_id: replace(card, texts={}) for firm_id, card in answer.cards.items()})


def _without_hidden(answer: SearchResult) -> SearchResult:
    """A kept answer, less any firm hidden since it was given (suspended, say, while another
    process was still applying that change to the index, as a fresh answer's cards check too).
    Pages keep what they rendered of an answer, so this holds for answers without cards too.
    Asked only while the index lags the outbox (`catch_up`)."""
    ids = [hit.firm_id for hit in answer.hits]
    if not ids:
        return answer
    rows = read(_publicness(), {"ids": ids})
    hidden = {firm_id for firm_id, public in rows if not public}
    if not hidden:
        return answer
    cards = None if answer.cards is None else {i: card for i, card in answer.cards.items() if i not in hidden}
    return replace(answer, hits=[hit for hit in answer.hits if hit.firm_id not in hidden], cards=cards)


@cache
def _publicness():
    """Which of some firms are public, read as a column rather than filtered on (see cards.py);
    built once, since a kept answer is checked on every page that shows it."""
    return select(Firm.id, Firm.is_public).where(Firm.id.in_(bindparam("ids", expanding=True)))


def _answer(params: SearchParams, store, searcher, facts: IndexFacts, terms, day) -> SearchResult:
    per_page = max(1, min(params.per_page, MAX_PER_PAGE))
    page = max(1, params.page)
    allowed = _filters(facts, params, day)
    sort = params.sort if params.sort in SORTS else "relevance"
    start = (page - 1) * per_page
    text = params.q.strip()
    understood, strict, matched = None, None, None
    if text and has_syntax(text):
        strict = parse(text, thesaurus(), indexed_phrases(searcher))
    elif text:
        understood = _understand(text, store, searcher, facts, terms, correct=not params.as_typed)
        matched = [part_match(part, facts, terms, searcher, day) for part in understood.parts]
    if strict is None and matched is None:
        found = allowed
        sort = "name" if sort == "relevance" else sort
    elif strict is not None:
        found = allowed & matches(strict, terms, searcher, facts.live) if allowed else 0
    else:
        found = allowed & union(matched)
    complete, dropped = None, []
    if sort == "relevance" and strict is not None:
        ranked = top(strict, found, terms, start + per_page)[start:]
    elif sort == "relevance":
        ranking = covering_top(matched, found, start + per_page)
        ranked, complete = ranking.best[start:], ranking.complete
        dropped = [part.typed for part, lacking in zip(understood.parts, ranking.lacking, strict=True) if lacking]
    else:
        ranked = [(doc, None) for doc in facts.page_in_order(found, sort, params.category, start, per_page)]
        if matched is not None:
            ranking = covering_top(matched, found, 1)
            complete = ranking.complete
            dropped = [part.typed for part, lacking in zip(understood.parts, ranking.lacking, strict=True) if lacking]
    hits = [
        Hit(firm_id=facts.firm_ids[doc], score=round(score, 4) if score is not None else None) for doc, score in ranked
    ]
    cards = None
    if params.snippets and hits and (strict is not None or matched):
        words = query_terms(strict) if strict is not None else highlight_terms(understood.parts)
        cards = public_cards([hit.firm_id for hit in hits], day)
        for hit in hits:
            if hit.firm_id in cards:
                hit.snippet = snippet(cards[hit.firm_id].texts, words, indexed_phrases(searcher))
    total = found.bit_count()
    hint = None
    if text and not total and (understood is None or understood.corrected is None):
        hint = suggestion(text, *vocabulary(store.current_path()))
    return SearchResult(
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        facets=facts.facet_counts(found, params.category, day),
        suggestion=hint,
        cards=cards,
        corrected_query=understood.corrected if understood and total else None,
        dropped_terms=dropped if total else [],
        complete=complete,
        offered=_offered(understood, params) if understood else [],
    )


def _understand(text: str, store, searcher, facts: IndexFacts, terms, correct: bool = True):
    """The parts of a query, with words no firm wrote corrected when `correct`."""
    words, _known = vocabulary(store.current_path())

    def from_index(word: str) -> str | None:
        return index_corrector(store.current_path(), words).correction(word)

    return understand(
        text,
        thesaurus(),
        lexicon(),
        in_index=lambda term: bool(terms.term_bits(term) & facts.live),
        correct_from_index=from_index,
        correct=correct,
    )


def _offered(understood, params: SearchParams) -> list[tuple[str, str]]:
    """Filters the query's words name (a certificate, a province, a component) not already chosen."""
    chosen = {("category", params.category), ("province", params.province), ("certification", params.certification)}
    return list(dict.fromkeys(p.facet for p in understood.parts if p.facet and p.facet not in chosen))


def matching_firm_ids(q: str, category: str | None = None) -> set[int]:
    """Ids of every public firm whose own words (thesaurus, stated values and ranges included)
    offer everything `q` asks for, optionally in a category.

    Matching uses it to learn which firms offer a need's specification features, in their own words.
    """
    catch_up()
    store = open_store()
    searcher = store.searcher()
    facts, terms = store.facts(searcher)
    found = facts.having("category", category) if category else facts.live
    found &= _offering(q, store, searcher, facts, terms, today())
    return {facts.firm_ids[doc] for doc in iter_bits(found)}


def _offering(q: str, store, searcher, facts: IndexFacts, terms, day) -> int:
    """The documents meeting every part of `q` that counts (words any supplier says aside)."""
    text = q.strip()
    if not text:
        return 0
    if has_syntax(text):
        node = parse(text, thesaurus(), indexed_phrases(searcher))
        return matches(node, terms, searcher, facts.live) if node is not None else 0
    understood = _understand(text, store, searcher, facts, terms, correct=False)
    found = facts.live
    for part in understood.required:
        found &= part_match(part, facts, terms, searcher, day).bits
    return found if understood.parts else 0


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
    return _candidates(store, searcher, facts, terms, category, certifications, day, quantity, features, province, near_limit)  # fmt: skip


def category_candidates(wanted, day) -> dict[tuple, Candidates]:
    """The qualified candidates of several (category, certifications) at once, from one look at
    the index: a BOM asks for every category of a phone in one page."""
    catch_up()
    store = open_store()
    searcher = store.searcher()
    facts, terms = store.facts(searcher)
    return {
        (category, tuple(certifications)): _candidates(
            store, searcher, facts, terms, category, certifications, day, 0, (), None, 0
        )
        for category, certifications in wanted
    }


def _candidates(store, searcher, facts, terms, category, certifications, day, quantity, features, province, near_limit):
    in_category = facts.having("category", category)
    valid = facts.valid_certificates(day)
    lacking = [in_category & ~valid.get(slug, 0) for slug in dict.fromkeys(certifications)]
    qualified = in_category
    for bits in lacking:
        qualified &= ~bits
    near = _fewest_missed(facts, in_category & ~qualified, lacking, category, quantity, near_limit)
    offered: dict[int, tuple[str, ...]] = {}
    for feature in features:
        if not qualified:
            break
        for doc in iter_bits(qualified & _offering(feature, store, searcher, facts, terms, day)):
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
