"""The rules of compliance cases: opening, notes, documents, standing, closing, and who is kept out of
matching. Every act is one transaction with its audit entry; acts on a case name the case version the
reviewer saw, so two reviewers never silently overwrite each other.
"""

from datetime import date
from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from portal import audit, uploads
from portal.compliance import notices
from portal.compliance.models import (
    CaseDocument,
    CaseKind,
    CaseNote,
    CaseOutcome,
    CaseStatus,
    ComplianceCase,
    FirmStanding,
    IncentiveStatus,
    LicenceStatus,
)
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.mail import portal_path
from portal.notifications.service import notify
from portal.suppliers.models import Firm, FirmMember
from portal.timeutil import today, utcnow
from portal.transactions import check_version, one_act

MEASURES = {"incentive": IncentiveStatus, "licence": LicenceStatus}
# The status of each measure that keeps a firm out of matching while it applies.
EXCLUDING = {"incentive": IncentiveStatus.WITHDRAWN, "licence": LicenceStatus.SUSPENDED}
STANDING_PARTS = ("status", "since", "until", "case_id", "reason")


class ComplianceError(Refusal):
    """The act does not apply to the case as it is; the message is for the reviewer."""


class CaseChanged(ComplianceError):
    """Someone else acted on the case after the reviewer loaded it."""

    def __init__(self):
        super().__init__(N_("Someone else changed this case while you were looking at it; reload it and try again."))


# --- reading ---------------------------------------------------------------------------------------


def standing_of(firm: Firm) -> FirmStanding | None:
    return db.session.scalar(select(FirmStanding).where(FirmStanding.firm_id == firm.id))


def status_on(standing: FirmStanding | None, measure: str, on: date | None = None):
    """A measure's status on a day: the recorded status between `since` and `until` (exclusive),
    active outside those dates and for a firm with no standing recorded."""
    status_class = MEASURES[measure]
    if standing is None:
        return status_class.ACTIVE
    on = on or today()
    status, since, until = (getattr(standing, f"{measure}_{part}") for part in ("status", "since", "until"))
    if (since is not None and on < since) or (until is not None and on >= until):
        return status_class.ACTIVE
    return status


def _excludes(standing: FirmStanding | None, on: date | None) -> bool:
    return any(status_on(standing, measure, on) == status for measure, status in EXCLUDING.items())


def is_excluded_from_matching(firm: Firm, on: date | None = None) -> bool:
    """The one rule matching calls: a firm whose incentive is withdrawn or whose import licence is
    suspended on that day is not matched, until the status ends or staff reinstate it."""
    return _excludes(standing_of(firm), on)


def excluded_firm_ids(on: date | None = None) -> set[int]:
    """The same rule for a whole batch of candidates: ids of every firm excluded on that day.

    Reads the few columns the rule looks at as rows (they carry the same names), not whole objects."""
    columns = [
        getattr(FirmStanding, f"{measure}_{part}") for measure in MEASURES for part in ("status", "since", "until")
    ]
    rows = db.session.execute(
        select(FirmStanding.firm_id, *columns).where(
            or_(
                FirmStanding.incentive_status == EXCLUDING["incentive"],
                FirmStanding.licence_status == EXCLUDING["licence"],
            )
        )
    )
    return {row.firm_id for row in rows if _excludes(row, on)}


def open_case_count(firm: Firm) -> int:
    return db.session.scalar(
        select(func.count(ComplianceCase.id)).where(
            ComplianceCase.firm_id == firm.id, ComplianceCase.status == CaseStatus.OPEN
        )
    )


def cases_query(status: str | None = None, kind: str | None = None, firm_id: int | None = None):
    """Cases for the staff list, open ones first and the newest first within each."""
    query = select(ComplianceCase)
    if status in {s.value for s in CaseStatus}:
        query = query.where(ComplianceCase.status == CaseStatus(status))
    if kind in {k.value for k in CaseKind}:
        query = query.where(ComplianceCase.kind == CaseKind(kind))
    if firm_id:
        query = query.where(ComplianceCase.firm_id == firm_id)
    open_first = (ComplianceCase.status == CaseStatus.OPEN).desc()
    return query.order_by(open_first, ComplianceCase.opened_at.desc(), ComplianceCase.id.desc())


def find_firms(name: str, limit: int = 20) -> list[Firm]:
    """Firms whose legal or trade name contains the text, in any listing state (a case may concern a
    draft, rejected or suspended firm, which search does not index)."""
    name = (name or "").strip()
    if len(name) < 2:
        return []
    pattern = f"%{name.lower()}%"
    return list(
        db.session.scalars(
            select(Firm)
            .where(or_(func.lower(Firm.legal_name).like(pattern), func.lower(Firm.trade_name).like(pattern)))
            .order_by(Firm.legal_name)
            .limit(limit)
        )
    )


# --- acting ------------------------------------------------------------------------------------------


def _check_version(case: ComplianceCase, expected_version: int) -> None:
    """`transactions.check_version`, except that a case act must name the version: every act on a
    case comes from a reviewer's page (no CLI, import or API acts on cases), so one naming no
    version was not taken on the case as it is and is refused."""
    if expected_version is None:
        raise CaseChanged()
    check_version(case, expected_version, CaseChanged)


def _check_open(case: ComplianceCase) -> None:
    if not case.is_open:
        raise ComplianceError(N_("This case is closed; open a new case for a new concern."))


_transaction = partial(one_act, CaseChanged)


def _touch(case: ComplianceCase) -> None:
    # Updating the row bumps `version` (and guards it), so notes and documents count as changes.
    case.updated_at = utcnow()


def open_case(firm: Firm, kind: CaseKind, summary: str, by) -> ComplianceCase:
    summary = (summary or "").strip()
    if not summary:
        raise ComplianceError(N_("Say what the firm is suspected of."))
    with _transaction():
        case = ComplianceCase(firm=firm, kind=CaseKind(kind), summary=summary, opened_by_id=by.id, opened_at=utcnow())
        db.session.add(case)
        db.session.flush()
        audit.record(
            "compliance.case_opened", case, actor=by, after={"kind": case.kind, "summary": summary}, firm_id=firm.id
        )
    return case


def add_note(case: ComplianceCase, text: str, by, expected_version: int) -> CaseNote:
    _check_version(case, expected_version)
    _check_open(case)
    text = (text or "").strip()
    if not text:
        raise ComplianceError(N_("Write the note first."))
    with _transaction():
        note = _note(case, text, by, "compliance.note_added")
    return note


def _note(case: ComplianceCase, text: str, by, action: str) -> CaseNote:
    """Add a note to the case (which counts as a change of the case) with its audit entry."""
    note = CaseNote(case=case, text=text, author_id=by.id, at=utcnow())
    db.session.add(note)
    _touch(case)
    db.session.flush()
    audit.record(action, case, actor=by, after={"note_id": note.id, "text": text}, firm_id=case.firm_id)
    return note


def attach_document(
    case: ComplianceCase, upload: tuple[bytes, str], description: str, by, expected_version: int
) -> CaseDocument:
    """Store the file (checked by content, at most 10 MB) and keep it with the case."""
    _check_version(case, expected_version)
    _check_open(case)
    stored = uploads.store_document(upload, ComplianceError)
    with _transaction(stored.path):
        document = CaseDocument(
            case=case,
            **stored.columns(),
            description=(description or "").strip(),
            uploaded_by_id=by.id,
            uploaded_at=utcnow(),
        )
        db.session.add(document)
        _touch(case)
        db.session.flush()
        audit.record(
            "compliance.document_added",
            case,
            actor=by,
            after={"document_id": document.id, "filename": document.filename, "size": document.size},
            firm_id=case.firm_id,
        )
    return document


def set_standing(
    case: ComplianceCase,
    measure: str,
    status,
    since: date,
    until: date | None,
    by,
    expected_version: int,
    note: str = "",
) -> FirmStanding:
    """Set the firm's incentive or import-licence status through a case.

    An open case may set any status; a closed case may only reinstate (set active), so the
    reinstatement is recorded with the case that explains the withdrawal or suspension.
    """
    if measure not in MEASURES:
        raise ComplianceError(N_("Unknown measure."))
    status = MEASURES[measure](status)
    _check_version(case, expected_version)
    if not case.is_open and status != MEASURES[measure].ACTIVE:
        raise ComplianceError(N_("A closed case can only reinstate; open a new case to withdraw or suspend."))
    if since is None:
        raise ComplianceError(N_("Give the date the status applies from."))
    if until is not None and until <= since:
        raise ComplianceError(N_("The end date must be after the start date."))
    note = (note or "").strip()
    if status == EXCLUDING[measure] and not note:
        raise ComplianceError(N_("Give the reason for this status; the firm reads it in its notice."))
    fields = sorted(f"{measure}_{part}" for part in STANDING_PARTS)
    with _transaction():
        standing = standing_of(case.firm)
        if standing is None:
            standing = FirmStanding(firm_id=case.firm_id)
            db.session.add(standing)
        was = getattr(standing, f"{measure}_status") or MEASURES[measure].ACTIVE
        before = audit.snapshot(standing, fields)
        for part, value in zip(STANDING_PARTS, (status, since, until, case.id, note), strict=True):
            setattr(standing, f"{measure}_{part}", value)
        standing.updated_at = utcnow()
        _touch(case)
        db.session.flush()
        entry = audit.record(
            f"compliance.{measure}_status_set",
            standing,
            actor=by,
            before=before,
            after=audit.snapshot(standing, fields),
            note=note,
            firm_id=case.firm_id,
        )
        if status != was or status != MEASURES[measure].ACTIVE:
            notices.tell_firm(
                case.firm, measure, status, since, until, note, f"standing:{case.firm_id}:{entry.sequence}"
            )
    return standing


def can_respond(case: ComplianceCase, user) -> bool:
    """The firm's own people may answer an open case about their firm."""
    return case.is_open and user.is_authenticated and any(member.user_id == user.id for member in case.firm.members)


def respond(case: ComplianceCase, text: str, by) -> CaseNote:
    """The firm's answer joins the case as a note from the firm; the staff member who opened it is told."""
    if not can_respond(case, by):
        raise ComplianceError(N_("This case is closed or not about your firm; it takes no response."))
    text = (text or "").strip()
    if not text:
        raise ComplianceError(N_("Write your response first."))
    with _transaction():
        note = _note(case, text, by, "compliance.firm_responded")
        if case.opened_by is not None:
            notify(
                case.opened_by,
                "compliance_response",
                f"case:{case.id}:response:{note.id}",
                _l("%(firm)s responded in compliance case %(id)s", firm=case.firm.display_name, id=case.id),
                text[:500],
                portal_path("compliance.case", case_id=case.id, _anchor="notes"),
            )
    return note


def responses_of(firm: Firm) -> list[CaseNote]:
    """What the firm's people wrote in its cases, newest last."""
    members = select(FirmMember.user_id).where(FirmMember.firm_id == firm.id)
    return list(
        db.session.scalars(
            select(CaseNote)
            .join(ComplianceCase)
            .where(ComplianceCase.firm_id == firm.id, CaseNote.author_id.in_(members))
            .order_by(CaseNote.at, CaseNote.id)
        )
    )


def close_case(case: ComplianceCase, outcome, note: str, by, expected_version: int) -> None:
    """Close with an outcome; `other` needs a note saying what was decided."""
    _check_version(case, expected_version)
    _check_open(case)
    if not outcome:
        raise ComplianceError(N_("Choose the outcome of the case."))
    outcome = CaseOutcome(outcome)
    note = (note or "").strip()
    if outcome == CaseOutcome.OTHER and not note:
        raise ComplianceError(N_("Say what was decided when the outcome is “other”."))
    fields = ("status", "outcome", "outcome_note")
    with _transaction():
        before = audit.snapshot(case, fields)
        case.status = CaseStatus.CLOSED
        case.outcome = outcome
        case.outcome_note = note
        case.closed_at = utcnow()
        case.closed_by_id = by.id
        _touch(case)
        db.session.flush()
        audit.record(
            "compliance.case_closed",
            case,
            actor=by,
            before=before,
            after=audit.snapshot(case, fields),
            note=note,
            firm_id=case.firm_id,
        )
