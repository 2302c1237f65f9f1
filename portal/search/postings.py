"""A term's postings, read a block at a time and kept per segment.

Ranking needs every (document, weight) pair of a term (ranking.py turns them into bit sets and
score arrays). Walking Whoosh's matcher one posting at a time costs four Python calls per posting
through the segment and deletion wrappers: a common trade word at 100,000 firms has tens of
thousands of postings, and a query widened by the thesaurus reads dozens of such terms. Whoosh 3's
leaf matcher decodes a whole block (up to 128 postings) into arrays anyway; this module takes each
block's arrays as they are. Any other matcher (another codec, a future Whoosh) is walked the slow,
public way, with the same result.

A segment never changes once written; only which of its documents are deleted does. Every change
to the index (a firm edits its profile) opens a new reader, usually one new small segment beside
the old ones, so what was read from a segment is kept across readers (`SegmentCache`) and a new
reader reads only its new segments.
"""

import threading
from array import array
from collections import OrderedDict

import numpy
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

_BLOCK_API = ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights", "_i", "_atend")
CACHE_BYTES = 48 * 2**20  # per process: about four million postings


class SegmentCache:
    """Each segment's postings (deleted documents included) and document lengths, shared by every
    reader of the index in this process, least recently used out beyond CACHE_BYTES."""

    def __init__(self, budget: int = CACHE_BYTES):
        self.budget, self.used = budget, 0
        self._postings: OrderedDict = OrderedDict()
        self._lengths: dict = {}
        self._lock = threading.Lock()

    def postings(self, leaf, field: str, term: str) -> tuple[numpy.ndarray, numpy.ndarray]:
        key = (_segment_key(leaf), field, term)
        with self._lock:
            if key in self._postings:
                self._postings.move_to_end(key)
                return self._postings[key]
        found = _read_segment(leaf, field, term)
        with self._lock:
            if key not in self._postings:
                self._postings[key] = found
                self.used += found[0].nbytes + found[1].nbytes
                while self.used > self.budget and len(self._postings) > 1:
                    _key, (docs, weights) = self._postings.popitem(last=False)
                    self.used -= docs.nbytes + weights.nbytes
        return found

    def lengths(self, leaf, field: str) -> numpy.ndarray:
        """The field's length in each document of the segment (deleted ones included)."""
        key = (_segment_key(leaf), field)
        with self._lock:
            found = self._lengths.get(key)
        if found is None:
            length = leaf.doc_field_length
            found = numpy.fromiter((length(doc, field, 0) or 0 for doc in range(leaf.doc_count_all())), numpy.float64)
            with self._lock:
                self._lengths[key] = found
        return found

    def forget_missing(self, keys: set) -> None:
        """Drop the lengths of segments no reader has any more (merged away)."""
        with self._lock:
            for key in [k for k in self._lengths if k[0] not in keys]:
                del self._lengths[key]


def read(reader, field: str, term: str, cache: SegmentCache | None = None) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The documents holding `term` (ascending, deleted ones left out) and each one's weight."""
    cache = cache or SegmentCache()
    all_docs, all_weights = [], []
    for leaf, offset in reader.leaf_readers():
        docs, weights = cache.postings(leaf, field, term)
        deleted = leaf.deleted_docs_set if leaf.has_deletions() else frozenset()
        if deleted and len(docs):
            kept = ~numpy.isin(docs, numpy.fromiter(deleted, numpy.int64, len(deleted)))
            docs, weights = docs[kept], weights[kept]
        all_docs.append(docs + offset)
        all_weights.append(weights)
    if not all_docs:
        return numpy.zeros(0, numpy.int64), numpy.zeros(0, numpy.float64)
    return numpy.concatenate(all_docs), numpy.concatenate(all_weights)


def segment_keys(reader) -> set:
    return {_segment_key(leaf) for leaf, _offset in reader.leaf_readers()}


def _segment_key(leaf):
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return segment.segment_id() if segment is not None else id(leaf)


def _read_segment(leaf, field: str, term: str) -> tuple[numpy.ndarray, numpy.ndarray]:
    docs, weights = array("q"), array("f")
    try:
        matcher = leaf.postings(field, term)
    except TermNotFound:
        matcher = None
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions are applied per reader, the segment's postings kept whole
    if matcher is None:
        pass
    elif all(hasattr(matcher, name) for name in _BLOCK_API):
        _read_blocks(matcher, docs, weights)
    else:
        _read_one_by_one(matcher, docs, weights)
    return numpy.frombuffer(docs, numpy.int64), numpy.frombuffer(weights, numpy.float32).astype(numpy.float64)


def _read_blocks(matcher, docs: array, weights: array) -> None:
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        start = matcher._i
        docs.extend(matcher._ids[start:])
        weights.extend(matcher._weights[start:])
        matcher._next_block()


def _read_one_by_one(matcher, docs: array, weights: array) -> None:
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
