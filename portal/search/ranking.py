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

from whoosh import query as wq
from whoosh.reading import TermNotFound

from portal.search.facts import LRU, as_text, bits_of

K1, B = 1.2, 0.75
FIELD = "text"


SCORE_CACHE_BYTES = 64 * 2**20  # per process; an array holds 4 bytes per document


class TermCache:
    """Per reader: postings of `text` terms as bit sets and BM25 arrays, least recently used out.

    Score arrays are kept up to SCORE_CACHE_BYTES: some 1,600 terms at 10,000 firms, 160 at
    100,000. Building one walks the term's postings in Python, the dearest step of a search.
    """

    def __init__(self, reader, size: int, bits_entries: int = 1024):
        self.reader, self.size = reader, size
        self.bits = LRU(bits_entries)
        self.scores = LRU(max(16, SCORE_CACHE_BYTES // (4 * max(size, 1))))
        self._lengths: array | None = None
        self._lock = threading.Lock()  # threaded servers share one cache per process
        self.docs = max(reader.doc_count(), 1)
        self.average = (reader.field_length(FIELD) / self.docs) or 1.0

    def lengths(self) -> array:  # called under self._lock
        if self._lengths is None:
            length = self.reader.doc_field_length
            self._lengths = array("f", (length(doc, FIELD, 0) for doc in range(self.size)))
        return self._lengths

    def _postings(self, term: str) -> list[tuple[int, float]]:
        """(document, weight) pairs; the weight sums the section weights of each occurrence."""
        try:
            matcher = self.reader.postings(FIELD, term)
        except TermNotFound:
            return []
        found = []
        while matcher.is_active():
            found.append((matcher.id(), matcher.weight()))
            matcher.next()
        return found

    def term_bits(self, term: str) -> int:
        with self._lock:
            return self.bits.get_or(term, lambda: bits_of((doc for doc, _ in self._postings(term)), self.size))

    def term_scores(self, term: str) -> array:
        def make():
            postings = self._postings(term)
            scores = array("f", bytes(4 * self.size))
            if not postings:
                return scores
            idf = math.log(1 + (self.docs - len(postings) + 0.5) / (len(postings) + 0.5))
            lengths, average = self.lengths(), self.average
            for doc, frequency in postings:
                norm = K1 * (1 - B + B * lengths[doc] / average)
                scores[doc] = idf * frequency * (K1 + 1) / (frequency + norm)
            return scores

        with self._lock:
            return self.scores.get_or(term, make)


def matches(node: wq.Query, cache: TermCache, searcher, live: int) -> int:
    """The bit set of documents a (parsed, expanded) query matches."""
    if isinstance(node, wq.Term) and node.fieldname == FIELD:
        return cache.term_bits(as_text(node.text))
    if isinstance(node, wq.And):
        result = live
        for child in node.subqueries:
            result &= matches(child, cache, searcher, live)
            if not result:
                break
        return result
    if isinstance(node, wq.Or):
        result = 0
        for child in node.subqueries:
            result |= matches(child, cache, searcher, live)
        return result & live
    if isinstance(node, wq.Not):
        return live & ~matches(node.query, cache, searcher, live)
    if isinstance(node, wq.AndNot):
        return matches(node.a, cache, searcher, live) & ~matches(node.b, cache, searcher, live)
    if isinstance(node, wq.AndMaybe):
        return matches(node.a, cache, searcher, live)
    # Phrases people quoted, prefixes and the rest: let Whoosh find the documents.
    return bits_of(node.docs(searcher), cache.size) & live


def scoring_terms(node: wq.Query) -> list[str]:
    """The terms whose scores add up to a document's relevance (not those under a NOT)."""
    if isinstance(node, wq.Not):
        return []
    if isinstance(node, wq.AndNot):
        return scoring_terms(node.a)
    if isinstance(node, wq.AndMaybe):
        return scoring_terms(node.a) + scoring_terms(node.b)
    if isinstance(node, wq.compound.CompoundQuery):
        return [t for child in node.subqueries for t in scoring_terms(child)]
    if isinstance(node, wq.Term) and node.fieldname == FIELD:
        return [as_text(node.text)]
    return [as_text(word) for word in getattr(node, "words", ())]


def top(node: wq.Query, found: int, cache: TermCache, count: int) -> list[tuple[int, float]]:
    """The `count` best (document, score) pairs among `found`, best first; ties by document number."""
    arrays = [cache.term_scores(t) for t in dict.fromkeys(scoring_terms(node))]
    if not arrays:
        return []
    scored = ((sum(a[doc] for a in arrays), doc) for doc in iter_bits(found))
    best = heapq.nlargest(count, scored, key=lambda pair: (pair[0], -pair[1]))
    return [(doc, score) for score, doc in best]


_BITS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]


def iter_bits(bits: int):
    """Set bits in ascending order, a byte at a time (fast for sets of any density)."""
    data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            for offset in _BITS[byte]:
                yield base + offset
