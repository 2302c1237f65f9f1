import smtplib

import pytest

from portal.extensions import db
from portal.mail import OutgoingEmail, send_mail


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.fail:
            raise OSError("connection refused")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config["MAIL_SERVER"] = "smtp.example"
    yield FakeSMTP
    app.config["MAIL_SERVER"] = ""


def test_without_smtp_mail_is_kept_in_the_outbox(client, users, outbox):
    client.post("/account/forgot-password", data={"email": "brand@example.com"})
    message = outbox("password_reset")[-1]
    assert message.sent_at is None
    assert "reset" in message.subject.lower()


def test_with_smtp_mail_is_sent_after_the_request_commits(client, users, outbox, smtp):
    client.post("/account/forgot-password", data={"email": "brand@example.com"})
    assert [m["To"] for m in smtp.sent] == ["brand@example.com"]
    db.session.expire_all()
    assert outbox("password_reset")[-1].sent_at is not None


def test_smtp_failure_is_recorded_not_raised(client, users, outbox, smtp):
    smtp.fail = True
    response = client.post("/account/forgot-password", data={"email": "brand@example.com"})
    assert response.status_code == 302
    db.session.expire_all()
    message = outbox("password_reset")[-1]
    assert message.sent_at is None
    assert "connection refused" in message.error


def test_rolled_back_action_sends_nothing(app, outbox):
    send_mail("someone@example.com", "Hello", "Body")
    db.session.rollback()
    assert outbox() == []
    assert db.session.scalar(db.select(db.func.count(OutgoingEmail.id))) == 0
