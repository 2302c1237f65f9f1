"""Importing the supplier CSV: what rows create and update, what is refused and why, dry runs, the CLI."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from portal import audit
from portal.audit.models import AuditEntry
from portal.staff import imports
from portal.staff.imports import FileRefused, import_firms, parse_rows
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus
from portal.timeutil import today
from tests.factories import make_capability, make_certificate, make_firm
from tests.staff import row, supplier_csv


def run_import(data: bytes, *, as_staff=True, dry_run=False, actor=None):
    return import_firms(parse_rows(data), actor=actor, as_staff=as_staff, dry_run=dry_run)


def firm_named(db, name: str) -> Firm | None:
    db.session.expire_all()
    return db.session.scalar(select(Firm).where(Firm.legal_name == name))


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- creating ------------------------------------------------------------------------------------


def test_a_row_creates_a_draft_firm_with_capabilities_and_certificates(app, db):
    report = run_import(supplier_csv(row()))

    assert [(o.line, o.name) for o in report.created] == [(2, "Indus Circuits (Pvt) Ltd")]
    assert report.refused == [] and report.updated == []
    firm = firm_named(db, "Indus Circuits (Pvt) Ltd")
    assert (firm.city, firm.province, firm.status, firm.employees) == ("Lahore", "Punjab", ListingStatus.DRAFT, 140)
    assert firm.export_markets == ["UAE", "China"]
    assert (firm.contact_email, firm.website, firm.slug) == (
        "sales@indus.example.pk",
        "https://indus.example.pk",
        "indus-circuits-pvt-ltd",
    )
    pcba, bare = firm.capabilities
    assert (pcba.category_slug, pcba.is_main_line, bare.category_slug, bare.is_main_line) == (
        "pcba",
        True,
        "pcb-bare",
        False,
    )
    for capability in firm.capabilities:
        assert (capability.monthly_capacity, capability.capacity_unit) == (20000, "boards")
        assert capability.review_status == ReviewStatus.PENDING
        assert sorted(p.slug for p in capability.processes) == ["smt", "testing"]
    assert sorted((c.type_slug, c.expiry_date, c.review_status) for c in firm.certificates) == [
        ("iso-9001", date(2027, 6, 30), ReviewStatus.PENDING),
        ("rohs", date(2026, 12, 31), ReviewStatus.PENDING),
    ]
    assert not firm.is_public


def test_a_staff_import_with_verified_yes_publishes_the_listing(app, db):
    run_import(supplier_csv(row(verified="YES", certifications=f"iso-9001:{today() + timedelta(days=90)}")))

    firm = firm_named(db, "Indus Circuits (Pvt) Ltd")
    assert firm.status == ListingStatus.VERIFIED and firm.verified_at is not None and firm.is_public
    assert {c.review_status for c in firm.capabilities} == {ReviewStatus.VERIFIED}
    assert [c.type_slug for c in firm.valid_certificates()] == ["iso-9001"]


def test_each_change_is_audited_with_before_and_after(app, db, users):
    run_import(supplier_csv(row()), actor=users["staff"])
    run_import(supplier_csv(row(employees="150", processes="smt;testing;repair")), actor=users["staff"])

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)).all()
    firm = firm_named(db, "Indus Circuits (Pvt) Ltd")
    assert [e.action for e in entries] == ["firm.imported_created", "firm.imported_updated"]
    created, updated = entries
    assert created.before is None and created.after["legal_name"] == "Indus Circuits (Pvt) Ltd"
    assert created.after["capabilities"]["pcba"]["monthly_capacity"] == 20000
    assert (updated.before["employees"], updated.after["employees"]) == (140, 150)
    assert updated.after["capabilities"]["pcba"]["processes"] == ["repair", "smt", "testing"]
    assert {e.firm_id for e in entries} == {firm.id} and {e.actor_id for e in entries} == {users["staff"].id}
    assert audit.verify_chain() == []


# --- the same firm again -------------------------------------------------------------------------


def test_importing_the_same_file_twice_creates_no_duplicates(app, db):
    data = supplier_csv(row(), row(name="Karachi Cables", city="Karachi", province="Sindh", categories="cable"))
    first = run_import(data)
    audit_entries = count(db, AuditEntry)
    second = run_import(data)

    assert (len(first.created), len(second.created), len(second.updated)) == (2, 0, 0)
    assert [o.line for o in second.unchanged] == [2, 3]
    assert (count(db, Firm), count(db, Capability), count(db, Certificate)) == (2, 3, 4)
    assert count(db, AuditEntry) == audit_entries  # nothing changed, so nothing to record


def test_a_firm_is_matched_by_name_and_city_whatever_their_case(app, db):
    run_import(supplier_csv(row()))
    report = run_import(supplier_csv(row(name="INDUS circuits (pvt) ltd", city=" lahore ", employees="99")))

    assert [o.line for o in report.updated] == [2] and report.created == []
    assert count(db, Firm) == 1
    firm = firm_named(db, "Indus Circuits (Pvt) Ltd")  # the name keeps its spelling; the row updates the rest
    assert firm.employees == 99


def test_an_update_adds_capabilities_and_certificates_and_keeps_the_rest(app, db):
    firm = make_firm(
        "Indus Circuits (Pvt) Ltd",
        status=ListingStatus.SUBMITTED,
        capabilities=[{"category": "pcba", "capacity": 5000, "review": ReviewStatus.PENDING, "processes": ["smt"]}],
        certificates=[{"type": "iso-9001", "review": ReviewStatus.VERIFIED}, {"type": "psqca"}],
    )
    make_capability(firm, "housing-plastic", capacity=300, is_main_line=False)
    db.session.commit()

    report = run_import(supplier_csv(row(categories="pcba;battery", processes="smt;tht", verified="no")))

    assert [o.line for o in report.updated] == [2]
    firm = firm_named(db, "Indus Circuits (Pvt) Ltd")
    assert firm.status == ListingStatus.SUBMITTED  # "no" leaves an existing firm's state alone
    capabilities = {c.category_slug: c for c in firm.capabilities}
    assert set(capabilities) == {"pcba", "housing-plastic", "battery"}  # imports never delete
    assert capabilities["pcba"].monthly_capacity == 20000  # the first category takes the capacity
    assert capabilities["housing-plastic"].monthly_capacity == 300
    assert [p.slug for p in capabilities["pcba"].processes] == ["smt"]
    battery = capabilities["battery"]
    assert (battery.monthly_capacity, battery.is_main_line, battery.review_status) == (
        20000,
        False,
        ReviewStatus.PENDING,
    )
    assert sorted(p.slug for p in battery.processes) == ["smt", "tht"]
    certificates = sorted((c.type_slug, c.expiry_date, c.review_status) for c in firm.certificates)
    assert certificates == [
        ("iso-9001", date(2027, 6, 30), ReviewStatus.PENDING),  # a new date is checked again
        ("psqca", certificates[1][1], ReviewStatus.VERIFIED),
        ("rohs", date(2026, 12, 31), ReviewStatus.PENDING),
    ]


def test_the_certificate_with_the_rows_date_is_the_one_matched(app, db):
    expiry = today() + timedelta(days=365)
    firm = make_firm(certificates=[{"type": "iso-9001", "days_valid": 365}])
    make_certificate(firm, "iso-9001", days_valid=900, review=ReviewStatus.PENDING)
    db.session.commit()
    cells = {"name": firm.legal_name, "categories": "", "processes": "", "verified": "yes"}

    run_import(supplier_csv(row(**cells, certifications=f"iso-9001:{expiry}")))

    firm = firm_named(db, firm.legal_name)
    assert sorted((c.expiry_date, c.review_status) for c in firm.certificates) == [
        (expiry, ReviewStatus.VERIFIED),
        (today() + timedelta(days=900), ReviewStatus.PENDING),
    ]


def test_the_same_firm_twice_in_one_file_is_refused_the_second_time(app, db):
    report = run_import(supplier_csv(row(), row(employees="9"), row(name="indus circuits (PVT) LTD")))

    assert [o.line for o in report.created] == [2]
    assert [str(p) for p in report.refused] == [
        "line 3: the same firm (name and city) as line 2; keep one of the lines",
        "line 4: the same firm (name and city) as line 2; keep one of the lines",
    ]
    assert firm_named(db, "Indus Circuits (Pvt) Ltd").employees == 140


def test_two_firms_already_sharing_name_and_city_are_not_guessed_between(app, db):
    make_firm("Twin Plastics", city="Lahore")
    make_firm("Twin Plastics", city="Lahore")

    report = run_import(supplier_csv(row(name="Twin Plastics")))

    assert [str(p) for p in report.refused] == [
        "line 2: 2 firms named 'Twin Plastics' in Lahore already exist; merge them before importing"
    ]


# --- refused rows --------------------------------------------------------------------------------


def test_bad_rows_are_reported_by_line_while_good_rows_are_created(app, db):
    data = supplier_csv(
        row(name="Good One"),
        row(name=""),
        row(name="Bad Category", categories="pcba;pcb-rigid"),
        row(name="Bad Date", certifications="iso-9001:31/12/2027"),
        row(name="Negative", capacity_units_per_month="-5"),
        row(name="Good Two", city="Karachi", province="sindh"),
        row(name="Bad Province", province="Panjab"),
        row(name="Bad Email", contact_email="sales@"),
        row(name="Bad Verified", verified="maybe"),
        row(name="Words", employees="many", processes="smt;laser"),
        row(name="No Date", certifications="rohs", city=""),
        row(name="Bad Site", website="indus dot pk", certifications="iso-9999:2027-01-01"),
    )

    report = run_import(data)

    assert [(o.line, o.name) for o in report.created] == [(2, "Good One"), (7, "Good Two")]
    assert [str(p) for p in report.refused] == [
        "line 3: name is missing",
        "line 4: unknown category 'pcb-rigid' (see the taxonomy)",
        "line 5: certification 'iso-9001': '31/12/2027' is not a date (write YYYY-MM-DD)",
        "line 6: capacity_units_per_month '-5' is negative",
        "line 8: unknown province 'Panjab' (use one of: Punjab, Sindh, Khyber Pakhtunkhwa, Balochistan, "
        "Islamabad Capital Territory, Gilgit-Baltistan, Azad Jammu and Kashmir)",
        "line 9: contact_email 'sales@' is not a valid e-mail address",
        "line 10: verified 'maybe' must be yes or no",
        "line 11: unknown process 'laser' (see the taxonomy); employees 'many' is not a whole number",
        "line 12: city is missing; certification 'rohs' has no expiry date (write rohs:YYYY-MM-DD)",
        "line 13: unknown certification 'iso-9999' (see the taxonomy); "
        "website 'indus dot pk' is not a web address (write it like https://example.pk)",
    ]
    assert firm_named(db, "Good Two").province == "Sindh"  # matched to the canonical spelling
    assert count(db, Firm) == 2


def test_verified_yes_is_refused_when_not_importing_as_staff(app, db):
    report = run_import(supplier_csv(row(), row(name="Claims Verified", verified="yes")), as_staff=False)

    assert [o.line for o in report.created] == [2]
    assert [str(p) for p in report.refused] == ["line 3: only EDB staff imports may set verified=yes; write no"]


def test_a_non_staff_import_cannot_change_a_verified_listing(app, db):
    make_firm("Indus Circuits (Pvt) Ltd")
    report = run_import(supplier_csv(row(employees="1")), as_staff=False)

    assert [str(p) for p in report.refused] == [
        "line 2: 'Indus Circuits (Pvt) Ltd' is a listing marked “Verified”; only EDB staff imports may change it"
    ]


def test_a_row_the_database_refuses_costs_only_that_row(app, db, monkeypatch):
    record = audit.record

    def failing_record(action, subject, **kwargs):
        if subject.legal_name == "Doomed":
            raise IntegrityError("INSERT", {}, Exception("disk says no"))
        return record(action, subject, **kwargs)

    monkeypatch.setattr(imports.audit, "record", failing_record)
    report = run_import(supplier_csv(row(name="Before"), row(name="Doomed"), row(name="After")))

    assert [o.name for o in report.created] == ["Before", "After"]
    assert [str(p) for p in report.refused] == ["line 3: the database refused it (Exception); nothing was saved"]
    assert firm_named(db, "Doomed") is None and count(db, Firm) == 2
    assert count(db, AuditEntry) == 2


def test_when_the_database_fails_the_rest_is_refused_and_the_saved_rows_stay(app, db, monkeypatch):
    record = audit.record

    def locked_record(action, subject, **kwargs):
        if subject.legal_name == "Third":
            raise OperationalError("UPDATE audit_head", {}, Exception("database is locked"))
        return record(action, subject, **kwargs)

    monkeypatch.setattr(imports.audit, "record", locked_record)
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    names = ("First", "Second", "Third", "Fourth", "Fifth")

    report = run_import(supplier_csv(*(row(name=name) for name in names)))

    assert [o.name for o in report.created] == ["First", "Second"]
    reason = (
        "not imported: the database failed (Exception) at this batch of rows; "
        "the rows before it were saved, so import the file again"
    )
    assert [(p.line, p.reasons) for p in report.refused] == [(line, (reason,)) for line in (4, 5, 6)]
    assert count(db, Firm) == 2


def test_line_numbers_are_spreadsheet_rows_even_with_multi_line_cells(app, db):
    data = supplier_csv(row(name="First", description="Line one\nline two\nline three"), row(name="", city="Quetta"))

    report = run_import(data)

    assert [str(p) for p in report.refused] == ["line 3: name is missing"]
    assert firm_named(db, "First").description == "Line one\nline two\nline three"


def test_blank_lines_are_skipped_and_numbers_may_carry_thousands_separators(app, db):
    data = supplier_csv(row(capacity_units_per_month="1,250,000", employees="1 200")) + b",,,,,,,,,,,,\r\n\r\n"

    report = run_import(data)

    assert len(report.created) == 1 and report.refused == []
    firm = firm_named(db, "Indus Circuits (Pvt) Ltd")
    assert (firm.capabilities[0].monthly_capacity, firm.employees) == (1_250_000, 1200)


def test_a_row_with_too_many_cells_is_refused(app, db):
    data = supplier_csv(row()) + b"Loose, Comma Ltd,Lahore,Punjab,,,,,,,,,,no\r\n"

    report = run_import(data)

    assert [str(p) for p in report.refused] == [
        "line 3: the row has 14 cells but the header has 13; is a cell quoted wrongly?"
    ]


# --- the file as a whole -------------------------------------------------------------------------


def test_a_latin1_file_is_refused_naming_the_first_bad_line(app, db):
    data = supplier_csv(row(), row(name="Café Électronique", city="Karachi"), encoding="latin-1")

    with pytest.raises(FileRefused, match=r"not UTF-8 text: line 3 holds the byte 0xE9"):
        parse_rows(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet workbook, not a CSV file."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV text file (it holds binary data)."),
        (b"name;city;province\r\n", "The columns are separated by ';'"),
        (b"name,city,province\r\nX,Lahore,Punjab\r\n", "The header (line 1) lacks the column(s) description,"),
    ],
)
def test_unusable_files_are_refused_whole(app, data, message):
    with pytest.raises(FileRefused) as refused:
        parse_rows(data)
    assert str(refused.value).startswith(message)


def test_a_byte_order_mark_and_extra_columns_are_accepted(app, db):
    data = b"\xef\xbb\xbf" + supplier_csv(row(notes="call first"), columns=[*imports.COLUMNS, "notes"])

    report = run_import(data)

    assert len(report.created) == 1
    assert report.warnings == ["Column 14 ('notes') is not part of the format and was ignored."]


def test_columns_may_come_in_any_order_and_case(app, db):
    columns = [c.upper() for c in reversed(imports.COLUMNS)]
    data = supplier_csv({k.upper(): v for k, v in row().items()}, columns=columns)

    assert len(run_import(data).created) == 1


# --- dry runs ------------------------------------------------------------------------------------


def test_a_dry_run_reports_what_would_change_and_writes_nothing(app, db):
    make_firm("Existing Ltd", city="Karachi", province="Sindh", employees=10)
    data = supplier_csv(
        row(verified="yes"),
        row(name="Existing Ltd", city="Karachi", province="Sindh", employees="12"),
        row(name=""),
    )
    before = (count(db, Firm), count(db, Capability), count(db, Certificate), count(db, AuditEntry))

    report = run_import(data, dry_run=True)

    assert report.dry_run
    assert [(o.line, o.firm_id) for o in report.created] == [(2, None)]
    assert [o.line for o in report.updated] == [3] and [p.line for p in report.refused] == [4]
    assert (count(db, Firm), count(db, Capability), count(db, Certificate), count(db, AuditEntry)) == before
    assert firm_named(db, "Existing Ltd").employees == 10


# --- the command line ----------------------------------------------------------------------------


def test_cli_imports_and_reports_refused_rows_with_exit_code_0(app, db, tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(supplier_csv(row(verified="yes"), row(name="Broken", categories="pcb-rigid")))

    result = app.test_cli_runner().invoke(args=["import-suppliers", str(path)])

    assert result.exit_code == 0, result.output
    assert "2 row(s): 1 created, 0 updated, 0 unchanged, 1 refused." in result.stdout
    assert "line 3: unknown category 'pcb-rigid' (see the taxonomy)" in result.stdout
    assert firm_named(db, "Indus Circuits (Pvt) Ltd").status == ListingStatus.VERIFIED  # staff rights
    assert db.session.scalar(select(AuditEntry.note)) == "suppliers.csv line 2"


def test_cli_dry_run_saves_nothing(app, db, tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(supplier_csv(row()))

    result = app.test_cli_runner().invoke(args=["import-suppliers", str(path), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Dry run: nothing was saved.\n1 row(s): 1 would be created")
    assert count(db, Firm) == 0


def test_cli_exits_1_when_the_file_cannot_be_read(app, db, tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(supplier_csv(row(name="Café Ltd"), encoding="latin-1"))
    runner = app.test_cli_runner()

    missing = runner.invoke(args=["import-suppliers", str(tmp_path / "missing.csv")])
    unreadable = runner.invoke(args=["import-suppliers", str(latin1)])

    assert missing.exit_code == 1 and "cannot read" in missing.output
    assert unreadable.exit_code == 1 and "not UTF-8 text: line 2" in unreadable.output
    assert count(db, Firm) == 0


def test_cli_help_explains_the_exit_status(app):
    result = app.test_cli_runner().invoke(args=["import-suppliers", "--help"])

    assert "--dry-run" in result.output
    assert "0 otherwise, even when some rows were refused" in " ".join(result.output.split())


def without_isolation(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


def test_cli_report_in_urdu_when_asked_by_option_or_environment(app, db, tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(supplier_csv(row(), row(name="Broken", categories="pcb-rigid")))
    runner = app.test_cli_runner()

    by_option = runner.invoke(args=["import-suppliers", str(path), "--dry-run", "--language", "ur"])
    by_environment = runner.invoke(args=["import-suppliers", str(path), "--dry-run"], env={"PORTAL_LANGUAGE": "ur"})

    assert by_option.exit_code == by_environment.exit_code == 0, by_option.output
    assert by_option.stdout == by_environment.stdout
    lines = without_isolation(by_option.stdout).splitlines()
    assert lines[0] == "آزمائشی جانچ: کچھ محفوظ نہیں ہوا۔"
    assert lines[1] == "2 قطاریں: 1 نئی بنیں گی، 0 میں تبدیلی ہو گی، 0 جوں کی توں، 1 مسترد۔"
    assert lines[2].startswith("لائن 3: ") and "pcb-rigid" in lines[2] and "unknown" not in lines[2]
    assert count(db, Firm) == 0


def test_cli_refuses_a_language_the_portal_does_not_speak(app, tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(supplier_csv(row()))

    result = app.test_cli_runner().invoke(args=["import-suppliers", str(path), "--language", "de"])

    assert result.exit_code == 2 and "'de' is not one of the portal's languages (en, ur)" in result.output
