"""Record every staff action and every change to firms, certificates, needs and cases.

`record()` writes in the caller's transaction, so an act and its audit entry commit together or
not at all. Entries are chained by an HMAC under AUDIT_KEY (kept outside the database), and every
AUDIT_CHECKPOINT_EVERY entries a signed checkpoint of the head is written outside the database
(`checkpoints`); `verify_chain()` finds a changed, missing or deleted entry against both.
"""

import enum
import hmac
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select, update

from portal import logs
from portal.audit import checkpoints
from portal.audit.models import GENESIS_HASH, AuditEntry, AuditHead, audit_key
from portal.extensions import db
from portal.i18n import Phrase
from portal.timeutil import utcnow


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)  # exact, where a float would round a price
    return value


def snapshot(obj, fields) -> dict:
    """The named attributes of a model as JSON-ready values, for `before` and `after`."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(action: str, subject, *, actor=None, before=None, after=None, note: str = "", firm_id=None) -> AuditEntry:
    """Append an entry for `action` on `subject` (a model instance, flushed so it has an id)."""
    session = db.session
    if session.get(AuditHead, 1) is None:
        session.add(AuditHead(id=1, sequence=0, last_hash=GENESIS_HASH))
        session.flush()
    # Taking the write lock on the head row before reading it keeps the chain linear.
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(sequence=AuditHead.sequence + 1))
    head = session.execute(select(AuditHead.sequence, AuditHead.last_hash).where(AuditHead.id == 1)).one()
    session.flush()
    entry = AuditEntry(
        sequence=head.sequence,
        at=utcnow().replace(microsecond=0),
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "email", None) or "system",
        action=action,
        subject_type=type(subject).__name__ if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        firm_id=firm_id if firm_id is not None else getattr(subject, "firm_id", None),
        before=_plain(before),
        after=_plain(after),
        note=note,
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry.compute_hash(audit_key())
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=entry.entry_hash))
    every = current_app.config["AUDIT_CHECKPOINT_EVERY"]
    if every > 0 and entry.sequence % every == 0:
        checkpoints.due_after_commit(session, entry.sequence, entry.entry_hash)
    if getattr(getattr(actor, "role", None), "value", None) == "staff":
        logs.after_commit(
            session,
            "staff.action",
            action=action,
            actor_id=entry.actor_id,
            subject_type=entry.subject_type,
            subject_id=entry.subject_id,
            firm_id=entry.firm_id,
            audit_sequence=entry.sequence,
        )
    return entry


def verify_chain(progress=None, checkpoint_files=()) -> list[str]:
    """Walk the chain in order and describe every break, then hold the trail against every signed
    checkpoint (this host's, other hosts' in the same folder, and `checkpoint_files`); an empty
    list means it is intact.

    `progress(n)`, if given, is called as entries are checked (for a progress bar on long trails).
    """
    key = audit_key()
    known, problems = checkpoints.read(checkpoint_files)
    wanted = {c.sequence for c in known}
    hashes = {}
    expected_previous, expected_sequence = GENESIS_HASH, 1
    for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)).yield_per(1000):
        if progress is not None:
            progress(1)
        if entry.sequence != expected_sequence:
            problems.append(
                Phrase("entry %(entry)s is missing (next is %(next)s)", entry=expected_sequence, next=entry.sequence)
            )
        if entry.previous_hash != expected_previous:
            problems.append(Phrase("entry %(entry)s does not follow the entry before it", entry=entry.sequence))
        if not hmac.compare_digest(entry.compute_hash(key), entry.entry_hash):
            problems.append(
                Phrase(
                    "entry %(entry)s (%(action)s) was changed after it was written",
                    entry=entry.sequence,
                    action=entry.action,
                )
            )
        if entry.sequence in wanted:
            hashes[entry.sequence] = entry.entry_hash
        expected_previous, expected_sequence = entry.entry_hash, entry.sequence + 1
    head = db.session.get(AuditHead, 1)
    if head is not None and head.last_hash != expected_previous:
        problems.append(Phrase("the newest entries are missing: the chain ends before its recorded head"))
    count = db.session.scalar(select(func.count(AuditEntry.id))) or 0
    problems += checkpoints.contradictions(known, hashes, expected_sequence - 1, count)
    return problems
