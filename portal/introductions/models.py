"""An introduction between a brand user and a firm, its message thread and its stage history."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Text, and_, false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, enum_type
from portal.needs.models import SourcingNeed
from portal.suppliers.models import Firm
from portal.timeutil import utcnow


class Stage(enum.StrEnum):
    """Where an introduction stands, in the order it moves (declined or withdrawn ends a request instead)."""

    REQUESTED = "requested"
    INTRODUCED = "introduced"
    IN_TALKS = "in_talks"
    SAMPLES = "samples"
    ORDER_PLACED = "order_placed"
    CLOSED = "closed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def badge(self) -> str:
        """The colour of this status's badge (a Bootstrap colour name)."""
        return STAGE_BADGES[self]


class Outcome(enum.StrEnum):
    ORDER_WON = "order_won"
    NO_DEAL = "no_deal"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


class BrokerOutcome(enum.StrEnum):
    """What EDB staff found when they contacted a firm nobody runs on the portal for a brand."""

    INTERESTED = "interested"  # the firm wants to talk: staff pass on the request and invite it to claim
    NOT_INTERESTED = "not_interested"
    UNREACHABLE = "unreachable"

    @property
    def label(self) -> str:
        return BROKER_OUTCOME_LABELS[self]


BROKER_OUTCOME_LABELS = {
    BrokerOutcome.INTERESTED: _l("The firm is interested"),
    BrokerOutcome.NOT_INTERESTED: _l("The firm is not interested"),
    BrokerOutcome.UNREACHABLE: _l("EDB could not reach the firm"),
}
# Outcomes that end the request (the firm will not answer it on the portal).
ENDING_BROKER_OUTCOMES = (BrokerOutcome.NOT_INTERESTED, BrokerOutcome.UNREACHABLE)


STAGE_LABELS = {
    Stage.REQUESTED: _l("Requested"),
    Stage.INTRODUCED: _l("Introduced"),
    Stage.IN_TALKS: _l("In talks"),
    Stage.SAMPLES: _l("Samples"),
    Stage.ORDER_PLACED: _l("Order placed"),
    Stage.CLOSED: _l("Closed"),
    Stage.DECLINED: _l("Declined"),
    Stage.WITHDRAWN: _l("Withdrawn"),
}
STAGE_BADGES = {
    Stage.REQUESTED: "warning",
    Stage.INTRODUCED: "info",
    Stage.IN_TALKS: "primary",
    Stage.SAMPLES: "primary",
    Stage.ORDER_PLACED: "success",
    Stage.CLOSED: "secondary",
    Stage.DECLINED: "danger",
    Stage.WITHDRAWN: "secondary",
}
OUTCOME_LABELS = {Outcome.ORDER_WON: _l("Order won"), Outcome.NO_DEAL: _l("No deal")}


# The forward order; DECLINED and WITHDRAWN stand outside it (each can only follow REQUESTED).
STAGE_ORDER = (Stage.REQUESTED, Stage.INTRODUCED, Stage.IN_TALKS, Stage.SAMPLES, Stage.ORDER_PLACED, Stage.CLOSED)
# Stages after acceptance and before closing: the two sides talk and move it forward.
ACTIVE_STAGES = (Stage.INTRODUCED, Stage.IN_TALKS, Stage.SAMPLES, Stage.ORDER_PLACED)
ENDED_STAGES = (Stage.CLOSED, Stage.DECLINED, Stage.WITHDRAWN)


class Introduction(db.Model):
    """A brand user's request to meet a firm, optionally about one of the brand's sourcing needs.

    `open_key` is "brand:firm:need" while the introduction is pending or active and NULL once it
    ended; its unique constraint keeps one open introduction per pair even when two requests race.
    `version` refuses an answer or stage move made on a page someone else changed meanwhile.
    """

    __tablename__ = "introduction"
    __table_args__ = (Index("ix_introduction_stage_requested", "stage", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The brand's organisation as it was named when asking (what the firm sees before accepting).
    organisation: Mapped[str] = mapped_column(String(160), default="")
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("sourcing_need.id", ondelete="SET NULL"), index=True)
    message: Mapped[str] = mapped_column(Text)
    stage: Mapped[Stage] = mapped_column(enum_type(Stage), default=Stage.REQUESTED)
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome))
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")
    open_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Nobody ran the firm's listing when the brand asked: EDB staff broker the request off-line and
    # record what came of it (who did is in the audit trail).
    brokered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    broker_outcome: Mapped[BrokerOutcome | None] = mapped_column(enum_type(BrokerOutcome))
    broker_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    broker_answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    brand_user = relationship("User", foreign_keys=[brand_user_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    firm: Mapped[Firm] = relationship()
    need: Mapped[SourcingNeed | None] = relationship()
    messages: Mapped[list["IntroductionMessage"]] = relationship(
        back_populates="introduction", cascade="all, delete-orphan", order_by="IntroductionMessage.id"
    )
    stage_changes: Mapped[list["StageChange"]] = relationship(
        back_populates="introduction", cascade="all, delete-orphan", order_by="StageChange.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_pending(self) -> bool:
        return self.stage == Stage.REQUESTED

    @property
    def is_active(self) -> bool:
        return self.stage in ACTIVE_STAGES

    @property
    def is_declined(self) -> bool:
        """The firm (or EDB staff, brokering for it) said no: final, and no contact details were shared."""
        return self.stage == Stage.DECLINED

    @property
    def is_withdrawn(self) -> bool:
        """The brand took the request back before the firm answered: final, like a decline."""
        return self.stage == Stage.WITHDRAWN

    @hybrid_property
    def was_accepted(self) -> bool:
        """The firm answered and did not decline; a withdrawal is no answer. Queries use the same rule."""
        return self.answered_at is not None and self.stage != Stage.DECLINED

    @was_accepted.inplace.expression
    @classmethod
    def _was_accepted_expression(cls):
        return and_(cls.answered_at.is_not(None), cls.stage != Stage.DECLINED)

    @property
    def withdrawn_at(self) -> datetime | None:
        """When the brand withdrew the request: the last step of its history, withdrawal being final."""
        if not self.is_withdrawn:
            return None
        return self.stage_changes[-1].at


class IntroductionMessage(db.Model):
    """One message in an introduction's thread, written after the firm accepted."""

    __tablename__ = "introduction_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introduction.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    introduction: Mapped[Introduction] = relationship(back_populates="messages")
    author = relationship("User")


class StageChange(db.Model):
    """One step of an introduction's life: who moved it from which stage to which, and when."""

    __tablename__ = "introduction_stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introduction.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[Stage | None] = mapped_column(enum_type(Stage))
    to_stage: Mapped[Stage] = mapped_column(enum_type(Stage))
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    introduction: Mapped[Introduction] = relationship(back_populates="stage_changes")
    actor = relationship("User")
