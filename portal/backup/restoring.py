"""Backups of the whole portal, the database and the uploaded files in one .tar.gz, and restores.

The archive holds:

- `manifest.json`: format, time, portal version, database kind, Alembic revision, rows per table,
  and the SHA-256 of the database copy and of every uploaded file, so a restore can prove it has
  everything before it touches anything.
- `database.sqlite3`: a consistent copy made with SQLite's online backup while the portal runs;
  or `database.pgdump`: `pg_dump --format=custom`, taken in the same snapshot as the row counts.
- `uploads/…`: UPLOAD_DIR (certificate evidence, logos, photos, case documents). Files kept in
  the database store (UPLOAD_STORAGE=database) travel inside the database copy.

A restore refuses to overwrite a database or upload folder that holds data unless forced, puts
the database and files back, checks the row counts against the manifest and rebuilds the search
index. The functions report long steps through `progress(label, length)` (a context manager
with `update(n)`, like click.progressbar) and `say(message)`.
"""

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import click
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, inspect, select, text

from portal.audit import checkpoints
from portal.extensions import db
from portal.formatting import format_number
from portal.i18n import Phrase, language_option, translated
from portal.timeutil import utcnow

FORMAT = "edb-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads"
# Rows a freshly upgraded, empty portal already has: they do not make a database "hold data"; nor
# does a host's record of how far its search index got (`search_replica`).
SCHEMA_TABLES = {"alembic_version", "component_category", "process", "certification_type", "search_replica"}
CHUNK = 1024 * 1024
SQLITE_PAGES_PER_STEP = 2048


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""


class _Silent:
    def update(self, n):
        pass


@contextlib.contextmanager
def _no_progress(label, length):
    yield _Silent()


def _no_messages(message):
    pass


# --- backing up ----------------------------------------------------------------------------------


def default_target() -> Path:
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Path(current_app.instance_path) / "backups" / f"portal-{stamp}.tar.gz"


def create_backup(target: Path, progress=_no_progress, say: Callable[[str], object] = _no_messages) -> dict:
    """Write the archive to `target` (atomically: a failed backup leaves no file); returns the manifest."""
    kind = db.engine.dialect.name
    if kind not in DATABASE_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {kind}")
    target.parent.mkdir(parents=True, exist_ok=True)
    db.session.remove()
    database_file = DATABASE_FILES[kind]
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as work:
        copy = Path(work) / database_file
        if kind == "sqlite":
            counts, revision = _copy_sqlite(copy, progress)
        else:
            counts, revision = _dump_postgresql(copy, say)
        root = upload_root()
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        hashes = {}
        with progress(Phrase("Reading uploaded files"), len(files)) as bar:
            for relative in files:
                hashes[relative] = _sha256(root / relative)
                bar.update(1)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": utcnow().isoformat(),
            "portal_version": _portal_version(),
            "database": {
                "kind": kind,
                "file": database_file,
                "sha256": _sha256(copy),
                "bytes": copy.stat().st_size,
                "alembic_revision": revision,
                "counts": counts,
            },
            "uploads": hashes,
            "upload_storage": {
                "selected": current_app.config["UPLOAD_STORAGE"],
                "files_in_database": counts.get("stored_file", 0),
            },
        }
        partial = target.with_name(target.name + ".part")
        try:
            say(
                Phrase(
                    "Compressing the database copy (%(size)s MB)",
                    size=format_number(round(copy.stat().st_size / 1e6, 1)),
                )
            )
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
                tar.add(copy, arcname=database_file)
                with progress(Phrase("Archiving uploaded files"), len(files)) as bar:
                    for relative in files:
                        tar.add(root / relative, arcname=f"{UPLOADS}/{relative}")
                        bar.update(1)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _sqlite_path() -> str:
    path = db.engine.url.database
    if not path or path == ":memory:" or path.startswith("file::memory:"):
        raise BackupError("this portal's database lives in memory; there is no file to back up")
    return path


def _copy_sqlite(destination: Path, progress) -> tuple[dict, str | None]:
    """SQLite's online backup in one step: one read transaction, so the copy is consistent, and in
    WAL mode requests keep writing meanwhile (copying in steps would restart at every write)."""
    source = sqlite3.connect(_sqlite_path(), timeout=30)
    copy = sqlite3.connect(destination)
    try:
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        _backup_pages(source, copy, progress, Phrase("Copying the database"), pages, step=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _sqlite_facts(copy)
    finally:
        copy.close()
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


def _dump_postgresql(destination: Path, say) -> tuple[dict, str | None]:
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
        f"{name} for PostgreSQL {server_major} (or newer) is not installed; "
        f"install it (e.g. apt-get install postgresql-client-{server_major}) and run the command again"
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
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _portal_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("portal")
    except PackageNotFoundError:
        return "unknown"


# --- restoring -----------------------------------------------------------------------------------


def restore_backup(archive: Path, *, force: bool = False, progress=_no_progress, say=_no_messages) -> dict:
    """Put the archive's database and files in place of this portal's, then rebuild the search index."""
    kind = db.engine.dialect.name
    root = upload_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=root.parent) as work:
        work = Path(work)
        manifest = _unpack(archive, work, progress)
        database = manifest["database"]
        if database["kind"] != kind:
            raise BackupError(
                f"{archive} holds a {database['kind']} database; this portal uses {kind}. "
                "Restore it into a portal configured with the same kind of database."
            )
        _check_revision(database.get("alembic_revision"))
        if not force:
            _refuse_to_overwrite(root)
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            _restore_sqlite(work / database["file"], progress)
        else:
            _restore_postgresql(work / database["file"], say)
        db.engine.dispose()
        _check_counts(database["counts"])
        _put_uploads_in_place(work / UPLOADS, root)
    say(Phrase("Rebuilding the search index"))
    _rebuild_index(progress)
    # The restored trail ends where the backup did: checkpoints written since no longer apply.
    checkpoints.start_afresh("before-restore")
    say(Phrase("Audit checkpoints written before the restore are set aside; a new one is written."))
    if note := _files_elsewhere_note():
        say(note)
    return manifest


def _files_elsewhere_note() -> Phrase | None:
    """After a restore into a portal that keeps uploads elsewhere than the backed-up one did."""
    from portal.storage import active_storage, other_storage

    selected, other = active_storage(), other_storage()
    try:
        count = len(other.names())
    except Exception:
        db.session.rollback()
        return None
    if not count:
        return None
    return Phrase(
        "%(count)s restored file(s) are in %(other)s, while new uploads go to %(selected)s; they are "
        "served from where they are. 'flask storage migrate --to %(kind)s' moves them.",
        count=format_number(count),
        other=other.label,
        selected=selected.label,
        kind=selected.kind,
    )


def _unpack(archive: Path, work: Path, progress) -> dict:
    """Extract the archive into `work`, refusing odd members, and check it against its manifest."""
    written: dict[str, str] = {}
    try:
        with (
            archive.open("rb") as raw,
            tarfile.open(fileobj=raw, mode="r:gz") as tar,
            progress(Phrase("Reading the backup"), archive.stat().st_size) as bar,
        ):
            position = 0
            for member in tar:
                if member.isdir():
                    continue
                name = _safe_member_name(member)
                destination = work / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as source, destination.open("wb") as sink:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        sink.write(chunk)
                written[name] = digest.hexdigest()
                bar.update(max(0, raw.tell() - position))
                position = max(position, raw.tell())
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeError) as error:
        raise BackupError(f"{archive} is not a readable portal backup (damaged or of another kind): {error}") from None
    return _verified_manifest(archive, work, written)


def _safe_member_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    ok = member.isfile() and not path.is_absolute() and ".." not in path.parts and str(path) not in ("", ".")
    ok = ok and (str(path) in (MANIFEST, *DATABASE_FILES.values()) or path.parts[0] == UPLOADS)
    if not ok:
        raise BackupError(f"the archive holds an entry a portal backup never has: {member.name!r}")
    return str(path)


def _verified_manifest(archive: Path, work: Path, written: dict[str, str]) -> dict:
    damaged = f"{archive} is not a complete portal backup"
    if MANIFEST not in written:
        raise BackupError(f"{damaged}: it has no {MANIFEST}")
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        database = manifest["database"]
        expected = {database["file"]: database["sha256"]}
        expected |= {f"{UPLOADS}/{name}": digest for name, digest in manifest["uploads"].items()}
        counts = database["counts"]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{damaged}: its {MANIFEST} cannot be read ({error})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a portal backup (its manifest says {manifest.get('format')!r})")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(f"{archive} was written by a newer portal (format {manifest.get('format_version')})")
    if not isinstance(counts, dict) or database["file"] not in DATABASE_FILES.values():
        raise BackupError(f"{damaged}: its {MANIFEST} is malformed")
    missing = sorted(name for name in expected if name not in written)
    changed = sorted(name for name in expected if name in written and written[name] != expected[name])
    extra = sorted(name for name in written if name != MANIFEST and name not in expected)
    for problem, names in (("missing", missing), ("damaged (checksum differs)", changed), ("not listed", extra)):
        if names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            raise BackupError(f"{damaged}: {problem}: {shown}")
    return manifest


def _check_revision(revision: str | None) -> None:
    """A backup from a newer schema cannot be used by this code; an older one needs `flask db upgrade` after."""
    if not revision:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        scripts.get_revision(revision)
    except CommandError:
        raise BackupError(
            f"the backup's database is at schema revision {revision}, which this version of the portal "
            "does not know: restore it with the portal version that wrote it"
        ) from None


def existing_content(root: Path) -> list[str]:
    """What this portal holds that a restore would overwrite (tables with rows, uploaded files)."""
    inspector = inspect(db.engine)
    found = []
    for name in sorted(set(inspector.get_table_names()) - SCHEMA_TABLES):
        rows = db.session.scalar(select(func.count()).select_from(text(f'"{name}"')))
        if rows:
            found.append(f"{rows:,} rows in {name}")
    db.session.remove()
    if root.is_dir():
        files = sum(1 for p in root.rglob("*") if p.is_file())
        if files:
            found.append(f"{files:,} uploaded files in {root}")
    return found


def _refuse_to_overwrite(root: Path) -> None:
    found = existing_content(root)
    if found:
        raise BackupError(
            "this portal already holds data (" + ", ".join(found[:4]) + (", …" if len(found) > 4 else "") + "); "
            "a restore would replace it. Restore into an empty portal, or add --force to overwrite it."
        )


def _restore_sqlite(copy: Path, progress) -> None:
    """SQLite's backup API, run the other way: the live file's pages are replaced under its own locks."""
    source = sqlite3.connect(copy)
    target = sqlite3.connect(_sqlite_path(), timeout=60)
    try:
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        _backup_pages(source, target, progress, Phrase("Restoring the database"), pages)
    except sqlite3.Error as error:
        raise BackupError(f"the database could not be restored: {error}") from None
    finally:
        target.close()
        source.close()


def _restore_postgresql(dump: Path, say) -> None:
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


def _check_counts(expected: dict[str, int]) -> None:
    wrong = []
    for table, rows in sorted(expected.items()):
        found = db.session.scalar(select(func.count()).select_from(text(f'"{table}"')))
        if found != rows:
            wrong.append(f"{table}: {found} rows, the backup has {rows}")
    db.session.remove()
    if wrong:
        raise BackupError("the restored database does not match the backup: " + "; ".join(wrong))


def _put_uploads_in_place(unpacked: Path, root: Path) -> None:
    """Swap the restored folder in; the old one is removed only once the new one is in place."""
    if not unpacked.is_dir():
        unpacked.mkdir()
    old = root.with_name(root.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        os.replace(root, old)
    os.replace(unpacked, root)
    shutil.rmtree(old, ignore_errors=True)


def _rebuild_index(progress) -> None:
    from portal import search
    from portal.suppliers.models import Firm

    total = db.session.scalar(select(func.count(Firm.id)).where(Firm.is_public)) or 0
    with progress(Phrase("Indexing firms"), total) as bar:
        search.rebuild(progress=bar.update)


# --- commands ------------------------------------------------------------------------------------


def _progressbar(label, length: int):
    return click.progressbar(length=length, label=translated(label), show_pos=True, file=sys.stderr)


def _say(message) -> None:
    click.echo(translated(message))


@click.command("backup")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@language_option
def backup_command(path: Path | None):
    """Write the database and the uploaded files to one .tar.gz at PATH.

    PATH defaults to instance/backups/portal-<UTC time>.tar.gz; a folder gets such a file inside
    it. Safe while the portal runs: the database copy is consistent.
    """
    target = default_target() if path is None else path
    if path is not None and path.is_dir():
        target = path / default_target().name
    manifest = _run(create_backup, target)
    size = format_number(round(target.stat().st_size / 1e6, 1))
    click.echo(
        _("Backed up %(contents)s to %(file)s (%(size)s MB).", contents=_contents(manifest), file=target, size=size)
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database and upload folder that already hold data.")
@language_option
def restore_command(path: Path, force: bool):
    """Restore a backup made with 'flask backup': database, uploaded files, then the search index.

    Refuses to overwrite a portal that holds data unless --force is given; exits 1 with the reason
    when the archive is damaged, incomplete or from another kind of database.
    """
    manifest = _run(restore_backup, path, force=force)
    click.echo(
        _(
            "Restored %(contents)s from the backup of %(date)s.",
            contents=_contents(manifest),
            date=manifest["created_at"],
        )
    )


def _run(step, path: Path, **options) -> dict:
    """Run a backup or restore with progress bars; a BackupError ends the command with exit status 1."""
    try:
        return step(path, progress=_progressbar, say=_say, **options)
    except BackupError as error:
        raise click.ClickException(str(error)) from error


def _contents(manifest: dict) -> str:
    counts = manifest["database"]["counts"]
    files = len(manifest["uploads"]) + counts.get("stored_file", 0)
    return _(
        "%(rows)s rows in %(tables)s tables and %(files)s uploaded files",
        rows=format_number(sum(counts.values())),
        tables=format_number(len(counts)),
        files=format_number(files),
    )
