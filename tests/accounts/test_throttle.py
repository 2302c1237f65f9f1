from datetime import timedelta

from sqlalchemy import update

from portal.accounts.models import SignInAttempt
from tests.conftest import PASSWORD


def fail(client, email="brand@example.com", times=1):
    for _ in range(times):
        client.post("/account/sign-in", data={"email": email, "password": "not the password at all"})


def test_after_five_failures_the_account_pauses_even_for_the_right_password(client, users):
    fail(client, times=5)
    response = client.post("/account/sign-in", data={"email": "brand@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    assert client.get("/account/").status_code == 302, "not signed in"


def test_other_accounts_are_not_paused(client, users):
    fail(client, times=5)
    assert (
        client.post("/account/sign-in", data={"email": "investor@example.com", "password": PASSWORD}).status_code == 302
    )


def test_unknown_addresses_are_paused_the_same_way(client, users):
    fail(client, email="ghost@example.com", times=5)
    response = client.post("/account/sign-in", data={"email": "ghost@example.com", "password": "anything at all"})
    assert response.status_code == 429


def test_many_failures_from_one_address_pause_every_account(client, users):
    for number in range(20):
        fail(client, email=f"guess{number}@example.com")
    assert (
        client.post("/account/sign-in", data={"email": "investor@example.com", "password": PASSWORD}).status_code == 429
    )


def test_the_pause_ends_when_the_window_passes(client, users, db):
    fail(client, times=5)
    db.session.execute(update(SignInAttempt).values(at=SignInAttempt.at - timedelta(minutes=16)))
    db.session.commit()
    assert client.post("/account/sign-in", data={"email": "brand@example.com", "password": PASSWORD}).status_code == 302


def test_fewer_failures_do_not_get_in_the_way(client, users):
    fail(client, times=4)
    assert client.post("/account/sign-in", data={"email": "brand@example.com", "password": PASSWORD}).status_code == 302
