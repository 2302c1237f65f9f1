"""A brand's sourcing need: what, how many, to which standard, and by when quotes are due."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, enum_type
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.timeutil import utcnow


class NeedStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    AWARDED = "awarded"
    CANCELLED = "cancelled"


class NeedVisibility(enum.StrEnum):
    OPEN = "open"  # every verified firm in the category
    INVITED = "invited"  # invited firms only


need_certification = Table(
    "need_certification",
    db.metadata,
    Column("need_id", ForeignKey("sourcing_need.id", ondelete="CASCADE"), primary_key=True),
    Column("certification_slug", ForeignKey("certification_type.slug"), primary_key=True),
)
need_process = Table(
    "need_process",
    db.metadata,
    Column("need_id", ForeignKey("sourcing_need.id", ondelete="CASCADE"), primary_key=True),
    Column("process_slug", ForeignKey("process.slug"), primary_key=True),
)


class SourcingNeed(db.Model):
    __tablename__ = "sourcing_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(160), default="")
    title: Mapped[str] = mapped_column(String(200))
    category_slug: Mapped[str] = mapped_column(ForeignKey("component_category.slug"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Specification features, one per line, as the brand words them ("anti-fingerprint coating").
    features: Mapped[str] = mapped_column(Text, default="")
    quantity_per_month: Mapped[int] = mapped_column(Integer)
    target_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    delivery_province: Mapped[str | None] = mapped_column(String(60))
    start_date: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    visibility: Mapped[NeedVisibility] = mapped_column(enum_type(NeedVisibility), default=NeedVisibility.OPEN)
    status: Mapped[NeedStatus] = mapped_column(enum_type(NeedStatus), default=NeedStatus.DRAFT, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    owner = relationship("User")
    category: Mapped[ComponentCategory] = relationship()
    required_certifications: Mapped[list[CertificationType]] = relationship(
        secondary=need_certification, order_by="CertificationType.name"
    )
    processes: Mapped[list[Process]] = relationship(secondary=need_process, order_by="Process.name")

    __mapper_args__ = {"version_id_col": version}

    @property
    def feature_list(self) -> list[str]:
        return [line.strip() for line in (self.features or "").splitlines() if line.strip()]
