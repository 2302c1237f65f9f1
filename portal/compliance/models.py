"""Compliance cases against firms, their notes and documents, and each firm's incentive and licence standing."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, enum_type
from portal.suppliers.models import Firm
from portal.timeutil import utcnow


class CaseKind(enum.StrEnum):
    FALSE_CERTIFICATE = "false_certificate"  # a false or expired certificate was used
    MISREPORTED_CAPACITY = "misreported_capacity"
    INCENTIVE_BREACH = "incentive_breach"  # a condition attached to an incentive was breached
    LICENCE_BREACH = "licence_breach"


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(CASE_STATUS_LABELS[self])


CASE_STATUS_LABELS = {CaseStatus.OPEN: _l("Open"), CaseStatus.CLOSED: _l("Closed")}


class CaseOutcome(enum.StrEnum):
    NO_VIOLATION = "no_violation"
    WARNING_ISSUED = "warning_issued"
    INCENTIVE_WITHDRAWN = "incentive_withdrawn"
    LICENCE_SUSPENDED = "licence_suspended"
    LISTING_SUSPENDED = "listing_suspended"
    OTHER = "other"


class MeasureStatus(enum.StrEnum):
    """What the incentive and the licence statuses share: active, under review, or the measure
    applied (withdrawn or suspended). Each subclass names its members `ACTIVE` and `UNDER_REVIEW`."""

    @property
    def is_active(self) -> bool:
        """No EDB measure applies: the firm has its incentives or may import under its licence."""
        return self is type(self).ACTIVE

    @property
    def is_under_review(self) -> bool:
        """EDB is looking into it; nothing changes for matching meanwhile."""
        return self is type(self).UNDER_REVIEW

    @property
    def badge(self) -> str:
        """The colour a badge or notice of this status takes: green active, amber under review,
        red when the measure applies."""
        return "success" if self.is_active else "warning" if self.is_under_review else "danger"


class IncentiveStatus(MeasureStatus):
    ACTIVE = "active"
    UNDER_REVIEW = "under_review"
    WITHDRAWN = "withdrawn"


class LicenceStatus(MeasureStatus):
    ACTIVE = "active"
    UNDER_REVIEW = "under_review"
    SUSPENDED = "suspended"


class ComplianceCase(db.Model):
    """One suspected violation by one firm, from opening to its outcome.

    `version` is bumped by every change to the case (a note or document touches `updated_at`), so a
    reviewer acting on a page that someone else changed meanwhile is refused instead of overwriting.
    """

    __tablename__ = "compliance_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: a firm with compliance history must not disappear with it.
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    kind: Mapped[CaseKind] = mapped_column(enum_type(CaseKind), index=True)
    status: Mapped[CaseStatus] = mapped_column(enum_type(CaseStatus), default=CaseStatus.OPEN)
    summary: Mapped[str] = mapped_column(Text)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outcome: Mapped[CaseOutcome | None] = mapped_column(enum_type(CaseOutcome))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    firm: Mapped[Firm] = relationship()
    opened_by = relationship("User", foreign_keys=[opened_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    notes: Mapped[list["CaseNote"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseNote.id"
    )
    documents: Mapped[list["CaseDocument"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseDocument.id"
    )

    __mapper_args__ = {"version_id_col": version}
    # The case list shows open cases first, newest first.
    __table_args__ = (Index("ix_compliance_case_status_opened", "status", "opened_at"),)

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseNote(db.Model):
    __tablename__ = "compliance_case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("compliance_case.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[ComplianceCase] = relationship(back_populates="notes")
    author = relationship("User")


class CaseDocument(db.Model):
    """Evidence kept with a case; stored outside `static/` and served to staff only, as a download."""

    __tablename__ = "compliance_case_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("compliance_case.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[ComplianceCase] = relationship(back_populates="documents")
    uploaded_by = relationship("User")


class FirmStanding(db.Model):
    """A firm's incentive and import-licence status: one row per firm, with a column group per measure.

    One row, not a history table: the matching rule reads one row per firm (or one join for a batch),
    and the history is already kept by the audit trail, which records every change with its before
    and after. A table of its own, not columns on `firm`: compliance changes then do not bump the
    listing's version (a reviewer deciding the listing is not refused because of them), and they
    stay out of the firm's own edit forms and the search index.

    A status applies from its `since` date up to, not including, its `until` date (open-ended when
    blank); outside those dates the firm counts as active. A firm without a row is active on both.
    """

    __tablename__ = "firm_standing"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), unique=True)
    incentive_status: Mapped[IncentiveStatus] = mapped_column(
        enum_type(IncentiveStatus), default=IncentiveStatus.ACTIVE
    )
    incentive_since: Mapped[date | None] = mapped_column(Date)
    incentive_until: Mapped[date | None] = mapped_column(Date)
    incentive_case_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_case.id"))
    # Staff's reason for the status, as the firm reads it in its notice and on its pages.
    incentive_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    licence_status: Mapped[LicenceStatus] = mapped_column(enum_type(LicenceStatus), default=LicenceStatus.ACTIVE)
    licence_since: Mapped[date | None] = mapped_column(Date)
    licence_until: Mapped[date | None] = mapped_column(Date)
    licence_case_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_case.id"))
    licence_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    firm: Mapped[Firm] = relationship()
    incentive_case = relationship(ComplianceCase, foreign_keys=[incentive_case_id])
    licence_case = relationship(ComplianceCase, foreign_keys=[licence_case_id])

    __mapper_args__ = {"version_id_col": version}
