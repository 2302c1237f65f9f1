"""Sessions end on the server: a copied session or remember-me cookie stops working after
sign-out, a password change, "sign out everywhere" or staff deactivation."""

import pytest

from portal.accounts.models import User
from portal.extensions import db
from tests.factories import PASSWORD


def signed_in(app, email="brand@example.com", remember=True):
    """A browser signed in with remember-me; returns it and copies of both cookies."""
    browser = app.test_client()
    data = {"email": email, "password": PASSWORD, "remember": "y" if remember else ""}
    assert browser.post("/account/sign-in", data=data).status_code == 302
    return browser, {c.key: c.value for c in browser._cookies.values()}


def thief(app, cookies, only=None):
    """Another browser holding copies of the cookies (or only the named one)."""
    browser = app.test_client()
    for name, value in cookies.items():
        if only is None or name == only:
            browser.set_cookie(name, value)
    return browser


def is_signed_in(browser) -> bool:
    return browser.get("/account/").status_code == 200


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_copied_cookie_stops_working_after_sign_out(app, users, cookie):
    browser, cookies = signed_in(app)
    assert is_signed_in(thief(app, cookies, only=cookie))
    browser.post("/account/sign-out")
    assert not is_signed_in(thief(app, cookies, only=cookie))


def test_a_password_change_ends_other_sessions_and_keeps_this_one(app, users):
    browser, cookies = signed_in(app)
    response = browser.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new passphrase 2026",
            "confirm": "a brand new passphrase 2026",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(browser)
    assert not is_signed_in(thief(app, cookies))
    assert not is_signed_in(thief(app, cookies, only="remember_token"))


def test_sign_out_everywhere_ends_every_session_of_the_account(app, users):
    laptop, laptop_cookies = signed_in(app)
    phone, _ = signed_in(app)
    colleague, _ = signed_in(app, email="supplier@example.com")
    assert "Sign out everywhere" in laptop.get("/account/").get_data(as_text=True)
    assert laptop.post("/account/sign-out-everywhere").status_code == 302
    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert not is_signed_in(thief(app, laptop_cookies, only="remember_token"))
    assert is_signed_in(colleague)  # another account is untouched
    again, _ = signed_in(app)
    assert is_signed_in(again)


def test_staff_deactivation_ends_the_accounts_sessions_at_once(app, users, cast, outbox):
    colleague = cast.other_staff
    their_browser, cookies = signed_in(app, email=colleague.email)
    staff, _ = signed_in(app, email="staff@example.com")
    page = staff.get("/staff/people").get_data(as_text=True)
    assert f"/staff/people/{colleague.id}/deactivate" in page
    assert f"/staff/people/{users['staff'].id}/deactivate" not in page  # not oneself
    assert staff.post(f"/staff/people/{colleague.id}/deactivate").status_code == 302
    assert not is_signed_in(their_browser) and not is_signed_in(thief(app, cookies, only="remember_token"))
    db.session.expire_all()
    assert not db.session.get(User, colleague.id).is_active
    assert "Deactivated" in staff.get("/staff/people").get_data(as_text=True)
    assert signed_in_fails(app, colleague.email)


def signed_in_fails(app, email) -> bool:
    browser = app.test_client()
    browser.post("/account/sign-in", data={"email": email, "password": PASSWORD})
    return not is_signed_in(browser)
