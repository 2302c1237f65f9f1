"""Where the index lives and how it is opened, written and swapped.

The index directory holds generations (`gen-…` folders) and a `current` symbolic link to the
live one. A rebuild writes a new generation beside it and swaps the link atomically, so searches
never see a half-built index and a rebuild killed midway leaves the old one in service.
Each generation records, in `applied.json`, how far through the outbox it has been brought.
"""

import fcntl
import json
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError

from portal.search.documents import build_schema

log = logging.getLogger(__name__)

CURRENT = "current"
MARK_FILE = "applied.json"


class IndexBusy(RuntimeError):
    """Another process holds the index's write lock for longer than we wait."""


def _now_stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"


class IndexStore:
    """One index directory: its live generation, a cached searcher and the column tables."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._lock = threading.RLock()
        self._opened: tuple[str, object] | None = None  # (generation path, FileIndex)
        self._searcher = None
        self._tables: ColumnTables | None = None

    # --- generations ---------------------------------------------------------------------------

    def current_path(self) -> Path:
        link = self.root / CURRENT
        if not link.exists():
            self._create_first_generation()
        return link.resolve()

    def _create_first_generation(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with self.rebuild_lock():
            if (self.root / CURRENT).exists():
                return
            path = self.new_generation()
            write_mark(path, Mark())
            self.publish(path)

    def new_generation(self) -> Path:
        path = self.root / f"gen-{_now_stamp()}"
        path.mkdir(parents=True)
        whoosh_index.create_in(str(path), build_schema())
        return path

    def publish(self, path: Path) -> None:
        """Point `current` at `path` in one atomic rename, then drop generations no longer needed."""
        temporary = self.root / f".current-{os.getpid()}"
        temporary.unlink(missing_ok=True)
        os.symlink(path.name, temporary)
        os.replace(temporary, self.root / CURRENT)
        self._prune(keep=path)

    def _prune(self, keep: Path) -> None:
        # Readers in other processes may still use the previous generation: keep the newest other one.
        others = sorted((p for p in self.root.glob("gen-*") if p != keep), key=lambda p: p.stat().st_mtime)
        for stale in others[:-1]:
            shutil.rmtree(stale, ignore_errors=True)

    @contextmanager
    def rebuild_lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "rebuild.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # --- reading -------------------------------------------------------------------------------

    def index(self):
        path = str(self.current_path())
        with self._lock:
            if self._opened is None or self._opened[0] != path:
                self._opened = (path, whoosh_index.open_dir(path))
                self._searcher, self._tables = None, None
            return self._opened[1]

    def searcher(self):
        """A long-lived searcher, refreshed only when the index has changed since it was opened."""
        ix = self.index()
        with self._lock:
            if self._searcher is None:
                self._searcher = ix.searcher()
            elif not self._searcher.up_to_date():
                # Refreshing reuses unchanged segments; an empty index has none to reuse.
                if self._searcher.reader().segments():
                    self._searcher = self._searcher.refresh()
                else:
                    self._searcher.close()
                    self._searcher = ix.searcher()
            return self._searcher

    def tables(self, searcher) -> "ColumnTables":
        with self._lock:
            if self._tables is None or self._tables.reader_id != id(searcher.reader()):
                self._tables = ColumnTables.load(searcher.reader(), previous=self._tables)
            return self._tables

    # --- writing -------------------------------------------------------------------------------

    @contextmanager
    def writer(self, attempts: int = 5, timeout: float = 2.0):
        """The index writer, waiting for another process's lock and retrying before giving up."""
        ix = self.index()
        for attempt in range(attempts):
            try:
                writer = ix.writer(timeout=timeout, delay=0.05)
                break
            except LockError:
                log.info("search index locked, attempt %s of %s", attempt + 1, attempts)
        else:
            raise IndexBusy("the search index is locked by another writer")
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        else:
            writer.commit()


# --- how far the outbox has been applied ---------------------------------------------------------


@dataclass
class Mark:
    """All outbox rows up to `upto` are applied, and so are the ids in `above` (gaps may still fill)."""

    upto: int = 0
    above: list[int] = field(default_factory=list)


def read_mark(path: Path) -> Mark:
    try:
        data = json.loads((path / MARK_FILE).read_text())
        return Mark(int(data.get("upto", 0)), [int(i) for i in data.get("above", [])])
    except (OSError, ValueError):
        return Mark()


def write_mark(path: Path, mark: Mark) -> None:
    temporary = path / f".{MARK_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps({"upto": mark.upto, "above": sorted(mark.above)}))
    os.replace(temporary, path / MARK_FILE)


# --- column tables: filters, facets and sorts without touching stored documents -----------------


@dataclass
class ColumnTables:
    """Per document number: the firm id and the facts filters, facets and sorts need."""

    reader_id: int
    firm_ids: list
    provinces: list
    categories: list
    capacities: list
    certificates: list
    markets: list
    sort_names: list
    verified: list
    segments: dict = field(default_factory=dict)

    @classmethod
    def load(cls, reader, previous: "ColumnTables | None" = None) -> "ColumnTables":
        """Decode columns per segment; segments are immutable, so unchanged ones are reused."""
        cache = previous.segments if previous else {}
        segments, parts = {}, []
        for leaf, _offset in reader.leaf_readers():
            segment = leaf.segment()
            key = segment.segment_id() if segment is not None else id(leaf)
            part = cache.get(key) or _decode_segment(leaf)
            segments[key] = part
            parts.append(part)
        merged = {name: [value for part in parts for value in part[name]] for name in SEGMENT_COLUMNS}
        return cls(reader_id=id(reader), segments=segments, **merged)


SEGMENT_COLUMNS = (
    "firm_ids",
    "provinces",
    "categories",
    "capacities",
    "certificates",
    "markets",
    "sort_names",
    "verified",
)


def _decode_segment(reader) -> dict:
    def column(name):
        return list(reader.column_reader(name)) if reader.has_column(name) else [None] * reader.doc_count_all()

    def split(values, sep=" "):
        return [tuple(v.split(sep)) if v else () for v in (_text(x) for x in values)]

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
        "provinces": [_text(v) for v in column("province")],
        "categories": split(column("categories")),
        "capacities": capacities,
        "certificates": certificates,
        "markets": split(column("markets"), sep="|"),
        "sort_names": [_text(v) for v in column("sort_name")],
        "verified": [v or 0 for v in column("verified")],
    }


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value or ""


_stores: dict[str, IndexStore] = {}
_stores_lock = threading.Lock()


def store_for(root: str) -> IndexStore:
    with _stores_lock:
        if root not in _stores:
            _stores[root] = IndexStore(root)
        return _stores[root]


def forget_store(root: str) -> None:
    """Close and drop a cached store (tests give each case an index of its own)."""
    with _stores_lock:
        store = _stores.pop(root, None)
    if store is not None and store._searcher is not None:
        store._searcher.close()
