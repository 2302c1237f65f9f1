"""What the search needs to know about every indexed document, held as bit sets.

Per index generation, each facet value (a province, a category, a certificate valid on a day,
a capacity band) gets a bit set of the documents that have it. A query's matches are a bit set
too, so filtering is `&` and a facet count is `(matches & values).bit_count()`: work done in C,
however many firms match. Segments are immutable, so their columns are decoded, and tables made
of them, once per segment and reused when the index gains a segment (`SegmentFacts`); a reader's
tables are its segments' put side by side (`IndexFacts`).
"""

import math
import os
import pickle
import threading
import time
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any, TypeVar

import numpy

from portal.search.quantities import parse_stored
from portal.suppliers.rules import certificate_counts

CAPACITY_BANDS = ((0, 10_000, "under 10k"), (10_000, 100_000, "10k–100k"), (100_000, 1_000_000, "100k–1M"), (1_000_000, math.inf, "1M and more"))  # fmt: skip


def bits_of(docnums, size: int) -> int:
    """A bit set (a Python int) with the given document numbers set: bit `doc` of the int.

    Set in a NumPy array and packed at once: a new index reader (every change to a firm) builds
    some sixty of these over all documents, which a loop in Python took most of a second to do at
    100,000 firms."""
    flags = numpy.zeros(((size >> 3) + 1) * 8, dtype=bool)
    flags[numpy.fromiter(docnums, numpy.int64)] = True
    return int.from_bytes(numpy.packbits(flags, bitorder="little").tobytes(), "little")


def members(bits: int, size: int) -> bytes:
    """A byte view of a bit set for O(1) membership tests: view[d >> 3] >> (d & 7) & 1."""
    return bits.to_bytes((size >> 3) + 1, "little")


def is_member(view: bytes, doc: int) -> bool:
    return bool(view[doc >> 3] >> (doc & 7) & 1)


V = TypeVar("V")


class LRU(OrderedDict[Hashable, Any]):
    """At most `size` entries, least recently used out; a key always maps to what its `make` makes,
    so `get_or` returns that type."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def recall(self, key: Hashable) -> Any:
        """The value kept for `key`, now the most recently used; None when none is kept."""
        if key not in self:
            return None
        self.move_to_end(key)
        return self[key]

    def get_or(self, key: Hashable, make: Callable[[], V]) -> V:
        if key in self:
            self.move_to_end(key)
            return self[key]
        return self.put(key, make())

    def put(self, key: Hashable, value: V) -> V:
        """Keep `value` as the most recently used, forgetting the least recently used beyond the size."""
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
        return value


class SegmentFacts:
    """One segment's columns and the tables derived from them, in the segment's own document
    numbers. A segment never changes once written (only which of its documents are deleted, which
    the reader's live set carries), so these outlive the reader: a change to one firm adds a small
    segment beside the large ones, and the next reader derives its tables for that segment alone."""

    def __init__(self, columns: dict):
        self.columns = columns
        self.size = len(columns["firm_ids"])
        self.firm_ids = array("q", (v or 0 for v in columns["firm_ids"]))
        self._lock = threading.RLock()  # a table may be made of another
        self._derived = LRU(256)

    def derive(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            return self._derived.get_or(key, make)

    def selected(self, key: Hashable, docs_of: Callable[[dict], Iterable[int]]) -> int:
        return self.derive(key, lambda: bits_of(docs_of(self.columns), self.size))

    def grouped(self, key: Hashable, docs_of: Callable[[dict], dict[str, list[int]]]) -> dict[str, int]:
        """Per value, the bit set of the documents `docs_of` lists for it."""
        return self.derive(key, lambda: {v: bits_of(docs, self.size) for v, docs in docs_of(self.columns).items()})

    def stated(self, unit: str, value: float) -> dict[int, float]:
        """The documents stating a value or range of `unit` that covers `value`, with how well."""

        def stating():
            found = (
                (doc, [q for q in held if q.unit == unit]) for doc, held in enumerate(self.columns["specs"]) if held
            )
            return [(doc, held) for doc, held in found if held]

        def make():
            fits = {}
            for doc, held in self.derive(("stating", unit), stating):
                best = max(q.fit(value) for q in held)
                if best:
                    fits[doc] = best
            return fits

        return self.derive(("stated", unit, value), make)


class IndexFacts:
    """Bit sets and sort orders for one reader (one index generation), put together from its
    segments' tables: each shifted to where the segment's documents start, and `& live`."""

    def __init__(self, parts: list[tuple[Hashable, SegmentFacts, int]], previous: "IndexFacts | None" = None):
        """`parts`: each segment's key, facts and live documents (a bit set in its own numbers), in
        the reader's order. `previous`: the facts of the reader before, whose sort orders are kept
        for the documents of the segments both share."""
        self.reader_id: int | None = None
        self.parts: list[tuple[Hashable, SegmentFacts, int]] = []  # key, facts, first document
        self.live, self.size = 0, 0
        self.firm_ids, self._names, self.capacities, self._verified = array("q"), [], [], []
        for key, segment, live in parts:
            self.parts.append((key, segment, self.size))
            self.live |= live << self.size
            self.size += segment.size
            self.firm_ids.extend(segment.firm_ids)
            self._names.extend(segment.columns["sort_names"])
            self.capacities.extend(segment.columns["capacities"])
            self._verified.extend(segment.columns["verified"])
        self.segments = {key: segment for key, segment, _start in self.parts}
        self.values = {
            "province": self._grouped(("province",), lambda c: _by_value((v,) if v else () for v in c["provinces"])),
            "category": self._grouped(("category",), lambda c: _by_value(c["categories"])),
            "market": self._grouped(("market",), lambda c: _by_value(c["markets"])),
        }
        self._lock = threading.RLock()  # a derived table may be made of another
        self._derived = LRU(256)  # capacity bands, certificate validity, capacity orders, ranges
        # Orders the previous reader had sorted, valid for its documents below `_shared_upto`.
        self._shared_upto = _shared_upto(previous.parts, self.parts) if previous is not None else 0
        self._carried = dict(previous._orders) if previous is not None and self._shared_upto else {}
        self._orders: dict[Hashable, array] = {}
        names, verified, firm_ids = self._names, self._verified, self.firm_ids
        self.orders = {
            "name": self._in_order("name", lambda d: (names[d], firm_ids[d])),
            "recent": self._in_order("recent", lambda d: (-(verified[d] or 0), names[d])),
        }

    @classmethod
    def of_reader(cls, reader, previous: "IndexFacts | None" = None, folder: Path | None = None) -> "IndexFacts":
        """The facts of `reader`, reusing the tables of segments `previous` already read."""
        known = previous.segments if previous is not None else {}
        parts = []
        for leaf, _offset in reader.leaf_readers():
            segment = leaf.segment()
            key = segment.segment_id() if segment is not None else id(leaf)
            reused = known.get(key) if isinstance(key, str) else None  # an id() may be reused by another leaf
            parts.append((key, reused or SegmentFacts(_segment_columns(leaf, key, folder)), _live_bits(leaf)))
        if folder is not None:
            _forget_other_segments(folder, {key for key, _segment, _live in parts})
        facts = cls(parts, previous)
        facts.reader_id = id(reader)
        return facts

    def _derive(self, key, make):
        with self._lock:
            return self._derived.get_or(key, make)

    def _grouped(self, key: Hashable, docs_of) -> dict[str, int]:
        combined: dict[str, int] = {}
        for _key, segment, start in self.parts:
            for value, docs in segment.grouped(key, docs_of).items():
                combined[value] = combined.get(value, 0) | docs << start
        return {value: docs & self.live for value, docs in combined.items()}

    def _selected(self, key: Hashable, docs_of) -> int:
        return (
            reduce(or_, (segment.selected(key, docs_of) << start for _key, segment, start in self.parts), 0) & self.live
        )

    # --- filters -----------------------------------------------------------------------------

    def having(self, facet: str, value: str) -> int:
        return self.values[facet].get(value, 0)

    def valid_certificates(self, day: date) -> dict[str, int]:
        """Per certification, the documents holding one that is still valid on `day`."""

        def valid(columns):  # the index holds verified certificates only
            docs: dict[str, list[int]] = {}
            for doc, held in enumerate(columns["certificates"]):
                for slug, expiry in held:
                    if certificate_counts(True, expiry, day):
                        docs.setdefault(slug, []).append(doc)
            return docs

        key = ("certificates", day)
        return self._derive(key, lambda: self._grouped(key, valid))

    def stated(self, unit: str, value: float) -> dict[int, float]:
        """The documents stating a value or range of `unit` that covers `value`, with how well."""

        def make():
            fits = {}
            for _key, segment, start in self.parts:
                fits.update((doc + start, fit) for doc, fit in segment.stated(unit, value).items())
            return fits

        return self._derive(("stated", unit, value), make)

    def stated_bits(self, unit: str, value: float) -> int:
        return self._derive(
            ("stated-bits", unit, value), lambda: bits_of(self.stated(unit, value), self.size) & self.live
        )

    def sort_name(self, doc: int) -> str:
        return self._names[doc]

    def capacity(self, doc: int, category: str | None) -> int:
        amounts = self.capacities[doc]
        return amounts.get(category, 0) if category else max(amounts.values(), default=0)

    def capacity_between(self, category: str | None, low: int | None, high: int | None) -> int:
        low_, high_ = low or 0, high if high is not None else math.inf

        def within(columns):
            return (doc for doc, amount in _amounts(columns, category) if low_ <= amount <= high_)

        key = ("capacity", category, low, high)
        return self._derive(key, lambda: self._selected(key, within))

    def capacity_bands(self, category: str | None) -> dict[str, int]:
        lows, labels = [band[0] for band in CAPACITY_BANDS], [band[2] for band in CAPACITY_BANDS]

        def upper_bands(columns):  # the first band (most firms, stating nothing) is what the others leave
            docs: dict[str, list[int]] = {}
            for doc, amount in _amounts(columns, category):
                if amount >= lows[1]:
                    docs.setdefault(labels[bisect_right(lows, amount) - 1], []).append(doc)
            return docs

        def make():
            found = self._grouped(("bands", category), upper_bands)
            upper = [found.get(label, 0) for label in labels[1:]]
            return dict(zip(labels, [self.live & ~reduce(or_, upper, 0), *upper], strict=True))

        return self._derive(("bands", category), make)

    # --- facets and orders ---------------------------------------------------------------------

    def facet_counts(self, matches: int, category: str | None, day: date) -> dict[str, dict[str, int]]:
        groups = {
            **self.values,
            "certification": self.valid_certificates(day),
            "capacity": self.capacity_bands(category),
        }
        counts = {}
        for facet, values in groups.items():
            found = {value: (matches & docs).bit_count() for value, docs in values.items()}
            counts[facet] = dict(sorted(((v, n) for v, n in found.items() if n), key=lambda item: (-item[1], item[0])))
        return counts

    def order(self, sort: str, category: str | None):
        if sort != "capacity":
            return self.orders["name" if sort not in self.orders else sort]
        names, firm_ids = self._names, self.firm_ids

        def by_capacity_then_name() -> list[int]:  # a stable sort of the name order: ties stay in it
            amounts = [self.capacity(doc, category) for doc in range(self.size)]
            return sorted(self.orders["name"], key=lambda d: -amounts[d])

        with self._lock:
            return self._in_order(
                ("capacity", category),
                lambda d: (-self.capacity(d, category), names[d], firm_ids[d]),
                by_capacity_then_name,
            )

    def _in_order(
        self, name: Hashable, key_of: Callable[[int], Any], sort_all: Callable[[], list[int]] | None = None
    ) -> array:
        """The live documents sorted by `key_of`, ties in document order, made once per reader;
        `sort_all`, when given, makes the same order of every document faster.

        A document keeps its number while its segment stays, so the previous reader's order, with
        its deleted documents taken out, holds for the segments both readers share; only documents
        of newer segments (one firm's change: one document) are put in place by binary search,
        instead of sorting every document again."""
        if name in self._orders:
            return self._orders[name]
        alive = numpy.unpackbits(numpy.frombuffer(members(self.live, self.size), numpy.uint8), bitorder="little")
        carried, upto = self._carried.pop(name, None), self._shared_upto
        newer = (numpy.flatnonzero(alive[upto : self.size]) + upto).tolist()
        if carried is None or len(newer) > len(carried) // 8:  # many new: one sort is cheaper
            everything = sort_all() if sort_all else sorted(numpy.flatnonzero(alive[: self.size]).tolist(), key=key_of)
            order = array("q", everything)
        else:
            newer.sort(key=key_of)
            kept = numpy.frombuffer(carried, numpy.int64)
            kept = kept[kept < upto]
            kept = kept[alive[kept].astype(bool)]
            listed = kept.tolist()
            places = [bisect_right(listed, key_of(doc), key=key_of) for doc in newer]
            order = array("q", numpy.insert(kept, places, newer).tobytes())
        self._orders[name] = order
        return order

    def page_in_order(self, matches: int, sort: str, category: str | None, start: int, count: int) -> list[int]:
        """The documents `start` to `start + count` of `matches`, in the sort order asked for."""
        view, page, seen = members(matches, self.size), [], 0
        for doc in self.order(sort, category):
            if view[doc >> 3] >> (doc & 7) & 1:
                if seen >= start:
                    page.append(doc)
                    if len(page) == count:
                        break
                seen += 1
        return page


def _shared_upto(before: list, after: list) -> int:
    """How many leading documents two readers share: those of the segments both start with."""
    upto = 0
    for (key, segment, start), (other_key, _other, other_start) in zip(before, after, strict=False):
        if not isinstance(key, str) or key != other_key or start != other_start:
            break
        upto = start + segment.size
    return upto


def _live_bits(leaf) -> int:
    """The leaf's documents not deleted, a bit set in its own numbers (read from its deletions,
    few, rather than by asking for every document)."""
    count = leaf.doc_count_all()
    if not leaf.has_deletions():
        return (1 << count) - 1
    deleted = getattr(leaf, "deleted_docs_set", None)
    if deleted is None:
        return bits_of(leaf.all_doc_ids(), count)
    return ((1 << count) - 1) & ~bits_of(deleted, count)


def _by_value(values_per_doc: Iterable[Iterable[str]]) -> dict[str, list[int]]:
    """Per value, the documents having it, from each document's values."""
    docs: dict[str, list[int]] = {}
    for doc, values in enumerate(values_per_doc):
        for value in values:
            docs.setdefault(value, []).append(doc)
    return docs


def _amounts(columns: dict, category: str | None):
    """(document, monthly capacity) for every document: for `category`, or the largest."""
    if category:
        return ((doc, amounts.get(category, 0)) for doc, amounts in enumerate(columns["capacities"]))
    return ((doc, max(amounts.values(), default=0)) for doc, amounts in enumerate(columns["capacities"]))


SEGMENT_COLUMNS = (
    "firm_ids",
    "provinces",
    "categories",
    "capacities",
    "certificates",
    "markets",
    "sort_names",
    "verified",
    "specs",
)


# Decoded columns are kept beside the index, one file per segment: decoding a large segment's
# columns takes seconds of a worker's first search, and every worker on the host (and the next
# start) would do it again. Raise the format when `_decode_segment` changes what it returns.
COLUMNS_FORMAT = 1
COLUMNS_FILE = "columns-{}.pickle"  # by segment id
KEEP_OTHERS_SECONDS = 600  # another process may be reading a newer segment's file


def _segment_columns(leaf, key, folder: Path | None) -> dict:
    """A segment's decoded columns: from the file kept beside the index, else decoded (and kept)."""
    if folder is None or not isinstance(key, str):
        return _decode_segment(leaf)
    path = folder / COLUMNS_FILE.format(key)
    try:
        with path.open("rb") as handle:
            # The index folder is trusted as code already: Whoosh unpickles its schema from it.
            kept = pickle.load(handle)  # noqa: S301
        if kept["format"] == COLUMNS_FORMAT and len(kept["columns"]["firm_ids"]) == leaf.doc_count_all():
            return kept["columns"]
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, KeyError, TypeError, ValueError):
        pass  # missing, half-written by a process that died, or of an older format: decode again
    columns = _decode_segment(leaf)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        with temporary.open("wb") as handle:
            pickle.dump({"format": COLUMNS_FORMAT, "columns": columns}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:  # a read-only or full disk costs only the time to decode again
        temporary.unlink(missing_ok=True)
    return columns


def _forget_other_segments(folder: Path, keys: set) -> None:
    """Remove the kept columns of segments merged away (a while ago, so no reader still wants them)."""
    now = time.time()
    for path in folder.glob(COLUMNS_FILE.format("*")):
        key = path.name.removeprefix("columns-").removesuffix(".pickle")
        try:
            if key not in keys and now - path.stat().st_mtime > KEEP_OTHERS_SECONDS:
                path.unlink()
        except OSError:
            pass  # another process removed it first


def _decode_segment(reader) -> dict:
    def column(name):
        return list(reader.column_reader(name)) if reader.has_column(name) else [None] * reader.doc_count_all()

    def split(values, sep=" "):
        return [tuple(v.split(sep)) if v else () for v in (as_text(x) for x in values)]

    capacities = [
        {slug: int(amount) for slug, _, amount in (item.partition(":") for item in items)}
        for items in split(column("capacities"))
    ]
    certificates = [
        tuple((slug, date.fromisoformat(day)) for slug, _, day in (item.partition(":") for item in items))
        for items in split(column("certificates"))
    ]
    return {
        "firm_ids": column("firm"),
        "provinces": [as_text(v) for v in column("province")],
        "categories": split(column("categories")),
        "capacities": capacities,
        "certificates": certificates,
        "markets": split(column("markets"), sep="|"),
        "sort_names": [as_text(v) for v in column("sort_name")],
        "verified": [v or 0 for v in column("verified")],
        "specs": [tuple(parse_stored(as_text(v))) for v in column("specs")],
    }


def as_text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value or ""
