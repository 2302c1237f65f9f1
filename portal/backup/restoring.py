"""Restoring a backup: refusing what cannot or should not be restored, then putting the database
and the files in place, checking the rows and rebuilding the search index."""

import os
import shutil
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, text

from portal.audit import checkpoints
from portal.backup.databases import check_counts, restore_postgresql, restore_sqlite
from portal.backup.layout import UPLOADS, BackupError, no_messages, no_progress, upload_root
from portal.backup.reading import unpack
from portal.extensions import db
from portal.formatting import format_number
from portal.i18n import N_, Joined, Phrase

# Rows a freshly upgraded, empty portal already has: they do not make a database "hold data"; nor
# does a host's record of how far its search index got (`search_replica`).
SCHEMA_TABLES = {"alembic_version", "component_category", "process", "certification_type", "search_replica"}


def restore_backup(archive: Path, *, force: bool = False, progress=no_progress, say=no_messages) -> dict:
    """Put the archive's database and files in place of this portal's, then rebuild the search index."""
    kind = db.engine.dialect.name
    root = upload_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=root.parent) as work:
        work = Path(work)
        manifest = unpack(archive, work, progress)
        database = manifest["database"]
        if database["kind"] != kind:
            raise BackupError(
                N_(
                    "%(archive)s holds a %(kind)s database; this portal uses %(ours)s. "
                    "Restore it into a portal configured with the same kind of database."
                ),
                archive=str(archive),
                kind=database["kind"],
                ours=kind,
            )
        _check_revision(database.get("alembic_revision"))
        if not force:
            _refuse_to_overwrite(root)
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            restore_sqlite(work / database["file"], progress)
        else:
            restore_postgresql(work / database["file"], say)
        db.engine.dispose()
        check_counts(database["counts"])
        _put_uploads_in_place(work / UPLOADS, root)
    say(Phrase("Rebuilding the search index"))
    _rebuild_index(progress)
    # The restored trail ends where the backup did: checkpoints written since no longer apply.
    checkpoints.start_afresh("before-restore")
    say(Phrase("Audit checkpoints written before the restore are set aside; a new one is written."))
    if note := _files_elsewhere_note():
        say(note)
    return manifest


def existing_content(root: Path) -> list[str]:
    """What this portal holds that a restore would overwrite (tables with rows, uploaded files)."""
    inspector = inspect(db.engine)
    found = []
    for name in sorted(set(inspector.get_table_names()) - SCHEMA_TABLES):
        rows = db.session.scalar(select(func.count()).select_from(text(f'"{name}"')))
        if rows:
            found.append(Phrase("%(rows)s rows in %(table)s", rows=format_number(rows), table=name))
    db.session.remove()
    if root.is_dir():
        files = sum(1 for p in root.rglob("*") if p.is_file())
        if files:
            found.append(Phrase("%(files)s uploaded files in %(folder)s", files=format_number(files), folder=str(root)))
    return found


def _refuse_to_overwrite(root: Path) -> None:
    found = existing_content(root)
    if found:
        shown = Joined(found[:4] + (["…"] if len(found) > 4 else []), ", ")
        raise BackupError(
            N_(
                "this portal already holds data (%(found)s); a restore would replace it. "
                "Restore into an empty portal, or add --force to overwrite it."
            ),
            found=shown,
        )


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
            N_(
                "the backup's database is at schema revision %(revision)s, which this version of the portal "
                "does not know: restore it with the portal version that wrote it"
            ),
            revision=revision,
        ) from None


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
