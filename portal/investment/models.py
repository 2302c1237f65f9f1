"""Investment opportunities posted by local firms, investors' profiles, and each investor's
interest in an opportunity with its private thread and the stages it went through."""

import enum
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, enum_type
from portal.suppliers.models import Firm
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import utcnow

# Amounts up to 10^13 fit Numeric(16, 2) in every currency the portal offers (PKR included).
MAX_AMOUNT = Decimal("9999999999999")


class Purpose(enum.StrEnum):
    CAPACITY_EXPANSION = "capacity_expansion"
    NEW_COMPONENT_LINE = "new_component_line"
    JOINT_VENTURE = "joint_venture"
    TECHNOLOGY_LICENCE = "technology_licence"
    EQUIPMENT_FINANCE = "equipment_finance"


class Instrument(enum.StrEnum):
    EQUITY = "equity"
    DEBT = "debt"
    JOINT_VENTURE = "jv"
    LICENCE = "licence"


class Stage(enum.StrEnum):
    """How far the venture is: an idea, a pilot line, an operating line, or scaling up."""

    IDEA = "idea"
    PILOT = "pilot"
    OPERATING = "operating"
    SCALING = "scaling"


class OpportunityStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return OPPORTUNITY_STATUS_LABELS[self]

    @property
    def badge(self) -> str:
        """The colour of this status's badge (a Bootstrap colour name)."""
        return OPPORTUNITY_STATUS_BADGES[self]

    @property
    def is_published(self) -> bool:
        """Staff approved it; investors find it while its firm is listed (`rules.is_listed`)."""
        return self == OpportunityStatus.PUBLISHED

    @property
    def was_sent_back(self) -> bool:
        """Staff asked for changes or did not accept it: the firm reads their reason."""
        return self in (OpportunityStatus.CHANGES_REQUESTED, OpportunityStatus.REJECTED)


OPPORTUNITY_STATUS_LABELS = {
    OpportunityStatus.DRAFT: _l("Draft"),
    OpportunityStatus.SUBMITTED: _l("Waiting for EDB review"),
    OpportunityStatus.PUBLISHED: _l("Published"),
    OpportunityStatus.CHANGES_REQUESTED: _l("Changes requested"),
    OpportunityStatus.REJECTED: _l("Not accepted"),
    OpportunityStatus.CLOSED: _l("Closed"),
    OpportunityStatus.WITHDRAWN: _l("Withdrawn"),
}
OPPORTUNITY_STATUS_BADGES = {
    OpportunityStatus.DRAFT: "secondary",
    OpportunityStatus.SUBMITTED: "info",
    OpportunityStatus.PUBLISHED: "success",
    OpportunityStatus.CHANGES_REQUESTED: "warning",
    OpportunityStatus.REJECTED: "danger",
    OpportunityStatus.CLOSED: "dark",
    OpportunityStatus.WITHDRAWN: "dark",
}


class DealStage(enum.StrEnum):
    """Where an investor's interest stands; `declined` ends it at any point."""

    INTEREST = "interest"
    NDA = "nda"
    DUE_DILIGENCE = "due_diligence"
    TERM_SHEET = "term_sheet"
    CLOSED = "closed"
    DECLINED = "declined"

    @property
    def is_closed(self) -> bool:
        """The deal was closed as agreed: only the amount committed can still be recorded."""
        return self == DealStage.CLOSED

    @property
    def is_declined(self) -> bool:
        """Either side ended the talks: final, and the data room and contacts close again."""
        return self == DealStage.DECLINED


DEAL_STAGE_LABELS = {
    DealStage.INTEREST: _l("Interest"),
    DealStage.NDA: _l("NDA"),
    DealStage.DUE_DILIGENCE: _l("Due diligence"),
    DealStage.TERM_SHEET: _l("Term sheet"),
    DealStage.CLOSED: _l("Closed"),
    DealStage.DECLINED: _l("Declined"),
}


opportunity_category = Table(
    "opportunity_category",
    db.metadata,
    Column("opportunity_id", ForeignKey("investment_opportunity.id", ondelete="CASCADE"), primary_key=True),
    Column("category_slug", ForeignKey("component_category.slug"), primary_key=True, index=True),
)


class Opportunity(db.Model):
    """A firm seeking capital, a partner or a licence; public once EDB staff approve it."""

    __tablename__ = "investment_opportunity"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[Purpose] = mapped_column(enum_type(Purpose))
    amount_min: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    amount_max: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    instruments: Mapped[list[str]] = mapped_column(JSON, default=list)
    stage: Mapped[Stage] = mapped_column(enum_type(Stage))
    use_of_funds: Mapped[str] = mapped_column(Text, default="")
    show_amount: Mapped[bool] = mapped_column(default=False)
    status: Mapped[OpportunityStatus] = mapped_column(
        enum_type(OpportunityStatus), default=OpportunityStatus.DRAFT, index=True
    )
    review_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    firm: Mapped[Firm] = relationship()
    categories: Mapped[list[ComponentCategory]] = relationship(
        secondary=opportunity_category, order_by="ComponentCategory.name"
    )
    documents: Mapped[list["OpportunityDocument"]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="OpportunityDocument.id"
    )
    interests: Mapped[list["Interest"]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="Interest.id"
    )

    # Two reviewers deciding at once: the second UPDATE finds a newer version and fails.
    __mapper_args__ = {"version_id_col": version}


class OpportunityDocument(db.Model):
    """A file in the opportunity's data room: its firm, staff and consented investors only."""

    __tablename__ = "opportunity_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("investment_opportunity.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    opportunity: Mapped[Opportunity] = relationship(back_populates="documents")


class InvestorProfile(db.Model):
    """What an investor (or a brand that invests) looks for; matching reads it, firms see it when it fits."""

    __tablename__ = "investor_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    organisation: Mapped[str] = mapped_column(String(160))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    ticket_min: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    ticket_max: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    instruments: Mapped[list[str]] = mapped_column(JSON, default=list)
    provinces: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: anywhere
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: any stage
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    user = relationship("User")


class Interest(db.Model):
    """One investor's interest in one opportunity. The firm's acceptance is the investor's consent
    to the data room and the firm's contact details; either side then moves the deal forward."""

    __tablename__ = "investment_interest"
    __table_args__ = (UniqueConstraint("opportunity_id", "investor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("investment_opportunity.id", ondelete="CASCADE"), index=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    stage: Mapped[DealStage] = mapped_column(enum_type(DealStage), default=DealStage.INTEREST, index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Recorded by the firm once the deal is closed, in the opportunity's currency.
    committed_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    opportunity: Mapped[Opportunity] = relationship(back_populates="interests")
    investor = relationship("User")
    messages: Mapped[list["InterestMessage"]] = relationship(
        back_populates="interest", cascade="all, delete-orphan", order_by="InterestMessage.id"
    )
    stage_changes: Mapped[list["InterestStageChange"]] = relationship(
        back_populates="interest", cascade="all, delete-orphan", order_by="InterestStageChange.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def awaits_firm_answer(self) -> bool:
        """The investor expressed interest and the firm has neither accepted nor declined it yet."""
        return not self.accepted and self.stage == DealStage.INTEREST

    @property
    def firm_consented(self) -> bool:
        """The firm accepted and the deal was not declined since: what opens data room and contacts."""
        return self.accepted and not self.stage.is_declined

    @property
    def is_open(self) -> bool:
        return self.stage not in (DealStage.CLOSED, DealStage.DECLINED)


class InterestMessage(db.Model):
    """A message in an interest's thread, seen only by the investor and the firm's people."""

    __tablename__ = "interest_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(ForeignKey("investment_interest.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    interest: Mapped[Interest] = relationship(back_populates="messages")
    author = relationship("User")


class InterestStageChange(db.Model):
    """An interest entering a stage, with when and by whom: the pipeline figures count these."""

    __tablename__ = "interest_stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(ForeignKey("investment_interest.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[DealStage | None] = mapped_column(enum_type(DealStage))
    to_stage: Mapped[DealStage] = mapped_column(enum_type(DealStage), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    interest: Mapped[Interest] = relationship(back_populates="stage_changes")
