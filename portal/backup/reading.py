"""Reading a backup archive: unpacking it safely and proving it holds everything its manifest lists."""

import hashlib
import json
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from portal.backup.layout import CHUNK, DATABASE_FILES, FORMAT, FORMAT_VERSION, MANIFEST, UPLOADS, BackupError
from portal.i18n import N_, Phrase

# How each kind of mismatch between the archive and its manifest is told.
_MISMATCHES = (
    ("missing", N_("%(archive)s is not a complete portal backup: missing: %(names)s")),
    ("changed", N_("%(archive)s is not a complete portal backup: damaged (checksum differs): %(names)s")),
    ("extra", N_("%(archive)s is not a complete portal backup: not listed: %(names)s")),
)


def unpack(archive: Path, work: Path, progress) -> dict:
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
        raise BackupError(
            N_("%(archive)s is not a readable portal backup (damaged or of another kind): %(error)s"),
            archive=str(archive),
            error=str(error),
        ) from None
    return _verified_manifest(archive, work, written)


def _safe_member_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    ok = member.isfile() and not path.is_absolute() and ".." not in path.parts and str(path) not in ("", ".")
    ok = ok and (str(path) in (MANIFEST, *DATABASE_FILES.values()) or path.parts[0] == UPLOADS)
    if not ok:
        raise BackupError(N_("the archive holds an entry a portal backup never has: %(name)s"), name=repr(member.name))
    return str(path)


def _verified_manifest(archive: Path, work: Path, written: dict[str, str]) -> dict:
    if MANIFEST not in written:
        raise BackupError(
            N_("%(archive)s is not a complete portal backup: it has no %(manifest)s"),
            archive=str(archive),
            manifest=MANIFEST,
        )
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        database = manifest["database"]
        expected = {database["file"]: database["sha256"]}
        expected |= {f"{UPLOADS}/{name}": digest for name, digest in manifest["uploads"].items()}
        counts = database["counts"]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(
            N_("%(archive)s is not a complete portal backup: its %(manifest)s cannot be read (%(error)s)"),
            archive=str(archive),
            manifest=MANIFEST,
            error=str(error),
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            N_("%(archive)s is not a portal backup (its manifest says %(format)s)"),
            archive=str(archive),
            format=repr(manifest.get("format")),
        )
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            N_("%(archive)s was written by a newer portal (format %(version)s)"),
            archive=str(archive),
            version=str(manifest.get("format_version")),
        )
    if not isinstance(counts, dict) or database["file"] not in DATABASE_FILES.values():
        raise BackupError(
            N_("%(archive)s is not a complete portal backup: its %(manifest)s is malformed"),
            archive=str(archive),
            manifest=MANIFEST,
        )
    found = {
        "missing": sorted(name for name in expected if name not in written),
        "changed": sorted(name for name in expected if name in written and written[name] != expected[name]),
        "extra": sorted(name for name in written if name != MANIFEST and name not in expected),
    }
    for kind, message in _MISMATCHES:
        if names := found[kind]:
            raise BackupError(message, archive=str(archive), names=_some(names))
    return manifest


def _some(names: list[str]) -> str:
    """The first five names, and how many more there are."""
    shown = ", ".join(names[:5])
    if len(names) <= 5:
        return shown
    return Phrase("%(names)s and %(count)s more", names=shown, count=len(names) - 5)
