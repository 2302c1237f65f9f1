"""Local firms, the people who run their listing, what they make and the certificates they hold."""

import enum
import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.extensions import db, enum_type
from portal.lookalikes import skeleton
from portal.suppliers.rules import certificate_counts, days_until
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.taxonomy.units import usual_unit_of_row
from portal.timeutil import today, utcnow

# A verified firm's identity fields change only after review; the others apply at once (and are logged).
# Names shown publicly and who the firm is: a verified listing's changes to these wait for staff.
IDENTITY_FIELDS = ("legal_name", "trade_name", "city", "province", "ntn")
LOW_RISK_FIELDS = (
    "address",
    "website",
    "contact_email",
    "phone",
    "year_founded",
    "employees",
    "export_markets",
    "description",
)
PROFILE_FIELDS = IDENTITY_FIELDS + LOW_RISK_FIELDS


class ListingStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    VERIFIED = "verified"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(LISTING_STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        """The colour of this status's badge (a Bootstrap colour name)."""
        return LISTING_STATUS_BADGES[self]

    @property
    def is_draft(self) -> bool:
        """Not sent to EDB yet: only the firm's people see it."""
        return self == ListingStatus.DRAFT

    @property
    def is_awaiting_review(self) -> bool:
        """Sent to EDB staff, who verify it, ask for changes or reject it."""
        return self == ListingStatus.SUBMITTED

    @property
    def asks_for_changes(self) -> bool:
        """Staff sent it back with a reason per field; the firm edits and submits it again."""
        return self == ListingStatus.CHANGES_REQUESTED


LISTING_STATUS_LABELS = {
    ListingStatus.DRAFT: _l("Draft"),
    ListingStatus.SUBMITTED: _l("Submitted"),
    ListingStatus.CHANGES_REQUESTED: _l("Changes requested"),
    ListingStatus.VERIFIED: _l("Verified"),
    ListingStatus.REJECTED: _l("Rejected"),
}
LISTING_STATUS_BADGES = {
    ListingStatus.DRAFT: "secondary",
    ListingStatus.SUBMITTED: "info",
    ListingStatus.CHANGES_REQUESTED: "warning",
    ListingStatus.VERIFIED: "success",
    ListingStatus.REJECTED: "danger",
}


class ReviewStatus(enum.StrEnum):
    """Staff's verdict on one capability or certificate."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"

    @property
    def label(self):
        return REVIEW_STATUS_LABELS[self]

    @property
    def badge(self) -> str:
        """The colour of this status's badge (a Bootstrap colour name)."""
        return REVIEW_STATUS_BADGES[self]


REVIEW_STATUS_LABELS = {
    ReviewStatus.PENDING: _l("Awaiting EDB check"),
    ReviewStatus.VERIFIED: _l("Verified by EDB"),
    ReviewStatus.REJECTED: _l("Not accepted"),
}
REVIEW_STATUS_BADGES = {
    ReviewStatus.PENDING: "warning",
    ReviewStatus.VERIFIED: "success",
    ReviewStatus.REJECTED: "danger",
}


class MemberRole(enum.StrEnum):
    OWNER = "owner"
    EDITOR = "editor"

    @property
    def label(self) -> str:
        return str(_l("Owner") if self == MemberRole.OWNER else _l("Editor"))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "firm"


class Firm(db.Model):
    __tablename__ = "firm"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    trade_name: Mapped[str] = mapped_column(String(200), default="")
    # What each name reads as (`lookalikes.skeleton`), kept with the name, so a name a reader
    # could not tell from another public firm's is found by an indexed comparison.
    legal_name_skeleton: Mapped[str] = mapped_column(String(200), default="", index=True)
    trade_name_skeleton: Mapped[str] = mapped_column(String(200), default="", index=True)
    slug: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(60), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    year_founded: Mapped[int | None] = mapped_column(Integer)
    employees: Mapped[int | None] = mapped_column(Integer)
    export_markets: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    ntn: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[ListingStatus] = mapped_column(enum_type(ListingStatus), default=ListingStatus.DRAFT, index=True)
    suspended: Mapped[bool] = mapped_column(default=False, index=True)
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    # Staff's reasons when asking for changes: {field name: what to change}.
    review_reasons: Mapped[dict] = mapped_column(JSON, default=dict)
    # Identity changes (names, city, province, NTN) to a verified listing wait here for review.
    proposed: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    logo_path: Mapped[str | None] = mapped_column(String(200))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set while this record is a duplicate merged into another; it then shows nowhere.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("firm.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    # Oldest first, so the firm's founder leads its team on every database.
    members: Mapped[list["FirmMember"]] = relationship(
        back_populates="firm", cascade="all, delete-orphan", order_by="FirmMember.id"
    )
    capabilities: Mapped[list["Capability"]] = relationship(
        back_populates="firm", cascade="all, delete-orphan", order_by="Capability.id"
    )
    photos: Mapped[list["FirmPhoto"]] = relationship(
        back_populates="firm", cascade="all, delete-orphan", order_by="FirmPhoto.id"
    )
    certificates: Mapped[list["Certificate"]] = relationship(
        back_populates="firm", cascade="all, delete-orphan", order_by="Certificate.id"
    )
    # Read with the firm on its profile; written only by `portal.suppliers.responsiveness`.
    responsiveness: Mapped["FirmResponsiveness | None"] = relationship(viewonly=True)

    __mapper_args__ = {"version_id_col": version}
    # The public-listing test (verified and not suspended) runs on nearly every page.
    __table_args__ = (Index("ix_firm_public", "status", "suspended"),)

    @property
    def display_name(self) -> str:
        return self.trade_name or self.legal_name

    @validates("legal_name", "trade_name")
    def _keep_skeleton(self, name: str, value: str) -> str:
        setattr(self, f"{name}_skeleton", skeleton(value or "")[:200])
        return value

    @property
    def is_verified(self) -> bool:
        """Staff verified the listing (suspended or not): only such a listing can be suspended, and
        its identity changes wait for staff."""
        return self.status == ListingStatus.VERIFIED

    @hybrid_property
    def is_public(self) -> bool:
        """Only verified, unsuspended firms are shown in the directory, search, API and matches
        (and never a duplicate merged into another record)."""
        return self.status == ListingStatus.VERIFIED and not self.suspended and self.merged_into_id is None

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return and_(cls.status == ListingStatus.VERIFIED, cls.suspended.is_(False), cls.merged_into_id.is_(None))

    def valid_certificates(self, on: date | None = None) -> list["Certificate"]:
        return [c for c in self.certificates if c.is_valid_on(on)]

    def __repr__(self) -> str:
        return f"<Firm {self.id} {self.legal_name!r}>"


class FirmMember(db.Model):
    __tablename__ = "firm_member"
    __table_args__ = (UniqueConstraint("firm_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole), default=MemberRole.EDITOR)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    firm: Mapped[Firm] = relationship(back_populates="members")
    user = relationship("User")


capability_process = Table(
    "capability_process",
    db.metadata,
    Column("capability_id", ForeignKey("capability.id", ondelete="CASCADE"), primary_key=True),
    Column("process_slug", ForeignKey("process.slug"), primary_key=True),
)
# The certifications and tests a testing laboratory performs (its capability in `testing-lab`):
# what lets a firm short of a certificate find who can test it for one.
capability_test = Table(
    "capability_test",
    db.metadata,
    Column("capability_id", ForeignKey("capability.id", ondelete="CASCADE"), primary_key=True),
    Column("certification_slug", ForeignKey("certification_type.slug"), primary_key=True, index=True),
)


class StaffReviewed:
    """What staff's verdict on a capability or certificate means, in one place for pages and SQL."""

    @hybrid_property
    def is_verified(self) -> bool:
        """Staff checked what the firm states: only verified capabilities are shown to the public and
        count in search, matching, introductions and the dashboard (one expression, also in SQL); a
        certificate also needs to be unexpired to count (`Certificate.is_valid_on`)."""
        return self.review_status == ReviewStatus.VERIFIED

    @hybrid_property
    def is_rejected(self) -> bool:
        """Staff turned it down: the firm sees the reason and what to do next."""
        return self.review_status == ReviewStatus.REJECTED

    @property
    def awaits_decision(self) -> bool:
        """Staff have yet to decide on it."""
        return self.review_status == ReviewStatus.PENDING


class Capability(StaffReviewed, db.Model):
    """One component category a firm makes, with how much and how."""

    __tablename__ = "capability"
    __table_args__ = (UniqueConstraint("firm_id", "category_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    category_slug: Mapped[str] = mapped_column(ForeignKey("component_category.slug"), index=True)
    monthly_capacity: Mapped[int] = mapped_column(Integer, default=0)
    # One of the category's units (portal.taxonomy.units); None while a unit typed before units
    # were a list waits for the firm or staff to choose one (`flask taxonomy check-units`).
    capacity_unit: Mapped[str | None] = mapped_column(String(30), default=usual_unit_of_row)
    capacity_unit_as_typed: Mapped[str | None] = mapped_column(String(30))  # the old free text, when unmapped
    # The area of one board, given by the firm: the only way its m² of panel become boards, or back.
    board_area_mm2: Mapped[int | None] = mapped_column(Integer)
    employees: Mapped[int | None] = mapped_column(Integer)  # people working on this category, if the firm says
    min_order_quantity: Mapped[int | None] = mapped_column(Integer)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    equipment: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_main_line: Mapped[bool] = mapped_column(default=False)
    review_status: Mapped[ReviewStatus] = mapped_column(enum_type(ReviewStatus), default=ReviewStatus.PENDING)
    # Staff's words with their latest decision (why it was rejected, or its edit declined), shown to the firm.
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An edit to a verified capability waits here for review; the public sees the verified values.
    proposed: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    firm: Mapped[Firm] = relationship(back_populates="capabilities")
    category: Mapped[ComponentCategory] = relationship()
    processes: Mapped[list[Process]] = relationship(secondary=capability_process, order_by="Process.name")
    tests_for: Mapped[list[CertificationType]] = relationship(
        secondary=capability_test, order_by="CertificationType.name"
    )

    @property
    def awaits_decision(self) -> bool:
        """Staff have yet to decide on it: it is new, or an edit to a verified one is held for them."""
        return self.review_status == ReviewStatus.PENDING or self.proposed is not None


class Certificate(StaffReviewed, db.Model):
    __tablename__ = "certificate"
    # "Does this firm hold this certificate valid on the day" is one index lookup (matching asks
    # it for every candidate); it also serves every lookup by firm.
    __table_args__ = (Index("ix_certificate_firm_valid", "firm_id", "type_slug", "review_status", "expiry_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"))
    type_slug: Mapped[str] = mapped_column(ForeignKey("certification_type.slug"), index=True)
    number: Mapped[str] = mapped_column(String(80), default="")
    issuing_body: Mapped[str] = mapped_column(String(160), default="")
    issue_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(String(200), default="")
    evidence_path: Mapped[str | None] = mapped_column(String(200))
    evidence_filename: Mapped[str | None] = mapped_column(String(200))
    evidence_mimetype: Mapped[str | None] = mapped_column(String(60))
    review_status: Mapped[ReviewStatus] = mapped_column(enum_type(ReviewStatus), default=ReviewStatus.PENDING)
    # Staff's words with their verdict: why it was rejected, or how it was checked without a document.
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    firm: Mapped[Firm] = relationship(back_populates="certificates")
    type: Mapped[CertificationType] = relationship()

    @property
    def needs_note_to_verify(self) -> bool:
        """No evidence file came with it: staff verify it only with a note of how they checked it."""
        return not self.evidence_path

    @hybrid_method
    def is_valid_on(self, on: date | None = None) -> bool:
        """A certificate counts once staff verified it and while its expiry date is after the day."""
        return certificate_counts(self.review_status == ReviewStatus.VERIFIED, self.expiry_date, on or today())

    @is_valid_on.inplace.expression
    @classmethod
    def _is_valid_on_expression(cls, on: date | None = None):
        return and_(cls.review_status == ReviewStatus.VERIFIED, cls.expiry_date > (today() if on is None else on))

    def days_to_expiry(self, on: date | None = None) -> int | None:
        return days_until(self.expiry_date, on)


class FirmResponsiveness(db.Model):
    """How fast a firm answers brands, worked out from its answers (`portal.suppliers.responsiveness`)
    and kept apart from `firm` so recording it never collides with an edit of the listing."""

    __tablename__ = "firm_responsiveness"

    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), primary_key=True)
    # The median days to answer, over the requests counted; None when too few were counted, or
    # when most went unanswered (`unanswered_mostly`).
    median_days: Mapped[float | None] = mapped_column(Float)
    counted: Mapped[int] = mapped_column(Integer, default=0)
    unanswered_mostly: Mapped[bool] = mapped_column(default=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FirmPhoto(db.Model):
    """A factory or product photo shown on the public profile."""

    __tablename__ = "firm_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(60))
    caption: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    firm: Mapped[Firm] = relationship(back_populates="photos")


class CertificateReminder(db.Model):
    """A reminder sent for one expiry date, so each is sent once even if the command runs again."""

    __tablename__ = "certificate_reminder"
    __table_args__ = (UniqueConstraint("certificate_id", "expiry_date", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="CASCADE"), index=True)
    expiry_date: Mapped[date] = mapped_column(Date)
    days_before: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FirmInvitation(db.Model):
    """An owner's invitation for a colleague to join the firm's account; the token is stored hashed."""

    __tablename__ = "firm_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole), default=MemberRole.EDITOR)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    firm: Mapped[Firm] = relationship()


class FirmMerge(db.Model):
    """One duplicate merged into a kept record, with what is needed to undo it.

    `moved` maps each table to the column that pointed at the duplicate and the keys of the rows
    moved to the kept firm; `kept_before` holds the kept firm's fields that took the duplicate's value.
    """

    __tablename__ = "firm_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    kept_before: Mapped[dict] = mapped_column(JSON, default=dict)
    moved: Mapped[dict] = mapped_column(JSON, default=dict)
    left_behind: Mapped[dict] = mapped_column(JSON, default=dict)
    merged_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    merged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    kept: Mapped[Firm] = relationship(foreign_keys=[kept_id])
    merged: Mapped[Firm] = relationship(foreign_keys=[merged_id])
    merged_by = relationship("User", foreign_keys=[merged_by_id])
    undone_by = relationship("User", foreign_keys=[undone_by_id])


# The review queue counts what waits on every staff page. These partial indexes hold only the rows
# that wait (a few among 100,000 firms), so the count never reads the whole tables.
_PENDING = text("review_status = 'pending'")
_PROPOSED = text("proposed IS NOT NULL")
Index("ix_firm_proposed", Firm.id, sqlite_where=_PROPOSED, postgresql_where=_PROPOSED)
Index("ix_capability_pending", Capability.firm_id, sqlite_where=_PENDING, postgresql_where=_PENDING)
Index("ix_capability_proposed", Capability.firm_id, sqlite_where=_PROPOSED, postgresql_where=_PROPOSED)
Index("ix_certificate_pending", Certificate.firm_id, sqlite_where=_PENDING, postgresql_where=_PENDING)
