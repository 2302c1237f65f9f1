"""The index outbox: a row per firm whose indexed facts changed, written in the same transaction
as the change. After commit the rows are applied to the index; rows a crash or a busy index left
behind are applied by the next writer, at start-up, or by `flask search-index sync`.
"""

from datetime import datetime

from sqlalchemy import DateTime, Integer, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.extensions import db
from portal.suppliers.models import Capability, Certificate, Firm
from portal.timeutil import utcnow


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def _firm_id(obj) -> int | None:
    if isinstance(obj, Firm):
        return obj.id
    if isinstance(obj, Capability | Certificate):
        return obj.firm_id if obj.firm_id is not None else getattr(obj.firm, "id", None)
    return None


@event.listens_for(Session, "after_flush")
def _queue_changed_firms(session: Session, flush_context) -> None:
    """Insert outbox rows for every firm touched by this flush, inside the same transaction."""
    firm_ids = set()
    for obj in (*session.new, *session.deleted):
        firm_ids.add(_firm_id(obj))
    for obj in session.dirty:
        if isinstance(obj, Firm | Capability | Certificate) and session.is_modified(obj, include_collections=True):
            firm_ids.add(_firm_id(obj))
    firm_ids.discard(None)
    if firm_ids:
        now = utcnow()
        session.connection().execute(
            SearchOutbox.__table__.insert(), [{"firm_id": i, "created_at": now} for i in sorted(firm_ids)]
        )
        session.info["search_pending"] = True


@event.listens_for(Session, "after_commit")
def _remember_commit(session: Session) -> None:
    if session.info.pop("search_pending", False):
        session.info["search_committed"] = True


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("search_pending", None)
