"""A brand's BOM plan, its versions and lines, and the mappings the brand taught the planner."""

import enum
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, enum_type
from portal.timeutil import utcnow


class MappingSource(enum.StrEnum):
    """Where a line's category came from."""

    GIVEN = "given"  # the file's category column named it
    REMEMBERED = "remembered"  # the brand corrected the same description before
    UNDERSTOOD = "understood"  # read from the words by the portal's search understanding
    CONFIRMED = "confirmed"  # the brand confirmed the reading
    CORRECTED = "corrected"  # the brand chose another category
    NONE = "none"  # nothing in the words names a category

    @property
    def is_read_from_words(self) -> bool:
        """The portal read the category from the words: shown with its confidence and evidence."""
        return self == MappingSource.UNDERSTOOD

    @property
    def label(self) -> str:
        """Where a category not read from the words came from, as the brand reads it."""
        return str(MAPPING_SOURCE_LABELS[self])


MAPPING_SOURCE_LABELS = {
    MappingSource.GIVEN: _l("named in the file"),
    MappingSource.REMEMBERED: _l("as you chose before"),
    MappingSource.CONFIRMED: _l("confirmed"),
    MappingSource.CORRECTED: _l("chosen by you"),
}


class BomPlan(db.Model):
    """A plan: the brand's BOM for one device, edited in its working version and saved as versions."""

    __tablename__ = "bom_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="USD")  # the currency shares are summed in
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    owner = relationship("User")
    versions: Mapped[list["BomVersion"]] = relationship(
        back_populates="plan", order_by="BomVersion.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def working(self) -> "BomVersion":
        """The version being edited: the newest, never saved."""
        return self.versions[-1]

    @property
    def saved_versions(self) -> list["BomVersion"]:
        return [v for v in self.versions if v.saved_at is not None]


class BomVersion(db.Model):
    """The plan's lines as they stood: the working version, or one the brand saved to compare later."""

    __tablename__ = "bom_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("bom_plan.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Local content as it stood when saved (percent), so a comparison shows how it moved.
    value_share: Mapped[float | None] = mapped_column(Float)
    line_share: Mapped[float | None] = mapped_column(Float)

    plan: Mapped[BomPlan] = relationship(back_populates="versions")
    lines: Mapped[list["BomLine"]] = relationship(
        back_populates="bom_version", order_by="BomLine.position", cascade="all, delete-orphan"
    )


class BomLine(db.Model):
    """One part of the device: what it is, how many a device takes, what it costs, and its category."""

    __tablename__ = "bom_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("bom_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(40), default="")  # the brand's own line number
    description: Mapped[str] = mapped_column(String(300))
    specification: Mapped[str] = mapped_column(Text, default="")
    given_category: Mapped[str] = mapped_column(String(120), default="")  # as the file wrote it
    quantity_per_device: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 6))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    devices_per_month: Mapped[int] = mapped_column(Integer)
    category_slug: Mapped[str | None] = mapped_column(ForeignKey("component_category.slug"))
    mapping_source: Mapped[MappingSource] = mapped_column(enum_type(MappingSource), default=MappingSource.NONE)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1, see mapping.py
    # The words that supported the category, and the runner-up, as shown beside the confidence.
    evidence: Mapped[str] = mapped_column(String(300), default="")
    need_id: Mapped[int | None] = mapped_column(ForeignKey("sourcing_need.id", ondelete="SET NULL"))

    bom_version: Mapped[BomVersion] = relationship(back_populates="lines")
    category = relationship("ComponentCategory")
    need = relationship("SourcingNeed")

    @property
    def monthly_quantity(self) -> int:
        """What the line asks of a supplier each month: quantity per device × devices per month."""
        return int(self.quantity_per_device * self.devices_per_month)

    @property
    def cost_per_device(self) -> Decimal | None:
        """The line's value in one device, in the line's currency."""
        return None if self.unit_cost is None else self.unit_cost * self.quantity_per_device

    @property
    def is_settled(self) -> bool:
        """The brand confirmed or chose the category (or gave it, or taught it before)."""
        return self.mapping_source in (
            MappingSource.GIVEN, MappingSource.REMEMBERED, MappingSource.CONFIRMED, MappingSource.CORRECTED
        )  # fmt: skip


class BomMapping(db.Model):
    """A correction the brand made, remembered for its next BOM: this description means this category."""

    __tablename__ = "bom_mapping"
    __table_args__ = (UniqueConstraint("owner_id", "description_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    description_key: Mapped[str] = mapped_column(String(300))  # mapping.description_key of the words
    category_slug: Mapped[str] = mapped_column(ForeignKey("component_category.slug"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
