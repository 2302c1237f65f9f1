"""What of an audit entry may be shown now. The trail keeps everything an act recorded, but a
quote's values (price, currency, quantities, lead time, notes, files) are sealed until its need
closes, for staff as for the brand (`needs.service.quotes_unsealed`). Every surface that renders
entries (the audit pages, the CSV, anything later) reads them through `readable()`, so the rule
holds in one place whichever surface asks.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.i18n import N_

QUOTE = "Quote"  # the subject type audit.record writes for a quote
SEALED = N_("Sealed until need %(need)s closes")


@dataclass(frozen=True)
class ReadableEntry:
    """An entry as it may be shown: sealed values left out, `sealed_need_id` saying why."""

    sequence: int
    at: datetime
    actor_label: str
    action: str
    subject_type: str
    subject_id: int | None
    firm_id: int | None
    before: dict | None
    after: dict | None
    note: str
    entry_hash: str
    sealed_need_id: int | None = None


def _still_sealed(entries: list[AuditEntry]) -> dict[int, int]:
    """Quote id: need id, for the quotes among `entries` whose need has not closed yet."""
    from portal.needs.models import Quote, SourcingNeed
    from portal.needs.service import quotes_unsealed

    quote_ids = {e.subject_id for e in entries if e.subject_type == QUOTE and e.subject_id is not None}
    if not quote_ids:
        return {}
    rows = db.session.execute(
        select(Quote.id, SourcingNeed)
        .join(SourcingNeed, SourcingNeed.id == Quote.need_id)
        .where(Quote.id.in_(quote_ids))
    )
    return {quote_id: need.id for quote_id, need in rows if not quotes_unsealed(need)}


def readable(entries: Iterable[AuditEntry]) -> list[ReadableEntry]:
    """The entries as they may be shown now, in the same order."""
    entries = list(entries)
    sealed = _still_sealed(entries)
    shown = []
    for entry in entries:
        need_id = sealed.get(entry.subject_id) if entry.subject_type == QUOTE else None
        hidden = need_id is not None
        shown.append(
            ReadableEntry(
                sequence=entry.sequence,
                at=entry.at,
                actor_label=entry.actor_label,
                action=entry.action,
                subject_type=entry.subject_type,
                subject_id=entry.subject_id,
                firm_id=entry.firm_id,
                before=None if hidden else entry.before,
                after=None if hidden else entry.after,
                note="" if hidden else entry.note,
                entry_hash=entry.entry_hash,
                sealed_need_id=need_id,
            )
        )
    return shown
