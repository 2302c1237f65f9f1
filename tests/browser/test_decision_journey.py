"""Staff decide about a firm's certificates; the firm reads each decision, its reason and what to do next."""

from playwright.sync_api import expect

from portal.suppliers.models import ReviewStatus
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_firm


def test_staff_reject_one_certificate_and_check_another_by_register_the_firm_reads_both(page, browser, live_server):
    owner = make_user("supplier", email="nadia@chenabcharge.example.pk", full_name="Nadia Aslam")
    firm = make_firm(
        "Chenab Charge Systems (Pvt) Ltd",
        owner=owner,
        certificates=[
            {"type": "rohs", "review": ReviewStatus.PENDING, "evidence_path": "rohs.pdf", "number": "R-11"},
            {"type": "iso-9001", "review": ReviewStatus.PENDING, "number": "QMS-2291"},
        ],
    )
    make_user("staff", email="reviewer@edb.example", full_name="Imran Qadir")
    sign_in(page, "reviewer@edb.example")
    page.goto(f"/staff/firms/{firm.id}")
    rohs, iso = page.get_by_test_id("review-certificate").nth(0), page.get_by_test_id("review-certificate").nth(1)

    rohs.get_by_label("Reason (needed to reject; the firm reads it)").fill("The scan is unreadable.")
    rohs.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Rejected.")).to_be_visible()

    # No evidence file: verifying needs a note of how it was checked, asked next to the field.
    iso = page.get_by_test_id("review-certificate").nth(1)
    iso.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("item-error")).to_contain_text("say how the certificate was checked")
    iso = page.get_by_test_id("review-certificate").nth(1)
    iso.get_by_label("Note: how it was checked").fill("Checked with the issuing body's register.")
    iso.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("Verified.")).to_be_visible()

    firm_side = browser.new_context(base_url=live_server).new_page()
    sign_in(firm_side, "nadia@chenabcharge.example.pk")
    firm_side.get_by_test_id("notifications-link").click()
    notice = firm_side.get_by_test_id("notification").first
    expect(notice).to_contain_text("Certificate RoHS R-11 not accepted")
    expect(notice).to_contain_text("The scan is unreadable.")
    notice.get_by_role("button", name="Open").click()
    decision = firm_side.get_by_test_id("decision")
    expect(decision).to_contain_text("RoHS: Certificate not accepted.")
    expect(decision).to_contain_text("upload a readable copy")
    completeness = firm_side.get_by_test_id("completeness")
    expect(completeness).to_contain_text("Correct the RoHS certificate EDB did not accept")
    expect(completeness).not_to_contain_text("Upload the ISO 9001 certificate")
    expect(firm_side.get_by_text("Checked by EDB: Checked with the issuing body's register.")).to_be_visible()
