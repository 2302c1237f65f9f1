"""A claim on an unowned firm, with its evidence and the staff decision."""

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, enum_type
from portal.timeutil import utcnow


class ClaimMethod(enum.StrEnum):
    EMAIL = "email"  # an address on the firm's website domain, confirmed by a link
    DOCUMENT = "document"  # e.g. a registration certificate naming the claimant


class ClaimStatus(enum.StrEnum):
    AWAITING_EMAIL = "awaiting_email"
    PENDING = "pending"  # evidence complete, waiting for staff
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (ClaimStatus.AWAITING_EMAIL, ClaimStatus.PENDING)


class FirmClaim(db.Model):
    __tablename__ = "firm_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    method: Mapped[ClaimMethod] = mapped_column(enum_type(ClaimMethod))
    position: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    email_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    document_path: Mapped[str | None] = mapped_column(String(200))
    document_name: Mapped[str | None] = mapped_column(String(200))
    document_mime: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[ClaimStatus] = mapped_column(enum_type(ClaimStatus), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the evidence was complete: the claim's place in the review queue.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    firm = relationship("Firm")
    user = relationship("User", foreign_keys=[user_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_by_email(self) -> bool:
        """The evidence is an address on the firm's website domain (otherwise a document)."""
        return self.method == ClaimMethod.EMAIL

    @property
    def is_awaiting_email(self) -> bool:
        """The link sent to the address has not been followed yet: staff cannot decide it yet."""
        return self.status == ClaimStatus.AWAITING_EMAIL

    @property
    def is_awaiting_decision(self) -> bool:
        """The evidence is complete and staff have not approved or rejected it yet."""
        return self.status == ClaimStatus.PENDING

    @property
    def is_approved(self) -> bool:
        """Staff approved it: the claimant runs the listing."""
        return self.status == ClaimStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == ClaimStatus.REJECTED
