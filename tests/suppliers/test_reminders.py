"""Certificate expiry reminders: 30 and 7 days before, once each, to every person of the firm."""

import io
from datetime import timedelta

import pytest

from portal.accounts.models import Role
from portal.suppliers.models import FirmMember, MemberRole, ReviewStatus
from portal.suppliers.reminders import send_reminders
from portal.timeutil import today
from tests.factories import PDF_BYTES, make_certificate, make_firm, make_user

KIND = "certificate_expiry"


@pytest.fixture
def firm(app, db, users):
    """A firm with an owner and an editor."""
    firm = make_firm("Apex Boards (Pvt) Ltd", owner=users["supplier"])
    editor = make_user(Role.SUPPLIER, email="editor@example.com")
    db.session.add(FirmMember(firm=firm, user=editor, role=MemberRole.EDITOR))
    db.session.commit()
    return firm


def certificate(db, firm, days_valid, **fields):
    made = make_certificate(firm, "iso-9001", days_valid=days_valid, **fields)
    db.session.commit()
    return made


def test_certificate_expiring_in_30_days_mails_each_member_once(app, db, firm, outbox):
    cert = certificate(db, firm, 30)

    assert send_reminders(on=today()) == 1

    mails = outbox(KIND)
    assert sorted(m.recipient for m in mails) == ["editor@example.com", "supplier@example.com"]
    for mail in mails:
        assert "ISO 9001" in mail.subject and "Apex Boards (Pvt) Ltd" in mail.subject
        assert "expires in 30 days" in mail.subject
        assert cert.number in mail.body
        assert cert.expiry_date.isoformat() in mail.body
        assert f"/firms/{firm.id}/#certificates" in mail.body


def test_running_again_the_same_day_sends_nothing(app, db, firm, outbox):
    certificate(db, firm, 30)
    send_reminders(on=today())

    assert send_reminders(on=today()) == 0
    assert len(outbox(KIND)) == 2


def test_days_between_the_thresholds_send_nothing_more(app, db, firm, outbox):
    cert = certificate(db, firm, 30)
    send_reminders(on=today())

    for days_left in range(29, 7, -1):
        assert send_reminders(on=cert.expiry_date - timedelta(days=days_left)) == 0
    assert len(outbox(KIND)) == 2


def test_seven_days_before_one_more_reminder_goes_out(app, db, firm, outbox):
    cert = certificate(db, firm, 30)
    send_reminders(on=today())

    assert send_reminders(on=cert.expiry_date - timedelta(days=7)) == 1
    assert send_reminders(on=cert.expiry_date - timedelta(days=7)) == 0
    assert send_reminders(on=cert.expiry_date - timedelta(days=3)) == 0

    mails = outbox(KIND)
    assert len(mails) == 4
    assert sorted(m.recipient for m in mails[2:]) == ["editor@example.com", "supplier@example.com"]
    assert all("expires in 7 days" in m.subject for m in mails[2:])


def test_first_run_with_5_days_left_sends_one_reminder_not_two(app, db, firm, outbox):
    cert = certificate(db, firm, 5)

    assert send_reminders(on=today()) == 1
    assert send_reminders(on=cert.expiry_date - timedelta(days=4)) == 0

    mails = outbox(KIND)
    assert len(mails) == 2  # one per member
    assert all("expires in 5 days" in m.subject for m in mails)


def test_first_run_with_20_days_left_sends_the_30_day_reminder_then_the_7_day_one(app, db, firm, outbox):
    cert = certificate(db, firm, 20)

    assert send_reminders(on=today()) == 1
    assert send_reminders(on=cert.expiry_date - timedelta(days=7)) == 1
    assert len(outbox(KIND)) == 4


def test_renewed_certificate_gets_reminders_for_its_new_expiry_date(app, db, firm, outbox):
    cert = certificate(db, firm, 30)
    send_reminders(on=today())
    send_reminders(on=cert.expiry_date - timedelta(days=7))
    assert len(outbox(KIND)) == 4

    renewed_until = cert.expiry_date + timedelta(days=365)
    cert.expiry_date = renewed_until
    db.session.commit()

    assert send_reminders(on=today()) == 0
    assert send_reminders(on=renewed_until - timedelta(days=30)) == 1
    assert send_reminders(on=renewed_until - timedelta(days=7)) == 1
    mails = outbox(KIND)
    assert len(mails) == 8
    assert all(renewed_until.isoformat() in m.body for m in mails[4:])


def test_renewal_to_a_date_still_close_sends_a_reminder_for_the_new_date(app, db, firm, outbox):
    cert = certificate(db, firm, 30)
    send_reminders(on=today())

    cert.expiry_date = today() + timedelta(days=25)
    db.session.commit()

    assert send_reminders(on=today()) == 1
    assert all(cert.expiry_date.isoformat() in m.body for m in outbox(KIND)[2:])


@pytest.mark.parametrize("days_valid", [0, -1, -30], ids=["expires-today", "expired-yesterday", "expired-long-ago"])
def test_expired_certificates_get_no_reminder(app, db, firm, outbox, days_valid):
    certificate(db, firm, days_valid)

    assert send_reminders(on=today()) == 0
    assert outbox(KIND) == []


@pytest.mark.parametrize("days_valid", [30, 7, 3])
def test_rejected_certificates_get_no_reminder(app, db, firm, outbox, days_valid):
    certificate(db, firm, days_valid, review=ReviewStatus.REJECTED)

    assert send_reminders(on=today()) == 0
    assert outbox(KIND) == []


@pytest.mark.parametrize("days_valid", [31, 45, 365])
def test_certificates_further_out_get_no_reminder_yet(app, db, firm, outbox, days_valid):
    certificate(db, firm, days_valid)

    assert send_reminders(on=today()) == 0
    assert outbox(KIND) == []


def test_each_certificate_is_reminded_separately(app, db, firm, outbox):
    certificate(db, firm, 30)
    make_certificate(firm, "iso-14001", days_valid=7)
    db.session.commit()

    assert send_reminders(on=today()) == 2
    subjects = sorted(m.subject for m in outbox(KIND) if m.recipient == "supplier@example.com")
    assert len(subjects) == 2
    assert "ISO 14001" in subjects[0] and "7 days" in subjects[0]
    assert "ISO 9001" in subjects[1] and "30 days" in subjects[1]


def test_only_the_firms_own_people_are_reminded(app, db, firm, users, cast, outbox):
    other = cast.other_supplier  # with a firm of their own
    certificate(db, firm, 30)

    send_reminders(on=today())

    assert other.email not in {m.recipient for m in outbox(KIND)}
    assert "brand@example.com" not in {m.recipient for m in outbox(KIND)}


# --- outside a request: the daily command ----------------------------------------------------------


def test_reminder_links_work_outside_a_request(app, db, firm, outbox):
    certificate(db, firm, 30)

    send_reminders()

    base = app.config["PORTAL_BASE_URL"].rstrip("/")
    assert all(f"{base}/firms/{firm.id}/#certificates" in m.body for m in outbox(KIND))


def test_send_reminders_command_mails_and_reports_the_count(app, db, firm, outbox):
    certificate(db, firm, 30)

    result = app.test_cli_runner().invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert "Sent 1 certificate expiry reminder(s)." in result.output
    assert sorted(m.recipient for m in outbox(KIND)) == ["editor@example.com", "supplier@example.com"]


def test_send_reminders_command_run_twice_sends_once(app, db, firm, outbox):
    certificate(db, firm, 30)
    runner = app.test_cli_runner()

    runner.invoke(args=["send-reminders"])
    second = runner.invoke(args=["send-reminders"])

    assert second.exit_code == 0, second.output
    assert "Sent 0 certificate expiry reminder(s)." in second.output
    assert len(outbox(KIND)) == 2


def test_send_reminders_command_with_nothing_due_sends_nothing(app, db, firm, outbox):
    certificate(db, firm, 200)

    result = app.test_cli_runner().invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert "Sent 0 certificate expiry reminder(s)." in result.output
    assert outbox(KIND) == []


def test_renewal_through_the_certificate_page_restarts_reminders(client, app, db, firm, login, outbox):
    cert = certificate(db, firm, 30)
    send_reminders()
    renewed_until = today() + timedelta(days=400)
    login("supplier")

    response = client.post(
        f"/firms/{firm.id}/certificates/{cert.id}/edit",
        data={
            "type": "iso-9001",
            "number": "QMS-RENEWED",
            "issuing_body": "Bureau Veritas Pakistan",
            "issue_date": today().isoformat(),
            "expiry_date": renewed_until.isoformat(),
            "scope": "",
            "evidence": (io.BytesIO(PDF_BYTES), "renewed.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302

    assert send_reminders() == 0
    assert send_reminders(on=renewed_until - timedelta(days=30)) == 1
    assert all("QMS-RENEWED" in m.body for m in outbox(KIND)[2:])
    assert len(outbox(KIND)) == 4


def test_reminders_from_cron_are_written_in_each_members_language(app, db, firm, users, outbox):
    owner = users["supplier"]
    owner.language = "ur"
    db.session.commit()
    cert = certificate(db, firm, 7)

    send_reminders(on=today())

    mails = {mail.recipient: mail for mail in outbox(KIND)}
    urdu, english = mails[owner.email], mails["editor@example.com"]
    assert "دن میں ختم ہو رہا ہے" in urdu.subject and "ISO 9001" in urdu.subject
    assert "تجدید شدہ سرٹیفیکیٹ یہاں اپ لوڈ کریں" in urdu.body and cert.number in urdu.body
    assert "expires in 7 days" in english.subject and "Upload the renewed certificate" in english.body
