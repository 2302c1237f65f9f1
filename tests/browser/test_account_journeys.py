"""What a newcomer does first, in a real browser: sign up, sign out, sign in, get lost."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user


def test_supplier_signs_up_signs_in_and_is_asked_to_confirm_the_address(page, outbox, mail_on):
    page.goto("/")
    page.get_by_role("link", name="List your firm").click()
    page.get_by_label("Your full name").fill("Sana Mirza")
    page.get_by_label("Work e-mail").fill("sana@indusboards.example.pk")
    page.get_by_label("Firm's legal name").fill("Indus Boards (Pvt) Ltd")
    page.get_by_label("City").fill("Lahore")
    page.get_by_label("Province or territory").select_option("Punjab")
    page.get_by_label("Password", exact=True).fill("green boards and solder")
    page.get_by_label("Repeat the password").fill("green boards and solder")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_text("We sent a message to sana@indusboards.example.pk")).to_be_visible()
    page.get_by_label("E-mail").fill("sana@indusboards.example.pk")
    page.get_by_label("Password").fill("green boards and solder")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("account-link")).to_contain_text("Local firm (supplier)")
    expect(page.get_by_role("heading", name="Indus Boards (Pvt) Ltd")).to_be_visible()
    expect(page.get_by_test_id("verify-email-banner")).to_contain_text("We sent a link to sana@indusboards.example.pk")

    # The link in the e-mail confirms the address; the banner goes.
    link = next(m for m in outbox("email_verification")).body.split("open:\n\n", 1)[1].split()[0]
    page.goto("/account/" + link.split("/account/", 1)[1])
    expect(page.get_by_text("Your e-mail address is confirmed")).to_be_visible()
    expect(page.get_by_test_id("verify-email-banner")).to_have_count(0)


def test_sign_up_shows_messages_next_to_the_fields(page):
    page.goto("/account/sign-up")
    page.get_by_label("Investor").check()
    expect(page.get_by_label("Firm's legal name")).to_be_hidden()
    page.get_by_label("Your full name").fill("Omar Farooq")
    page.get_by_label("Work e-mail").fill("omar@example.com")
    page.get_by_label("Company or fund").fill("Karakoram Growth Partners")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Create account").click()

    expect(page.locator("#password-error")).to_have_text("Use at least 12 characters.")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Your full name")).to_have_value("Omar Farooq")


def test_sign_in_and_sign_out(page):
    make_user("brand", email="buyer@crescent.example", full_name="Hina Qureshi")
    page.goto("/account/sign-in")
    page.get_by_label("E-mail").fill("buyer@crescent.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as buyer@crescent.example.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_failed_sign_in_shows_an_error(page):
    make_user("brand", email="buyer@crescent.example")
    page.goto("/account/sign-in")
    page.get_by_label("E-mail").fill("buyer@crescent.example")
    page.get_by_label("Password").fill("not the right password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The e-mail address or password is not correct.")).to_be_visible()
    expect(page).to_have_url("/account/sign-in")


def test_unknown_address_shows_the_404_page(page):
    response = page.goto("/no/such/page")
    assert response.status == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_role("heading", name="The value chain, phase by phase")).to_be_visible()
