"""The compliance rules: each act audited in its transaction, stale versions refused, and the one
matching rule, `is_excluded_from_matching`, over dates."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from portal import audit
from portal.audit.models import AuditEntry
from portal.compliance import service
from portal.compliance.models import (
    CaseKind,
    CaseOutcome,
    CaseStatus,
    ComplianceCase,
    FirmStanding,
    IncentiveStatus,
    LicenceStatus,
)
from portal.timeutil import today
from tests.factories import PDF_BYTES, make_firm

D = date(2026, 3, 1)


@pytest.fixture
def staff(users):
    return users["staff"]


@pytest.fixture
def firm(app):
    return make_firm("Apex Boards (Pvt) Ltd")


@pytest.fixture
def case(firm, staff):
    return service.open_case(firm, CaseKind.MISREPORTED_CAPACITY, "Claims 1 million boards a month.", staff)


def entries(db, action=None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.sequence)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def stored_files(app) -> set[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# --- opening, notes, documents, closing --------------------------------------------------------------


def test_opening_a_case_records_it_with_an_audit_entry(db, firm, staff, case):
    assert case.status == CaseStatus.OPEN
    assert case.version == 1
    assert case.opened_by_id == staff.id
    [entry] = entries(db, "compliance.case_opened")
    assert (entry.subject_type, entry.subject_id, entry.firm_id, entry.actor_id) == (
        "ComplianceCase",
        case.id,
        firm.id,
        staff.id,
    )
    assert entry.after == {"kind": "misreported_capacity", "summary": "Claims 1 million boards a month."}


def test_a_case_needs_a_summary(db, firm, staff):
    with pytest.raises(service.ComplianceError, match="suspected"):
        service.open_case(firm, CaseKind.LICENCE_BREACH, "   ", staff)
    assert db.session.scalar(select(func.count(ComplianceCase.id))) == 0
    assert entries(db) == []


def test_a_note_is_kept_audited_and_changes_the_case_version(db, staff, case):
    note = service.add_note(case, "  Called the firm; visit on Monday.  ", staff, expected_version=1)

    assert note.text == "Called the firm; visit on Monday."
    assert case.version == 2
    [entry] = entries(db, "compliance.note_added")
    assert entry.subject_id == case.id and entry.firm_id == case.firm_id
    assert entry.after == {"note_id": note.id, "text": "Called the firm; visit on Monday."}


def test_an_empty_note_is_refused(db, staff, case):
    with pytest.raises(service.ComplianceError, match="note"):
        service.add_note(case, "  ", staff, expected_version=1)
    assert case.notes == []


def test_a_document_is_stored_with_the_case_and_audited(app, db, staff, case):
    document = service.attach_document(case, (PDF_BYTES, "inspection.pdf"), "Site visit", staff, expected_version=1)

    assert (Path(app.config["UPLOAD_DIR"]) / document.path).read_bytes() == PDF_BYTES
    assert (document.filename, document.mimetype, document.size) == (
        "inspection.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    [entry] = entries(db, "compliance.document_added")
    assert entry.after["filename"] == "inspection.pdf"
    assert case.version == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "another kind"),
        (b"GIF89a" + b"\x00" * 40, "another kind"),
        (b"", "empty"),
        (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
    ids=["html", "gif", "empty", "too-large"],
)
def test_a_document_of_the_wrong_kind_or_size_is_refused_and_nothing_is_kept(app, db, staff, case, data, message):
    files = stored_files(app)
    with pytest.raises(service.ComplianceError, match=message):
        service.attach_document(case, (data, "evidence.pdf"), "", staff, expected_version=1)
    assert case.documents == []
    assert stored_files(app) == files
    assert entries(db, "compliance.document_added") == []


def test_closing_needs_an_outcome_and_records_who_and_when(db, staff, case):
    with pytest.raises(service.ComplianceError, match="outcome"):
        service.close_case(case, None, "", staff, expected_version=1)

    service.close_case(case, CaseOutcome.WARNING_ISSUED, "Letter sent.", staff, expected_version=1)

    assert case.status == CaseStatus.CLOSED
    assert case.outcome == CaseOutcome.WARNING_ISSUED
    assert case.outcome_note == "Letter sent."
    assert case.closed_by_id == staff.id and case.closed_at is not None
    [entry] = entries(db, "compliance.case_closed")
    assert entry.before == {"status": "open", "outcome": None, "outcome_note": ""}
    assert entry.after == {"status": "closed", "outcome": "warning_issued", "outcome_note": "Letter sent."}


def test_the_outcome_other_needs_a_note(staff, case):
    with pytest.raises(service.ComplianceError, match="other"):
        service.close_case(case, CaseOutcome.OTHER, " ", staff, expected_version=1)
    assert case.status == CaseStatus.OPEN


def test_a_closed_case_takes_no_more_notes_documents_or_closing(staff, case):
    service.close_case(case, CaseOutcome.NO_VIOLATION, "", staff, expected_version=1)
    version = case.version
    with pytest.raises(service.ComplianceError, match="closed"):
        service.add_note(case, "Late note", staff, version)
    with pytest.raises(service.ComplianceError, match="closed"):
        service.attach_document(case, (PDF_BYTES, "a.pdf"), "", staff, version)
    with pytest.raises(service.ComplianceError, match="closed"):
        service.close_case(case, CaseOutcome.OTHER, "again", staff, version)


# --- standing ----------------------------------------------------------------------------------------


def test_setting_a_status_records_dates_and_case_with_before_and_after(db, firm, staff, case):
    standing = service.set_standing(
        case, "incentive", IncentiveStatus.WITHDRAWN, D, D + timedelta(days=90), staff, 1, note="Capacity overstated."
    )

    assert standing.firm_id == firm.id
    assert (standing.incentive_status, standing.incentive_since, standing.incentive_until) == (
        IncentiveStatus.WITHDRAWN,
        D,
        D + timedelta(days=90),
    )
    assert standing.incentive_case_id == case.id
    assert standing.licence_status == LicenceStatus.ACTIVE
    [entry] = entries(db, "compliance.incentive_status_set")
    assert entry.subject_type == "FirmStanding" and entry.firm_id == firm.id
    assert entry.after == {
        "incentive_case_id": case.id,
        "incentive_since": "2026-03-01",
        "incentive_status": "withdrawn",
        "incentive_until": "2026-05-30",
        "incentive_reason": "Capacity overstated.",
    }
    assert entry.note == "Capacity overstated."
    assert case.version == 2

    service.set_standing(case, "licence", LicenceStatus.UNDER_REVIEW, D, None, staff, 2)
    [entry] = entries(db, "compliance.licence_status_set")
    assert entry.before["licence_status"] == "active"
    assert db.session.scalar(select(func.count(FirmStanding.id))) == 1


def test_the_end_date_must_be_after_the_start_date(db, staff, case):
    for until in (D, D - timedelta(days=1)):
        with pytest.raises(service.ComplianceError, match="after the start"):
            service.set_standing(case, "licence", LicenceStatus.SUSPENDED, D, until, staff, 1, note="Breach found.")
    assert db.session.scalar(select(func.count(FirmStanding.id))) == 0


def test_a_closed_case_can_only_reinstate(firm, staff, case):
    service.set_standing(case, "licence", LicenceStatus.SUSPENDED, D, None, staff, 1, note="Breach found.")
    service.close_case(case, CaseOutcome.LICENCE_SUSPENDED, "", staff, 2)
    assert service.is_excluded_from_matching(firm, on=D)

    with pytest.raises(service.ComplianceError, match="only reinstate"):
        service.set_standing(
            case, "incentive", IncentiveStatus.WITHDRAWN, D, None, staff, case.version, note="Breach found."
        )
    service.set_standing(case, "licence", LicenceStatus.ACTIVE, D + timedelta(days=30), None, staff, case.version)

    assert not service.is_excluded_from_matching(firm, on=D + timedelta(days=30))


# --- optimistic locking ------------------------------------------------------------------------------

ACTS = {
    "note": lambda case, by, v: service.add_note(case, "Note", by, v),
    "document": lambda case, by, v: service.attach_document(case, (PDF_BYTES, "a.pdf"), "", by, v),
    "standing": lambda case, by, v: service.set_standing(
        case, "incentive", "withdrawn", D, None, by, v, note="Breach."
    ),
    "close": lambda case, by, v: service.close_case(case, "warning_issued", "", by, v),
}


@pytest.mark.parametrize("act", ACTS)
def test_an_act_on_a_version_the_reviewer_did_not_see_is_refused(app, db, staff, case, act):
    service.add_note(case, "Someone else's note", staff, expected_version=1)
    before, files = len(entries(db)), stored_files(app)

    with pytest.raises(service.CaseChanged, match="Someone else changed this case"):
        ACTS[act](case, staff, 1)

    assert len(entries(db)) == before
    assert case.status == CaseStatus.OPEN and len(case.notes) == 1 and case.documents == []
    assert db.session.scalar(select(func.count(FirmStanding.id))) == 0
    assert stored_files(app) == files


@pytest.mark.parametrize("act", ACTS)
def test_a_change_committed_by_another_reviewer_meanwhile_is_caught_at_write(app, db, staff, case, act):
    """Both reviewers saw version 1; the other one committed first, so the row's version moved on."""
    assert case.version == 1
    files = stored_files(app)
    with db.engine.begin() as connection:
        connection.execute(update(ComplianceCase).where(ComplianceCase.id == case.id).values(version=2))

    with pytest.raises(service.CaseChanged):
        ACTS[act](case, staff, 1)

    db.session.expire_all()
    assert entries(db, "compliance.case_opened") == entries(db)
    assert stored_files(app) == files


# --- the matching rule -------------------------------------------------------------------------------


def _standing(case, staff, measure, status, since=D, until=None):
    return service.set_standing(case, measure, status, since, until, staff, case.version, note="Breach found.")


@pytest.mark.parametrize(
    ("measure", "status", "until", "on", "excluded"),
    [
        ("incentive", "withdrawn", None, D - timedelta(days=1), False),
        ("incentive", "withdrawn", None, D, True),
        ("incentive", "withdrawn", None, D + timedelta(days=3650), True),
        ("incentive", "withdrawn", D + timedelta(days=30), D + timedelta(days=29), True),
        ("incentive", "withdrawn", D + timedelta(days=30), D + timedelta(days=30), False),
        ("incentive", "under_review", None, D, False),
        ("incentive", "active", None, D, False),
        ("licence", "suspended", None, D - timedelta(days=1), False),
        ("licence", "suspended", None, D, True),
        ("licence", "suspended", D + timedelta(days=1), D, True),
        ("licence", "suspended", D + timedelta(days=1), D + timedelta(days=1), False),
        ("licence", "under_review", None, D, False),
    ],
)
def test_a_firm_is_kept_out_of_matching_while_its_incentive_is_withdrawn_or_licence_suspended(
    firm, staff, case, measure, status, until, on, excluded
):
    _standing(case, staff, measure, status, until=until)

    assert service.is_excluded_from_matching(firm, on=on) is excluded
    assert (firm.id in service.excluded_firm_ids(on=on)) is excluded


def test_a_firm_without_any_standing_is_matched(firm):
    assert service.is_excluded_from_matching(firm) is False
    assert service.excluded_firm_ids() == set()


def test_reinstating_brings_the_firm_back_and_the_rule_defaults_to_today(firm, staff, case):
    _standing(case, staff, "incentive", "withdrawn", since=today() - timedelta(days=10))
    assert service.is_excluded_from_matching(firm)

    _standing(case, staff, "incentive", "active", since=today())

    assert not service.is_excluded_from_matching(firm)
    assert service.excluded_firm_ids() == set()


def test_each_measure_excludes_on_its_own_and_other_firms_are_untouched(firm, staff, case):
    other = make_firm("Other Parts (Pvt) Ltd")
    _standing(case, staff, "incentive", "under_review")
    _standing(case, staff, "licence", "suspended", since=D + timedelta(days=5))

    assert not service.is_excluded_from_matching(firm, on=D)
    assert service.is_excluded_from_matching(firm, on=D + timedelta(days=5))
    assert not service.is_excluded_from_matching(other, on=D + timedelta(days=5))
    assert service.excluded_firm_ids(on=D + timedelta(days=5)) == {firm.id}


def test_every_act_keeps_the_audit_chain_intact(staff, case):
    service.add_note(case, "Note", staff, 1)
    service.attach_document(case, (PDF_BYTES, "a.pdf"), "", staff, 2)
    service.set_standing(case, "licence", "suspended", D, None, staff, 3, note="Breach found.")
    service.close_case(case, "licence_suspended", "", staff, 4)

    assert audit.verify_chain() == []
