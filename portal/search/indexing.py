"""Keeping the index in step with the database: applying the outbox, rebuilding, checking."""

import ctypes
import logging
import os
import signal
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from time import monotonic

from flask import current_app, has_request_context
from sqlalchemy import func, select
from whoosh import index as whoosh_index

from portal.extensions import db
from portal.search import replicas
from portal.search.documents import firm_document, firm_texts, spelling_words
from portal.search.engine import IndexBusy, Mark, add_words, read_mark, store_for, write_mark
from portal.search.indexed_firms import IndexedFirm, load_firms
from portal.search.lexicon import Lexicon, current_lexicon
from portal.search.outbox import SearchOutbox
from portal.search.thesaurus import DEFAULT_FILE, current_thesaurus
from portal.suppliers.models import Firm
from portal.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

# Below this many firms, starting a second indexing process costs more than it saves.
PARALLEL_FROM = 2000
# A missing outbox id older than this is a rolled-back transaction, not one still committing.
GAP_PATIENCE = timedelta(minutes=5)
BATCH = 500


def thesaurus():
    return current_thesaurus(current_app.config.get("THESAURUS_FILE"))


def lexicon() -> Lexicon:
    return current_lexicon(Path(current_app.config.get("THESAURUS_FILE") or DEFAULT_FILE))


def open_store():
    """This app's index store; a new install gets an empty index knowing the thesaurus phrases."""
    store = store_for(current_app.config["PORTAL_INDEX_DIR"])
    store.ensure(thesaurus().phrases)
    return store


def _write(writer, firm_ids, firms: dict[int, IndexedFirm], words: set) -> None:
    known = set(writer.schema.names())  # a generation built before a field was added lacks it until rebuilt
    for firm_id in firm_ids:
        firm = firms.get(firm_id)
        if firm is not None and firm.is_public:
            texts = firm_texts(firm)
            writer.update_document(**{k: v for k, v in firm_document(firm, texts).items() if k in known})
            words |= spelling_words(texts)
        else:
            writer.delete_by_term("key", str(firm_id))


# When each index root (one per app, tests have several) last asked the outbox in this process, and
# whether it held every change the outbox had then.
_asked: dict[Path, tuple[float, bool]] = {}


def catch_up() -> bool:
    """Before a search: if the outbox holds rows this index has not applied, apply them now,
    unless another process is writing (then search the index as it is; that writer catches up).

    Asked at most every SEARCH_CATCH_UP_SECONDS (see config.py). Returns whether the index held
    every change in the outbox when last asked: every change to a firm's publicness writes an
    outbox row, so an index in step cannot show a firm hidden since, and answers kept from it need
    no check against the database."""
    store = open_store()
    every = current_app.config["SEARCH_CATCH_UP_SECONDS"]
    last = _asked.get(store.root)
    if every and last is not None and monotonic() - last[0] < every:
        return last[1]
    asked_at = monotonic()
    mark = read_mark(store.current_path())
    oldest, newest = replicas.outbox_span()
    if replicas.fell_behind(mark, oldest) or replicas.never_built(store, mark):
        replicas.wait_for_build()  # a new or long-absent host: the whole index first (asked again next time)
        return False
    in_step = not (newest > mark.upto and (newest not in mark.above or _has_unapplied(mark)))
    if not in_step:
        sync(wait=False)  # in step from the next question on, unless another process is writing
    _asked[store.root] = (asked_at, in_step)
    return in_step


def _has_unapplied(mark: Mark) -> bool:
    ids = db.session.scalars(select(SearchOutbox.id).where(SearchOutbox.id > mark.upto)).all()
    return bool(set(ids) - set(mark.above))


def sync(wait: bool = True, rebuild_if_behind: bool = True) -> int:
    """Apply outbox rows this index has not seen; returns how many firms were re-indexed.

    Never raises for a busy index: the rows stay and the next writer applies them. An index that
    fell behind what the outbox keeps (a new host, or one long away) is rebuilt instead.
    """
    store = open_store()
    path = store.current_path()
    mark = read_mark(path)
    if rebuild_if_behind and replicas.needs_rebuild(store, mark):
        return _rebuild_behind(store)
    rows = db.session.execute(
        select(SearchOutbox.id, SearchOutbox.firm_id, SearchOutbox.created_at)
        .where(SearchOutbox.id > mark.upto)
        .order_by(SearchOutbox.id)
    ).all()
    done = set(mark.above)
    todo = [row for row in rows if row.id not in done]
    if not todo:
        return 0
    firm_ids = sorted({row.firm_id for row in todo})
    words: set[str] = set()
    try:
        with store.writer(attempts=5 if wait else 1, timeout=2.0 if wait else 0.0) as writer:
            for start in range(0, len(firm_ids), BATCH):
                chunk = firm_ids[start : start + BATCH]
                _write(writer, chunk, load_firms(chunk), words)
    except IndexBusy:
        log.warning("search index busy: %s outbox rows left for the next writer", len(todo))
        return 0
    add_words(path, words)
    write_mark(path, _advance(mark, rows, done | {row.id for row in todo}))
    return len(firm_ids)


def _rebuild_behind(store) -> int:
    """Rebuild a replica that fell behind, unless another worker's rebuild did it meanwhile.
    A request only starts the build in the background: a web worker must not be busy for minutes."""
    if has_request_context():
        replicas.start_build()
        return 0
    with store.rebuild_lock():
        pass  # wait for a rebuild under way
    if not replicas.needs_rebuild(store, read_mark(store.current_path())):
        return 0
    log.warning("search index fell behind the outbox (a new or long-absent host): rebuilding it")
    return rebuild()


def prune(keep_days: int) -> int:
    """Delete outbox rows every host's index has applied (see `replicas.prune`); returns how many."""
    return replicas.prune(keep_days)


def record_progress(force: bool = False) -> None:
    """Tell the other hosts how far this index got (at most every few seconds unless forced)."""
    replicas.record(read_mark(open_store().current_path()), force=force)


def _advance(mark: Mark, rows, applied: set[int]) -> Mark:
    """Move `upto` over every id applied or given up as a gap; remember applied ids beyond it."""
    upto, now = mark.upto, utcnow()
    created = {row.id: row.created_at for row in rows}
    for row_id in sorted(i for i in applied if i > upto):
        if row_id == upto + 1:
            upto = row_id
            continue
        # A gap before row_id: give up on it once row_id itself is old enough.
        stamp = created.get(row_id)
        if stamp is not None and now - as_utc(stamp) > GAP_PATIENCE:
            upto = row_id
        else:
            break
    return Mark(upto=upto, above=sorted(i for i in applied if i > upto))


def rebuild(progress=None) -> int:
    """Index every public firm into a new generation and swap it in; returns the firm count.

    Searches keep using the old generation until the swap; a rebuild killed midway leaves it
    untouched. Changes made during the rebuild are in the outbox and applied right after.
    """
    store = open_store()
    with store.rebuild_lock():
        start_mark = db.session.scalar(select(func.max(SearchOutbox.id))) or 0
        ids = list(db.session.scalars(select(Firm.id).where(Firm.is_public).order_by(Firm.id)))
        path = store.new_generation(thesaurus().phrases)
        ix = whoosh_index.open_dir(str(path))
        procs = 2 if len(ids) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
        if procs > 1:
            _children_die_with_parent()
        # Two processes analyse and write a segment each (no merge): about twice as fast. A pool large
        # enough to hold each half in memory avoids sorting runs on disk (up to ~1 GB each at 100k).
        writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=1024 if procs > 1 else 256, compound=False)
        words: set[str] = set()
        try:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                firms = load_firms(chunk)
                for firm_id in chunk:
                    if firm_id in firms:
                        texts = firm_texts(firms[firm_id])
                        writer.add_document(**firm_document(firms[firm_id], texts))
                        words |= spelling_words(texts)
                if progress:
                    progress(len(chunk))
            writer.commit(optimize=procs == 1)
        except BaseException:
            writer.cancel()
            raise
        add_words(path, words)
        write_mark(path, Mark(upto=start_mark))
        store.publish(path)
    sync(rebuild_if_behind=False)
    record_progress(force=True)
    return len(ids)


_death_signal_set = False
_forking_parent = [0]  # the pid that last forked, set just before each fork and copied into the child
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here: a child just forked only calls into it


def _children_die_with_parent() -> None:
    """Indexing children block on their job queue forever if a rebuild is killed with kill -9;
    on Linux, ask the kernel to kill every child forked from here when this process dies."""
    global _death_signal_set
    if _death_signal_set or not sys.platform.startswith("linux"):
        return
    os.register_at_fork(
        before=lambda: _forking_parent.__setitem__(0, os.getpid()),
        after_in_child=lambda: _die_with(_forking_parent[0]),
    )
    _death_signal_set = True


def _die_with(parent: int) -> None:
    """In a child just forked: be killed when `parent` dies. A parent killed before the child got
    here has already gone (the child was handed to init, and no signal will come): die now, or the
    orphan holds the rebuild's pipes open and waits on its queue forever."""
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class Drift:
    missing: list[int] = field(default_factory=list)  # public in the database, absent from the index
    hidden: list[int] = field(default_factory=list)  # in the index but not public
    stale: list[int] = field(default_factory=list)  # indexed with out-of-date facts

    @property
    def clean(self) -> bool:
        return not (self.missing or self.hidden or self.stale)


def check(progress=None) -> Drift:
    """Compare every public firm's document with what the index holds."""
    searcher = open_store().searcher()
    indexed = {int(fields["key"]): fields.get("digest") for fields in searcher.reader().all_stored_fields()}
    drift = Drift()
    ids = list(db.session.scalars(select(Firm.id).where(Firm.is_public).order_by(Firm.id)))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for firm_id, firm in sorted(load_firms(chunk).items()):
            digest = indexed.pop(firm_id, None)
            if digest is None:
                drift.missing.append(firm_id)
            elif digest != firm_document(firm)["digest"]:
                drift.stale.append(firm_id)
        if progress:
            progress(len(chunk))
    drift.hidden = sorted(indexed)
    return drift


# --- keeping step during requests -----------------------------------------------------------------


def init_app(app) -> None:
    """Apply the outbox after each request that committed changes, and once at the first request."""
    from portal.operations.health import is_operations_request

    @app.before_request
    def _sync_on_first_request():
        if not app.extensions.get("search_started") and not is_operations_request():
            app.extensions["search_started"] = True
            _safe_sync()

    @app.after_request
    def _sync_after_commit(response):
        if db.session.info.pop("search_committed", False):
            _safe_sync()
        return response


def replica_problem() -> str | None:
    """None when this host's index can answer searches, else why not (for readiness)."""
    open_store().searcher()
    return replicas.readiness_problem()


def _safe_sync() -> None:
    try:
        sync()
        record_progress()
    except Exception:  # the user's change is committed and in the outbox: log, never fail the page
        db.session.rollback()
        log.exception("search index sync failed; the outbox keeps the changes for the next writer")
