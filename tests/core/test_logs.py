"""Structured logs: sign-ins, refusals and staff actions as JSON lines; no secret ever in them."""

import io
import json
import logging
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy.exc import OperationalError

from portal import create_app, logs
from portal.accounts.models import Role, User
from portal.suppliers import lifecycle
from portal.suppliers.models import ListingStatus
from tests.factories import PASSWORD, make_firm

NEW_PASSWORD = "a brand new long passphrase 2026"


@pytest.fixture
def log_lines(app):
    """Everything logged during the test, formatted as the portal writes it; call to get parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(app.extensions["portal_log_formatter"])
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines(event: str | None = None) -> list[dict]:
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [line for line in parsed if event is None or line.get("event") == event]

    lines.text = stream.getvalue
    yield lines
    root.removeHandler(handler)
    root.setLevel(level)


def sign_in(client, email="brand@example.com", password=PASSWORD):
    return client.post("/account/sign-in", data={"email": email, "password": password})


def test_sign_ins_are_logged_as_json_with_user_or_hashed_address(client, users, log_lines):
    sign_in(client, password="not the password at all")
    sign_in(client)
    failed, succeeded = log_lines("sign_in.failed"), log_lines("sign_in.succeeded")
    assert len(failed) == 1 and len(succeeded) == 1
    assert failed[0]["level"] == "warning"
    assert re.fullmatch(r"[0-9a-f]{16}", failed[0]["email_hash"])
    assert failed[0]["ip"] == "127.0.0.1" and failed[0]["route"] == "/account/sign-in"
    assert succeeded[0]["user_id"] == users["brand"].id and succeeded[0]["role"] == "brand"
    assert failed[0]["request_id"] != succeeded[0]["request_id"]
    assert "brand@example.com" not in log_lines.text()


def test_throttled_sign_ins_are_logged(client, users, log_lines):
    for _ in range(6):
        sign_in(client, password="not the password at all")
    throttled = log_lines("sign_in.throttled")
    assert throttled and throttled[0]["email_hash"] == log_lines("sign_in.failed")[0]["email_hash"]


def test_refusals_and_csrf_failures_are_logged_with_the_request_id(app, client, login, log_lines):
    user = login("brand")
    response = client.get("/staff/")
    assert response.status_code == 403
    refused = log_lines("access.refused")
    assert refused[0]["status"] == 403 and refused[0]["user_id"] == user.id
    assert refused[0]["request_id"] == response.headers["X-Request-ID"]

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/account/sign-out").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert log_lines("csrf.refused")[0]["route"] == "/account/sign-out"


def test_staff_actions_are_logged_once_committed(client, login, users, db, log_lines):
    firm = make_firm("Logged Circuits", status=ListingStatus.DRAFT, capabilities=[{"category": "pcba"}])
    lifecycle.submit(firm, None)
    db.session.commit()
    assert log_lines("staff.action") == [], "acts of no staff member are not staff actions"
    login("staff")
    client.post(f"/staff/firms/{firm.id}/verify", data={"version": firm.version})
    (action,) = log_lines("staff.action")
    assert action["action"] == "firm.verify" and action["actor_id"] == users["staff"].id
    assert action["firm_id"] == firm.id and action["audit_sequence"] >= 1


def test_no_password_token_reset_link_or_cookie_reaches_the_logs(app, client, users, outbox, log_lines):
    sign_in(client, password="a wrong password guess")
    client.post("/account/forgot-password", data={"email": "brand@example.com"})
    link = re.search(r"https?://\S+", outbox("password_reset")[-1].body).group(0)
    reset_token = link.rsplit("/", 1)[1]
    path = urlsplit(link).path
    client.get(path)
    assert client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert sign_in(client, password=NEW_PASSWORD).status_code == 302
    session_cookie = client.get_cookie("session").value
    body = client.post("/account/tokens", data={"name": "ERP link"}).get_data(as_text=True)
    api_token = re.search(r"<code[^>]*>([^<]+)</code>", body).group(1).strip()
    assert client.get("/api/v1/suppliers", headers={"Authorization": f"Bearer {api_token}"}).status_code == 200
    app.logger.warning("a client sent %s", f"Authorization: Bearer {api_token} for {link}")

    text = log_lines.text()
    assert log_lines("sign_in.succeeded"), "the journey was logged"
    for secret in (PASSWORD, NEW_PASSWORD, "a wrong password guess", reset_token, session_cookie, api_token):
        assert secret not in text
    assert logs.MASK in text


def test_a_database_error_is_rolled_back_logged_with_a_request_id_and_never_shown(app, db, log_lines):
    broken = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PORTAL_INDEX_DIR": app.config["PORTAL_INDEX_DIR"],
            "PROPAGATE_EXCEPTIONS": False,
        }
    )

    @broken.get("/__locked")
    def locked():
        db.session.add(User(email="half@example.com", password_hash="x", full_name="Half", role=Role.BRAND))
        db.session.flush()
        raise OperationalError("UPDATE firm SET secret_column=?", ("s3cr3t-value",), Exception("database is locked"))

    response = broken.test_client().get("/__locked")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "database is locked" not in body and "UPDATE firm" not in body
    request_id = response.headers["X-Request-ID"]
    assert request_id in body, "the page gives a reference to quote"
    (failure,) = log_lines("request.failed")
    assert failure["request_id"] == request_id and failure["route"] == "/__locked"
    assert "database is locked" in failure["error"]
    with broken.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "half@example.com")) is None
