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
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.spelling import ListCorrector

from portal.search import postings
from portal.search.documents import build_schema
from portal.search.facts import LRU, IndexFacts
from portal.search.ranking import TermCache

log = logging.getLogger(__name__)

CURRENT = "current"
MARK_FILE = "applied.json"
WORDS_FILE = "words.txt"


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
        self._facts: tuple[IndexFacts, TermCache] | None = None
        self._segments = postings.SegmentCache()  # what each segment holds, kept across readers

    # --- generations ---------------------------------------------------------------------------

    def current_path(self) -> Path:
        link = self.root / CURRENT
        if not link.exists():
            self.ensure()
        return link.resolve()

    def ensure(self, phrases: frozenset = frozenset()) -> None:
        """Create an empty first generation if there is none (a new install)."""
        if (self.root / CURRENT).exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with self.rebuild_lock():
            if (self.root / CURRENT).exists():
                return
            path = self.new_generation(phrases)
            write_mark(path, Mark())
            self.publish(path)

    def new_generation(self, phrases: frozenset = frozenset()) -> Path:
        path = self.root / f"gen-{_now_stamp()}"
        path.mkdir(parents=True)
        whoosh_index.create_in(str(path), build_schema(phrases))
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
                self._searcher, self._facts = None, None
            return self._opened[1]

    def searcher(self):
        """A long-lived searcher, refreshed only when the index has changed since it was opened."""
        ix = self.index()
        with self._lock:
            if self._searcher is None:
                self._searcher = ix.searcher()
            elif not self._searcher.up_to_date():
                # A fresh reader, not `refresh()`: Whoosh's refresh reuses a segment's reader by its
                # id and so keeps that segment's old deletions, showing replaced documents twice.
                # The old searcher is left to the collector, as another thread may still read it.
                self._searcher = ix.searcher()
            return self._searcher

    def facts(self, searcher) -> tuple[IndexFacts, TermCache]:
        """Bit sets and term caches for this searcher's reader, built once per index change."""
        reader = searcher.reader()
        with self._lock:
            if self._facts is None or self._facts[0].reader_id != id(reader):
                previous = self._facts[0] if self._facts else None
                facts = IndexFacts.of_reader(reader, previous, Path(self._opened[0]) if self._opened else None)
                self._segments.forget_missing(postings.segment_keys(reader))
                self._facts = (facts, TermCache(reader, facts.size, self._segments))
            return self._facts

    # --- writing -------------------------------------------------------------------------------

    @contextmanager
    def writer(self, attempts: int = 5, timeout: float = 2.0):
        """The index writer, waiting for another process's lock and retrying before giving up.

        Segments are written as separate files, not one compound file: Whoosh reads a compound
        file's parts into memory, separate files it reads in place.
        """
        ix = self.index()
        for attempt in range(attempts):
            try:
                writer = ix.writer(timeout=timeout, delay=0.05, compound=False)
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


# --- the words "did you mean" chooses from -------------------------------------------------------


def add_words(path: Path, words) -> None:
    """Append words to the generation's vocabulary (duplicates are dropped when it is read)."""
    if words:
        with open(path / WORDS_FILE, "a", encoding="utf-8") as handle:
            handle.write("\n".join(sorted(words)) + "\n")


_vocabulary: dict[str, tuple[int, list[str], frozenset]] = {}


def vocabulary(path: Path) -> tuple[list[str], frozenset]:
    """The sorted word list and set of a generation, re-read when the file grows."""
    file = path / WORDS_FILE
    size = file.stat().st_size if file.exists() else 0
    cached = _vocabulary.get(str(path))
    if cached is None or cached[0] != size:
        words = set(file.read_text(encoding="utf-8").split()) if size else set()
        cached = _vocabulary[str(path)] = (size, sorted(words), frozenset(words))
    return cached[1], cached[2]


class IndexCorrector:
    """Spelling corrections from the words firms wrote, each word's answer remembered."""

    def __init__(self, words: list[str]):
        self._corrector = ListCorrector(words)
        self._found = LRU(4096)
        self._lock = threading.Lock()

    def correction(self, word: str) -> str | None:
        def find():
            found = self._corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            return found[0] if found and found[0] != word else None

        with self._lock:
            return self._found.get_or(word, find)


_correctors: dict[str, tuple[int, IndexCorrector]] = {}


def index_corrector(path: Path, words: list[str]) -> IndexCorrector:
    """The corrector of a generation's vocabulary, made again when the vocabulary grows."""
    cached = _correctors.get(str(path))
    if cached is None or cached[0] != len(words):
        cached = _correctors[str(path)] = (len(words), IndexCorrector(words))
    return cached[1]


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
