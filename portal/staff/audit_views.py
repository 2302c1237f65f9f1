"""Staff pages over the audit trail: read and export only; nothing here can change an entry."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from flask import Response, render_template, request, stream_with_context
from flask_babel import gettext
from sqlalchemy import or_, select

from portal.access import staff_required
from portal.audit.models import AuditEntry
from portal.audit.sealing import SEALED, ReadableEntry, readable
from portal.extensions import db
from portal.input_guard import row_id
from portal.staff.imports import FORMULA_STARTS
from portal.staff.views import bp
from portal.suppliers.merging import history_firm_ids
from portal.suppliers.models import Firm
from portal.timeutil import as_utc, today

PER_PAGE = 50
CSV_COLUMNS = (
    "sequence",
    "at",
    "actor",
    "action",
    "subject_type",
    "subject_id",
    "firm_id",
    "before",
    "after",
    "note",
    "entry_hash",
)


@dataclass(frozen=True)
class AuditFilters:
    """The trail's filters, read once from the query string, shared by the page and the CSV."""

    firm: str = ""
    user: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        return cls(
            firm=args.get("firm", "").strip(),
            user=args.get("user", "").strip(),
            action=args.get("action", "").strip(),
            date_from=args.get("from", type=date.fromisoformat),
            date_to=args.get("to", type=date.fromisoformat),
        )

    def query(self):
        """Newest first. The firm is an id or part of its legal or trade name; the user part of an e-mail."""
        query = select(AuditEntry)
        if (firm_id := row_id(self.firm)) is not None:
            # A firm's history includes that of the duplicates merged into it.
            query = query.where(AuditEntry.firm_id.in_(history_firm_ids(firm_id)))
        elif self.firm:
            pattern = f"%{self.firm}%"
            firm_ids = select(Firm.id).where(or_(Firm.legal_name.ilike(pattern), Firm.trade_name.ilike(pattern)))
            query = query.where(AuditEntry.firm_id.in_(firm_ids))
        if self.user:
            query = query.where(AuditEntry.actor_label.ilike(f"%{self.user}%"))
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        # Dates are whole UTC days, both ends included.
        if self.date_from:
            query = query.where(AuditEntry.at >= datetime.combine(self.date_from, time(), UTC))
        if self.date_to:
            query = query.where(AuditEntry.at < datetime.combine(self.date_to + timedelta(days=1), time(), UTC))
        return query.order_by(AuditEntry.sequence.desc())


def _shown(value) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) and value else json.dumps(value, ensure_ascii=False)


def changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) in name order; a field with the same value before and after is left out,
    since many acts record a whole snapshot on both sides."""
    before, after = entry.before or {}, entry.after or {}
    both = bool(before) and bool(after)
    return [
        (key, _shown(before.get(key)), _shown(after.get(key)))
        for key in sorted(before.keys() | after.keys())
        if not (both and before.get(key) == after.get(key))
    ]


@bp.route("/audit")
@staff_required
def audit_trail():
    """The trail, newest first, 50 entries a page, filtered by firm, user, action and dates."""
    filters = AuditFilters.from_args(request.args)
    page = db.paginate(filters.query(), page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    return render_template(
        "staff/audit.html",
        page=page,
        entries=readable(page.items),
        filters=filters,
        actions=actions,
        changes=changes,
        sealed=SEALED,
    )


def _cell(value) -> str:
    """Free text a spreadsheet would run as a formula gets a leading apostrophe, as in the supplier export."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _csv_row(entry: ReadableEntry) -> list:
    sealed = gettext(SEALED, need=entry.sealed_need_id) if entry.sealed_need_id is not None else None
    return [
        entry.sequence,
        as_utc(entry.at).isoformat(),
        _cell(entry.actor_label),
        entry.action,
        entry.subject_type,
        "" if entry.subject_id is None else entry.subject_id,
        "" if entry.firm_id is None else entry.firm_id,
        sealed or _json(entry.before),
        sealed or _json(entry.after),
        sealed or _cell(entry.note),
        entry.entry_hash,
    ]


def csv_chunks(query, rows_per_chunk: int = 500) -> Iterator[str]:
    """The entries as CSV text in pieces, so a long trail streams instead of sitting in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    rows = db.session.scalars(query.execution_options(yield_per=rows_per_chunk))
    while batch := list(islice(rows, rows_per_chunk)):
        writer.writerows(_csv_row(entry) for entry in readable(batch))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@bp.route("/audit.csv")
@staff_required
def audit_trail_csv():
    """The filtered trail as CSV, for auditors' own tools."""
    query = AuditFilters.from_args(request.args).query()
    return Response(
        stream_with_context(csv_chunks(query)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="audit-{today().isoformat()}.csv"',
            "Cache-Control": "private, no-store",
        },
    )
