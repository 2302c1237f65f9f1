"""Signed checkpoints of the audit trail's head, kept where a database writer cannot reach them.

A checkpoint says "host H saw the trail end at entry N, whose HMAC is X, N entries long, at time
T", signed with the audit key. Each goes to this host's append-only file under the instance
directory, to the log, and to an optional sink. Someone who can write to the database but holds
neither the key nor these files cannot make the trail agree with a checkpoint once they delete its
newest entries, delete all of it, or rewrite an entry: `verify_chain` compares the trail with
every checkpoint it can read, whichever host wrote it.
"""

import hmac
import json
import logging
import os
import re
import socket
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import logs
from portal.audit.models import AuditEntry, audit_key, keyed_hash
from portal.extensions import db
from portal.i18n import Phrase
from portal.timeutil import utcnow

SYSLOG_LOG_AUDIT_INFO = 13 * 8 + 6  # facility "log audit", severity "informational"
SINK_TIMEOUT_SECONDS = 5

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    """The trail's head as one host saw it; `mac` signs the rest with the audit key."""

    host: str
    sequence: int
    head: str
    count: int
    at: str
    mac: str = ""

    def signed_text(self) -> str:
        fields = asdict(self)
        fields.pop("mac")
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))

    def signed(self, key: bytes) -> "Checkpoint":
        return replace(self, mac=keyed_hash(key, self.signed_text()))

    def is_authentic(self, key: bytes) -> bool:
        return hmac.compare_digest(self.mac, keyed_hash(key, self.signed_text()))

    def describe(self) -> Phrase:
        return Phrase("the checkpoint %(host)s wrote at %(at)s", host=self.host, at=self.at)


def host_name() -> str:
    """This host's name in its checkpoints: PORTAL_HOST_NAME, or the machine's name."""
    return (current_app.config.get("PORTAL_HOST_NAME") or socket.gethostname())[:255]


def checkpoint_folder() -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINT_DIR"])


def _file_of(host: str) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", host).strip("-.")[:120] or "host"
    return checkpoint_folder() / f"{name}.jsonl"


def write(sequence: int, head: str, count: int) -> Checkpoint:
    """Sign the head and put it in this host's file, the log and the sink (if one is set)."""
    checkpoint = Checkpoint(
        host=host_name(), sequence=sequence, head=head, count=count, at=utcnow().replace(microsecond=0).isoformat()
    ).signed(audit_key())
    path = _file_of(checkpoint.host)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Opened for appending only: a line once written is never rewritten by the portal.
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(checkpoint), sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    logs.event("audit.checkpoint", **asdict(checkpoint))
    _send_to_sink(checkpoint)
    return checkpoint


def write_current() -> Checkpoint:
    """A checkpoint of the trail as the database holds it now (`flask audit checkpoint`)."""
    newest = db.session.execute(
        select(AuditEntry.sequence, AuditEntry.entry_hash).order_by(AuditEntry.sequence.desc()).limit(1)
    ).first()
    count = db.session.scalar(select(func.count(AuditEntry.id))) or 0
    sequence, head = (newest.sequence, newest.entry_hash) if newest else (0, "")
    return write(sequence, head, count)


def start_afresh(reason: str) -> Checkpoint:
    """Set this host's checkpoints aside (`<host>.jsonl.<reason>-<time>`) and write one of the trail
    as it is now: after the chain is re-keyed, or a backup is restored, the old heads no longer
    apply. Other hosts' files in the folder are set aside too."""
    folder = checkpoint_folder()
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        path.rename(path.with_name(f"{path.name}.{reason}-{stamp}"))
    logs.event("audit.checkpoints_set_aside", reason=reason)
    return write_current()


def _send_to_sink(checkpoint: Checkpoint) -> None:
    """Copy the checkpoint to AUDIT_CHECKPOINT_SINK; a sink that is down is logged, never fatal."""
    sink = current_app.config.get("AUDIT_CHECKPOINT_SINK") or ""
    if not sink:
        return
    body = json.dumps(asdict(checkpoint), sort_keys=True)
    target = urlsplit(sink)
    try:
        if target.scheme in ("http", "https"):
            request = urllib.request.Request(
                sink, data=body.encode(), headers={"Content-Type": "application/json"}, method="POST"
            )
            with urllib.request.urlopen(request, timeout=SINK_TIMEOUT_SECONDS) as response:
                response.read()
        elif target.scheme == "syslog":
            line = f"<{SYSLOG_LOG_AUDIT_INFO}>edb-portal audit-checkpoint: {body}"
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.sendto(line.encode(), (target.hostname or "127.0.0.1", target.port or 514))
        else:
            logs.event("audit.checkpoint_sink_unknown", logging.WARNING, scheme=target.scheme)
    except (OSError, ValueError) as error:
        logs.event("audit.checkpoint_sink_failed", logging.WARNING, error=str(error)[:200])


def read(extra_paths: Iterable[str | Path] = ()) -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint in the checkpoint folder (each host's file) and in `extra_paths` (files
    copied from other hosts or the sink), with a problem named for each line not signed by the key."""
    paths = sorted(checkpoint_folder().glob("*.jsonl")) if checkpoint_folder().is_dir() else []
    paths += [Path(p) for p in extra_paths]
    key = audit_key()
    found, problems = [], []
    for path in paths:
        for number, line in _lines(path):
            checkpoint = _parse(line)
            if checkpoint is None or not checkpoint.is_authentic(key):
                problems.append(
                    Phrase(
                        "checkpoint %(file)s line %(line)s is not signed with the audit key (forged or damaged)",
                        file=path.name,
                        line=number,
                    )
                )
            else:
                found.append(checkpoint)
    return found, problems


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def _parse(line: str) -> Checkpoint | None:
    try:
        fields = json.loads(line)
        return Checkpoint(
            host=str(fields["host"]),
            sequence=int(fields["sequence"]),
            head=str(fields["head"]),
            count=int(fields["count"]),
            at=str(fields["at"]),
            mac=str(fields["mac"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def contradictions(checkpoints: list[Checkpoint], hashes: dict[int, str], newest: int, count: int) -> list[str]:
    """What the trail (`hashes` of the checkpointed sequences, its newest sequence and its count)
    says against the checkpoints: entries deleted from the end or all of them, or rewritten."""
    problems = []
    latest = max(checkpoints, key=lambda c: (c.sequence, c.at), default=None)
    if latest is not None and latest.sequence > newest:
        if count == 0:
            problems.append(
                Phrase(
                    "the trail is empty, but %(checkpoint)s recorded %(count)s entries: it was deleted",
                    checkpoint=latest.describe(),
                    count=latest.count,
                )
            )
        else:
            problems.append(
                Phrase(
                    "the trail ends at entry %(newest)s, but %(checkpoint)s recorded entry %(entry)s: "
                    "the newest entries were deleted",
                    newest=newest,
                    checkpoint=latest.describe(),
                    entry=latest.sequence,
                )
            )
    for checkpoint in sorted(checkpoints, key=lambda c: (c.sequence, c.at)):
        stored = hashes.get(checkpoint.sequence)
        if stored is not None and not hmac.compare_digest(stored, checkpoint.head):
            problems.append(
                Phrase(
                    "entry %(entry)s differs from %(checkpoint)s: it was rewritten",
                    entry=checkpoint.sequence,
                    checkpoint=checkpoint.describe(),
                )
            )
    return list(dict.fromkeys(problems))


def due_after_commit(session: Session, sequence: int, head: str) -> None:
    """Write a checkpoint of this entry once its transaction commits (every AUDIT_CHECKPOINT_EVERY entries)."""
    session.info["audit_checkpoint_due"] = (sequence, head)


@sa_event.listens_for(Session, "after_commit")
def _write_due(session: Session) -> None:
    due = session.info.pop("audit_checkpoint_due", None)
    if due is None:
        return
    sequence, head = due
    try:
        write(sequence, head, sequence)
    except OSError as error:
        # The act is committed; the next checkpoint (or `flask audit checkpoint`) covers this one.
        logs.event("audit.checkpoint_failed", logging.WARNING, sequence=sequence, error=str(error)[:200])


@sa_event.listens_for(Session, "after_rollback")
def _forget_due(session: Session) -> None:
    session.info.pop("audit_checkpoint_due", None)
