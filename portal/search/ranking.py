"""Matching and ranking over bit sets: which documents a query matches, and their BM25 order.

Whoosh's matchers walk every posting in Python for every query. Here each term's postings are
read once per index generation into a bit set (which documents) and a dense score array
(BM25 contribution per document), cached; a query is then `&`/`|` over bit sets in C, and
ranking sums a few array entries for the matching documents only.
"""

import heapq
import math
import threading
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy
from whoosh.query.compound import And, AndMaybe, AndNot, CompoundQuery, Or
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Query
from whoosh.query.terms import Term
from whoosh.query.wrappers import Not
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from portal.search import postings
from portal.search.analysis import phrase_term, terms
from portal.search.facts import LRU, IndexFacts, as_text, bits_of, is_member, members
from portal.search.query import indexed_phrases

if TYPE_CHECKING:
    from portal.search.understanding import Part

K1, B = 1.2, 0.75
FIELD = "text"


SCORE_CACHE_BYTES = 32 * 2**20  # per process; an array holds 4 bytes per document
# Answers kept per process and reader (a page of ids, snippets and cards, the counts beside each
# filter, and the directory's rendering of them: some 80 KB together); a change to the index
# starts afresh. Within the 400 MB a worker may use at 100,000 firms, with the score arrays.
ANSWERS_KEPT = 512


class TermCache:
    """Per reader: postings of `text` terms as bit sets and BM25 arrays, least recently used out.

    Score arrays are kept up to SCORE_CACHE_BYTES: some 800 at 10,000 firms, 80 at 100,000.
    A term's scores are computed over all its postings at once (numpy): a query of words no one
    asked for yet costs a few milliseconds, not one Python step per posting.
    """

    def __init__(
        self,
        reader: IndexReader,
        size: int,
        segments: postings.SegmentCache | None = None,
        bits_entries: int = 1024,
        answers_kept: int = ANSWERS_KEPT,
    ):
        self.reader, self.size = reader, size
        self.segments = segments or postings.SegmentCache()
        self.bits = LRU(bits_entries)
        # A new query reads each term's postings for its bit set, then again for its scores: the
        # last few terms read are kept (at most 12 bytes a posting) so the second is free.
        self.read = LRU(32)
        # Whole answers given on this reader (service.search), by words, filters and day.
        self.answers = LRU(answers_kept)
        self.scores = LRU(max(16, SCORE_CACHE_BYTES // (4 * max(size, 1))))
        self._lengths: numpy.ndarray | None = None
        self._lock = threading.RLock()  # threaded servers share one cache per process
        self.docs = max(reader.doc_count(), 1)
        self.average = (reader.field_length(FIELD) / self.docs) or 1.0

    def lengths(self) -> numpy.ndarray:  # called under self._lock
        if self._lengths is None:
            parts = [self.segments.lengths(leaf, FIELD) for leaf, _offset in self.reader.leaf_readers()]
            self._lengths = numpy.concatenate(parts) if parts else numpy.zeros(self.size)
        return self._lengths

    def _postings(self, term: str) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Documents and weights; a weight sums the section weights of each occurrence."""
        return self.read.get_or(term, lambda: postings.read(self.reader, FIELD, term, self.segments))

    def _bm25(self, term: str) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The documents holding `term` and the term's BM25 score in each."""
        docs, frequencies = self._postings(term)
        if not len(docs):
            return docs, frequencies
        idf = math.log(1 + (self.docs - len(docs) + 0.5) / (len(docs) + 0.5))
        norm = K1 * (1 - B + B * self.lengths()[docs] / self.average)
        return docs, idf * frequencies * (K1 + 1) / (frequencies + norm)

    def term_bits(self, term: str) -> int:
        def make() -> int:
            having = numpy.zeros(self.size, bool)
            having[self._postings(term)[0]] = True
            return int.from_bytes(numpy.packbits(having, bitorder="little").tobytes(), "little")

        with self._lock:
            return self.bits.get_or(term, make)

    def phrase_bits(self, words: tuple[str, ...], searcher: Searcher) -> int:
        """Documents holding the words together (one word between them at most)."""

        def make() -> int:
            return bits_of(Phrase(FIELD, list(words), slop=1).docs(searcher), self.size)

        with self._lock:
            return self.bits.get_or(("phrase", words), make)

    def term_scores(self, term: str) -> "array[float]":
        def make() -> "array[float]":
            scores = numpy.zeros(self.size, numpy.float32)
            docs, values = self._bm25(term)
            scores[docs] = values
            return array("f", scores.tobytes())

        with self._lock:
            return self.scores.get_or(term, make)

    def weighted(self, shares: tuple[tuple[str, float], ...]) -> "Weighted":
        """The summed BM25 of terms, each times its share, for one part of a query: one array and
        one best-first order instead of one per term, so a word the thesaurus widens to twenty terms
        costs one cache entry and one list to walk, and scoring a document reads one number."""

        def make() -> Weighted:
            combined = numpy.zeros(self.size, numpy.float64)
            having = numpy.zeros(self.size, bool)
            for term, share in shares:
                docs, values = self._bm25(term)
                combined[docs] += share * values  # a term's documents are distinct
                having[docs] = True
            scored = numpy.flatnonzero(having)
            rounded = combined.astype(numpy.float32)
            order = scored[numpy.argsort(-rounded[scored], kind="stable")]
            return Weighted(array("f", rounded.tobytes()), array("l", order.astype(numpy.int64).tobytes()), shares)

        with self._lock:
            return self.scores.get_or(("weighted", shares), make)


@dataclass(frozen=True)
class Weighted:
    scores: "array[float]"  # per document
    order: "array[int]"  # the documents with a score, best first: top-k walks stop after a few of them
    shares: tuple[tuple[str, float], ...]


def matches(node: Query, cache: TermCache, searcher: Searcher, live: int) -> int:
    """The bit set of documents a (parsed, expanded) query matches."""
    if isinstance(node, Term) and node.fieldname == FIELD:
        return cache.term_bits(as_text(node.text))
    if isinstance(node, And):
        result = live
        for child in node.subqueries:
            result &= matches(child, cache, searcher, live)
            if not result:
                break
        return result
    if isinstance(node, Or):
        result = 0
        for child in node.subqueries:
            result |= matches(child, cache, searcher, live)
        return result & live
    if isinstance(node, Not):
        return live & ~matches(node.query, cache, searcher, live)
    if isinstance(node, AndNot):
        return matches(node.a, cache, searcher, live) & ~matches(node.b, cache, searcher, live)
    if isinstance(node, AndMaybe):
        return matches(node.a, cache, searcher, live)
    # Phrases people quoted, prefixes and the rest: let Whoosh find the documents.
    return bits_of(node.docs(searcher), cache.size) & live


def scoring_terms(node: Query) -> list[str]:
    """The terms whose scores add up to a document's relevance (not those under a NOT)."""
    if isinstance(node, Not):
        return []
    if isinstance(node, AndNot):
        return scoring_terms(node.a)
    if isinstance(node, AndMaybe):
        return scoring_terms(node.a) + scoring_terms(node.b)
    if isinstance(node, CompoundQuery):
        return [t for child in node.subqueries for t in scoring_terms(child)]
    if isinstance(node, Term) and node.fieldname == FIELD:
        return [as_text(node.text)]
    return [as_text(word) for word in getattr(node, "words", ())]


def top(node: Query, found: int, cache: TermCache, count: int) -> list[tuple[int, float]]:
    """The `count` best (document, score) pairs among `found`, best first; ties by document number."""
    arrays = [cache.term_scores(t) for t in dict.fromkeys(scoring_terms(node))]
    if not arrays:
        return []
    scored = ((sum(a[doc] for a in arrays), doc) for doc in iter_bits(found))
    best = heapq.nlargest(count, scored, key=lambda pair: (pair[0], -pair[1]))
    return [(doc, score) for score, doc in best]


_BITS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]


def iter_bits(bits: int) -> Iterator[int]:
    """Set bits in ascending order, a byte at a time (fast for sets of any density)."""
    data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            for offset in _BITS[byte]:
                yield base + offset


# --- plain queries: ranked by how much of the query a firm covers ----------------------------------

RELATED = 0.5  # a related term's share of a synonym's score
FACET_SCORE = 1.0  # a certificate, place or category held, as a term's score
QUANTITY_SCORE = 1.5  # a stated value or range that fits exactly; less as it fits less


@dataclass
class PartMatch:
    """Which documents have one part of a query, and how strongly each has it."""

    bits: int
    weight: int
    scores: Weighted | None = None  # its terms' scores
    bonus: float = 0.0  # score of having the part through a facet (certificate, place, category)
    fits: dict[int, float] | None = None  # for a quantity: how well each document's statement fits
    # Of `bits`, those having the part only through a related term, or, for words naming a
    # component, only in their text (a housing maker's "charger cases"): half its weight.
    loose: int = 0


def part_match(part: "Part", facts: IndexFacts, cache: TermCache, searcher: Searcher, day: date) -> PartMatch:
    """The documents having `part` (see understanding.Part) and their scores."""
    bits, related = 0, 0
    shares: list[tuple[str, float]] = []
    for words in part.alternatives:
        found, scored = _alternative(words, cache, searcher)
        bits |= found
        shares += scored
    for words in part.related:
        found, scored = _alternative(words, cache, searcher)
        related |= found
        shares += [(term, RELATED * share) for term, share in scored]
    for form in part.city_forms:
        found, scored = _alternative(tuple(terms(form)), cache, searcher)
        bits |= found
        shares += scored
    scores = cache.weighted(tuple(shares)) if shares else None
    bonus, fits = 0.0, None
    if part.certification:
        bits |= facts.valid_certificates(day).get(part.certification, 0)
        bonus = FACET_SCORE
    if part.province and not part.city_forms:
        bits |= facts.having("province", part.province)
        bonus = FACET_SCORE
    if part.category:
        making = facts.having("category", part.category)
        loose = (bits | related) & ~making  # the word in its text, not the component among its lines
        bits |= making
    else:
        loose = related & ~bits
    if part.quantity:
        unit, value = part.quantity
        fits = facts.stated(unit, value)
        bits |= facts.stated_bits(unit, value)
    if part.monthly:
        component, units = part.monthly
        bits |= facts.capacity_between(component, units, None)
        bonus = FACET_SCORE
    return PartMatch((bits | related) & facts.live, part.weight, scores, bonus, fits, loose & facts.live)


def _alternative(words: tuple[str, ...], cache: TermCache, searcher: Searcher) -> tuple[int, list[tuple[str, float]]]:
    """The documents having one wording of a part, and the terms that score it with their shares."""
    if not words:
        return 0, []
    if len(words) == 1:
        return cache.term_bits(words[0]), [(words[0], 1.0)]
    joined = phrase_term(words)
    if joined in _indexed(searcher):
        return cache.term_bits(joined), [(joined, 1.0)]
    return cache.phrase_bits(words, searcher), [(w, 1.0 / len(words)) for w in words]


def _indexed(searcher: Searcher) -> frozenset[str]:
    return _phrase_terms(indexed_phrases(searcher))


@lru_cache(maxsize=4)
def _phrase_terms(phrases: frozenset[tuple[str, ...]]) -> frozenset[str]:
    """The index terms of the phrases: per phrase set, which every reading of the schema shares."""
    return frozenset(phrase_term(p) for p in phrases)


def union(parts: list[PartMatch]) -> int:
    """Documents having any part that counts (or any part, when none counts: "supplier")."""
    counting = [p for p in parts if p.weight] or parts
    found = 0
    for part in counting:
        found |= part.bits
    return found


@dataclass
class Ranking:
    best: list[tuple[int, float]]  # (document, score), best first
    complete: int  # documents covering every part that counts
    lacking: list[bool]  # per part: no document of the best coverage has it


def covering_top(parts: list[PartMatch], found: int, count: int) -> Ranking:
    """The `count` best documents of `found`: those covering more of the query first (what a
    firm makes weighs more than its attributes), then by their terms' BM25 and facet scores.

    Documents are grouped by coverage with bit-set operations (in C), so only the groups that can
    reach the page are scored one by one.
    """
    counting = [p for p in parts if p.weight] or [PartMatch(p.bits, 2, p.scores) for p in parts]
    full = sum(p.weight for p in counting)
    groups = {0: found}
    for part in counting:
        moved: dict[int, int] = {}
        strong = part.bits & ~part.loose
        for covered, docs in groups.items():
            for gained, having in ((part.weight, docs & strong), (part.weight // 2, docs & part.loose)):
                if having:
                    moved[covered + gained] = moved.get(covered + gained, 0) | having
            if docs & ~part.bits:
                moved[covered] = moved.get(covered, 0) | (docs & ~part.bits)
        groups = moved
    groups.pop(0, None)
    best: list[tuple[int, float]] = []
    scorer = _Scorer(parts)
    for covered in sorted(groups, reverse=True):
        wanted = count - len(best)
        if wanted <= 0:
            break
        group = groups[covered]
        if group.bit_count() > WALK_FROM * wanted:
            chosen = _walk_top(parts, group, wanted, scorer)
        else:
            chosen = heapq.nlargest(wanted, ((scorer.score(d), d) for d in iter_bits(group)), key=_order)
        best += [(doc, covered / 2 + score / (score + 10.0)) for score, doc in chosen]
    complete = groups.get(full, 0).bit_count() if counting else 0
    # What the first firm shown lacks, when none has every part: firms of equal coverage may have
    # different parts ("ISO 9001 Lahore": certified elsewhere, or in Lahore without it).
    first = best[0][0] if best and not complete else None
    return Ranking(
        best=best,
        complete=complete,
        lacking=[bool(p.weight) and first is not None and not p.bits >> first & 1 for p in parts],
    )


WALK_FROM = 20  # a group this many times larger than the page wanted is walked best-first
# A page entry of `_walk_top`: its order key, then the (score, document) pair.
_Ranked = tuple[tuple[float, int], tuple[float, int]]


def _order(pair: tuple[float, int]) -> tuple[float, int]:
    return (pair[0], -pair[1])


def _walk_top(parts: list[PartMatch], group: int, wanted: int, scorer: "_Scorer") -> list[tuple[float, int]]:
    """The `wanted` best of a large group without scoring all of it (Fagin's threshold algorithm):
    walk each part's documents best first; stop once the page's worst score beats what any
    document not yet seen could reach (the parts' scores at the walk's depth, plus every facet
    and quantity bonus). Documents holding none of the terms are scored only if the page is short.
    """
    lists = [(p.scores.order, p.scores.scores) for p in parts if p.scores]
    extra = sum(p.bonus + (QUANTITY_SCORE if p.fits else 0.0) for p in parts)
    view, seen = members(group, max(group.bit_length(), 1)), set()
    page: list[_Ranked] = []
    depth, longest = 0, max((len(order) for order, _scores in lists), default=0)
    while depth < longest:
        threshold = extra
        for order, scores in lists:
            if depth < len(order):
                doc = order[depth]
                threshold += scores[doc]
                if doc not in seen and doc >> 3 < len(view) and is_member(view, doc):
                    seen.add(doc)
                    _keep(page, (scorer.score(doc), doc), wanted)
        if len(page) == wanted and page[0][0][0] > threshold:
            break
        depth += 1
    else:
        if len(page) < wanted or page[0][0][0] <= extra:  # the rest hold no term: at most `extra`
            for doc in iter_bits(group):
                if doc not in seen:
                    _keep(page, (scorer.score(doc), doc), wanted)
    return [pair for _key, pair in sorted(page, reverse=True)]


def _keep(page: list[_Ranked], pair: tuple[float, int], wanted: int) -> None:
    """A min-heap of the best `wanted` (score, doc) pairs, ties to the lower document."""
    item = (_order(pair), pair)
    if len(page) < wanted:
        heapq.heappush(page, item)
    elif item[0] > page[0][0]:
        heapq.heapreplace(page, item)


class _Scorer:
    def __init__(self, parts: list[PartMatch]):
        self.parts = [(members(p.bits, _size(p)), p) for p in parts]

    def score(self, doc: int) -> float:
        total = 0.0
        for view, part in self.parts:
            if doc >> 3 < len(view) and is_member(view, doc):
                total += part.bonus
                if part.scores and doc < len(part.scores.scores):
                    total += part.scores.scores[doc]
                if part.fits:
                    total += QUANTITY_SCORE * part.fits.get(doc, 0.0)
        return total


def _size(part: PartMatch) -> int:
    return max(part.bits.bit_length(), 1)


def highlight_terms(parts: "list[Part]") -> frozenset[str]:
    """The stemmed terms a snippet marks: every alternative's words, and a city's names."""
    found: set[str] = set()
    for part in parts:
        for words in (*part.alternatives, *part.related):
            found.update(words)
            if len(words) > 1:
                found.add(phrase_term(words))
        for form in part.city_forms:
            found.update(terms(form))
    return frozenset(found)
