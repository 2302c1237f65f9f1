"""Everything waiting for an EDB reviewer, in one queue, oldest first.

Each domain offers its own kinds of item (`offers`, as a blueprint offers its routes): the
suppliers a submitted listing, a capability, a certificate and identity changes; claims a claim on
an unowned listing; investment a submitted opportunity. Each kind gives the SELECTs that find its
waiting items; the queue is their SQL `UNION ALL` ordered by the time each item started waiting,
so the page, the navigation count and "next in queue" agree on what waits and in which order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, func, literal, null, select, type_coerce, union_all

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.suppliers.models import Capability, Firm
from portal.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class QueueKind:
    """A kind of item a domain puts in the queue: its label (an `N_` message), the model of its
    subjects, the SELECTs that find them, where on the page each is decided, and the partial that
    describes one item in the queue's table (given `item`, a `QueueItem`)."""

    name: str
    label: str
    model: type
    selects: Callable[["QueueFilters"], list]
    anchor: Callable[[object], str] | None = None  # where on the firm's review page; None: the top
    endpoint: Callable[[object], tuple[str, dict]] | None = None
    description: str = ""  # a template; `staff/queue/_<name>.html` unless the offer names another


_KINDS: dict[str, QueueKind] = {}


def offers(name: str, *, label: str, model: type, anchor=None, endpoint=None, description: str | None = None):
    """Register the decorated `selects(filters)` as the SELECTs of kind `name` (in the order domains
    register, the order of the page's kind filter). Its items are described on the queue page by
    the template `description`, `staff/queue/_<name>.html` by default."""

    def register(selects):
        template = description or f"staff/queue/_{name}.html"
        _KINDS[name] = QueueKind(name, label, model, selects, anchor, endpoint, template)
        return selects

    return register


def kinds() -> dict[str, QueueKind]:
    """Every kind of item the domains offer, by name."""
    return dict(_KINDS)


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters as each kind's SELECTs apply them; `timed` is off for counts, which
    need no waiting times."""

    category: str | None = None
    province: str | None = None
    timed: bool = True

    def of_firm(self) -> list:
        """The item's firm is in the province asked for."""
        return [Firm.province == self.province] if self.province else []

    def firm_makes_category(self) -> list:
        """The item's firm makes the category asked for."""
        if not self.category:
            return []
        return [
            select(Capability.id)
            .where(Capability.firm_id == Firm.id, Capability.category_slug == self.category)
            .exists()
        ]

    def latest_audit(self, subject_type: str, subject_id, actions: tuple[str, ...], firm_id):
        """When the owner last touched the item, from the audit trail (found by its firm_id index).

        A count needs no times, and skipping this subquery makes the navigation's count much cheaper.
        """
        if not self.timed:
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


def queue_row(kind: str, item_id, firm_id, since, category, province):
    """The columns every kind's SELECT gives, in the union's order."""
    return (
        literal(kind, String).label("kind"),
        type_coerce(item_id, Integer).label("item_id"),
        type_coerce(firm_id, Integer).label("firm_id"),
        type_coerce(since, DateTime(timezone=True)).label("since"),
        type_coerce(category, String).label("category"),
        type_coerce(province, String).label("province"),
    )


@dataclass(frozen=True)
class QueueItem:
    """One thing waiting for a reviewer; `subject` is an object of its kind's model (the Firm for a
    listing or identity changes)."""

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
        anchor = _KINDS[self.kind].anchor
        return anchor(self.subject) if anchor else None

    @property
    def description(self) -> str:
        """The template that describes the item in the queue's table, as its kind offers it."""
        return _KINDS[self.kind].description

    @property
    def link(self) -> tuple[str, dict]:
        """(endpoint, arguments) of the page where the item is decided."""
        if endpoint := _KINDS[self.kind].endpoint:
            return endpoint(self.subject)
        return "staff.review_firm", {"firm_id": self.firm.id, "_anchor": self.anchor}


def _selects(kind: str | None, category: str | None, province: str | None, timed: bool = True):
    """One or more SELECTs per kind asked for, each already filtered."""
    filters = QueueFilters(category, province, timed)
    return [query for name, offered in _KINDS.items() if kind in (None, name) for query in offered.selects(filters)]


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
    if kind is not None and kind not in _KINDS:
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
    """Turn queue rows into items, loading firms and each kind's subjects in one query each."""
    firms = _by_id(Firm, {r.firm_id for r in rows})
    subjects = {
        name: firms if kind.model is Firm else _by_id(kind.model, {r.item_id for r in rows if r.kind == name})
        for name, kind in _KINDS.items()
    }
    return [
        QueueItem(
            kind=r.kind,
            firm=firms[r.firm_id],
            subject=subjects[r.kind][r.item_id],
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
    if kind is not None and kind not in _KINDS:
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
