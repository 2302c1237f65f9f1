"""A brand uploads a 120-line phone BOM, corrects one line's category, reads the local-content
figure and turns three lines into draft needs: in a real browser."""

import re

from playwright.sync_api import expect

from portal.money.rates import load_rates
from portal.timeutil import today
from tests.bom.builders import bom_csv
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_firm


def test_brand_uploads_a_bom_corrects_a_line_reads_local_content_and_drafts_three_needs(page, tmp_path):
    make_firm("Ravi Power Adapters", capabilities=[{"category": "charger", "capacity": 100_000}])
    make_firm("Indus Cables", capabilities=[{"category": "cable", "capacity": 500_000}])
    make_firm("Lahore Print & Pack", capabilities=[{"category": "packaging", "capacity": 1_000_000}])
    load_rates(f"date,currency,pkr_per_unit\n{today().isoformat()},USD,280\n{today().isoformat()},CNY,40\n", "SBP")
    make_user("brand", email="planner@crescent.example", organisation="Crescent Mobile")
    bom = tmp_path / "phone-bom.csv"
    bom.write_text(bom_csv(), encoding="utf-8")

    sign_in(page, "planner@crescent.example")
    page.get_by_role("link", name="BOM plans").click()
    page.get_by_role("link", name="Upload a BOM").click()
    page.get_by_label("Plan name").fill("Crescent C5")
    page.get_by_label("BOM file (CSV or Excel .xlsx, at most 2 MB and 1,000 lines)").set_input_files(str(bom))
    page.get_by_role("button", name="Read the BOM").click()
    expect(page.get_by_text("120 lines read and mapped.")).to_be_visible()
    expect(page.get_by_test_id("bom-line")).to_have_count(120)

    # Local today, as read: the chargers (10.30 USD a device), the cables (1.652857, with the side-key
    # flex cable the planner took for a cable, 0.21) and the packaging lines (0.797143): 12.96 of
    # 247.909 USD -> 5.2%
    expect(page.get_by_test_id("local-value-share")).to_have_text("5.2%")

    # The brand corrects the flex cable: no local firm makes flexible circuits, so the share drops to
    # 12.75 / 247.909 = 5.1%.
    flex = page.locator('[data-testid="bom-line"][data-reference="7"]')
    expect(flex.get_by_test_id("line-category")).to_have_text("USB and data cables")
    flex.get_by_label("Category of line 7").select_option(label="Flexible printed circuits")
    flex.get_by_role("button", name="Change").click()
    expect(page.get_by_text("Line 7 corrected; the planner will remember it.")).to_be_visible()
    flex = page.locator('[data-testid="bom-line"][data-reference="7"]')
    expect(flex.get_by_test_id("line-category")).to_have_text("Flexible printed circuits")
    expect(flex).to_contain_text("chosen by you")
    expect(page.get_by_test_id("local-value-share")).to_have_text("5.1%")

    # Three local lines become draft needs in one step.
    for reference in ("11", "14", "83"):
        page.get_by_label(f"Choose line {reference}", exact=True).check()
    page.get_by_test_id("draft-needs").click()
    expect(page.get_by_text("3 draft needs made: review and publish them under Sourcing needs.")).to_be_visible()
    expect(page.get_by_test_id("line-need")).to_have_count(3)

    page.get_by_role("link", name="Sourcing needs").click()
    rows = page.get_by_test_id("need-row")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="USB-C PD 20W adapter")).to_contain_text("20,000")
    expect(page.get_by_text(re.compile("Retail gift box"))).to_be_visible()
