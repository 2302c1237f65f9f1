"""A new firm registers, completes and submits its listing; staff verify it; brands can find it."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from portal.timeutil import today
from tests.conftest import PASSWORD, make_user
from tests.factories import PDF_BYTES


def sign_in(page, email, password=PASSWORD):
    page.goto("/account/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {email}.")).to_be_visible()


def test_firm_registers_submits_and_is_verified_into_the_directory(page, browser, live_server):
    # The firm signs up and lands on its listing.
    page.goto("/account/sign-up?role=supplier")
    page.get_by_label("Your full name").fill("Nadia Aslam")
    page.get_by_label("Work e-mail").fill("nadia@chenabcharge.example.pk")
    page.get_by_label("Firm's legal name").fill("Chenab Charge Systems (Pvt) Ltd")
    page.get_by_label("City").fill("Gujranwala")
    page.get_by_label("Province or territory").select_option("Punjab")
    page.get_by_label("Password", exact=True).fill("fast chargers for all")
    page.get_by_label("Repeat the password").fill("fast chargers for all")
    page.get_by_role("button", name="Create account").click()
    # Signed in from the page sign-up leads to, the firm lands on its listing.
    page.get_by_label("E-mail").fill("nadia@chenabcharge.example.pk")
    page.get_by_label("Password").fill("fast chargers for all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Chenab Charge Systems (Pvt) Ltd")).to_be_visible()
    expect(page.get_by_test_id("listing-status")).to_have_text("Draft")

    # Profile.
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Contact e-mail for brands").fill("sales@chenabcharge.example.pk")
    page.get_by_label("Phone").fill("+92 55 3812345")
    page.get_by_label("What the firm makes").fill(
        "Wall chargers and travel adapters from 5 W to 65 W, GaN fast chargers, on two SMT lines with AOI and burn-in racks."
    )
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()

    # A capability.
    page.get_by_role("link", name="Add capability").click()
    page.get_by_label("Component category").select_option(label="Chargers and power adapters")
    page.get_by_label("Monthly capacity").fill("120000")
    page.get_by_label("Surface-mount assembly (SMT)").check()
    page.get_by_label("Functional and reliability testing").check()
    page.get_by_label("Lead time (days)").fill("21")
    page.get_by_role("button", name="Save capability").click()
    expect(page.get_by_test_id("capability-row")).to_contain_text("Chargers and power adapters")

    # A certificate with its evidence file.
    page.get_by_role("link", name="Add certificate").click()
    page.get_by_label("Certification").select_option(label="ISO 9001")
    page.get_by_label("Certificate number").fill("QMS-2291")
    page.get_by_label("Issued by").fill("PNAC-accredited certification body")
    page.get_by_label("Issue date").fill((today() - timedelta(days=100)).isoformat())
    page.get_by_label("Expiry date").fill((today() + timedelta(days=700)).isoformat())
    page.get_by_label("Evidence (PDF, PNG or JPEG, at most 10 MB)").set_input_files(
        files=[{"name": "iso9001.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Save certificate").click()
    expect(page.get_by_test_id("certificate-row")).to_contain_text("Awaiting EDB check")

    page.get_by_role("button", name="Submit for verification").click()
    expect(page.get_by_test_id("listing-status")).to_have_text("Submitted")

    # Not public yet.
    page.goto("/suppliers/")
    expect(page.get_by_text("Chenab Charge Systems")).to_have_count(0)

    # Staff review it in their own browser session.
    make_user("staff", email="reviewer@edb.example", full_name="Imran Qadir")
    staff_context = browser.new_context(base_url=live_server)
    staff = staff_context.new_page()
    sign_in(staff, "reviewer@edb.example")
    staff.get_by_role("link", name="Listings", exact=True).click()
    staff.get_by_role("link", name="Chenab Charge Systems (Pvt) Ltd").click()
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Evidence: iso9001.pdf").click()
    assert download.value.suggested_filename == "iso9001.pdf"
    staff.get_by_test_id("review-certificate").get_by_role("button", name="Verify").click()
    expect(staff.get_by_text("Verified.", exact=True)).to_be_visible()
    staff.get_by_role("button", name="Verify listing").click()
    expect(staff.get_by_text("Chenab Charge Systems (Pvt) Ltd is verified and public.")).to_be_visible()
    staff_context.close()

    # Now brands find it in the directory and on its category page.
    page.goto("/suppliers/?category=charger&certification=iso-9001")
    expect(page.get_by_test_id("firm-card")).to_contain_text("Chenab Charge Systems")
    page.goto("/categories/charger")
    expect(page.get_by_test_id("firm-card")).to_contain_text("120,000 pcs/month")
    page.get_by_role("link", name="Chenab Charge Systems (Pvt) Ltd").click()
    expect(page.get_by_text("Verified by EDB on")).to_be_visible()
    expect(page.get_by_text("ISO 9001")).to_be_visible()

    # A buyer types it as buyers do: a misspelling and a certificate code, and narrows in one click.
    page.goto("/suppliers/")
    page.locator("#q").fill("chargr ISO9001")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("corrected")).to_contain_text("Showing results for")
    expect(page.get_by_test_id("firm-card").first).to_contain_text("Chenab Charge Systems")
    page.get_by_test_id("offered").get_by_role("link", name="Valid certification: ISO 9001 (1)").click()
    expect(page).to_have_url(re.compile(r"certification=iso-9001"))
    expect(page.get_by_test_id("firm-card")).to_contain_text("Chenab Charge Systems")
