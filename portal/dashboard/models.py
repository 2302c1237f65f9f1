"""Monthly snapshots of the localization figures, so progress can be shown over time."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.suppliers.models import Capability, Certificate, Firm
from portal.timeutil import utcnow

WHOLE_COUNTRY = ""  # the `province` of a snapshot row that covers every province


class MetricSnapshot(db.Model):
    """One category's figures for one month, for the whole country or one province.

    Re-taking a month's snapshot updates its rows (the unique constraint keeps one per month,
    category and province); `province` is a plain empty string for the whole country, not NULL,
    because NULLs never collide in a unique constraint.
    """

    __tablename__ = "metric_snapshot"
    __table_args__ = (UniqueConstraint("month", "category_slug", "province"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    category_slug: Mapped[str] = mapped_column(ForeignKey("component_category.slug"), index=True)
    province: Mapped[str] = mapped_column(String(60), default=WHOLE_COUNTRY)
    verified_suppliers: Mapped[int] = mapped_column(Integer, default=0)
    open_needs: Mapped[int] = mapped_column(Integer, default=0)
    unserved_needs: Mapped[int] = mapped_column(Integer, default=0)
    # None when no open need of the category asked for a certification.
    certified_suppliers: Mapped[int | None] = mapped_column(Integer)
    awarded_needs: Mapped[int] = mapped_column(Integer, default=0)
    jobs: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


UNIT_NOT_STATED = ""  # the `unit` of a snapshot line for capabilities whose unit waits to be chosen


class MetricSnapshotUnit(db.Model):
    """One category's capacity and demand in one unit, for one month and the country or a province:
    units are never added together, so each has its own line."""

    __tablename__ = "metric_snapshot_unit"
    __table_args__ = (UniqueConstraint("month", "category_slug", "province", "unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    category_slug: Mapped[str] = mapped_column(ForeignKey("component_category.slug"), index=True)
    province: Mapped[str] = mapped_column(String(60), default=WHOLE_COUNTRY)
    unit: Mapped[str] = mapped_column(String(30))
    suppliers: Mapped[int] = mapped_column(Integer, default=0)
    monthly_capacity: Mapped[int] = mapped_column(BigInteger, default=0)
    open_needs: Mapped[int] = mapped_column(Integer, default=0)
    open_demand: Mapped[int] = mapped_column(BigInteger, default=0)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PhaseTarget(db.Model):
    """What staff expect of one localization phase: when it starts, when its targets are due, and
    the targets each of its categories is measured against (None: no target for that measure)."""

    __tablename__ = "phase_target"

    phase: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    local_share: Mapped[int | None] = mapped_column(Integer)  # percent of brands' open needs served locally
    verified_suppliers: Mapped[int | None] = mapped_column(Integer)
    certified_suppliers: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


# The dashboard aggregates over every firm on each view. These indexes hold every column its
# queries read, so they are answered from the indexes without reading the wide firm and
# capability rows (about half the time at 100,000 firms).
# merged_into_id is part of "public": without it here, every verified firm row is read to check it.
Index("ix_firm_live_province", Firm.status, Firm.suspended, Firm.merged_into_id, Firm.province)
Index(
    "ix_capability_supply",
    Capability.firm_id,
    Capability.review_status,
    Capability.category_slug,
    Capability.capacity_unit,
    Capability.board_area_mm2,
    Capability.monthly_capacity,
)
Index(
    "ix_certificate_holding",
    Certificate.type_slug,
    Certificate.review_status,
    Certificate.expiry_date,
    Certificate.firm_id,
)


class TradeImport(db.Model):
    """A year's imports under one HS code, as a named source (e.g. the national statistics
    bureau's trade tables) gives them: value in USD and, where the source counts it, quantity."""

    __tablename__ = "trade_import"
    __table_args__ = (UniqueConstraint("hs_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hs_code: Mapped[str] = mapped_column(String(20), index=True)
    year: Mapped[int] = mapped_column(Integer)
    value_usd: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int | None] = mapped_column(BigInteger)
    unit: Mapped[str | None] = mapped_column(String(30))  # a unit slug of portal/taxonomy/data/units.csv
    source: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
