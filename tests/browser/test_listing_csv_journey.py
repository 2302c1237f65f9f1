"""Staff download the listing CSV, change a capacity in a spreadsheet, check the file and import it."""

import csv
import io

from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.suppliers.models import Capability, ReviewStatus
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_firm

NAME = "Ravi Circuits (Pvt) Ltd"


def test_staff_edit_a_listing_through_the_listing_csv(page, tmp_path):
    make_firm(
        NAME,
        capabilities=[
            {"category": "pcba", "capacity": 20000, "capacity_unit": "boards", "is_main_line": True},
            {"category": "pcb-bare", "capacity": 900, "capacity_unit": "m2", "board_area_mm2": 3500},
        ],
        certificates=[{"type": "iso-9001", "number": "ISO-77"}],
    )
    make_user("staff", email="reviewer@edb.example", full_name="Imran Qadir")
    sign_in(page, "reviewer@edb.example")
    page.goto("/staff/imports")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the listing CSV").click()
    assert download.value.suggested_filename.startswith("suppliers-listing-")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"), newline="")))
    assert [(r["record"], r["category"] or r["certification"]) for r in rows] == [
        ("firm", ""),
        ("capability", "pcba"),
        ("capability", "pcb-bare"),
        ("certificate", "iso-9001"),
    ]
    rows[2]["capacity"] = "1200"  # more m² of panel a month
    edited = tmp_path / "listing.csv"
    with edited.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    page.get_by_label("Supplier CSV file").set_input_files(str(edited))
    page.get_by_role("button", name="Upload and import").click()  # a dry run first: the box is ticked
    expect(page.get_by_test_id("import-counts")).to_contain_text("Would be updated")
    expect(page.get_by_test_id("updated-rows")).to_contain_text(NAME)

    page.get_by_label("Supplier CSV file").set_input_files(str(edited))
    page.get_by_label("Dry run: check the file and show what would change, without saving").uncheck()
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name="Import report")).to_be_visible()
    expect(page.get_by_test_id("updated-rows")).to_contain_text(NAME)

    db.session.expire_all()
    bare = db.session.scalar(select(Capability).where(Capability.category_slug == "pcb-bare"))
    # Staff's file said verified=yes for it, and a staff import is trusted with that.
    assert (bare.monthly_capacity, bare.capacity_unit, bare.board_area_mm2) == (1200, "m2", 3500)
    assert bare.review_status == ReviewStatus.VERIFIED
