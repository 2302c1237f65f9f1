"""Re-keying the chain: once, when the trail moves from plain SHA-256 to HMAC under AUDIT_KEY
(migration 0025), and whenever the key is replaced (`flask audit rekey --previous-key-env`).

The trail is first checked under the hash it carries; a trail already broken is not re-keyed,
since re-keying would sign what was tampered with.
"""

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from portal.audit.models import CHAINED_FIELDS, GENESIS_HASH, AuditEntry, AuditHead, canonical, keyed_hash, legacy_hash


class BrokenTrail(RuntimeError):
    """The trail does not verify under its current hash, so it is left as it is."""


def _hash_under(key: bytes | None) -> Callable[[str], str]:
    return legacy_hash if key is None else (lambda text: keyed_hash(key, text))


def rekey(connection: Connection, new_key: bytes | None, old_key: bytes | None = None) -> int:
    """Recompute every entry's link and hash under `new_key`, after checking them under `old_key`
    (None: plain SHA-256, as before keying). Returns how many entries were re-keyed."""
    old_hash, new_hash = _hash_under(old_key), _hash_under(new_key)
    head = AuditHead.__table__
    # The head row's write lock first, as `audit.record` takes it: no entry is added meanwhile.
    connection.execute(update(head).where(head.c.id == 1).values(sequence=head.c.sequence))
    entries = AuditEntry.__table__
    columns = [entries.c.id, entries.c.entry_hash, *(entries.c[name] for name in CHAINED_FIELDS)]
    rows = connection.execute(select(*columns).order_by(entries.c.sequence)).mappings().all()
    broken, previous = [], GENESIS_HASH
    for row in rows:
        if row["previous_hash"] != previous or old_hash(canonical(row)) != row["entry_hash"]:
            broken.append(row["sequence"])
        previous = row["entry_hash"]
    if broken:
        shown = ", ".join(str(n) for n in broken[:20])
        raise BrokenTrail(
            f"the audit trail does not verify under its current hash at entries {shown}; nothing re-keyed"
        )
    previous = GENESIS_HASH
    for row in rows:
        fields = {**row, "previous_hash": previous}
        entry_hash = new_hash(canonical(fields))
        connection.execute(
            update(entries).where(entries.c.id == row["id"]).values(previous_hash=previous, entry_hash=entry_hash)
        )
        previous = entry_hash
    connection.execute(update(head).where(head.c.id == 1).values(last_hash=previous))
    return len(rows)
