"""A brand user's named shortlist of firms and the note kept on each firm in it."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.suppliers.models import Firm
from portal.timeutil import utcnow


class Shortlist(db.Model):
    """Only its owner ever sees it; the firms on it are never told."""

    __tablename__ = "shortlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    entries: Mapped[list["ShortlistEntry"]] = relationship(
        back_populates="shortlist", cascade="all, delete-orphan", order_by="ShortlistEntry.id"
    )


class ShortlistEntry(db.Model):
    __tablename__ = "shortlist_entry"
    __table_args__ = (UniqueConstraint("shortlist_id", "firm_id", name="uq_shortlist_entry_firm"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlist.id", ondelete="CASCADE"), index=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    shortlist: Mapped[Shortlist] = relationship(back_populates="entries")
    firm: Mapped[Firm] = relationship()
