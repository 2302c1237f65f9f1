"""A firm posts an investment opportunity, staff approve it, an investor finds it ranked for its
profile and expresses interest, the firm accepts, and the data room and contact open to the investor."""

import re

from playwright.sync_api import expect

from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import PDF_BYTES, make_firm


def test_opportunity_from_posting_to_an_open_data_room(page, browser, live_server):
    owner = make_user("supplier", email="nadia@indusdisplays.example.pk", full_name="Nadia Aslam")
    make_firm(
        "Indus Displays (Pvt) Ltd",
        owner=owner,
        contact_email="invest@indusdisplays.example.pk",
        phone="+92 42 5550101",
        capabilities=[{"category": "display-module"}],
    )
    make_user("staff", email="reviewer@edb.example", full_name="Imran Qadir")
    make_user("investor", email="sara@gulftech.example", full_name="Sara Haddad", organisation="Gulf Tech Fund")

    # The firm posts its opportunity, adds a business plan to the data room and submits it.
    sign_in(page, "nadia@indusdisplays.example.pk")
    page.get_by_role("link", name="Investment", exact=True).click()
    page.get_by_role("link", name="Post an investment opportunity").click()
    page.get_by_label("Title").fill("Second LCM line for feature phones")
    page.get_by_label("Purpose").select_option(label="Capacity expansion")
    page.get_by_label("Stage").select_option(label="Operating")
    page.get_by_label("Display modules").check()
    page.get_by_label("Amount sought, from").fill("2000000")
    page.get_by_label("Amount sought, up to").fill("3500000")
    page.get_by_label("Equity").check()
    page.get_by_label("Use of funds").fill("A lamination line with AOI for 1.8-inch TFT modules, 40,000 a month.")
    page.get_by_role("button", name="Save opportunity").click()
    expect(page.get_by_text("Opportunity saved.")).to_be_visible()
    expect(page.get_by_test_id("opportunity-status")).to_have_text("Draft")
    page.get_by_label("Document (PDF, PNG or JPEG, at most 10 MB)").set_input_files(
        files=[{"name": "business-plan.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("What it is").fill("Business plan 2026–2028")
    page.get_by_role("button", name="Add to data room").click()
    expect(page.get_by_test_id("data-room")).to_contain_text("business-plan.pdf")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("opportunity-status")).to_have_text("Waiting for EDB review")
    opportunity_url = page.url

    # Staff approve it from the review queue.
    staff = browser.new_context(base_url=live_server).new_page()
    sign_in(staff, "reviewer@edb.example")
    staff.get_by_role("link", name="Review queue (1)").click()
    row = staff.get_by_test_id("queue-row")
    expect(row).to_contain_text("investment opportunity: Second LCM line for feature phones")
    row.get_by_role("link", name="Indus Displays (Pvt) Ltd").click()
    staff.get_by_role("button", name="Approve and publish").click()
    expect(staff.get_by_text("Published: investors can now find it.")).to_be_visible()
    expect(staff.get_by_role("link", name="Review queue (0)")).to_be_visible()

    # The investor describes what it invests in and finds the opportunity ranked, with reasons.
    investor_context = browser.new_context(base_url=live_server)
    investor = investor_context.new_page()
    sign_in(investor, "sara@gulftech.example")
    investor.get_by_role("link", name="Investment", exact=True).click()
    investor.get_by_role("link", name="Create your profile").first.click()
    expect(investor.get_by_label("Organisation")).to_have_value("Gulf Tech Fund")
    investor.get_by_label("Display modules").check()
    investor.get_by_label("Ticket size, from").fill("2000000")
    investor.get_by_label("Ticket size, up to").fill("5000000")
    investor.get_by_label("Equity").check()
    investor.get_by_label("Punjab").check()
    investor.get_by_role("button", name="Save profile").click()
    match = investor.get_by_test_id("match")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("1. Second LCM line for feature phones")
    expect(match).to_contain_text("ticket 2–5 M USD fits 2–3.5 M sought")
    expect(match).to_contain_text("interested in display modules")
    expect(match).to_contain_text("accepts equity")
    expect(match).to_contain_text("based in Punjab, a province of interest")

    # Before consent: no data room, no contact. The investor expresses interest.
    match.get_by_role("link", name="1. Second LCM line for feature phones").click()
    expect(investor.get_by_test_id("data-room")).to_have_count(0)
    expect(investor.get_by_text("invest@indusdisplays.example.pk")).to_have_count(0)
    investor.get_by_label("Message to the firm").fill("We back display lines in Punjab; can we see the plan?")
    investor.get_by_role("button", name="Express interest").click()
    expect(investor.get_by_text("Interest sent.")).to_be_visible()
    expect(investor.get_by_test_id("waiting-for-firm")).to_be_visible()
    # Before the firm answers, the investor's one move is to withdraw, named so and asked first.
    moves = investor.get_by_test_id("deal-moves")
    expect(moves.get_by_role("button")).to_have_count(1)
    expect(moves.get_by_role("button", name="Withdraw my interest")).to_be_visible()
    expect(moves.locator("select")).to_have_count(0)
    expect(moves.get_by_label("I understand: the talks end for good")).not_to_be_checked()
    thread_url = investor.url

    # The firm accepts.
    page.goto(opportunity_url)
    page.get_by_test_id("interest-row").get_by_role("link", name=re.compile("Sara Haddad")).click()
    expect(page.get_by_test_id("message")).to_contain_text("can we see the plan?")
    page.get_by_role("button", name="Accept and open the data room").click()
    expect(page.get_by_text("Accepted: the investor now sees your data room and contact details.")).to_be_visible()

    # The data room and the contact details are open to the investor.
    investor.goto(thread_url)
    expect(investor.get_by_test_id("firm-contact")).to_contain_text("invest@indusdisplays.example.pk")
    expect(investor.get_by_test_id("firm-contact")).to_contain_text("+92 42 5550101")
    document = investor.get_by_test_id("data-room").get_by_role("link", name="business-plan.pdf")
    expect(document).to_be_visible()
    download = investor_context.request.get(document.get_attribute("href"))
    assert download.status == 200 and download.body() == PDF_BYTES

    # Now the deal moves on by a verb, and the investor may still withdraw.
    moves = investor.get_by_test_id("deal-moves")
    expect(moves.get_by_role("button", name="Withdraw my interest")).to_be_visible()
    moves.get_by_role("button", name="Move on to the NDA").click()
    expect(investor.get_by_text("The deal is now at: NDA.")).to_be_visible()
    expect(investor.get_by_test_id("deal-moves").get_by_role("button", name="Start due diligence")).to_be_visible()

    # Both sides write in the private thread with the same form as an introduction's.
    investor.get_by_label("Your message").fill("NDA signed; we return it today.")
    investor.get_by_role("button", name="Send message").click()
    expect(investor.get_by_test_id("message").last).to_contain_text("NDA signed; we return it today.")
    page.reload()
    expect(page.get_by_test_id("message")).to_have_count(2)
    expect(page.get_by_test_id("message").last).to_contain_text("NDA signed; we return it today.")
