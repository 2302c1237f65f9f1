"""A brand's sourcing need: what, how many, to which standard, and by when quotes are due; the firms
it invites, the sealed quotes firms send, and the files attached to either."""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, Numeric, String, Table, Text, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, enum_type
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.taxonomy.units import usual_unit_of_row
from portal.timeutil import utcnow

# Currencies a need's target price and a quote may be in (ISO 4217 codes).
CURRENCIES = ("USD", "PKR", "EUR", "CNY")


class NeedStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    AWARDED = "awarded"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return NEED_STATUS_LABELS[self]

    @property
    def badge(self) -> str:
        """The colour of this status's badge (a Bootstrap colour name)."""
        return NEED_STATUS_BADGES[self]

    @property
    def is_draft(self) -> bool:
        """Not published: only its owner (and staff) see it."""
        return self == NeedStatus.DRAFT

    @property
    def is_before_close(self) -> bool:
        """A draft, or taking quotes: the brand may still change it and its quotes stay sealed."""
        return self in (NeedStatus.DRAFT, NeedStatus.OPEN)

    @property
    def is_awarded(self) -> bool:
        """The brand chose among the quotes: the award is final."""
        return self == NeedStatus.AWARDED


NEED_STATUS_LABELS = {
    NeedStatus.DRAFT: _l("Draft"),
    NeedStatus.OPEN: _l("Open"),
    NeedStatus.CLOSED: _l("Closed"),
    NeedStatus.AWARDED: _l("Awarded"),
    NeedStatus.CANCELLED: _l("Cancelled"),
}
NEED_STATUS_BADGES = {
    NeedStatus.DRAFT: "secondary",
    NeedStatus.OPEN: "success",
    NeedStatus.CLOSED: "info",
    NeedStatus.AWARDED: "primary",
    NeedStatus.CANCELLED: "dark",
}


class NeedVisibility(enum.StrEnum):
    OPEN = "open"  # every verified firm in the category
    INVITED = "invited"  # invited firms only


class QuoteStatus(enum.StrEnum):
    SENT = "sent"
    REVISED = "revised"
    WITHDRAWN = "withdrawn"
    AWARDED = "awarded"
    NOT_SELECTED = "not_selected"

    @property
    def label(self):
        return QUOTE_STATUS_LABELS[self]

    @property
    def badge(self) -> str:
        """The colour of this status's badge (a Bootstrap colour name)."""
        return QUOTE_STATUS_BADGES[self]


QUOTE_STATUS_LABELS = {
    QuoteStatus.SENT: _l("Sent"),
    QuoteStatus.REVISED: _l("Revised"),
    QuoteStatus.WITHDRAWN: _l("Withdrawn"),
    QuoteStatus.AWARDED: _l("Awarded"),
    QuoteStatus.NOT_SELECTED: _l("Not selected"),
}
QUOTE_STATUS_BADGES = {
    QuoteStatus.SENT: "info",
    QuoteStatus.REVISED: "info",
    QuoteStatus.WITHDRAWN: "secondary",
    QuoteStatus.AWARDED: "success",
    QuoteStatus.NOT_SELECTED: "dark",
}


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
    # One of the category's units (portal.taxonomy.units); None only if the category lost it since.
    quantity_unit: Mapped[str | None] = mapped_column(String(30), default=usual_unit_of_row)
    target_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    delivery_province: Mapped[str | None] = mapped_column(String(60))
    start_date: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    visibility: Mapped[NeedVisibility] = mapped_column(enum_type(NeedVisibility), default=NeedVisibility.OPEN)
    status: Mapped[NeedStatus] = mapped_column(enum_type(NeedStatus), default=NeedStatus.DRAFT, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # When the need stopped taking quotes (closed by the brand or at its deadline): quotes unseal.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    awarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    owner = relationship("User")
    category: Mapped[ComponentCategory] = relationship()
    required_certifications: Mapped[list[CertificationType]] = relationship(
        secondary=need_certification, order_by="CertificationType.name"
    )
    processes: Mapped[list[Process]] = relationship(secondary=need_process, order_by="Process.name")
    attachments: Mapped[list["NeedAttachment"]] = relationship(
        primaryjoin="and_(SourcingNeed.id == NeedAttachment.need_id, NeedAttachment.quote_id.is_(None))",
        order_by="NeedAttachment.id",
        viewonly=True,
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_invited_only(self) -> bool:
        """Only the firms the brand invited see it; otherwise every verified firm in its category."""
        return self.visibility == NeedVisibility.INVITED

    @property
    def feature_list(self) -> list[str]:
        return [line.strip() for line in (self.features or "").splitlines() if line.strip()]

    @hybrid_method
    def is_accepting_quotes(self, day: date) -> bool:
        """Open, and the deadline (the last day quotes are taken) has not passed on `day`."""
        return self.status == NeedStatus.OPEN and self.deadline >= day

    @is_accepting_quotes.inplace.expression
    @classmethod
    def _is_accepting_quotes_expression(cls, day: date):
        return and_(cls.status == NeedStatus.OPEN, cls.deadline >= day)


class NeedInvitation(db.Model):
    """A brand asks one firm to quote; invited firms see an invited-only need once it is open."""

    __tablename__ = "need_invitation"
    __table_args__ = (UniqueConstraint("need_id", "firm_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (need_id, firm_id) constraint's index serves lookups by need.
    need_id: Mapped[int] = mapped_column(ForeignKey("sourcing_need.id", ondelete="CASCADE"))
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the firm said it will not quote: an answer, as a quote is (responsiveness counts both).
    declined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    need: Mapped[SourcingNeed] = relationship()
    firm = relationship("Firm")


class Quote(db.Model):
    """One firm's sealed offer on a need: revised in place until the deadline, one per firm."""

    __tablename__ = "quote"
    __table_args__ = (UniqueConstraint("need_id", "firm_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (need_id, firm_id) constraint's index serves lookups by need.
    need_id: Mapped[int] = mapped_column(ForeignKey("sourcing_need.id", ondelete="CASCADE"))
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    currency: Mapped[str] = mapped_column(String(3))
    min_order_quantity: Mapped[int] = mapped_column(Integer)
    lead_time_days: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[QuoteStatus] = mapped_column(enum_type(QuoteStatus), default=QuoteStatus.SENT)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    need: Mapped[SourcingNeed] = relationship()
    firm = relationship("Firm")
    attachments: Mapped[list["NeedAttachment"]] = relationship(
        back_populates="quote", order_by="NeedAttachment.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def price_text(self) -> str:
        """The unit price without trailing zeros: 1.2500 reads 1.25."""
        return f"{self.unit_price:,.4f}".rstrip("0").rstrip(".")

    @property
    def is_live(self) -> bool:
        """Counted and compared: every quote except a withdrawn one."""
        return self.status != QuoteStatus.WITHDRAWN

    @property
    def is_decided(self) -> bool:
        """The need was awarded: this quote was chosen or not selected."""
        return self.status in (QuoteStatus.AWARDED, QuoteStatus.NOT_SELECTED)


class NeedAttachment(db.Model):
    """A drawing or specification on a need (quote_id empty), or a document sent with a quote.

    Stored outside `static/` and served only through views that apply the need's or the quote's
    visibility rule, always as a download.
    """

    __tablename__ = "need_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("sourcing_need.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    quote: Mapped[Quote | None] = relationship(back_populates="attachments")

    @classmethod
    def from_upload(cls, stored, need_id: int, by) -> "NeedAttachment":
        """The row for a file `uploads.store` accepted, uploaded by `by`."""
        return cls(need_id=need_id, **stored.columns(), uploaded_by_id=by.id)
