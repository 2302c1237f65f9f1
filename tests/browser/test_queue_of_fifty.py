"""A reviewer clears a queue of fifty mixed items (listings, capabilities, certificates, identity
changes, claims) without leaving the review pages: decide what the firm page shows, then next."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from portal.claims.models import ClaimMethod, ClaimStatus, FirmClaim
from portal.extensions import db
from portal.staff.queue import queue_count
from portal.suppliers.models import ListingStatus, ReviewStatus
from portal.timeutil import utcnow
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_capability, make_certificate, make_firm

DECISIONS = ("Verify listing", "Verify", "Apply changes", "Approve claim")


def _fifty_items():
    waited = iter(range(200, 0, -1))
    for n in range(14):
        make_firm(f"Submitted {n} (Pvt) Ltd", status=ListingStatus.SUBMITTED,
                  submitted_at=utcnow() - timedelta(hours=next(waited)))  # fmt: skip
    for n in range(12):
        firm = make_firm(f"Growing {n} (Pvt) Ltd", owner=make_user("supplier", email=f"owner{n}@growing.pk"))
        make_capability(firm, "charger", review=ReviewStatus.PENDING)
        make_certificate(firm, "iso-9001", review=ReviewStatus.PENDING, evidence_path="x/evidence.pdf")
    for n in range(6):
        firm = make_firm(f"Renamed {n} (Pvt) Ltd", owner=make_user("supplier", email=f"owner{n}@renamed.pk"))
        firm.proposed = {"legal_name": f"Renamed Anew {n} (Pvt) Ltd"}
    for n in range(6):
        firm = make_firm(f"Unowned {n} (Pvt) Ltd")
        claimant = make_user("supplier", email=f"claimant{n}@unowned.pk")
        db.session.add(FirmClaim(firm=firm, user=claimant, method=ClaimMethod.DOCUMENT, position="Director",
                                 status=ClaimStatus.PENDING, submitted_at=utcnow(), document_name="ntn.pdf",
                                 document_path="none.pdf", document_mime="application/pdf"))  # fmt: skip
    db.session.commit()


def _decide_everything_on_the_page(page) -> int:
    decided = 0
    while True:
        for name in DECISIONS:
            button = page.get_by_role("button", name=name, exact=True)
            if button.count():
                with page.expect_navigation():
                    button.first.click()
                decided += 1
                break
        else:
            return decided


def test_a_reviewer_clears_fifty_items_without_leaving_the_review_pages(page):
    _fifty_items()
    assert queue_count() == 50
    make_user("staff", email="reviewer@edb.example", full_name="Imran Qadir")
    sign_in(page, "reviewer@edb.example")
    page.get_by_role("link", name="Review queue (50)").click()
    expect(page.get_by_test_id("queue-row")).to_have_count(50)
    page.get_by_test_id("queue-row").first.get_by_role("link").click()

    decided = 0
    for _firm in range(60):
        decided += _decide_everything_on_the_page(page)
        next_link = page.get_by_test_id("next-in-queue")
        done = "Back to the queue" in next_link.inner_text()
        next_link.click()
        if done:
            break
    expect(page).to_have_url(re.compile(r"/staff/queue$"))
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    expect(page.get_by_role("link", name="Review queue (0)")).to_be_visible()
    assert decided == 50
