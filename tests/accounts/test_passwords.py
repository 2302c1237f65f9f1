import re
from urllib.parse import urlsplit

from tests.factories import PASSWORD, make_user

NEW = "a brand new long password"


def test_change_password_needs_the_current_one(client, login, users, db):
    login("investor")
    old_hash = users["investor"].password_hash
    body = client.post(
        "/account/password", data={"current_password": "wrong one entirely", "password": NEW, "confirm": NEW}
    ).get_data(as_text=True)
    assert "The current password is not correct." in body
    db.session.expire_all()
    assert users["investor"].password_hash == old_hash


def test_change_password_works_and_ends_other_sessions(app, client, login, users, db):
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = users["investor"].get_id()
    login("investor")

    response = client.post("/account/password", data={"current_password": PASSWORD, "password": NEW, "confirm": NEW})

    assert response.status_code == 302
    assert client.get("/account/").status_code == 200, "the device that changed it stays signed in"
    assert other_device.get("/account/").status_code == 302, "other devices are signed out"
    client.post("/account/sign-out")
    assert client.post("/account/sign-in", data={"email": "investor@example.com", "password": NEW}).status_code == 302


def test_new_password_must_follow_the_rule(client, login):
    login("investor")
    body = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "qwertyuiop123", "confirm": "qwertyuiop123"},
    ).get_data(as_text=True)
    assert "too common" in body


def _reset_path(outbox) -> str:
    """The path of the link in the newest reset e-mail."""
    message = outbox("password_reset")[-1]
    return urlsplit(re.search(r"https?://\S+", message.body).group(0)).path


def test_reset_request_sends_a_link_that_sets_a_new_password_once(client, users, outbox):
    response = client.post("/account/forgot-password", data={"email": "brand@example.com"})
    assert response.status_code == 302
    path = _reset_path(outbox)
    assert outbox("password_reset")[-1].recipient == "brand@example.com"

    assert "Choose a new password" in client.get(path).get_data(as_text=True)
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert client.post("/account/sign-in", data={"email": "brand@example.com", "password": NEW}).status_code == 302

    again = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "invalid, already used or expired" in again


def test_reset_for_unknown_address_says_the_same_and_sends_nothing(client, users, outbox):
    known = client.post(
        "/account/forgot-password", data={"email": "brand@example.com"}, follow_redirects=True
    ).get_data(as_text=True)
    unknown = client.post(
        "/account/forgot-password", data={"email": "ghost@example.com"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "If an account uses brand@example.com, a reset link is on its way." in known
    assert "If an account uses ghost@example.com, a reset link is on its way." in unknown
    assert [m.recipient for m in outbox("password_reset")] == ["brand@example.com"]


def test_expired_reset_link_is_refused(app, client, users, outbox):
    client.post("/account/forgot-password", data={"email": "brand@example.com"})
    path = _reset_path(outbox)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(path, follow_redirects=True)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert "invalid, already used or expired" in response.get_data(as_text=True)


def test_tampered_reset_link_is_refused(client, users):
    response = client.get("/account/reset-password/not-a-real-token", follow_redirects=True)
    assert "invalid, already used or expired" in response.get_data(as_text=True)


def test_password_containing_the_email_name_is_refused(client, db):
    body = client.post(
        "/account/sign-up",
        data={
            "role": "investor",
            "organisation": "Fund",
            "full_name": "Zara",
            "email": "zarafunds@example.com",
            "password": "zarafunds-is-great",
            "confirm": "zarafunds-is-great",
        },
    ).get_data(as_text=True)
    assert "Do not use your name or e-mail address in the password." in body


def test_passwords_are_stored_hashed_with_scrypt(db):
    user = make_user("brand", email="hash@example.com")
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_reset_requests_send_at_most_three_mails_an_hour_to_one_account_answering_the_same(client, users, outbox):
    answers = [client.post("/account/forgot-password", data={"email": "brand@example.com"}) for _ in range(6)]
    assert {a.status_code for a in answers} == {302}
    assert len(outbox("password_reset")) == 3


def test_reset_requests_from_one_address_are_limited(app, client, users, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_RATE_LIMIT", "5/hour")
    answers = [
        client.post("/account/forgot-password", data={"email": f"n{i}@example.com"}).status_code for i in range(7)
    ]
    assert answers[:5] == [302] * 5 and answers[5:] == [429, 429]
    assert client.get("/account/forgot-password").status_code == 200  # the page itself still opens
