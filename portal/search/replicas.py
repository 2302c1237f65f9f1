"""Every host keeps its own index replica following the outbox; this module keeps them honest.

Each replica records in `search_replica` how far through the outbox it has applied. Outbox rows
every replica has applied are pruned, all but the newest of them, so the oldest row left tells
any replica whether it fell behind what the outbox keeps: its mark is then below that row, and it
rebuilds from the database instead (as does a new host, whose empty index has applied nothing of
an outbox already pruned). A replica silent for SEARCH_OUTBOX_KEEP_DAYS is no longer waited for.
"""

import logging
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, has_request_context
from sqlalchemy import DateTime, Integer, String, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import ServiceUnavailable

from portal.extensions import db, read
from portal.search.engine import Mark, read_mark
from portal.search.outbox import SearchOutbox
from portal.timeutil import utcnow
from portal.transactions import one_act

log = logging.getLogger(__name__)

# A replica writes its progress at most this often from requests (the cron sync always writes).
RECORD_EVERY_SECONDS = 10.0
# More unapplied rows than this and readiness says the replica is still catching up.
READY_BACKLOG = 1000
# How long a search waits for this host's index to be built before answering 503.
SEARCH_WAITS_FOR_BUILD_SECONDS = 20


class IndexBuilding(ServiceUnavailable):
    description = "This server is still building its search index. Try again in a minute."

    def __init__(self):
        super().__init__(retry_after=30)


class SearchReplica(db.Model):
    __tablename__ = "search_replica"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    applied_upto: Mapped[int] = mapped_column(Integer)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def replica_name() -> str:
    """This host's replica: PORTAL_HOST_NAME, or the machine's name and the index directory."""
    configured = current_app.config.get("PORTAL_HOST_NAME")
    if configured:
        return configured[:255]
    return f"{socket.gethostname()}:{Path(current_app.config['PORTAL_INDEX_DIR']).resolve()}"[:255]


def outbox_span() -> tuple[int | None, int]:
    """The oldest and newest outbox ids (None and 0 for an empty outbox), in one query."""
    oldest, newest = read(select(func.min(SearchOutbox.id), func.max(SearchOutbox.id))).one()
    return oldest, newest or 0


def fell_behind(mark: Mark, oldest: int | None) -> bool:
    """Rows this replica never applied may have been pruned: only a rebuild brings it back in step."""
    return oldest is not None and mark.upto < oldest - 1


def never_built(store, mark: Mark) -> bool:
    """An empty index that never applied a row, beside public firms the outbox does not name (a
    database loaded in bulk or restored, then a host added while the outbox still holds its first
    rows): replaying the outbox would leave those firms out."""
    from portal.suppliers.models import Firm

    if mark.upto or mark.above or store.searcher().doc_count():
        return False
    unnamed = select(Firm.id).where(
        Firm.is_public, ~select(SearchOutbox.id).where(SearchOutbox.firm_id == Firm.id).exists()
    )
    return read(unnamed.limit(1)).first() is not None


def needs_rebuild(store, mark: Mark) -> bool:
    oldest = outbox_span()[0]
    return fell_behind(mark, oldest) or never_built(store, mark)


_recorded: dict[str, tuple[int, float]] = {}


def record(mark: Mark, force: bool = False) -> None:
    """Write how far this replica got, in a transaction of its own (not the caller's)."""
    name = replica_name()
    last = _recorded.get(name)
    now = time.monotonic()
    if not force and last and (last[0] == mark.upto or now - last[1] < RECORD_EVERY_SECONDS):
        return
    engine = db.engine
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    values = {"applied_upto": mark.upto, "applied_at": utcnow()}
    with engine.begin() as connection:
        connection.execute(
            insert(SearchReplica)
            .values(name=name, **values)
            .on_conflict_do_update(index_elements=["name"], set_=values)
        )
    _recorded[name] = (mark.upto, now)


def prune(keep_days: int) -> int:
    """Delete outbox rows every replica heard from within `keep_days` has applied, keeping the
    newest of them; forget replicas silent longer. Returns how many rows went."""
    cutoff = utcnow() - timedelta(days=keep_days)
    with one_act():
        db.session.execute(delete(SearchReplica).where(SearchReplica.applied_at < cutoff))
        horizon = db.session.scalar(select(func.min(SearchReplica.applied_upto)))
        removed = 0
        if horizon:
            removed = db.session.execute(delete(SearchOutbox).where(SearchOutbox.id < horizon)).rowcount or 0
    return removed


def lag() -> tuple[int, float]:
    """Outbox rows this replica has not applied, and the age in seconds of the oldest of them."""
    from portal.search.indexing import open_store

    mark = read_mark(open_store().current_path())
    rows = db.session.execute(
        select(SearchOutbox.id, SearchOutbox.created_at).where(SearchOutbox.id > mark.upto).order_by(SearchOutbox.id)
    ).all()
    waiting = [row for row in rows if row.id not in set(mark.above)]
    if not waiting:
        return 0, 0.0
    from portal.timeutil import as_utc

    return len(waiting), max(0.0, (utcnow() - as_utc(waiting[0].created_at)).total_seconds())


# --- readiness: a replica that is behind catches up in the background -------------------------------

_catching_up = threading.Lock()


def readiness_problem() -> str | None:
    """None when this replica can answer searches; otherwise why not, with a catch-up started."""
    from portal.search.indexing import open_store

    store = open_store()
    mark = read_mark(store.current_path())
    oldest, newest = outbox_span()
    if fell_behind(mark, oldest) or never_built(store, mark):
        problem = "the search index is being built from the database"
    elif newest - mark.upto > READY_BACKLOG:
        problem = f"the search index is applying {newest - mark.upto:,} waiting changes"
    else:
        return None
    start_build()
    return problem


def start_build() -> None:
    """Bring this replica in step in a background thread (one per process)."""
    _start_catch_up(current_app._get_current_object())


def wait_for_build() -> None:
    """Before a search on a replica that must be rebuilt: build it, in a request through the
    background thread and for at most a while (then 503: the load balancer asks another host)."""
    if not has_request_context():
        from portal.search.indexing import sync

        sync()
        return
    start_build()
    if not _catching_up.acquire(timeout=SEARCH_WAITS_FOR_BUILD_SECONDS):
        raise IndexBuilding()
    _catching_up.release()


def _start_catch_up(app) -> None:
    if not _catching_up.acquire(blocking=False):
        return  # this process is already at it

    def run():
        try:
            with app.app_context():
                from portal.search.indexing import record_progress, sync

                sync()
                record_progress(force=True)
        except Exception:
            log.exception("search index catch-up failed; readiness will try again")
        finally:
            _catching_up.release()

    threading.Thread(target=run, name="search-catch-up", daemon=True).start()
