"""Writing a backup archive: the database copy, every uploaded file and the manifest that lists them."""

import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from portal.backup.databases import copy_sqlite, dump_postgresql
from portal.backup.layout import (
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    UPLOADS,
    BackupError,
    no_messages,
    no_progress,
    sha256,
    upload_root,
)
from portal.extensions import db
from portal.formatting import format_number
from portal.i18n import N_, Phrase
from portal.timeutil import utcnow


def default_target() -> Path:
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Path(current_app.instance_path) / "backups" / f"portal-{stamp}.tar.gz"


def create_backup(target: Path, progress=no_progress, say: Callable[[str], object] = no_messages) -> dict:
    """Write the archive to `target` (atomically: a failed backup leaves no file); returns the manifest."""
    kind = db.engine.dialect.name
    if kind not in DATABASE_FILES:
        raise BackupError(N_("backups support SQLite and PostgreSQL, not %(kind)s"), kind=kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    db.session.remove()
    database_file = DATABASE_FILES[kind]
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as work:
        copy = Path(work) / database_file
        if kind == "sqlite":
            counts, revision = copy_sqlite(copy, progress)
        else:
            counts, revision = dump_postgresql(copy, say)
        root = upload_root()
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        hashes = {}
        with progress(Phrase("Reading uploaded files"), len(files)) as bar:
            for relative in files:
                hashes[relative] = sha256(root / relative)
                bar.update(1)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": utcnow().isoformat(),
            "portal_version": _portal_version(),
            "database": {
                "kind": kind,
                "file": database_file,
                "sha256": sha256(copy),
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


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _portal_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("portal")
    except PackageNotFoundError:
        return "unknown"
