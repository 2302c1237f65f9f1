"""Scheduled jobs that run once at a time however many hosts start them.

Cron may start `send-reminders`, `close-due-needs`, `responsiveness refresh`, `snapshot-metrics` and
`search-index sync` on every host. Each takes a lock first: a PostgreSQL advisory lock, which every host sees and the
server drops when the holder's connection ends (a killed job never leaves it behind), or on
SQLite, which lives on one machine, a file lock beside the database file. A start that finds the lock
held says so and exits 0: the job is being done.
"""

import fcntl
import functools
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import text

from portal.extensions import db


def lock_key(name: str) -> int:
    """A stable signed 64-bit number for the job's name (advisory locks are keyed by numbers)."""
    return int.from_bytes(hashlib.sha256(f"edb-portal job {name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Hold the job's lock for the block if nobody else holds it; yields whether it was taken."""
    locks = _advisory_lock if db.engine.dialect.name == "postgresql" else _file_lock
    with locks(name) as held:
        yield held


@contextmanager
def _advisory_lock(name: str) -> Iterator[bool]:
    # A connection of its own, outside the job's transactions: the lock lasts until unlocked here.
    connection = db.engine.connect()
    key = lock_key(name)
    held = False
    try:
        held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
        connection.commit()
        yield held
    finally:
        try:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
        except Exception:
            connection.invalidate()  # never return a connection still holding the lock to the pool
            raise
        finally:
            connection.close()


def _lock_folder() -> Path:
    """Beside the SQLite file (one database, one set of locks); the instance folder for one in memory."""
    database = db.engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database).resolve()
        return path.with_name(path.name + ".locks")
    return Path(current_app.instance_path) / "locks"


@contextmanager
def _file_lock(name: str) -> Iterator[bool]:
    folder = _lock_folder()
    folder.mkdir(parents=True, exist_ok=True)
    file_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:80] + f"-{lock_key(name) & 0xFFFFFF:06x}.lock"
    with open(folder / file_name, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def runs_once(name: str | Callable[[], str]):
    """Make a click command take the job's lock; a start that finds it held says so and exits 0."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def run(*args, **kwargs):
            job = name() if callable(name) else name
            with exclusive(job) as held:
                if not held:
                    click.echo(f"{job} is already running (on this host or another); this start does nothing.")
                    return None
                return command(*args, **kwargs)

        return run

    return decorate
