"""Staff clear the review queue item after item without leaving it: open, decide, next."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from portal.suppliers.models import ListingStatus, ReviewStatus
from portal.timeutil import utcnow
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_firm

NAMES = ["Ravi Circuits (Pvt) Ltd", "Indus Cells (Pvt) Ltd", "Margalla Plastics (Pvt) Ltd"]


def test_staff_verify_submitted_listings_one_after_another_from_the_queue(page):
    for days, name in zip((9, 4, 2), NAMES, strict=True):
        make_firm(
            name,
            status=ListingStatus.SUBMITTED,
            submitted_at=utcnow() - timedelta(days=days, hours=1),
            capabilities=[{"category": "pcba", "review": ReviewStatus.PENDING}],
        )
    make_user("staff", email="reviewer@edb.example", full_name="Imran Qadir")
    sign_in(page, "reviewer@edb.example")

    page.get_by_role("link", name="Review queue (3)").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("9 days")
    expect(rows.nth(0)).to_contain_text(NAMES[0])
    expect(rows.nth(2)).to_contain_text("2 days")
    rows.nth(0).get_by_role("link", name=NAMES[0]).click()

    for left, name in zip((2, 1, 0), NAMES, strict=True):
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        page.get_by_role("button", name="Verify listing").click()
        expect(page.get_by_text(f"{name} is verified and public.")).to_be_visible()
        expect(page.get_by_role("link", name=f"Review queue ({left})")).to_be_visible()
        next_link = page.get_by_test_id("next-in-queue")
        expect(next_link).to_contain_text("Next in queue" if left else "Back to the queue")
        next_link.click()

    expect(page).to_have_url(re.compile(r"/staff/queue$"))
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    expect(page.get_by_role("link", name="Review queue (0)")).to_be_visible()
