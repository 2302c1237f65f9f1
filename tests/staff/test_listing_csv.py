"""The listing CSV: a row per firm, capability and certificate, exported and imported without loss."""

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from portal import create_app
from portal.audit.models import AuditEntry
from portal.extensions import db as _db
from portal.staff.imports import import_firms, parse_rows
from portal.staff.listing_csv import LISTING_COLUMNS, listing_rows
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus
from portal.taxonomy import PROVINCES, sync_taxonomy
from portal.timeutil import today
from tests.factories import make_capability, make_certificate, make_firm

PENDING, VERIFIED, REJECTED = ReviewStatus.PENDING, ReviewStatus.VERIFIED, ReviewStatus.REJECTED

# Kept by the portal's workflow (timestamps, review notes, proposals waiting, files), not by a listing's CSV.
NOT_CARRIED = {
    Firm: {
        "id",
        "suspension_reason",
        "review_reasons",
        "proposed",
        "submitted_at",
        "logo_path",
        "verified_at",
        "merged_into_id",
        "created_at",
        "updated_at",
        "version",
    },
    Capability: {"id", "firm_id", "capacity_unit_as_typed", "review_note", "proposed", "created_at"},
    Certificate: {
        "id",
        "firm_id",
        "evidence_path",
        "evidence_filename",
        "evidence_mimetype",
        "review_note",
        "verified_at",
        "created_at",
    },
}


def make_listings():
    """A public listing with every field, items verified and pending, several units; a draft; a bare one."""
    indus = make_firm(
        "Indus Circuits (Pvt) Ltd",
        trade_name="Indus PCB",
        address="Plot 12, Sundar Industrial Estate, Lahore",
        phone="+92 42 1234567",
        year_founded=2004,
        ntn="1234567-8",
        employees=140,
        export_markets=["UAE", "China"],
        website="https://indus.example.pk",
        description='Four-layer boards; SMT lines, "quoted" words,\nand a second line.',
    )
    make_capability(
        indus,
        "pcb-bare",
        capacity=1200,
        capacity_unit="m2",
        board_area_mm2=3500,
        processes=["pcb-fabrication"],
        min_order_quantity=50,
        lead_time_days=21,
        equipment="LDI exposure; plating line",
        materials="FR-4, high-Tg",
        notes="-panels only, no kits",  # a spreadsheet would read it as a formula
        employees=60,
    )
    make_capability(
        indus,
        "pcba",
        capacity=20000,
        capacity_unit="panels",
        processes=["smt", "testing"],
        is_main_line=True,
        lead_time_days=14,
    )
    make_capability(indus, "charger", capacity=5000, review=PENDING)
    make_capability(indus, "cable", capacity=100, review=REJECTED)  # staff rejected it: not part of the listing
    make_certificate(indus, "iso-9001", number="ISO-77", issuing_body="TÜV", scope="Lahore plant", days_valid=400)
    make_certificate(indus, "rohs", number="R-1", review=PENDING, days_valid=200)
    make_certificate(indus, "iso-9001", number="ISO-12", days_valid=-30)  # the expired one before it
    draft = make_firm(
        "beta Cables", status=ListingStatus.DRAFT, city="Karachi", province="Sindh", contact_email="", employees=None
    )
    make_capability(draft, "cable", capacity=70000, review=PENDING, processes=["cable-assembly"])
    make_certificate(draft, "psqca", number="", issuing_body="", issue_date=None, review=PENDING)
    _db.session.commit()
    make_firm("Gamma Housings", status=ListingStatus.DRAFT, description="")


def listing_text(app) -> str:
    with app.app_context():
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows(listing_rows())
        return buffer.getvalue()


def import_text(text: str, *, as_staff=True, dry_run=False):
    return import_firms(parse_rows(text.encode()), actor=None, as_staff=as_staff, dry_run=dry_run)


def listings(db) -> dict:
    """Every carried field of every firm, capability (with its processes) and certificate, by firm name."""
    db.session.expire_all()
    return {firm.legal_name: _fields(firm) for firm in db.session.scalars(select(Firm))}


def _fields(firm: Firm) -> dict:
    def columns(obj) -> dict:
        kind = type(obj)
        return {c.key: getattr(obj, c.key) for c in kind.__table__.columns if c.key not in NOT_CARRIED[kind]}

    capabilities = {
        c.category_slug: {**columns(c), "processes": sorted(p.slug for p in c.processes)}
        for c in firm.capabilities
        if c.review_status != REJECTED
    }
    certificates = sorted(
        (columns(c) for c in firm.certificates if c.review_status != REJECTED),
        key=lambda c: (c["type_slug"], c["number"], c["expiry_date"]),
    )
    return {**columns(firm), "capabilities": capabilities, "certificates": certificates}


def _empty_database_url(app, tmp_path) -> str:
    """Beside the test database: a SQLite file, or on PostgreSQL a database of its own."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    empty = url.set(database=f"{url.database}_empty")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": empty.database}):
            connection.execute(text(f'CREATE DATABASE "{empty.database}"'))
    engine.dispose()
    return empty.render_as_string(hide_password=False)


@pytest.fixture
def empty_app(app, tmp_path):
    """A second portal with a fresh, empty database of its own (the taxonomy only)."""
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": _empty_database_url(app, tmp_path),
            "PORTAL_INDEX_DIR": str(tmp_path / "empty-index"),
            "UPLOAD_DIR": str(tmp_path / "empty-uploads"),
        }
    )
    with other.app_context():
        _db.drop_all()
        _db.create_all()
        sync_taxonomy()
        _db.session.commit()
    yield other
    with other.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


# --- the round trip ------------------------------------------------------------------------------


def test_an_export_imported_into_an_empty_database_gives_identical_listings(app, db, empty_app):
    make_listings()
    exported, original = listing_text(app), listings(db)

    with empty_app.app_context():
        report = import_text(exported)
        copied = listings(db)
        assert listing_text(empty_app) == exported

    assert ([o.name for o in report.created], report.refused) == (
        ["beta Cables", "Gamma Housings", "Indus Circuits (Pvt) Ltd"],
        [],
    )
    assert copied.keys() == original.keys()
    for name in original:  # field by field, so a difference names its field
        for field_name, value in original[name].items():
            assert (name, field_name, copied[name][field_name]) == (name, field_name, value)
    indus = copied["Indus Circuits (Pvt) Ltd"]
    assert (indus["status"], indus["capabilities"]["charger"]["review_status"]) == (ListingStatus.VERIFIED, PENDING)
    assert indus["capabilities"]["pcb-bare"]["board_area_mm2"] == 3500
    assert [(c["type_slug"], c["number"]) for c in indus["certificates"]] == [
        ("iso-9001", "ISO-12"),
        ("iso-9001", "ISO-77"),
        ("rohs", "R-1"),
    ]
    assert "cable" not in indus["capabilities"]  # rejected by staff: not exported


def test_importing_an_export_over_its_own_database_changes_nothing(app, db):
    make_listings()
    exported, before = listing_text(app), listings(db)
    versions = dict(db.session.execute(select(Firm.id, Firm.version)).all())
    entries = db.session.scalar(select(func.count(AuditEntry.id)))

    first, second = import_text(exported), import_text(exported)

    for report in (first, second):
        assert (len(report.unchanged), report.created, report.updated, report.refused) == (3, [], [], [])
    assert listings(db) == before
    assert dict(db.session.execute(select(Firm.id, Firm.version)).all()) == versions
    assert db.session.scalar(select(func.count(AuditEntry.id))) == entries
    rejected = db.session.scalar(
        select(Capability).where(Capability.category_slug == "cable", Capability.monthly_capacity == 100)
    )
    assert rejected.review_status == REJECTED


def test_the_export_has_a_row_per_firm_capability_and_certificate(app, db):
    make_listings()

    rows = list(csv.DictReader(io.StringIO(listing_text(app), newline="")))

    assert list(rows[0]) == list(LISTING_COLUMNS)
    indus = [r for r in rows if r["name"] == "Indus Circuits (Pvt) Ltd"]
    assert [(r["record"], r["category"] or r["certification"], r["verified"]) for r in indus] == [
        ("firm", "", "yes"),
        ("capability", "pcb-bare", "yes"),
        ("capability", "pcba", "yes"),
        ("capability", "charger", "no"),  # pending: the import must not verify it
        ("certificate", "iso-9001", "yes"),
        ("certificate", "rohs", "no"),
        ("certificate", "iso-9001", "yes"),
    ]
    firm, bare = indus[0], indus[1]
    assert (firm["trade_name"], firm["ntn"], firm["year_founded"], firm["export_markets"]) == (
        "Indus PCB",
        "1234567-8",
        "2004",
        "UAE;China",
    )
    assert (bare["capacity"], bare["unit"], bare["board_area_mm2"], bare["notes"]) == (
        "1200",
        "m2",
        "3500",
        "'-panels only, no kits",
    )
    assert {r["city"] for r in indus} == {"Lahore"}
    draft = [r for r in rows if r["name"] == "beta Cables"]
    assert [r["verified"] for r in draft] == ["no", "no", "no"]


def test_a_verified_item_of_an_unpublished_listing_comes_back_pending(app, db, empty_app):
    """The export says verified only on public listings, so a suspended firm's items wait for review again."""
    firm = make_firm("Suspended Boards", suspended=True, capabilities=[{"category": "pcba"}])

    exported = listing_text(app)

    assert firm.capabilities[0].review_status == VERIFIED
    with empty_app.app_context():
        import_text(exported)
        copy = _db.session.scalar(select(Firm))
        assert (copy.status, copy.suspended, copy.capabilities[0].review_status) == (
            ListingStatus.DRAFT,
            False,
            PENDING,
        )


# --- what rows do --------------------------------------------------------------------------------

HEADER = ",".join(LISTING_COLUMNS)


def listing_csv(*rows: dict) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(LISTING_COLUMNS), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


FIRM_ROW = {
    "record": "firm",
    "name": "Indus Circuits (Pvt) Ltd",
    "city": "Lahore",
    "province": "Punjab",
    "ntn": "12345678",
}


def capability_row(**cells) -> dict:
    return {
        "record": "capability",
        "name": FIRM_ROW["name"],
        "city": "LAHORE",
        "category": "pcba",
        "capacity": "900",
        **cells,
    }


def certificate_row(**cells) -> dict:
    return {
        "record": "certificate",
        "name": FIRM_ROW["name"].upper(),  # the key matches whatever the case
        "city": "Lahore",
        "certification": "iso-9001",
        "number": "Q-1",
        "issue_date": "2025-01-31",
        "expiry_date": "2028-01-30",
        **cells,
    }


def firm_named(db, name: str) -> Firm:
    db.session.expire_all()
    return db.session.scalar(select(Firm).where(Firm.legal_name == name))


def test_bad_rows_are_refused_by_line_with_their_reasons_and_the_good_rows_imported(app, db):
    text = listing_csv(
        FIRM_ROW,  # line 2
        capability_row(unit="boards", processes="smt"),  # 3
        {**FIRM_ROW, "record": "factory"},  # 4
        capability_row(category="charger", unit="m2"),  # 5
        capability_row(category="charger", board_area_mm2="2000"),  # 6
        certificate_row(issue_date="31/01/2025"),  # 7
        certificate_row(number="Q-2", expiry_date="2024-01-01"),  # 8
        certificate_row(name="Nobody Ltd"),  # 9
        {"record": "firm", "name": "Bad Province Ltd", "city": "Quetta", "province": "Atlantis"},  # 10
        {**certificate_row(), "name": "Bad Province Ltd", "city": "Quetta"},  # 11
        capability_row(),  # 12: the same category as line 3
        certificate_row(number="Q-3", capacity="5"),  # 13
        certificate_row(number="Q-4", issue_date=(today() + timedelta(days=3)).isoformat()),  # 14
        certificate_row(),  # 15: the good certificate
    )

    report = import_text(text)

    reasons = {problem.line: list(problem.reasons) for problem in report.refused}
    assert reasons == {
        4: ["unknown record 'factory' (write firm, capability or certificate)"],
        5: ["unit 'm2' is not one of the units of charger"],
        6: ["board_area_mm2: charger is not counted both in boards and in m² of panel"],
        7: ["issue_date '31/01/2025' is not a date (write YYYY-MM-DD)"],
        8: ["expiry_date 2024-01-01 is not after issue_date 2025-01-31"],
        9: ["the file has no firm row with this name and city; a firm's rows need its firm row"],
        10: [f"unknown province 'Atlantis' (use one of: {', '.join(PROVINCES)})"],
        11: ["the firm's row (line 10) was refused; correct it and import both again"],
        12: ["the same firm and category as line 3; keep one of the lines"],
        13: ["a certificate row leaves capacity empty"],
        14: [f"issue_date {(today() + timedelta(days=3)).isoformat()} is in the future"],
    }
    assert [o.line for o in report.created] == [2]
    firm = firm_named(db, "Indus Circuits (Pvt) Ltd")
    assert firm.ntn == "1234567-8"  # written as the profile form writes it
    assert [(c.category_slug, c.capacity_unit, [p.slug for p in c.processes]) for c in firm.capabilities] == [
        ("pcba", "boards", ["smt"])
    ]
    assert [(c.number, c.issue_date, c.expiry_date) for c in firm.certificates] == [
        ("Q-1", date(2025, 1, 31), date(2028, 1, 30))
    ]


def test_the_report_is_shown_in_urdu_on_the_staff_page(client, login, users, db):
    login("staff")
    users["staff"].language = "ur"
    db.session.commit()
    text = listing_csv(FIRM_ROW, {**FIRM_ROW, "record": "factory", "name": "Other"})

    page = client.post(
        "/staff/imports",
        data={"csv_file": (io.BytesIO(text.encode()), "listing.csv")},
        content_type="multipart/form-data",
    )

    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "unknown record" not in body and "factory" in body
    assert firm_named(db, "Indus Circuits (Pvt) Ltd") is not None


def test_only_staff_imports_may_say_verified_on_any_row(app, db):
    report = import_text(listing_csv(FIRM_ROW, capability_row(verified="yes")), as_staff=False)

    assert [(p.line, p.reasons) for p in report.refused] == [
        (2, ("only EDB staff imports may set verified=yes; write no",)),
        (3, ("only EDB staff imports may set verified=yes; write no",)),
    ]
    assert firm_named(db, FIRM_ROW["name"]) is None


def test_a_staff_import_verifies_what_its_rows_say_and_changed_values_wait_for_review(app, db):
    import_text(listing_csv({**FIRM_ROW, "verified": "yes"}, capability_row(verified="yes"), certificate_row()))
    firm = firm_named(db, FIRM_ROW["name"])
    assert (firm.status, firm.capabilities[0].review_status, firm.certificates[0].review_status) == (
        ListingStatus.VERIFIED,
        VERIFIED,
        PENDING,
    )

    report = import_text(
        listing_csv({**FIRM_ROW, "verified": "yes"}, capability_row(capacity="1,500"), certificate_row(verified="yes"))
    )

    firm = firm_named(db, FIRM_ROW["name"])
    assert [o.line for o in report.updated] == [2]
    assert (firm.capabilities[0].monthly_capacity, firm.capabilities[0].review_status) == (1500, PENDING)
    assert firm.certificates[0].review_status == VERIFIED and firm.certificates[0].verified_at is not None


def test_a_dry_run_of_a_listing_file_saves_nothing(app, db):
    report = import_text(listing_csv(FIRM_ROW, capability_row(), certificate_row()), dry_run=True)

    assert [o.line for o in report.created] == [2]
    assert db.session.scalar(select(func.count(Firm.id))) == 0


def test_the_old_supplier_format_is_still_read_by_its_own_parser(app, db):
    from tests.staff import row, supplier_csv

    report = import_firms(parse_rows(supplier_csv(row())), actor=None, as_staff=True, dry_run=False)

    assert [o.line for o in report.created] == [2]
    assert {c.category_slug for c in firm_named(db, row()["name"]).capabilities} == {"pcba", "pcb-bare"}


def test_a_listing_header_missing_columns_is_refused_whole(app):
    from portal.staff.imports import FileRefused

    with pytest.raises(
        FileRefused, match=r"lacks the column\(s\) trade_name, .* must name these columns: record, name, city, "
    ):
        parse_rows(b"record,name,city\nfirm,A,Lahore\n")


# --- the command line and the staff page ---------------------------------------------------------


def test_export_command_writes_the_listing_format_and_import_reads_it(app, db, tmp_path):
    make_listings()
    path = tmp_path / "listings.csv"
    runner = app.test_cli_runner()

    exported = runner.invoke(args=["export-suppliers", str(path), "--format", "listing"])
    imported = runner.invoke(args=["import-suppliers", str(path)])

    assert exported.exit_code == 0, exported.output
    assert f"Exported 3 firm(s) to {path}." in exported.output
    assert path.read_bytes().decode() == listing_text(app)
    assert imported.exit_code == 0, imported.output
    assert "11 row(s), 3 firm(s): 0 created, 0 updated, 3 unchanged, 0 refused." in imported.output


def test_export_command_keeps_the_supplier_format_by_default(app, db, tmp_path):
    make_listings()
    path = tmp_path / "suppliers.csv"

    result = app.test_cli_runner().invoke(args=["export-suppliers", str(path)])

    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").startswith("name,city,province,description,categories,")


def test_staff_download_the_listing_format(client, login, app, db):
    make_listings()
    login("staff")

    page = client.get("/staff/imports").get_data(as_text=True)
    response = client.get("/staff/exports/suppliers.csv?format=listing")
    unknown = client.get("/staff/exports/suppliers.csv?format=xlsx")

    assert 'href="/staff/exports/suppliers.csv?format=listing"' in page
    assert response.status_code == 200
    assert 'filename="suppliers-listing-' in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True) == listing_text(app)
    assert unknown.status_code == 404
