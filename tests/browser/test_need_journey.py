"""A brand posts a sourcing need in the browser and reads the explained matches."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.timeutil import today
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_firm


def test_brand_posts_a_need_and_sees_ranked_matches(page):
    make_firm(
        "Ravi Cells",
        description="Power banks of 10,000 mAh.",
        capabilities=[{"category": "battery", "capacity": 30000, "processes": ["cell-assembly"]}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm(
        "Small Cells",
        capabilities=[{"category": "battery", "capacity": 5000, "processes": ["cell-assembly"]}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm("Uncertified Cells", capabilities=[{"category": "battery", "capacity": 50000}])
    make_user("brand", email="buyer@crescent.example", full_name="Hina Qureshi")
    sign_in(page, "buyer@crescent.example")

    page.get_by_role("link", name="Sourcing needs").click()
    page.get_by_role("link", name="Post a sourcing need").click()
    page.get_by_label("Title").fill("Battery packs for a feature phone")
    page.get_by_label("Component category").select_option(label="Lithium-ion cells and battery packs")
    page.get_by_label("Quantity per month").fill("20000")
    page.get_by_label("Description and specification").fill("1,800 mAh packs with BMS.")
    page.get_by_label("Specification features, one per line").fill("10,000 mAh")
    page.get_by_label("ISO 9001").check()
    page.get_by_label("Deadline for quotes").fill((today() + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Save need").click()

    expect(page.get_by_text("Need saved.")).to_be_visible()
    matches = page.get_by_test_id("match")
    expect(matches).to_have_count(2)
    expect(matches.first).to_contain_text("Ravi Cells")
    expect(matches.first).to_contain_text("capacity 30,000/month covers 20,000")
    expect(matches.first).to_contain_text("offers: 10,000 mAh")
    expect(page.get_by_test_id("near-misses")).to_contain_text("Uncertified Cells: would qualify with a valid ISO 9001")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("need-status")).to_have_text("Open")
