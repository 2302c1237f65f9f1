"""Copying this portal's database into a backup and back: SQLite's online backup, or PostgreSQL's
pg_dump and pg_restore of the server's own version."""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import func, select, text

from portal.backup.layout import BackupError
from portal.extensions import db
from portal.formatting import format_number
from portal.i18n import N_, Joined, Phrase

SQLITE_PAGES_PER_STEP = 2048


def sqlite_path() -> str:
    path = db.engine.url.database
    if not path or path == ":memory:" or path.startswith("file::memory:"):
        raise BackupError(N_("this portal's database lives in memory; there is no file to back up"))
    return path


def copy_sqlite(destination: Path, progress) -> tuple[dict, str | None]:
    """SQLite's online backup in one step: one read transaction, so the copy is consistent, and in
    WAL mode requests keep writing meanwhile (copying in steps would restart at every write)."""
    source = sqlite3.connect(sqlite_path(), timeout=30)
    copy = sqlite3.connect(destination)
    try:
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        _backup_pages(source, copy, progress, Phrase("Copying the database"), pages, step=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _sqlite_facts(copy)
    finally:
        copy.close()
        source.close()


def restore_sqlite(copy: Path, progress) -> None:
    """SQLite's backup API, run the other way: the live file's pages are replaced under its own locks."""
    source = sqlite3.connect(copy)
    target = sqlite3.connect(sqlite_path(), timeout=60)
    try:
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        _backup_pages(source, target, progress, Phrase("Restoring the database"), pages)
    except sqlite3.Error as error:
        raise BackupError(N_("the database could not be restored: %(error)s"), error=str(error)) from None
    finally:
        target.close()
        source.close()


def _backup_pages(source, destination, progress, label: str, pages: int, step: int = SQLITE_PAGES_PER_STEP) -> None:
    with progress(label, pages) as bar:
        done = 0

        def advance(status, remaining, total):
            nonlocal done
            bar.update(max(0, (total - remaining) - done))
            done = total - remaining

        source.backup(destination, pages=step, progress=advance)


def _sqlite_facts(connection) -> tuple[dict, str | None]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    counts = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    revision = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return counts, revision


def dump_postgresql(destination: Path, say) -> tuple[dict, str | None]:
    """pg_dump in a snapshot exported from the transaction that counts the rows, so both agree."""
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            tables = list(
                connection.scalars(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
                )
            )
            counts = {table: connection.scalar(text(f'SELECT count(*) FROM "{table}"')) for table in tables}
            revision = (
                connection.scalar(text("SELECT version_num FROM alembic_version"))
                if "alembic_version" in tables
                else None
            )
            pg_dump = pg_tool("pg_dump", _server_major(connection))
            say(Phrase("Dumping the database with %(program)s", program=pg_dump))
            _run_pg(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={destination}", "--dbname", _conninfo()]
            )
    return counts, revision


def restore_postgresql(dump: Path, say) -> None:
    with db.engine.connect() as connection:
        pg_restore = pg_tool("pg_restore", _server_major(connection))
    say(Phrase("Restoring the database with %(program)s", program=pg_restore))
    _run_pg(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            _conninfo(),
            str(dump),
        ]
    )


def check_counts(expected: dict[str, int]) -> None:
    """The restored database holds as many rows per table as the backup says it should."""
    wrong = []
    for table, rows in sorted(expected.items()):
        found = db.session.scalar(select(func.count()).select_from(text(f'"{table}"')))
        if found != rows:
            wrong.append(
                Phrase(
                    "%(table)s: %(found)s rows, the backup has %(rows)s",
                    table=table,
                    found=format_number(found),
                    rows=format_number(rows),
                )
            )
    db.session.remove()
    if wrong:
        raise BackupError(N_("the restored database does not match the backup: %(tables)s"), tables=Joined(wrong, "; "))


def _server_major(connection) -> int:
    return int(connection.scalar(text("SHOW server_version_num"))) // 10000


def _tool_major(path: str) -> int | None:
    try:
        output = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", output)
    return int(match.group(1)) if match else None


def pg_tool(name: str, server_major: int) -> str:
    """The pg_dump or pg_restore for this server: its own version's first, else any newer one."""
    candidates = [f"/usr/lib/postgresql/{server_major}/bin/{name}"]
    if found := shutil.which(name):
        candidates.append(found)
    candidates += sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")),
        key=lambda p: -int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    for candidate in dict.fromkeys(candidates):
        if os.access(candidate, os.X_OK) and (_tool_major(candidate) or 0) >= server_major:
            return candidate
    raise BackupError(
        N_(
            "%(program)s for PostgreSQL %(major)s (or newer) is not installed; install it "
            "(e.g. apt-get install postgresql-client-%(major)s) and run the command again"
        ),
        program=name,
        major=server_major,
    )


def _conninfo() -> str:
    """libpq connection settings without the password (it goes in PGPASSWORD, not on the command line)."""
    url = db.engine.url
    params = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database, **url.query}
    return " ".join(f"{key}='{_quote(str(value))}'" for key, value in params.items() if value not in (None, ""))


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _run_pg(command: list[str]) -> None:
    env = dict(os.environ)
    if db.engine.url.password:
        env["PGPASSWORD"] = db.engine.url.password
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(
            N_("%(program)s failed: %(error)s"), program=Path(command[0]).name, error=result.stderr.strip()[-2000:]
        )
