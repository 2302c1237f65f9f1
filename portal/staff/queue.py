"""Everything waiting for an EDB reviewer, in one queue, oldest first.

Five kinds of item wait: a submitted listing, a capability (new on a verified listing, or an edit
held for review), a certificate, identity changes a verified firm proposed, a claim on an
unowned listing whose evidence is complete, and a submitted investment opportunity. The queue is
one SQL `UNION ALL` ordered by the time each item started waiting, so the page, the navigation
count and "next in queue" agree on what waits and in which order.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, and_, func, literal, null, select, type_coerce, union_all

from portal.audit.models import AuditEntry
from portal.claims.models import ClaimStatus, FirmClaim
from portal.extensions import db
from portal.investment.models import Opportunity, OpportunityStatus
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import as_utc, utcnow

KINDS = ("listing", "capability", "certificate", "profile", "claim", "investment")

# A draft has not asked for review yet and a rejected listing is closed, so their certificates wait
# for nothing; every other listing's pending certificates do.
CERTIFICATE_FIRM_STATES = (ListingStatus.SUBMITTED, ListingStatus.CHANGES_REQUESTED, ListingStatus.VERIFIED)


@dataclass(frozen=True)
class QueueItem:
    """One thing waiting for a reviewer; `subject` is the Firm, Capability, Certificate, FirmClaim or
    Opportunity."""

    kind: str
    firm: Firm
    subject: object
    since: datetime
    category: str | None
    province: str

    @property
    def age_days(self) -> int:
        return max((utcnow() - as_utc(self.since)).days, 0)

    @property
    def anchor(self) -> str | None:
        """Where on the firm's review page the item is shown (the whole page for a listing)."""
        return {
            "capability": f"capability-{self.subject.id}",
            "certificate": f"certificate-{self.subject.id}",
            "profile": "profile-changes",
            "claim": f"claim-{self.subject.id}",
        }.get(self.kind)

    @property
    def link(self) -> tuple[str, dict]:
        """(endpoint, arguments) of the page where the item is decided."""
        if self.kind == "investment":
            return "investment.review", {"opportunity_id": self.subject.id}
        return "staff.review_firm", {"firm_id": self.firm.id, "_anchor": self.anchor}


def _latest_audit(subject_type: str, subject_id, actions: tuple[str, ...], firm_id, timed: bool):
    """When the owner last touched the item, from the audit trail (found by its firm_id index).

    A count needs no times, and skipping this subquery makes the navigation's count much cheaper.
    """
    if not timed:
        return null()
    return (
        select(func.max(AuditEntry.at))
        .where(
            AuditEntry.firm_id == firm_id,
            AuditEntry.subject_type == subject_type,
            AuditEntry.subject_id == subject_id,
            AuditEntry.action.in_(actions),
        )
        .scalar_subquery()
    )


def _row(kind: str, item_id, firm_id, since, category, province):
    return (
        literal(kind, String).label("kind"),
        type_coerce(item_id, Integer).label("item_id"),
        type_coerce(firm_id, Integer).label("firm_id"),
        type_coerce(since, DateTime(timezone=True)).label("since"),
        type_coerce(category, String).label("category"),
        type_coerce(province, String).label("province"),
    )


def _has_category(category: str):
    return select(Capability.id).where(Capability.firm_id == Firm.id, Capability.category_slug == category).exists()


def _selects(kind: str | None, category: str | None, province: str | None, timed: bool = True):
    """One SELECT per kind asked for, each already filtered."""
    verified = Firm.status == ListingStatus.VERIFIED
    firm_filters = [Firm.province == province] if province else []
    firm_category = [_has_category(category)] if category else []
    selects = []
    if kind in (None, "listing"):
        since = func.coalesce(Firm.submitted_at, Firm.created_at)
        selects.append(
            select(*_row("listing", Firm.id, Firm.id, since, None, Firm.province)).where(
                Firm.status == ListingStatus.SUBMITTED, *firm_filters, *firm_category
            )
        )
    if kind in (None, "capability"):
        touched = _latest_audit(
            "Capability", Capability.id, ("capability.added", "capability.updated"), Capability.firm_id, timed
        )
        # Two disjoint arms (new on a verified listing; an edit held for review), each found by its
        # partial index instead of a scan of every capability.
        for waiting in (
            and_(Capability.review_status == ReviewStatus.PENDING, verified, Capability.proposed.is_(None)),
            Capability.proposed.is_not(None),
        ):
            selects.append(
                select(
                    *_row(
                        "capability",
                        Capability.id,
                        Firm.id,
                        func.coalesce(touched, Capability.created_at),
                        Capability.category_slug,
                        Firm.province,
                    )
                )
                .join(Firm, Firm.id == Capability.firm_id)
                .where(waiting, *firm_filters, *([Capability.category_slug == category] if category else []))
            )
    if kind in (None, "certificate"):
        touched = _latest_audit(
            "Certificate", Certificate.id, ("certificate.added", "certificate.updated"), Certificate.firm_id, timed
        )
        selects.append(
            select(
                *_row(
                    "certificate",
                    Certificate.id,
                    Firm.id,
                    func.coalesce(touched, Certificate.created_at),
                    None,
                    Firm.province,
                )
            )
            .join(Firm, Firm.id == Certificate.firm_id)
            .where(
                Certificate.review_status == ReviewStatus.PENDING,
                Firm.status.in_(CERTIFICATE_FIRM_STATES),
                *firm_filters,
                *firm_category,
            )
        )
    if kind in (None, "profile"):
        touched = _latest_audit("Firm", Firm.id, ("firm.profile_updated",), Firm.id, timed)
        selects.append(
            select(
                *_row("profile", Firm.id, Firm.id, func.coalesce(touched, Firm.updated_at), None, Firm.province)
            ).where(
                # Through its partial index: SQLite would otherwise walk every verified firm.
                Firm.id.in_(select(Firm.id).where(Firm.proposed.is_not(None)).scalar_subquery()),
                verified,
                *firm_filters,
                *firm_category,
            )
        )
    if kind in (None, "claim"):
        selects.append(
            select(*_row("claim", FirmClaim.id, Firm.id, FirmClaim.submitted_at, None, Firm.province))
            .join(Firm, Firm.id == FirmClaim.firm_id)
            .where(FirmClaim.status == ClaimStatus.PENDING, *firm_filters, *firm_category)
        )
    if kind in (None, "investment"):
        since = func.coalesce(Opportunity.submitted_at, Opportunity.created_at)
        in_category = [Opportunity.categories.any(ComponentCategory.slug == category)] if category else []
        selects.append(
            select(*_row("investment", Opportunity.id, Firm.id, since, None, Firm.province))
            .join(Firm, Firm.id == Opportunity.firm_id)
            .where(Opportunity.status == OpportunityStatus.SUBMITTED, *firm_filters, *in_category)
        )
    return selects


def _union(kind, category, province, timed=True):
    selects = _selects(kind, category, province, timed)
    return union_all(*selects).subquery("queue") if selects else None


def review_queue(
    kind: str | None = None,
    category: str | None = None,
    province: str | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    exclude_firm_id: int | None = None,
) -> list[QueueItem]:
    """Items waiting for review, oldest first; filters are ANDed, an unknown kind gives nothing.

    `category` keeps capabilities of that category and other items of firms that make it.
    """
    if kind is not None and kind not in KINDS:
        return []
    queue = _union(kind, category, province)
    query = select(queue).order_by(queue.c.since, queue.c.kind, queue.c.item_id)
    if exclude_firm_id is not None:
        query = query.where(queue.c.firm_id != exclude_firm_id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = db.session.execute(query).all()
    return _load(rows)


def _load(rows) -> list[QueueItem]:
    """Turn queue rows into items, loading firms and each kind of subject in one query each."""
    firms = _by_id(Firm, {r.firm_id for r in rows})
    capabilities = _by_id(Capability, {r.item_id for r in rows if r.kind == "capability"})
    certificates = _by_id(Certificate, {r.item_id for r in rows if r.kind == "certificate"})
    claims = _by_id(FirmClaim, {r.item_id for r in rows if r.kind == "claim"})
    opportunities = _by_id(Opportunity, {r.item_id for r in rows if r.kind == "investment"})
    subjects = {"capability": capabilities, "certificate": certificates, "claim": claims, "investment": opportunities}
    return [
        QueueItem(
            kind=r.kind,
            firm=firms[r.firm_id],
            subject=subjects.get(r.kind, firms)[r.item_id],
            since=r.since,
            category=r.category,
            province=r.province,
        )
        for r in rows
    ]


def _by_id(model, ids) -> dict:
    if not ids:
        return {}
    return {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(ids)))}


def next_item(after_firm_id: int | None = None) -> QueueItem | None:
    """The oldest item on another firm than the one just decided, for "Next in queue"."""
    items = review_queue(limit=1, exclude_firm_id=after_firm_id)
    return items[0] if items else None


def queue_count(
    kind: str | None = None, category: str | None = None, province: str | None = None, at_most: int | None = None
) -> int:
    """How many items wait (under the filters), in one query; `at_most` stops counting there, so a
    long queue costs no more than a short one."""
    if kind is not None and kind not in KINDS:
        return 0
    queue = _union(kind, category, province, timed=False)
    if at_most is not None:
        queue = select(queue.c.item_id).limit(at_most).subquery()
    return db.session.scalar(select(func.count()).select_from(queue)) or 0


NAVIGATION_COUNT_CAP = 999


def navigation_count() -> str:
    """The queue size the staff navigation shows on every page: exact up to 999, then "999+"."""
    count = queue_count(at_most=NAVIGATION_COUNT_CAP + 1)
    return f"{NAVIGATION_COUNT_CAP}+" if count > NAVIGATION_COUNT_CAP else str(count)


def counts_by_firm() -> dict[int, int]:
    """Items waiting per firm, by the queue's own rule (the listings page shows them)."""
    queue = _union(None, None, None, timed=False)
    rows = db.session.execute(select(queue.c.firm_id, func.count()).group_by(queue.c.firm_id))
    return dict(rows.all())
