"""Staff withdraw a firm's incentives; the firm reads why and what it means, answers, and staff read the answer."""

from playwright.sync_api import expect

from portal.compliance import service
from portal.compliance.models import CaseKind
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_firm


def test_a_firm_told_of_withdrawn_incentives_answers_in_the_case(page, browser, live_server):
    owner = make_user("supplier", email="nadia@chenabcharge.example.pk", full_name="Nadia Aslam")
    staff = make_user("staff", email="reviewer@edb.example", full_name="Imran Qadir")
    firm = make_firm("Chenab Charge Systems (Pvt) Ltd", owner=owner, capabilities=[{"category": "charger"}])
    case = service.open_case(firm, CaseKind.INCENTIVE_BREACH, "Export share below the condition.", staff)

    sign_in(page, "reviewer@edb.example")
    page.goto(f"/staff/compliance/{case.id}")
    incentives = page.locator("#standing-incentive")
    incentives.get_by_label("Status").select_option("withdrawn")
    incentives.get_by_role("button", name="Set status").click()
    expect(page.locator("#standing-incentive").get_by_text("Give the reason for this status")).to_be_visible()
    incentives = page.locator("#standing-incentive")
    incentives.get_by_label("Status").select_option("withdrawn")
    incentives.get_by_label("Reason").fill("Exports were 12% of output in 2026; the condition is 30%.")
    incentives.get_by_role("button", name="Set status").click()
    expect(page.get_by_text("Incentives status set.")).to_be_visible()

    firm_side = browser.new_context(base_url=live_server).new_page()
    sign_in(firm_side, "nadia@chenabcharge.example.pk")
    firm_side.goto("/needs/opportunities")
    expect(firm_side.get_by_test_id("kept-out")).to_contain_text("not because of its profile")
    firm_side.get_by_test_id("notifications-link").click()
    notice = firm_side.get_by_test_id("notification").first
    expect(notice).to_contain_text("incentives withdrawn")
    expect(notice).to_contain_text("kept out of matching")
    notice.get_by_role("button", name="Open").click()
    expect(firm_side.get_by_test_id("standing-notice")).to_contain_text("the condition is 30%")
    firm_side.get_by_label("Your response").fill("Customs records show 34%; we sent them to EDB on 2 December.")
    firm_side.get_by_role("button", name="Send response to EDB").click()
    expect(firm_side.get_by_text("Your response is with the EDB staff handling the case.")).to_be_visible()

    page.goto("/notifications/")
    page.get_by_test_id("notification").first.get_by_role("button", name="Open").click()
    expect(page.get_by_test_id("firm-response")).to_contain_text("Customs records show 34%")
