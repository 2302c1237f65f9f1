import logging
from datetime import timedelta

import pytest
from flask import request
from sqlalchemy import update

from portal import create_app
from portal.accounts.models import SignInAttempt
from tests.conftest import IsolatedClient
from tests.factories import PASSWORD


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


@pytest.fixture
def behind_proxy(app):
    """A client of the portal configured for one reverse proxy (PROXY_HOPS=1), on the same database."""
    proxied = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PORTAL_INDEX_DIR": app.config["PORTAL_INDEX_DIR"],
            "PROXY_HOPS": 1,
        }
    )
    proxied.test_client_class = IsolatedClient

    @proxied.get("/__seen")
    def seen():
        return f"{request.remote_addr} {request.scheme}"

    return proxied.test_client()


def fail_from(client, address, guesses=range(20)):
    """A wrong password for each of several made-up accounts, so only the address's count pauses."""
    for number in guesses:
        client.post(
            "/account/sign-in",
            data={"email": f"guess{number}@example.com", "password": "not the password at all"},
            headers={"X-Forwarded-For": address},
        )


def sign_in_from(client, address):
    return client.post(
        "/account/sign-in",
        data={"email": "investor@example.com", "password": PASSWORD},
        headers={"X-Forwarded-For": address},
    )


def test_behind_a_proxy_each_forwarded_address_is_paused_on_its_own(behind_proxy, users, db, caplog):
    caplog.set_level(logging.WARNING, logger="portal.events")
    fail_from(behind_proxy, "203.0.113.5")
    assert sign_in_from(behind_proxy, "203.0.113.5").status_code == 429
    assert sign_in_from(behind_proxy, "198.51.100.7").status_code == 302
    db.session.expire_all()
    assert set(db.session.scalars(db.select(SignInAttempt.ip))) == {"203.0.113.5"}
    failures = [r.fields for r in caplog.records if getattr(r, "fields", {}).get("event") == "sign_in.failed"]
    assert len(failures) == 20 and {f["ip"] for f in failures} == {"203.0.113.5"}


def test_behind_a_proxy_only_the_address_the_proxy_added_counts(behind_proxy):
    response = behind_proxy.get(
        "/__seen", headers={"X-Forwarded-For": "10.0.0.1, 203.0.113.5", "X-Forwarded-Proto": "https"}
    )
    assert response.get_data(as_text=True) == "203.0.113.5 https"


def test_without_a_proxy_a_forwarded_address_does_not_dodge_the_pause(client, users, db):
    for number in range(20):
        fail_from(client, f"203.0.113.{number}", guesses=[number])
    assert sign_in_from(client, "198.51.100.7").status_code == 429
    db.session.expire_all()
    assert set(db.session.scalars(db.select(SignInAttempt.ip))) == {"127.0.0.1"}
