"""Where uploaded files live, behind one small interface.

`DiskStorage` keeps them under UPLOAD_DIR (the one-machine default). Every store knows a file by
the relative name the domain row keeps (`ab/Xyz….pdf`), so moving files between stores changes
no row. `active_storage()` is the store UPLOAD_STORAGE selects.
"""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from flask import current_app

CHUNK = 256 * 1024


class DiskStorage:
    """Files under one folder of this host's disk."""

    kind = "disk"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, relative: str) -> Path | None:
        """The file's path, or None for a name that would leave the folder."""
        path = (self.root / relative).resolve()
        return path if self.root.resolve() in path.parents else None

    def save(self, relative: str, data: bytes) -> None:
        """Write atomically: a reader sees the whole file or none."""
        target = self.path(relative)
        if target is None:
            raise ValueError(f"{relative!r} is not a name inside the upload folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        temporary.write_bytes(data)
        os.replace(temporary, target)

    def exists(self, relative: str) -> bool:
        path = self.path(relative)
        return path is not None and path.is_file()

    def size(self, relative: str) -> int | None:
        path = self.path(relative)
        return path.stat().st_size if path is not None and path.is_file() else None

    def chunks(self, relative: str) -> Iterator[bytes]:
        with open(self.path(relative), "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def read(self, relative: str) -> bytes:
        return b"".join(self.chunks(relative))

    def delete(self, relative: str) -> None:
        path = self.path(relative)
        if path is not None:
            path.unlink(missing_ok=True)

    def names(self) -> Iterator[str]:
        """Every stored file's relative name, in a stable order."""
        if self.root.is_dir():
            for path in sorted(self.root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    yield path.relative_to(self.root).as_posix()

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


def disk_storage() -> DiskStorage:
    return DiskStorage(current_app.config["UPLOAD_DIR"])


def active_storage():
    """The store new uploads go to, chosen by UPLOAD_STORAGE."""
    return disk_storage()
