"""A brand asks a firm from its need's matches for an introduction; the firm accepts, contacts
appear, they write to each other and move it to "in talks"."""

from playwright.sync_api import expect

from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_firm, make_need


def test_brand_asks_firm_accepts_they_talk(page, browser, live_server):
    owner = make_user("supplier", email="imran@ravicircuits.example.pk", full_name="Imran Sheikh")
    make_firm(
        "Ravi Circuits (Pvt) Ltd",
        owner=owner,
        contact_email="sales@ravicircuits.example.pk",
        phone="+92 42 111 222 333",
        capabilities=[{"category": "pcba", "capacity": 40000}],
    )
    brand = make_user("brand", email="hina@crescent.example", full_name="Hina Qureshi", organisation="Crescent Mobile")
    make_need(brand, "pcba", title="Main boards for the C2 feature phone")

    # The brand finds the firm among its need's matches and asks.
    sign_in(page, "hina@crescent.example")
    page.get_by_role("link", name="Sourcing needs").click()
    page.get_by_role("link", name="Main boards for the C2 feature phone").click()
    match = page.get_by_test_id("match").filter(has_text="Ravi Circuits")
    match.get_by_role("link", name="Ask for an introduction").click()
    expect(page.get_by_text("about your need")).to_be_visible()
    page.get_by_label("Message to the firm").fill("We need 20,000 boards a month from June.")
    page.get_by_role("button", name="Ask for an introduction").click()
    expect(page.get_by_text("Your request is on its way to Ravi Circuits (Pvt) Ltd.")).to_be_visible()
    expect(page.get_by_test_id("intro-stage")).to_have_text("Requested")
    expect(page.get_by_test_id("contacts-hidden")).to_be_visible()
    expect(page.get_by_text("+92 42 111 222 333")).to_have_count(0)

    # The firm's owner signs in in their own browser, sees the request and accepts.
    firm_context = browser.new_context(base_url=live_server)
    firm_page = firm_context.new_page()
    sign_in(firm_page, "imran@ravicircuits.example.pk")
    expect(firm_page.get_by_test_id("unread-count")).to_have_text("1 unread")
    firm_page.get_by_role("link", name="Introductions").click()
    firm_page.get_by_test_id("intro-row").get_by_role("link", name="Ravi Circuits (Pvt) Ltd").click()
    expect(firm_page.get_by_test_id("intro-request")).to_have_text("We need 20,000 boards a month from June.")
    expect(firm_page.get_by_text("hina@crescent.example")).to_have_count(0)
    firm_page.get_by_role("button", name="Accept and share contacts").click()
    expect(firm_page.get_by_test_id("intro-contacts")).to_contain_text("hina@crescent.example")

    # The brand now sees the firm's contact details and writes.
    page.reload()
    contacts = page.get_by_test_id("intro-contacts")
    expect(contacts).to_contain_text("+92 42 111 222 333")
    expect(contacts).to_contain_text("Imran Sheikh")
    page.get_by_label("Your message").fill("Could you share your SMT line list?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Message sent.")).to_be_visible()

    # The firm reads it, replies and moves the introduction to "in talks".
    firm_page.reload()
    expect(firm_page.get_by_test_id("intro-message")).to_contain_text("Could you share your SMT line list?")
    firm_page.get_by_label("Your message").fill("Two Yamaha lines; details attached by e-mail.")
    firm_page.get_by_role("button", name="Send message").click()
    firm_page.get_by_role("button", name="Mark as in talks").click()
    expect(firm_page.get_by_test_id("intro-stage")).to_have_text("In talks")
    firm_context.close()

    page.reload()
    expect(page.get_by_test_id("intro-message")).to_have_count(2)
    expect(page.get_by_test_id("intro-message").last).to_contain_text("Two Yamaha lines")
    expect(page.get_by_test_id("intro-stage")).to_have_text("In talks")
    expect(page.get_by_test_id("stage-history")).to_contain_text("In talks · Imran Sheikh")
