"""The append-only audit trail: who did what, when, with the data before and after."""

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

GENESIS_HASH = "0" * 64

# What each entry's HMAC covers: everything it says, and the previous entry's HMAC.
CHAINED_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "subject_type",
    "subject_id",
    "firm_id",
    "before",
    "after",
    "note",
    "previous_hash",
)


def canonical(fields: Mapping) -> str:
    """One exact text for an entry's fields (from a model or a bare row), so the hash is stable."""
    values = {name: fields[name] for name in CHAINED_FIELDS}
    at = values["at"]
    # SQLite hands back naive datetimes; the hash is over the UTC time either way.
    values["at"] = (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()
    return json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))


def keyed_hash(key: bytes, text: str) -> str:
    """HMAC-SHA256 under the audit key: without the key nobody can make one that verifies."""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def audit_key() -> bytes:
    """AUDIT_KEY from the configuration (the environment in production), never from the database."""
    return current_app.config["AUDIT_KEY"].encode()


def legacy_hash(text: str) -> str:
    """The plain SHA-256 entries carried before the chain was keyed (read by the re-keying only)."""
    return hashlib.sha256(text.encode()).hexdigest()


class AuditEntry(db.Model):
    """One recorded act; `entry_hash` is an HMAC over the entry and the previous one, so edits show."""

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
        return canonical({name: getattr(self, name) for name in CHAINED_FIELDS})

    def compute_hash(self, key: bytes) -> str:
        return keyed_hash(key, self.canonical())


class AuditHead(db.Model):
    """A single row holding the chain's tip; updating it first serialises writers on any database."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
