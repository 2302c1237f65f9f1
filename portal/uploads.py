"""Uploaded files: checked by content (not by name), stored outside `static/` under random names.

Pages never link to the storage path; each domain serves its files through a view that checks
who may see them, with `send_stored()`.
"""

import contextlib
import logging
import secrets
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import abort, current_app

from portal import storage
from portal.i18n import N_, Refusal

log = logging.getLogger(__name__)

MB = 1024 * 1024

# What each kind looks like in its first bytes, and the extension it is stored under.
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
}
DOCUMENT_KINDS = ("pdf", "png", "jpeg")
IMAGE_KINDS = ("png", "jpeg")
HTML_MARKERS = (b"<html", b"<script", b"<!doctype html", b"<svg", b"<iframe")


class UploadRejected(Refusal):
    """The file is empty, too large, of a kind not accepted, or not what it claims to be."""


@dataclass(frozen=True)
class StoredFile:
    path: str  # the file's name in the storage (relative to UPLOAD_DIR on disk)
    filename: str  # the name the user gave it, for downloads
    mimetype: str
    size: int

    def columns(self) -> dict:
        """The path, filename, mimetype and size of the row that keeps the file."""
        return asdict(self)


def sniff_kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def describe_kinds(kinds) -> str:
    names = [k.upper() for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_upload(data: bytes, kinds=DOCUMENT_KINDS, max_bytes: int = 10 * MB) -> str:
    """Return the file's kind, or raise UploadRejected with a message for the person uploading."""
    if not data:
        raise UploadRejected(N_("The file is empty."))
    if len(data) > max_bytes:
        raise UploadRejected(N_("The file is larger than %(size)s MB."), size=max_bytes // MB)
    kind = sniff_kind(data[:16])
    if kind not in kinds:
        raise UploadRejected(N_("Upload a %(kinds)s file; this file is of another kind."), kinds=describe_kinds(kinds))
    lowered = data[:4096].lower()
    if any(marker in lowered for marker in HTML_MARKERS):
        raise UploadRejected(N_("The file contains web page code and cannot be accepted."))
    if kind == "pdf" and _pdf_expands_too_far(data, max_bytes):
        raise UploadRejected(N_("The file's compressed content is suspiciously large and cannot be accepted."))
    return kind


def _pdf_expands_too_far(data: bytes, max_bytes: int, ratio: int = 100) -> bool:
    """Guard against compression bombs: inflate each stream only up to a budget."""
    budget = max(max_bytes * 4, len(data) * ratio)
    total, position = 0, 0
    while total <= budget:
        start = data.find(b"stream", position)
        if start == -1:
            return False
        start = data.find(b"\n", start) + 1
        end = data.find(b"endstream", start)
        if start == 0 or end == -1:
            return False
        inflater = zlib.decompressobj()
        with contextlib.suppress(zlib.error):
            total += len(inflater.decompress(data[start:end], budget - total + 1))
        position = end + len(b"endstream")
    return True


def store(data: bytes, filename: str, kinds=DOCUMENT_KINDS, max_bytes: int = 10 * MB) -> StoredFile:
    """Check and write the bytes under a random name in the selected storage; the write is atomic."""
    kind = check_upload(data, kinds, max_bytes)
    mimetype, extension = KINDS[kind]
    relative = f"{secrets.token_hex(1)}/{secrets.token_urlsafe(24)}{extension}"
    storage.active_storage().save(relative, data)
    safe_name = Path(filename or f"file{extension}").name[:150] or f"file{extension}"
    return StoredFile(path=relative, filename=safe_name, mimetype=mimetype, size=len(data))


def store_document(upload: tuple[bytes, str], refused: type[Exception]) -> StoredFile:
    """Store a document for an act (PDF or image, at most 10 MB); a file the rules refuse raises
    the act's own `refused` error carrying the rule's message."""
    try:
        return store(*upload, kinds=DOCUMENT_KINDS, max_bytes=10 * MB)
    except UploadRejected as error:
        raise refused(error.message, **error.values) from error


def read_field(file_storage) -> tuple[bytes, str]:
    """The bytes and name of a Werkzeug FileStorage, reading at most 1 byte past the form limit."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 50 * MB
    data = file_storage.stream.read(limit + 1)
    file_storage.stream.seek(0)
    return data, file_storage.filename or ""


def discard(relative: str | None) -> None:
    """Delete a stored file (after the row that pointed at it is gone) from whichever store holds
    it; missing files are fine, and a store that cannot be reached leaves an orphan, not an error."""
    if not relative:
        return
    holder = storage.holder_of(relative)
    if holder is None:
        return
    try:
        holder.delete(relative)
    except Exception:
        log.exception("stored file %s could not be deleted from %s", relative, holder.label)


def send_stored(relative: str, filename: str, mimetype: str, inline: bool = False):
    """Serve a stored file from whichever store holds it (404 when none does)."""
    holder = storage.holder_of(relative)
    if holder is None:
        abort(404)
    response = holder.send(relative, mimetype=mimetype, as_attachment=not inline, download_name=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store" if not inline else "public, max-age=3600"
    return response
