"""A term's postings, read a block at a time.

Ranking needs every (document, weight) pair of a term once per index generation (ranking.py
turns them into bit sets and score arrays). Walking Whoosh's matcher one posting at a time costs
four Python calls per posting through the segment and deletion wrappers: a common trade word at
100,000 firms has tens of thousands of postings, and a query widened by the thesaurus reads
dozens of such terms. Whoosh 3's leaf matcher decodes a whole block (up to 128 postings) into
arrays anyway; this module takes each block's arrays as they are. Any other matcher (another
codec, a future Whoosh) is walked the slow, public way, with the same result.
"""

from array import array

from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

_BLOCK_API = ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights", "_i", "_atend")


def read(reader, field: str, term: str) -> tuple[array, array]:
    """The documents holding `term` (ascending, deleted ones left out) and each one's weight."""
    docs, weights = array("q"), array("f")
    for leaf, offset in reader.leaf_readers():
        try:
            matcher = leaf.postings(field, term)
        except TermNotFound:
            continue
        deleted: frozenset = frozenset()
        if isinstance(matcher, FilterMatcher):
            matcher, deleted = matcher.child, leaf.deleted_docs_set
        if all(hasattr(matcher, name) for name in _BLOCK_API):
            _read_blocks(matcher, offset, deleted, docs, weights)
        else:
            _read_one_by_one(matcher, offset, deleted, docs, weights)
    return docs, weights


def _read_blocks(matcher, offset: int, deleted: frozenset, docs: array, weights: array) -> None:
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        start = matcher._i
        ids, block_weights = matcher._ids[start:], matcher._weights[start:]
        if deleted:
            kept = [(doc, weight) for doc, weight in zip(ids, block_weights, strict=True) if doc not in deleted]
            ids, block_weights = [doc for doc, _ in kept], [weight for _, weight in kept]
        docs.extend(doc + offset for doc in ids) if offset else docs.extend(ids)
        weights.extend(block_weights)
        matcher._next_block()


def _read_one_by_one(matcher, offset: int, deleted: frozenset, docs: array, weights: array) -> None:
    while matcher.is_active():
        doc = matcher.id()
        if doc not in deleted:
            docs.append(doc + offset)
            weights.append(matcher.weight())
        matcher.next()
