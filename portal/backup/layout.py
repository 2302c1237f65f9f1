"""What a portal backup holds and how its parts are named; the error every step refuses with."""

import contextlib
import hashlib
from pathlib import Path

from flask import current_app

from portal.i18n import Refusal

FORMAT = "edb-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads"
CHUNK = 1024 * 1024


class BackupError(Refusal):
    """A backup or restore cannot go on; the message says why and what to do."""


class _Silent:
    def update(self, n):
        pass


@contextlib.contextmanager
def no_progress(label, length):
    yield _Silent()


def no_messages(message):
    pass


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
