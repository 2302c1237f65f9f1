"""A new account confirms its address: sign-up answers the same whether or not the address has an
account, and acts that reach other people wait for the link, on the pages and in the API."""

import re

import pytest
from sqlalchemy import select

from portal.accounts import verification
from portal.accounts.models import User
from portal.needs.models import SourcingNeed
from tests.factories import make_firm, make_user

NEW = {
    "role": "brand",
    "full_name": "Ayesha Khan",
    "organisation": "Crescent Mobile",
    "password": "copper traces at dawn",
    "confirm": "copper traces at dawn",
}


def _sign_up(client, email):
    return client.post("/account/sign-up", data={**NEW, "email": email})


def _answer(client, email):
    response = _sign_up(client, email)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    flashed = re.search(r'role="alert">\s*(.*?)\s*<button', page, re.S).group(1)
    return (
        response.status_code,
        response.headers["Location"],
        flashed.replace(email, "ADDRESS"),
        response.headers.get("Set-Cookie", "").count("remember"),
    )


@pytest.mark.parametrize("mail", [False, True], ids=["mail-off", "mail-on"])
def test_sign_up_answers_the_same_for_a_new_and_a_taken_address(app, users, outbox, request, mail):
    if mail:
        request.getfixturevalue("mail_on")
    taken = _answer(app.test_client(), "brand@example.com")
    new = _answer(app.test_client(), "someone.new@example.com")
    assert taken == new
    assert ("We sent a message to ADDRESS" if mail else "EDB staff confirm ADDRESS") in new[2]


def test_the_owner_of_a_taken_address_is_told_someone_tried(client, users, outbox, db):
    _sign_up(client, "Brand@Example.com")
    sent = outbox("sign_up_attempt")
    assert [m.recipient for m in sent] == ["brand@example.com"]
    assert "already has one. No new account was made." in sent[0].body
    assert outbox("email_verification") == []
    db.session.refresh(users["brand"])
    assert users["brand"].full_name == "Test Brand"  # nothing of the visitor's was kept


def test_a_new_account_gets_a_one_address_link_that_confirms_it(client, outbox, db):
    _sign_up(client, "new@example.com")
    user = db.session.scalar(select(User).where(User.email == "new@example.com"))
    assert not user.has_verified_email
    (message,) = outbox("email_verification")
    link = re.search(r"http\S+/account/verify-email/\S+", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow_redirects=True)
    assert "Your e-mail address is confirmed" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.has_verified_email


def test_a_damaged_expired_or_other_address_link_confirms_nothing(app, client, db):
    user = make_user("brand", email="late@example.com", email_verified_at=None)
    token = verification.make_token(user)
    assert "damaged or expired" in client.get(f"/account/verify-email/{token}x", follow_redirects=True).get_data(
        as_text=True
    )
    user.email = "moved@example.com"
    db.session.commit()
    client.get(f"/account/verify-email/{token}")
    app.config["EMAIL_VERIFICATION_MAX_AGE"] = -1
    try:
        assert verification.user_for_token(verification.make_token(user)) is None
    finally:
        app.config["EMAIL_VERIFICATION_MAX_AGE"] = 3 * 24 * 60 * 60
    db.session.refresh(user)
    assert not user.has_verified_email


def test_the_banner_says_what_waits_and_sends_the_link_again_a_few_times_an_hour(client, login, outbox, mail_on):
    user = make_user("brand", email="new@example.com", email_verified_at=None)
    login(user)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="verify-email-banner"' in page
    assert "We sent a link to new@example.com" in page and "Send the link again" in page
    for _ in range(3):
        client.post("/account/verify-email/send", headers={"Referer": "http://localhost/needs/"})
    response = client.post("/account/verify-email/send", follow_redirects=True)
    assert "several links within the hour" in response.get_data(as_text=True)
    assert len(outbox("email_verification")) == 3


def test_a_verified_account_sees_no_banner(client, login, users):
    login("brand")
    assert "verify-email-banner" not in client.get("/").get_data(as_text=True)


NEED = {
    "title": "Wall chargers 20 W",
    "category": "charger",
    "description": "USB-C PD wall chargers for a feature-phone line.",
    "quantity": "50000",
    "quantity_unit": "pieces",
    "deadline": "2099-01-01",
    "visibility": "open",
}


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("brand", "/needs/new"),
        ("brand", "/introductions/ask/{firm}"),
        ("supplier", "/suppliers/{firm}/claim"),
        ("investor", "/investment/1/interest"),
    ],
    ids=["post-need", "ask-introduction", "claim", "investment-interest"],
)
def test_acts_towards_other_people_wait_for_a_confirmed_address(client, login, db, role, path):
    firm = make_firm()
    user = make_user(role, email=f"new-{role}@example.com", email_verified_at=None)
    login(user)
    response = client.post(path.format(firm=firm.id), data=NEED, headers={"Referer": "http://localhost/"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your e-mail address is not confirmed yet" in page
    assert db.session.scalar(select(db.func.count(SourcingNeed.id))) == 0


def test_quoting_waits_for_a_confirmed_address(client, login, db):
    user = make_user("supplier", email="new-supplier@example.com", email_verified_at=None)
    login(user)
    response = client.post("/needs/1/quote", data={})
    assert response.status_code == 302 and response.headers["Location"] == "/needs/1/quote"


def test_the_form_itself_still_shows(client, login):
    login(make_user("brand", email="new@example.com", email_verified_at=None))
    assert client.get("/needs/new").status_code == 200


def test_the_api_refuses_a_need_from_an_unconfirmed_account_with_a_json_error(client, db):
    from portal.accounts.models import ApiToken

    user = make_user("brand", email="new@example.com", email_verified_at=None)
    _token, plain = ApiToken.issue(user, "erp")
    db.session.commit()
    body = {k: v for k, v in NEED.items() if k != "visibility"}
    response = client.post("/api/v1/needs", json=body, headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert "Your e-mail address is not confirmed yet" in response.get_json()["error"]["message"]
    assert db.session.scalar(select(db.func.count(SourcingNeed.id))) == 0


def test_a_reset_link_that_reached_the_address_confirms_it_too(client, db):
    from portal.accounts.service import make_reset_token

    user = make_user("brand", email="new@example.com", email_verified_at=None)
    token = make_reset_token(user)
    client.post(
        f"/account/reset-password/{token}",
        data={"password": "a new long password 2026", "confirm": "a new long password 2026"},
    )
    db.session.refresh(user)
    assert user.has_verified_email


def test_in_development_without_a_mail_server_the_link_is_in_the_log(app, client, caplog):
    app.config["PORTAL_ENV"] = "development"
    try:
        with caplog.at_level("INFO"):
            _sign_up(client, "dev@example.com")
    finally:
        app.config["PORTAL_ENV"] = "testing"
    (record,) = [r for r in caplog.records if r.getMessage() == "email_verification.development_link"]
    assert "/account/verify-email/" in record.fields["link"]


def test_elsewhere_the_link_is_never_logged(client, caplog):
    with caplog.at_level("INFO"):
        _sign_up(client, "prod@example.com")
    assert "verify-email/" not in caplog.text
