"""Journeys that used to end in silence or a trap, walked in a real browser: claiming a listing
through sign-up, a brand's shortlist invited to a need, and an introduction EDB brokers."""

import re

from playwright.sync_api import expect

from tests.browser.test_firm_journey import sign_in
from tests.conftest import PASSWORD, make_user
from tests.factories import make_firm, make_need


def confirm_and_sign_in(page, outbox, email):
    """After sign-up (which answers alike for every address): sign in, open the e-mailed link
    (the tests using it run as if a mail server were set up)."""
    expect(page.get_by_text(f"We sent a message to {email}")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    link = next(m for m in outbox("email_verification")).body.split("open:\n\n", 1)[1].split()[0]
    claim_form = page.url
    page.goto("/account/" + link.split("/account/", 1)[1])
    page.goto(claim_form)


def test_a_visitor_claims_a_listing_by_signing_up_and_no_copy_is_made(page, outbox, mail_on):
    make_firm("Chenab Chargers (Pvt) Ltd", city="Gujranwala", website="https://chenabchargers.example.pk")

    page.goto("/suppliers/")
    page.get_by_role("link", name="Chenab Chargers (Pvt) Ltd").click()
    page.get_by_test_id("claim-hint").get_by_role("link", name="Claim this listing").click()
    expect(page.get_by_test_id("claiming")).to_contain_text("Chenab Chargers (Pvt) Ltd")
    expect(page.get_by_label("Firm's legal name")).to_have_count(0)
    page.get_by_label("Your full name").fill("Usman Tariq")
    page.get_by_label("Work e-mail").fill("usman@chenabchargers.example.pk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # Signed in, the new account lands on the claim form of that listing, its address filled in.
    confirm_and_sign_in(page, outbox, "usman@chenabchargers.example.pk")
    expect(page.get_by_role("heading", name="Claim Chenab Chargers (Pvt) Ltd")).to_be_visible()
    expect(page.get_by_label("Company e-mail address")).to_have_value("usman@chenabchargers.example.pk")
    page.get_by_label("Your position at the firm").fill("Director")
    page.get_by_role("button", name="Send the claim").click()
    expect(page.get_by_text("We sent a link to usman@chenabchargers.example.pk")).to_be_visible()

    # Still one listing of that name in the directory, and it is the one claimed.
    page.goto("/suppliers/?q=Chenab")
    expect(page.get_by_test_id("firm-card")).to_have_count(1)


def test_signing_up_with_a_listed_name_offers_to_claim_it(page, outbox, mail_on):
    make_firm("Sialkot Moulds (Pvt) Ltd", city="Sialkot")
    page.goto("/account/sign-up?role=supplier")
    page.get_by_label("Local firm").check()
    page.get_by_label("Your full name").fill("Ayesha Malik")
    page.get_by_label("Work e-mail").fill("ayesha@sialkotmoulds.example.pk")
    page.get_by_label("Firm's legal name").fill("SIALKOT MOULDS PRIVATE LIMITED")
    page.get_by_label("City").fill("sialkot")
    page.get_by_label("Province or territory").select_option(label="Punjab")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    offer = page.get_by_test_id("same-firm")
    expect(offer).to_contain_text("Sialkot Moulds (Pvt) Ltd")
    offer.get_by_label(re.compile("Yes: claim Sialkot Moulds")).check()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    confirm_and_sign_in(page, outbox, "ayesha@sialkotmoulds.example.pk")
    expect(page.get_by_role("heading", name="Claim Sialkot Moulds (Pvt) Ltd")).to_be_visible()


def test_a_brand_shortlists_firms_notes_them_and_invites_the_list_to_a_need(page, browser, live_server):
    for name in ("Ravi Cells (Pvt) Ltd", "Quetta Packs"):
        make_firm(name, owner=make_user("supplier", email=f"{name.split()[0].lower()}@example.pk"),
                  capabilities=[{"category": "battery", "capacity": 40000}])  # fmt: skip
    brand = make_user("brand", email="hina@crescent.example", full_name="Hina Qureshi", organisation="Crescent Mobile")
    make_need(brand, title="Packs for the C2", category="battery")

    # Signing in lands the brand on its needs, with its shortlists beside them.
    sign_in(page, "hina@crescent.example")
    expect(page.get_by_role("heading", name="Sourcing needs")).to_be_visible()

    page.goto("/categories/battery")
    card = page.get_by_test_id("firm-card").filter(has_text="Ravi Cells")
    card.get_by_role("button", name="Shortlist").click()
    expect(page.get_by_text("Ravi Cells (Pvt) Ltd is on your shortlist “My shortlist”.")).to_be_visible()
    card = page.get_by_test_id("firm-card").filter(has_text="Quetta Packs")
    card.get_by_role("combobox").select_option(label="My shortlist")
    card.get_by_role("button", name="Shortlist").click()

    page.get_by_role("link", name="Shortlists").click()
    page.get_by_role("link", name="My shortlist").click()
    expect(page.get_by_test_id("shortlisted-firm")).to_have_count(2)
    page.get_by_label("Your note").first.fill("Visited the line in May.")
    page.get_by_role("button", name="Save the note").first.click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Battery packs")
    page.get_by_role("button", name="Save the name").click()
    expect(page.get_by_role("heading", name="Battery packs")).to_be_visible()
    list_url = page.url
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert "Visited the line in May." in download.value.path().read_text(encoding="utf-8-sig")

    page.get_by_label("Need").select_option(label="Packs for the C2")
    page.get_by_role("button", name="Invite every firm on this list").click()
    expect(page.get_by_text("2 firms invited to quote on “Packs for the C2”.")).to_be_visible()
    expect(page.get_by_test_id("invited-firms")).to_contain_text("Quetta Packs")

    # Nobody else sees it: another brand gets "not found".
    make_user("brand", email="rival@example.com")
    rival = browser.new_context(base_url=live_server).new_page()
    sign_in(rival, "rival@example.com")
    assert rival.goto(list_url).status == 404
    assert rival.goto(f"{live_server}/shortlists/").status == 200
    expect(rival.get_by_text("No shortlist yet.")).to_be_visible()
    rival.context.close()


def test_an_introduction_to_a_listing_nobody_runs_is_brokered_by_edb(page, browser, live_server):
    make_firm("Haripur Housings", city="Haripur", province="Khyber Pakhtunkhwa")
    make_user("brand", email="hina@crescent.example", full_name="Hina Qureshi", organisation="Crescent Mobile")
    make_user("staff", email="reviewer@edb.example", full_name="Kamran Ali")

    sign_in(page, "hina@crescent.example")
    page.goto("/suppliers/?q=Haripur")
    page.get_by_role("link", name="Haripur Housings").first.click()
    page.get_by_role("link", name="Ask for an introduction").click()
    page.get_by_label("Message to the firm").fill("We need 10,000 housings a month.")
    page.get_by_role("button", name="Ask for an introduction").click()
    expect(page.get_by_text("so EDB staff broker your request")).to_be_visible()
    expect(page.get_by_test_id("intro-brokered")).to_contain_text("too few brokered requests yet to measure")

    # Staff find it in their queue (where signing in lands them), record the outcome, invite the firm.
    staff = browser.new_context(base_url=live_server).new_page()
    sign_in(staff, "reviewer@edb.example")
    staff.get_by_test_id("broker-queue").get_by_role("link", name=re.compile("Haripur Housings")).click()
    panel = staff.get_by_test_id("broker-panel")
    panel.get_by_label("The firm is interested").check()
    panel.get_by_label("Note for the brand").fill("Spoke to the owner; they will call you this week.")
    panel.get_by_role("button", name="Record the outcome").click()
    expect(staff.get_by_text("Outcome recorded; the brand is told.")).to_be_visible()
    staff.get_by_label("The firm's e-mail address").fill("owner@haripurhousings.example.pk")
    staff.get_by_role("button", name="Invite the firm to claim its listing").click()
    expect(staff.get_by_text("Invitation sent")).to_be_visible()
    staff.context.close()

    # The brand hears of it in the portal.
    page.goto("/notifications/")
    expect(page.get_by_text("EDB reached Haripur Housings: the firm is interested")).to_be_visible()
