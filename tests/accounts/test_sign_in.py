from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.factories import PASSWORD


def test_sign_in_with_right_password_redirects_home_and_shows_user(client, users):
    response = client.post("/account/sign-in", data={"email": "brand@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert "Test Brand" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "workspace"),
    [
        ("supplier", "/my-firm"),
        ("brand", "/needs/"),
        ("investor", "/investment/matches"),
        ("staff", "/staff/queue"),
    ],
)
def test_each_role_lands_on_its_own_workspace_after_sign_in(client, users, role, workspace):
    response = client.post("/account/sign-in", data={"email": users[role].email, "password": PASSWORD})
    assert urlsplit(response.headers["Location"]).path == workspace
    assert client.get(workspace, follow_redirects=True).status_code == 200


def test_a_safe_next_wins_over_the_workspace(client, users):
    response = client.post(
        "/account/sign-in?next=/suppliers/", data={"email": "brand@example.com", "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/suppliers/")


def test_sign_in_ignores_email_case_and_spaces(client, users):
    response = client.post("/account/sign-in", data={"email": "  Brand@Example.com ", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_and_unknown_email_give_the_same_message(client, users):
    wrong = client.post("/account/sign-in", data={"email": "brand@example.com", "password": "wrong password here"})
    unknown = client.post("/account/sign-in", data={"email": "nobody@example.com", "password": "wrong password here"})
    message = "The e-mail address or password is not correct."
    assert wrong.status_code == unknown.status_code == 200
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(client, users, db):
    users["brand"].is_active_account = False
    db.session.commit()
    response = client.post("/account/sign-in", data={"email": "brand@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "The e-mail address or password is not correct." in response.get_data(as_text=True)
    assert urlsplit(client.get("/account/").headers["Location"]).path == "/account/sign-in", "not signed in"


def test_sign_in_follows_next_on_this_site_only(client, users):
    ok = client.post("/account/sign-in?next=/account/", data={"email": "brand@example.com", "password": PASSWORD})
    assert ok.headers["Location"].endswith("/account/")
    client.post("/account/sign-out")
    evil = client.post(
        "/account/sign-in?next=//evil.example/x", data={"email": "brand@example.com", "password": PASSWORD}
    )
    assert "evil.example" not in evil.headers["Location"]


def test_pages_for_members_send_anonymous_users_to_sign_in(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert "/account/sign-in?next=" in response.headers["Location"]


def test_remember_me_sets_a_lasting_cookie(client, users):
    client.post("/account/sign-in", data={"email": "brand@example.com", "password": PASSWORD, "remember": "y"})
    cookie = client.get_cookie("remember_token")
    assert cookie.expires - datetime.now(UTC) > timedelta(days=13), "kept for two weeks, past closing the browser"
    client.delete_cookie("session")
    assert client.get("/account/").status_code == 200, "a new browser session is still signed in"


def test_without_remember_me_no_remember_cookie(client, users):
    client.post("/account/sign-in", data={"email": "brand@example.com", "password": PASSWORD})
    assert client.get_cookie("remember_token") is None


def test_sign_out_ends_the_session(client, login):
    login("supplier")
    assert client.get("/account/").status_code == 200
    response = client.post("/account/sign-out")
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302


def test_sign_out_is_not_possible_by_get(client, login):
    login("supplier")
    assert client.get("/account/sign-out").status_code == 405
    assert client.get("/account/").status_code == 200


def test_sign_in_records_the_time(client, users, db):
    client.post("/account/sign-in", data={"email": "brand@example.com", "password": PASSWORD})
    db.session.expire_all()
    assert users["brand"].last_sign_in_at is not None


def test_empty_sign_in_form_shows_messages(client):
    body = client.post("/account/sign-in", data={}).get_data(as_text=True)
    assert "Enter your e-mail address." in body
    assert "Enter your password." in body
