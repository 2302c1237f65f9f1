"""The append-only audit trail: who did what, when, with the data before and after."""

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

GENESIS_HASH = "0" * 64


class AuditEntry(db.Model):
    """One recorded act; `entry_hash` covers the entry and the previous hash, so edits show."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(String(254), default="system")
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    firm_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    note: Mapped[str] = mapped_column(Text, default="")
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    actor = relationship("User")

    def canonical(self) -> str:
        return json.dumps(
            {
                "sequence": self.sequence,
                # SQLite hands back naive datetimes; the hash is over the UTC time either way.
                "at": (self.at if self.at.tzinfo else self.at.replace(tzinfo=UTC)).isoformat(),
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "action": self.action,
                "subject_type": self.subject_type,
                "subject_id": self.subject_id,
                "firm_id": self.firm_id,
                "before": self.before,
                "after": self.after,
                "note": self.note,
                "previous_hash": self.previous_hash,
            },
            sort_keys=True,
            default=str,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()


class AuditHead(db.Model):
    """A single row holding the chain's tip; updating it first serialises writers on any database."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
