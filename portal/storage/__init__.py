"""Where uploaded files live, behind one small interface every host can share.

`DiskStorage` keeps files under UPLOAD_DIR: the one-machine default. `DatabaseStorage` keeps them
in the database every host already shares: content-addressed (a blob per distinct SHA-256, stored
once however many files hold it), in chunks written and read one at a time, so a download streams
without holding the file in memory. UPLOAD_STORAGE (`disk` or `database`) selects where new files
go; a file is read from the other store when the selected one lacks it, so the portal keeps
serving while `flask storage migrate` moves files across.

Every store knows a file by the relative name the domain row keeps (`ab/Xyz….pdf`): moving files
between stores changes no row.
"""

import hashlib
import io
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from flask import abort, current_app, send_file
from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, LargeBinary, String, delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.i18n import N_, Phrase, Refusal
from portal.timeutil import utcnow

log = logging.getLogger(__name__)

CHUNK = 256 * 1024
KINDS = ("disk", "database")


class StorageRefused(Refusal):
    """The store will not take this file (too large for it, or a name outside it)."""


class StoredBlob(db.Model):
    """One distinct content, named by its SHA-256."""

    __tablename__ = "stored_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoredBlobChunk(db.Model):
    __tablename__ = "stored_blob_chunk"

    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("stored_blob.sha256"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StoredFile(db.Model):
    """A file name the portal's rows point at, and the content it holds."""

    __tablename__ = "stored_file"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("stored_blob.sha256"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def _pieces(data: bytes) -> Callable[[], Iterator[bytes]]:
    return lambda: (data[start : start + CHUNK] for start in range(0, len(data), CHUNK))


class DiskStorage:
    """Files under one folder of this host's disk."""

    kind = "disk"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    @property
    def label(self) -> Phrase:
        return Phrase("the upload folder %(folder)s", folder=str(self.root))

    def path(self, relative: str) -> Path | None:
        """The file's path, or None for a name that would leave the folder."""
        path = (self.root / relative).resolve()
        return path if self.root.resolve() in path.parents else None

    def save(self, relative: str, data: bytes) -> None:
        self.save_from(relative, _pieces(data))

    def save_from(self, relative: str, chunks: Callable[[], Iterator[bytes]]) -> None:
        """Write atomically (a temporary file renamed into place): readers see all of it or none."""
        target = self.path(relative)
        if target is None:
            raise StorageRefused(N_("'%(name)s' is not a name inside the upload folder"), name=relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            with open(temporary, "wb") as handle:
                for chunk in chunks():
                    handle.write(chunk)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)

    def size(self, relative: str) -> int | None:
        path = self.path(relative)
        return path.stat().st_size if path is not None and path.is_file() else None

    def chunks(self, relative: str) -> Iterator[bytes]:
        with open(self.path(relative), "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def delete(self, relative: str) -> None:
        path = self.path(relative)
        if path is not None:
            path.unlink(missing_ok=True)

    def names(self) -> list[str]:
        """Every stored file's relative name, sorted (files being written are left out)."""
        if not self.root.is_dir():
            return []
        return sorted(
            path.relative_to(self.root).as_posix()
            for path in self.root.rglob("*")
            if path.is_file() and not path.name.startswith(".")
        )

    def send(self, relative: str, **options):
        return send_file(self.path(relative), max_age=0, **options)

    def problem(self) -> str | None:
        """None when files can be written and read back here, else what is wrong."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / f".ready-{secrets.token_hex(4)}"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as error:
            return f"the upload folder cannot be written ({error.strerror or error})"
        return None


class DatabaseStorage:
    """Files in the shared database, each write in a transaction of its own (as a file write is)."""

    kind = "database"
    label = Phrase("the database")

    def __init__(self, engine, max_bytes: int):
        self.engine = engine
        self.max_bytes = max_bytes

    def save(self, relative: str, data: bytes) -> None:
        self.save_from(relative, _pieces(data))

    def save_from(self, relative: str, chunks: Callable[[], Iterator[bytes]]) -> None:
        """Hash the content first (one pass), then write it chunk by chunk unless already held."""
        digest, size = hashlib.sha256(), 0
        for chunk in chunks():
            digest.update(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                raise StorageRefused(
                    N_("the file is larger than the database store takes (%(size)s bytes)"), size=f"{self.max_bytes:,}"
                )
        sha256 = digest.hexdigest()
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        with self.engine.begin() as connection:
            added = connection.execute(
                insert(StoredBlob)
                .values(sha256=sha256, size=size, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=["sha256"])
                .returning(StoredBlob.sha256)
            ).first()
            if added is not None:
                for seq, chunk in enumerate(chunks()):
                    connection.execute(StoredBlobChunk.__table__.insert().values(sha256=sha256, seq=seq, data=chunk))
            values = {"sha256": sha256, "size": size, "created_at": utcnow()}
            connection.execute(
                insert(StoredFile)
                .values(name=relative, **values)
                .on_conflict_do_update(index_elements=["name"], set_=values)
            )

    def _entry(self, relative: str):
        with self.engine.connect() as connection:
            return connection.execute(
                select(StoredFile.sha256, StoredFile.size).where(StoredFile.name == relative)
            ).first()

    def size(self, relative: str) -> int | None:
        entry = self._entry(relative)
        return entry.size if entry else None

    def chunks(self, relative: str) -> Iterator[bytes]:
        """The file's content, one chunk per query: works after the request's context has ended."""
        entry = self._entry(relative)
        if entry is None:
            raise FileNotFoundError(relative)
        seq = 0
        while True:
            with self.engine.connect() as connection:
                chunk = connection.scalar(
                    select(StoredBlobChunk.data).where(
                        StoredBlobChunk.sha256 == entry.sha256, StoredBlobChunk.seq == seq
                    )
                )
            if chunk is None:
                return
            yield bytes(chunk)
            seq += 1

    def delete(self, relative: str) -> None:
        """Forget the name; the content goes too once no other name holds it."""
        with self.engine.begin() as connection:
            sha256 = connection.scalar(select(StoredFile.sha256).where(StoredFile.name == relative))
            if sha256 is None:
                return
            connection.execute(delete(StoredFile).where(StoredFile.name == relative))
            if not connection.scalar(select(exists().where(StoredFile.sha256 == sha256))):
                connection.execute(delete(StoredBlobChunk).where(StoredBlobChunk.sha256 == sha256))
                connection.execute(delete(StoredBlob).where(StoredBlob.sha256 == sha256))

    def names(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(connection.scalars(select(StoredFile.name).order_by(StoredFile.name)))

    def send(self, relative: str, **options):
        entry = self._entry(relative)
        if entry is None:  # deleted a moment ago
            abort(404)
        response = send_file(ChunkReader(self.chunks(relative)), max_age=0, etag=entry.sha256, **options)
        if response.status_code == 200:
            response.content_length = entry.size
        return response

    def problem(self) -> str | None:
        try:
            with self.engine.connect() as connection:
                connection.execute(select(func.count()).select_from(StoredFile).where(StoredFile.name == ""))
        except Exception as error:
            log.warning("database file store unusable: %s", error)
            return "the database's file tables cannot be read (has 'flask db upgrade' run?)"
        return None


class ChunkReader(io.RawIOBase):
    """A read-only file over an iterator of chunks, for `send_file` to stream."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return 0
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


def disk_storage() -> DiskStorage:
    return DiskStorage(current_app.config["UPLOAD_DIR"])


def database_storage() -> DatabaseStorage:
    return DatabaseStorage(db.engine, current_app.config["UPLOAD_DATABASE_MAX_BYTES"])


def storage(kind: str):
    return database_storage() if kind == "database" else disk_storage()


def active_storage():
    """The store new uploads go to, chosen by UPLOAD_STORAGE."""
    return storage(current_app.config["UPLOAD_STORAGE"])


def other_storage():
    """The store not selected: files not yet moved across are still read from it."""
    return storage("disk" if current_app.config["UPLOAD_STORAGE"] == "database" else "database")


def holder_of(relative: str):
    """The store that holds the file, the selected one first; None if neither does."""
    for candidate in (active_storage(), other_storage()):
        try:
            if candidate.size(relative) is not None:
                return candidate
        except Exception:  # the other store may not exist yet (tables before `db upgrade`)
            log.debug("store %s could not be asked for %s", candidate.kind, relative, exc_info=True)
    return None


def check_configuration(app) -> None:
    if app.config["UPLOAD_STORAGE"] not in KINDS:
        raise ValueError(f"UPLOAD_STORAGE is {app.config['UPLOAD_STORAGE']!r}; use one of: {', '.join(KINDS)}")
