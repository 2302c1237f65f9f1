"""Exporting the supplier CSV, and importing an export: into an empty database and over itself."""

import csv
import io

from sqlalchemy import delete, func, select

from portal.audit.models import AuditEntry
from portal.staff.imports import COLUMNS, export_firms, import_firms, parse_rows
from portal.suppliers.directory import public_capabilities
from portal.suppliers.models import Firm, ListingStatus, ReviewStatus
from tests.factories import make_firm

PENDING, REJECTED = ReviewStatus.PENDING, ReviewStatus.REJECTED


def make_directory():
    """Listings in every state, with items staff verified, left pending and rejected."""
    make_firm(
        "Alpha Boards (Pvt) Ltd",
        capabilities=[
            {"category": "pcba", "capacity": 9000, "processes": ["smt", "testing"], "is_main_line": True},
            {"category": "motherboard", "capacity": 9000, "processes": ["smt"]},
            {"category": "pcb-bare", "capacity": 500, "review": PENDING, "processes": ["pcb-fabrication"]},
        ],
        certificates=[{"type": "iso-9001"}, {"type": "rohs", "review": REJECTED}, {"type": "ce", "days_valid": -30}],
        employees=120,
        export_markets=["UAE", "Saudi Arabia"],
        website="https://alpha.example.pk",
    )
    make_firm(
        "beta Cables",
        status=ListingStatus.DRAFT,
        city="Karachi",
        province="Sindh",
        capabilities=[{"category": "cable", "review": PENDING, "capacity": 70000}],
        certificates=[{"type": "psqca", "review": PENDING}],
        description='Line one,\nline two; with "quotes".',
    )
    make_firm("Gamma Housings", suspended=True, capabilities=[{"category": "housing-plastic"}])
    make_firm("Delta Packaging", status=ListingStatus.SUBMITTED, city="Faisalabad", employees=None)


def export_text() -> str:
    stream = io.StringIO(newline="")
    export_firms(stream)
    return stream.getvalue()


def listings(db) -> list[dict]:
    """Each firm's profile, and what the directory shows of it when it shows it at all."""
    db.session.expire_all()
    return [_listing(firm) for firm in db.session.scalars(select(Firm).order_by(Firm.legal_name))]


def _listing(firm: Firm) -> dict:
    listing = {
        "profile": (firm.legal_name, firm.city, firm.province, firm.description, firm.employees, firm.export_markets),
        "contact": (firm.contact_email, firm.website),
        "public": firm.is_public,
    }
    if not firm.is_public:
        return listing
    capabilities = public_capabilities(firm)
    return {
        **listing,
        "capabilities": [c.category_slug for c in capabilities],
        # One capacity column: the main line's. (Other lines come back with it too.)
        "main_capacity": capabilities[0].monthly_capacity,
        "processes": sorted({p.slug for c in capabilities for p in c.processes}),
        "certificates": sorted((c.type_slug, c.expiry_date) for c in firm.valid_certificates()),
    }


def empty_the_directory(db):
    db.session.execute(delete(Firm))
    db.session.commit()


def reimport(text: str):
    return import_firms(parse_rows(text.encode()), actor=None, as_staff=True, dry_run=False)


def test_export_writes_every_firm_sorted_by_name_in_the_import_format(app, db):
    make_directory()

    rows = list(csv.DictReader(io.StringIO(export_text(), newline="")))

    assert [r["name"] for r in rows] == ["Alpha Boards (Pvt) Ltd", "beta Cables", "Delta Packaging", "Gamma Housings"]
    alpha, beta, delta, gamma = rows
    assert list(alpha) == list(COLUMNS)
    # A public listing carries only what staff verified: an import of "yes" verifies all it lists.
    assert (alpha["categories"], alpha["processes"], alpha["capacity_units_per_month"]) == (
        "pcba;motherboard",
        "smt;testing",
        "9000",
    )
    assert alpha["certifications"].split(";")[0].startswith("ce:") and "iso-9001:" in alpha["certifications"]
    assert "rohs" not in alpha["certifications"]
    assert (alpha["export_markets"], alpha["employees"], alpha["verified"]) == ("UAE;Saudi Arabia", "120", "yes")
    assert (beta["categories"], beta["certifications"][:6], beta["verified"]) == ("cable", "psqca:", "no")
    assert beta["description"] == 'Line one,\nline two; with "quotes".'
    assert (gamma["verified"], delta["verified"], delta["employees"], delta["categories"]) == ("no", "no", "", "")


def test_an_export_imported_into_an_empty_database_gives_the_same_listings(app, db):
    make_directory()
    exported, shown = export_text(), listings(db)
    empty_the_directory(db)

    report = reimport(exported)

    assert (len(report.created), report.refused) == (4, [])
    assert listings(db) == shown
    statuses = dict(db.session.execute(select(Firm.legal_name, Firm.status)).all())
    assert statuses == {
        "Alpha Boards (Pvt) Ltd": ListingStatus.VERIFIED,
        "beta Cables": ListingStatus.DRAFT,
        "Gamma Housings": ListingStatus.DRAFT,  # suspended: stays hidden rather than published again
        "Delta Packaging": ListingStatus.DRAFT,  # the format has no "submitted"
    }
    assert export_text() == exported


def test_importing_an_export_over_its_own_database_changes_nothing(app, db):
    make_directory()
    exported = export_text()
    versions = dict(db.session.execute(select(Firm.id, Firm.version)).all())
    entries = db.session.scalar(select(func.count(AuditEntry.id)))

    report = reimport(exported)

    assert (len(report.unchanged), report.created, report.updated, report.refused) == (4, [], [], [])
    assert db.session.scalar(select(func.count(AuditEntry.id))) == entries
    db.session.expire_all()
    assert dict(db.session.execute(select(Firm.id, Firm.version)).all()) == versions
    alpha = db.session.scalar(select(Firm).where(Firm.legal_name.startswith("Alpha")))
    pending = [c for c in alpha.capabilities if c.category_slug == "pcb-bare"]
    assert pending[0].review_status == PENDING  # not verified by the round trip


def test_cells_a_spreadsheet_would_run_as_formulas_are_escaped_and_restored(app, db):
    make_firm('=HYPERLINK("http://evil.example")', description="-lead-free soldering on every line of ours")
    exported = export_text()

    assert "'=HYPERLINK" in exported and ",'-lead-free" in exported
    empty_the_directory(db)
    reimport(exported)
    db.session.expire_all()
    firm = db.session.scalar(select(Firm))
    assert firm.legal_name == '=HYPERLINK("http://evil.example")'
    assert firm.description.startswith("-lead-free")


def test_export_command_writes_the_file(app, db, tmp_path):
    make_directory()
    path = tmp_path / "out.csv"

    result = app.test_cli_runner().invoke(args=["export-suppliers", str(path)])

    assert result.exit_code == 0, result.output
    assert f"Exported 4 firm(s) to {path}." in result.output
    assert path.read_bytes().decode() == export_text()
