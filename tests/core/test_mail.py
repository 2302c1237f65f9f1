import smtplib
import threading
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.mail import MAX_ATTEMPTS, OutgoingEmail, courier, deliver_due, send_mail
from portal.timeutil import utcnow


class FakeSMTP:
    sent: list = []
    fail = False
    hold: threading.Event | None = None
    refuse = ""

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.hold is not None:
            FakeSMTP.hold.wait(10)
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
        if FakeSMTP.refuse and FakeSMTP.refuse in str(message["To"]):
            raise smtplib.SMTPRecipientsRefused({FakeSMTP.refuse: (550, b"no such mailbox")})
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail, FakeSMTP.hold, FakeSMTP.refuse = [], False, None, ""
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config["MAIL_SERVER"] = "smtp.example"
    yield FakeSMTP
    if FakeSMTP.hold is not None:
        FakeSMTP.hold.set()
    courier.wait_idle()
    app.config["MAIL_SERVER"] = ""


def test_without_smtp_mail_is_kept_in_the_outbox(client, users, outbox):
    client.post("/account/forgot-password", data={"email": "brand@example.com"})
    message = outbox("password_reset")[-1]
    assert message.sent_at is None
    assert "reset" in message.subject.lower()


def test_with_smtp_mail_is_queued_in_the_request_and_delivered_after_it(client, users, outbox, smtp):
    """The request answers while the mail server is still to be reached: it never waits for SMTP."""
    smtp.hold = threading.Event()
    response = client.post("/account/forgot-password", data={"email": "brand@example.com"})
    assert response.status_code == 302 and smtp.sent == []
    smtp.hold.set()
    assert courier.wait_idle()
    assert [m["To"] for m in smtp.sent] == ["brand@example.com"]
    db.session.expire_all()
    assert outbox("password_reset")[-1].sent_at is not None


def test_smtp_failure_keeps_the_message_with_its_error_and_retries_it(client, users, outbox, smtp):
    smtp.fail = True
    response = client.post("/account/forgot-password", data={"email": "brand@example.com"})
    assert response.status_code == 302
    assert courier.wait_idle()
    db.session.expire_all()
    message = outbox("password_reset")[-1]
    assert (message.sent_at, message.attempts) == (None, 1)
    assert "connection refused" in message.error
    assert deliver_due() == (0, 0)  # not due again yet
    smtp.fail = False
    message.next_attempt_at = utcnow() - timedelta(seconds=1)  # as if its retry came
    db.session.commit()
    assert deliver_due() == (1, 0)
    db.session.expire_all()
    assert (message.sent_at is not None, message.error, message.attempts) == (True, None, 2)


def test_a_message_is_given_up_only_after_every_retry_and_stays_in_the_outbox(app, smtp):
    smtp.fail = True
    message = send_mail("someone@example.com", "Hello", "Body")
    db.session.commit()
    for _attempt in range(MAX_ATTEMPTS + 2):
        message.next_attempt_at = None
        db.session.commit()
        deliver_due()
    db.session.expire_all()
    assert message.attempts == MAX_ATTEMPTS and message.is_given_up and message.error


def test_a_subject_from_text_with_line_breaks_is_one_line_and_adds_no_header(app, smtp):
    title = "x\r\nBcc: victim@example.com\u2028" + "long " * 80
    message = send_mail("someone@example.com", f"New need: {title}", "Body")
    db.session.commit()
    assert "\n" not in message.subject and "\r" not in message.subject and len(message.subject) == 200
    assert message.subject.startswith("New need: x Bcc: victim@example.com long") and message.subject.endswith("…")
    assert deliver_due() == (1, 0)
    [sent] = smtp.sent
    assert sent["Bcc"] is None and "\n" not in sent["Subject"]


def test_one_message_the_server_refuses_does_not_hold_back_the_others(app, smtp):
    send_mail("bad\nBcc: x@example.com", "Hello", "Body")  # cleaned, and refused by the server below
    send_mail("good@example.com", "Hello", "Body")
    smtp.refuse = "Bcc"
    db.session.commit()
    assert deliver_due() == (1, 1)
    assert [m["To"] for m in smtp.sent] == ["good@example.com"]


def test_the_mail_command_delivers_what_is_due(app, smtp):
    send_mail("someone@example.com", "Hello", "Body")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    assert len(smtp.sent) == 1


def test_rolled_back_action_sends_nothing(app, outbox):
    send_mail("someone@example.com", "Hello", "Body")
    db.session.rollback()
    assert outbox() == []
    assert db.session.scalar(db.select(db.func.count(OutgoingEmail.id))) == 0


def test_a_need_titled_with_a_header_injection_is_published_and_its_mail_goes_out_clean(app, users, smtp, outbox):
    from tests.api.conftest import post_charger_need
    from tests.factories import make_firm

    make_firm(
        owner=users["supplier"],
        capabilities=[{"category": "charger", "capacity": 80000}],
        certificates=[{"type": "iso-9001"}],
    )
    need = post_charger_need(users["brand"], title="x\r\nBcc: y@example.com")
    assert need.status.value == "open"
    sent, failed = deliver_due()
    assert sent >= 1 and failed == 0
    assert all(m["Bcc"] is None and "\n" not in m["Subject"] for m in smtp.sent)
    assert all(m.error is None for m in outbox())
