"""What the search needs to know about every indexed document, held as bit sets.

Per index generation, each facet value (a province, a category, a certificate valid on a day,
a capacity band) gets a bit set of the documents that have it. A query's matches are a bit set
too, so filtering is `&` and a facet count is `(matches & values).bit_count()`: work done in C,
however many firms match. Segments are immutable, so their columns are decoded once and reused
when the index gains a segment.
"""

import math
import os
import pickle
import threading
import time
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Hashable
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


class IndexFacts:
    """Bit sets and sort orders for one reader (one index generation)."""

    def __init__(self, reader, segment_cache: dict, folder: Path | None = None):
        self.reader_id = id(reader)
        self.size = reader.doc_count_all()
        parts, self.segments = [], {}
        for leaf, _offset in reader.leaf_readers():
            segment = leaf.segment()
            key = segment.segment_id() if segment is not None else id(leaf)
            self.segments[key] = segment_cache.get(key) or _segment_columns(leaf, key, folder)
            parts.append(self.segments[key])
        if folder is not None:
            _forget_other_segments(folder, set(self.segments))
        column = {name: [v for part in parts for v in part[name]] for name in SEGMENT_COLUMNS}
        self.firm_ids = array("q", (v or 0 for v in column["firm_ids"]))
        self.live = bits_of(reader.all_doc_ids(), self.size)
        self.capacities = column["capacities"]
        self.certificates = column["certificates"]
        self.specs = column["specs"]
        self.values = {
            "province": self._group((doc, (v,)) for doc, v in enumerate(column["provinces"]) if v),
            "category": self._group(enumerate(column["categories"])),
            "market": self._group(enumerate(column["markets"])),
        }
        live = members(self.live, self.size)
        alive = [doc for doc in range(self.size) if is_member(live, doc)]
        names, verified = column["sort_names"], column["verified"]
        self.orders = {
            "name": array("l", sorted(alive, key=lambda d: (names[d], self.firm_ids[d]))),
            "recent": array("l", sorted(alive, key=lambda d: (-(verified[d] or 0), names[d]))),
        }
        self._names = names
        self._lock = threading.RLock()  # a derived table may be made of another
        self._derived = LRU(256)  # capacity bands, certificate validity, capacity orders, ranges

    def _group(self, pairs) -> dict[str, int]:
        docs: dict[str, list[int]] = {}
        for doc, values in pairs:
            for value in values:
                docs.setdefault(value, []).append(doc)
        return {value: bits_of(found, self.size) & self.live for value, found in docs.items()}

    def _derive(self, key, make):
        with self._lock:
            return self._derived.get_or(key, make)

    # --- filters -----------------------------------------------------------------------------

    def having(self, facet: str, value: str) -> int:
        return self.values[facet].get(value, 0)

    def valid_certificates(self, day: date) -> dict[str, int]:
        """Per certification, the documents holding one that is still valid on `day`."""

        def make():
            docs: dict[str, list[int]] = {}
            for doc, held in enumerate(self.certificates):
                for slug, expiry in held:
                    if certificate_counts(True, expiry, day):  # the index holds verified ones only
                        docs.setdefault(slug, []).append(doc)
            return {slug: bits_of(found, self.size) & self.live for slug, found in docs.items()}

        return self._derive(("certificates", day), make)

    def stated(self, unit: str, value: float) -> dict[int, float]:
        """The live documents stating a value or range of `unit` that covers `value`, with how well."""

        def stating():
            found = ((doc, [q for q in held if q.unit == unit]) for doc, held in enumerate(self.specs) if held)
            return [(doc, held) for doc, held in found if held]

        def make():
            fits = {}
            for doc, held in self._derive(("stating", unit), stating):
                best = max(q.fit(value) for q in held)
                if best:
                    fits[doc] = best
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

    def _amounts(self, category: str | None):
        """(document, capacity) for every document, in one pass (a band or range is made of all)."""
        if category:
            return ((doc, amounts.get(category, 0)) for doc, amounts in enumerate(self.capacities))
        return ((doc, max(amounts.values(), default=0)) for doc, amounts in enumerate(self.capacities))

    def capacity_between(self, category: str | None, low: int | None, high: int | None) -> int:
        def make():
            low_, high_ = low or 0, high if high is not None else math.inf
            found = (doc for doc, amount in self._amounts(category) if low_ <= amount <= high_)
            return bits_of(found, self.size) & self.live

        return self._derive(("capacity", category, low, high), make)

    def capacity_bands(self, category: str | None) -> dict[str, int]:
        def make():
            lows = [low for low, _high, _label in CAPACITY_BANDS]
            found: list[list[int]] = [[] for _ in lows]
            for doc, amount in self._amounts(category):
                if amount >= lows[1]:  # the first band (most firms, stating nothing) is what is left
                    found[bisect_right(lows, amount) - 1].append(doc)
            bands = [bits_of(docs, self.size) & self.live for docs in found]
            bands[0] = self.live & ~reduce(or_, bands[1:], 0)
            return {label: docs for (_low, _high, label), docs in zip(CAPACITY_BANDS, bands, strict=True)}

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
        names = self._names

        def make():
            alive = self.orders["name"]
            return array("l", sorted(alive, key=lambda d: (-self.capacity(d, category), names[d])))

        return self._derive(("capacity-order", category), make)

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
