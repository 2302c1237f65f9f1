"""A brand posts a need, reads the explained matches, invites firms; the firms send sealed quotes;
the brand closes the need, compares the quotes and awards one: all in a real browser."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.timeutil import today
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import PDF_BYTES, make_firm


def _as(browser, live_server, email):
    """A browser tab of its own, signed in as `email`."""
    tab = browser.new_context(base_url=live_server, locale="en-GB").new_page()
    tab.set_default_timeout(10_000)
    sign_in(tab, email)
    return tab


def _send_quote(tab, title, price, lead_time):
    tab.get_by_role("link", name="Opportunities").click()
    expect(tab.get_by_test_id("invitation")).to_contain_text(title)
    tab.get_by_role("link", name=title).click()
    expect(tab.get_by_test_id("attachment")).to_contain_text("cell-drawing.pdf")
    tab.get_by_role("link", name="Send a quote").click()
    tab.get_by_label("Unit price").fill(price)
    tab.get_by_label("Minimum order quantity").fill("5000")
    tab.get_by_label("Lead time (days)").fill(lead_time)
    tab.get_by_label("Valid until").fill((today() + timedelta(days=60)).isoformat())
    tab.get_by_label("Notes").fill("FOB Lahore.")
    tab.get_by_role("button", name="Send quote").click()
    expect(tab.get_by_text("Quote sent. It stays sealed until the deadline.")).to_be_visible()
    expect(tab.get_by_test_id("own-quote")).to_contain_text(f"{price} USD")


def test_brand_posts_invites_receives_sealed_quotes_compares_and_awards(page, browser, live_server, tmp_path):
    nadia = make_user("supplier", email="nadia@ravicells.example", full_name="Nadia Aslam")
    make_firm(
        "Ravi Cells",
        owner=nadia,
        description="Power banks of 10,000 mAh.",
        capabilities=[{"category": "battery", "capacity": 30000, "processes": ["cell-assembly"]}],
        certificates=[{"type": "iso-9001"}],
    )
    omar = make_user("supplier", email="omar@smallcells.example", full_name="Omar Farooq")
    make_firm(
        "Small Cells",
        owner=omar,
        capabilities=[{"category": "battery", "capacity": 5000, "processes": ["cell-assembly"]}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm("Uncertified Cells", capabilities=[{"category": "battery", "capacity": 50000}])
    make_user("brand", email="buyer@crescent.example", full_name="Hina Qureshi", organisation="Crescent Mobile")
    drawing = tmp_path / "cell-drawing.pdf"
    drawing.write_bytes(PDF_BYTES)

    # The brand posts an invited-only need and reads the explained matches.
    sign_in(page, "buyer@crescent.example")
    page.get_by_role("link", name="Sourcing needs").click()
    page.get_by_role("link", name="Post a sourcing need").click()
    page.get_by_label("Title").fill("Battery packs for a feature phone")
    page.get_by_label("Component category").select_option(label="Lithium-ion cells and battery packs")
    page.get_by_label("Quantity per month").fill("20000")
    page.get_by_label("Counted in").select_option(label="cells")
    page.get_by_label("Description and specification").fill("1,800 mAh packs with BMS.")
    page.get_by_label("Specification features, one per line").fill("10,000 mAh")
    page.get_by_label("ISO 9001").check()
    page.get_by_label("Deadline for quotes").fill((today() + timedelta(days=21)).isoformat())
    page.get_by_label("Invited firms only").check()
    page.get_by_role("button", name="Save need").click()
    expect(page.get_by_text("Need saved.")).to_be_visible()
    matches = page.get_by_test_id("match")
    expect(matches).to_have_count(2)
    expect(matches.first).to_contain_text("Ravi Cells")
    expect(matches.first).to_contain_text("capacity 30,000/month covers 20,000")
    expect(matches.first).to_contain_text("offers: 10,000 mAh")
    expect(page.get_by_test_id("near-misses")).to_contain_text("Uncertified Cells: would qualify with a valid ISO 9001")

    # A drawing, an invitation from the match list and one found by name; then publish.
    page.get_by_label("File (PDF, PNG or JPEG, at most 10 MB)").set_input_files(str(drawing))
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("File attached.")).to_be_visible()
    page.get_by_role("button", name="Invite Ravi Cells").click()
    expect(page.get_by_text("Ravi Cells is invited to quote.")).to_be_visible()
    page.get_by_role("link", name="Invite a firm by name").click()
    page.get_by_label("Firm name").fill("small")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Invite Small Cells").click()
    expect(page.get_by_test_id("invited-firms")).to_contain_text("Small Cells")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("need-status")).to_have_text("Open")

    # Each invited firm sends a sealed quote.
    title = "Battery packs for a feature phone"
    ravi = _as(browser, live_server, "nadia@ravicells.example")
    _send_quote(ravi, title, "2.35", "14")
    small = _as(browser, live_server, "omar@smallcells.example")
    _send_quote(small, title, "1.9", "30")

    # Sealed: the brand sees how many arrived, not what they say, until it closes the need.
    page.reload()
    expect(page.get_by_test_id("quote-count")).to_have_text("2 quotes received")
    expect(page.get_by_text("2.35")).to_have_count(0)
    # Closing asks first: nothing happens until the box naming what closing does is ticked.
    page.get_by_role("button", name="Close to quotes").click()
    expect(page.get_by_test_id("need-status")).to_have_text("Open")
    page.get_by_label("I understand: no firm can send or change a quote any more").check()
    page.get_by_role("button", name="Close to quotes").click()
    expect(page.get_by_test_id("need-status")).to_have_text("Closed")
    page.get_by_role("link", name="Compare quotes").click()
    rows = page.get_by_test_id("quote-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Small Cells")  # cheapest first
    page.get_by_role("link", name="Lead time").click()
    expect(rows.first).to_contain_text("Ravi Cells")  # quickest first
    expect(rows.first).to_contain_text("/ 100")
    page.get_by_label("Award Ravi Cells").check()
    page.get_by_label("I understand: the ticked quotes win").check()
    page.get_by_role("button", name="Award the chosen quotes").click()
    expect(page.get_by_text("Awarded to Ravi Cells.")).to_be_visible()
    expect(page.get_by_test_id("need-status")).to_have_text("Awarded")

    # Each firm hears its own outcome and sees it beside its quote.
    ravi.get_by_test_id("notifications-link").click()
    expect(ravi.get_by_text(f"Your quote was selected: {title}")).to_be_visible()
    ravi.get_by_role("link", name="Opportunities").click()
    expect(ravi.get_by_test_id("own-quote-row")).to_contain_text("Awarded")
    small.get_by_role("link", name="Opportunities").click()
    expect(small.get_by_test_id("own-quote-row")).to_contain_text("Not selected")
    expect(small.get_by_test_id("own-quote-row")).not_to_contain_text("Ravi")
