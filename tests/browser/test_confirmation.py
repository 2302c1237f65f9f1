"""A brand signs up on a portal that sends no e-mail: it is told EDB staff confirm its address, staff
confirm it from the queue, and the brand hears of it in the portal and posts its need."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.timeutil import today
from tests.browser.test_firm_journey import sign_in
from tests.conftest import PASSWORD, make_user


def _save_need(page):
    page.goto("/needs/new")
    page.get_by_label("Title").fill("Wall chargers 20 W")
    page.get_by_label("Component category").select_option(label="Chargers and power adapters")
    page.get_by_label("Quantity per month").fill("50000")
    page.get_by_label("Description and specification").fill("USB-C PD wall chargers.")
    page.get_by_label("Deadline for quotes").fill((today() + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Save need").click()


def test_a_brand_without_mail_is_confirmed_by_staff_and_posts_its_need(page, browser, live_server):
    make_user("staff", email="reviewer@edb.example")
    page.goto("/account/sign-up")
    page.get_by_label("Global brand / sourcing manager").check()
    page.get_by_label("Your full name").fill("Hina Qureshi")
    page.get_by_label("Work e-mail").fill("hina@crescent.example.pk")
    page.get_by_label("Company or fund").fill("Crescent Mobile")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("EDB staff confirm hina@crescent.example.pk")).to_be_visible()
    sign_in(page, "hina@crescent.example.pk")

    # Posting waits, and says why and for how long.
    _save_need(page)
    explanation = page.get_by_role("alert").filter(has_text="EDB staff confirm new addresses")
    expect(explanation).to_contain_text("usually within 2 working days")
    expect(explanation).to_contain_text("Meanwhile you can search suppliers")

    # EDB staff confirm the address from the queue, saying how they checked it.
    staff = browser.new_context(base_url=live_server, locale="en-GB").new_page()
    staff.set_default_timeout(10_000)
    sign_in(staff, "reviewer@edb.example")
    staff.goto("/staff/queue")
    staff.get_by_test_id("address-queue").get_by_role("link", name="hina@crescent.example.pk").click()
    staff.get_by_label("Confirm the address").check()
    staff.get_by_label("How you checked it, or why you decline it").fill("Phoned Crescent Mobile's Lahore office.")
    staff.get_by_role("button", name="Record the decision").click()
    expect(staff.get_by_text("hina@crescent.example.pk is confirmed")).to_be_visible()

    # The brand reads it in the portal and posts the need.
    page.goto("/notifications/")
    expect(page.get_by_text("EDB confirmed your e-mail address")).to_be_visible()
    expect(page.get_by_test_id("verify-email-banner")).to_have_count(0)
    _save_need(page)
    expect(page.get_by_text("Need saved.")).to_be_visible()
