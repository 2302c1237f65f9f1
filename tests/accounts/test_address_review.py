"""Nobody waits on a confirmation e-mail that never comes: the person is told in the portal what
happens, EDB staff confirm (or decline) the address from their queue or a terminal, and the
person hears the outcome in the portal."""

import html
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.accounts import address_review, verification
from portal.audit.models import AuditEntry
from portal.claims.models import ClaimStatus, FirmClaim
from portal.extensions import db
from portal.mail import send_mail
from portal.needs.models import SourcingNeed
from portal.notifications.models import Notification
from portal.timeutil import as_utc, utcnow
from tests.factories import make_firm, make_user
from tests.needs.test_needs import FORM, post_need


@pytest.fixture
def waiting(app):
    return make_user("brand", email="ayesha@crescent.example.pk", full_name="Ayesha Khan", email_verified_at=None)


def _refusal(client) -> str:
    response = post_need(client)
    assert response.status_code == 302 and db.session.scalar(select(SourcingNeed.id)) is None
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _notices(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_with_mail_off_the_refusal_says_staff_confirm_and_how_long(client, login, waiting):
    login(waiting)
    page = _refusal(client)
    assert "This portal does not send e-mail: EDB staff confirm new addresses, usually within 2 working days" in page
    assert "An estimate: too few addresses have been confirmed yet" in page
    assert "Meanwhile you can search suppliers, compare them and keep shortlists." in page
    assert "Send the link again" not in page  # no link can come


def test_with_mail_on_the_refusal_says_a_link_was_sent_and_offers_it_again(client, login, waiting, mail_on):
    login(waiting)
    page = _refusal(client)
    assert "We sent a link to ayesha@crescent.example.pk" in page and "Send the link again" in page
    assert "EDB staff confirm" not in page


def test_the_account_page_says_it_in_urdu_too(client, login, waiting):
    waiting.language = "ur"
    db.session.commit()
    login(waiting)
    page = client.get("/account/").get_data(as_text=True)
    assert 'data-testid="address-standing"' in page
    assert "does not send e-mail" not in page  # written in Urdu, not left in English


def test_the_wait_is_the_median_of_past_staff_confirmations_in_working_days(app, users):
    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    for number, working_days in enumerate((1, 2, 3, 3, 4)):
        person = make_user("brand", email=f"p{number}@example.com", created_at=monday)
        person.email_verified_at = monday + timedelta(days=working_days)  # Monday + n stays within the week
        person.email_confirmed_by_staff = True
    db.session.commit()
    assert address_review.usual_wait() == (3, True)


def test_working_days_skip_the_weekend():
    friday, monday = date(2026, 11, 6), date(2026, 11, 9)
    assert address_review.working_days_between(friday, monday) == 1
    assert address_review.working_days_between(friday, friday) == 0
    assert address_review.working_days_between(friday, friday + timedelta(days=14)) == 10


def test_the_staff_queue_offers_waiting_addresses_and_staff_confirm_with_a_note(client, login, users, waiting, outbox):
    login("staff")
    queue = client.get("/staff/queue").get_data(as_text=True)
    assert 'data-testid="address-queue"' in queue and "ayesha@crescent.example.pk" in queue

    response = client.post(
        f"/staff/addresses/{waiting.id}", data={"decision": "confirm", "note": "Phoned Crescent Mobile's office."}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/staff/queue"
    db.session.refresh(waiting)
    assert waiting.has_verified_email and waiting.email_confirmed_by_staff
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.email_confirmed"))
    assert (entry.subject_id, entry.actor_id, entry.note) == (
        waiting.id,
        users["staff"].id,
        "Phoned Crescent Mobile's office.",
    )
    [notice] = _notices(waiting)
    assert notice.subject == "EDB confirmed your e-mail address"
    assert outbox("address_review")[-1].recipient == "ayesha@crescent.example.pk"
    assert 'data-testid="address-item"' not in client.get("/staff/queue").get_data(as_text=True)

    login(waiting)
    assert "EDB confirmed your e-mail address" in client.get("/notifications/").get_data(as_text=True)
    assert 'data-testid="verify-email-banner"' not in client.get("/needs/").get_data(as_text=True)
    post_need(client)
    assert db.session.scalar(select(SourcingNeed.title)) == FORM["title"]


@pytest.mark.parametrize(
    ("decision", "note", "message"),
    [
        ("confirm", "", "Write how you checked the address, or why you decline it."),
        ("confirm", "  ", "Write how you checked the address, e.g."),
        ("decline", "  ", "Give a reason: the person reads it."),
    ],
    ids=["empty", "blank-confirm", "blank-decline"],
)
def test_a_decision_needs_a_note_next_to_the_field(client, login, waiting, decision, note, message):
    login("staff")
    page = client.post(f"/staff/addresses/{waiting.id}", data={"decision": decision, "note": note})
    assert page.status_code == 200
    assert message in html.unescape(page.get_data(as_text=True))
    db.session.refresh(waiting)
    assert not waiting.has_verified_email and waiting.email_declined_at is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action.like("account.email_%"))) is None


def test_a_declined_address_leaves_the_queue_and_the_person_reads_why(client, login, waiting, outbox):
    login("staff")
    client.post(
        f"/staff/addresses/{waiting.id}", data={"decision": "decline", "note": "Crescent Mobile has no Ayesha Khan."}
    )
    db.session.refresh(waiting)
    assert waiting.email_declined_at is not None and not waiting.has_verified_email
    assert 'data-testid="address-item"' not in client.get("/staff/queue").get_data(as_text=True)
    review = client.get(f"/staff/addresses/{waiting.id}").get_data(as_text=True)
    assert "Earlier decisions" in review and "Crescent Mobile has no Ayesha Khan." in review
    [notice] = _notices(waiting)
    assert "Crescent Mobile has no Ayesha Khan." in notice.body
    assert outbox("address_review")[-1].subject == "EDB could not confirm your e-mail address"

    login(waiting)
    page = _refusal(client)
    assert "EDB staff could not confirm ayesha@crescent.example.pk: Crescent Mobile has no Ayesha Khan." in page


def test_with_mail_on_only_addresses_whose_link_failed_wait_for_staff_and_are_told_so(
    client, login, waiting, mail_on, outbox
):
    bounced = make_user("investor", email="bounced@example.com", email_verified_at=None)
    assert address_review.waiting_for_staff() == []  # the link is on its way to both
    failed = send_mail(bounced.email, "Confirm", "…", kind="email_verification")
    failed.error = "550 no such mailbox"
    db.session.commit()
    assert [person.email for person in address_review.waiting_for_staff()] == ["bounced@example.com"]
    login(bounced)
    page = client.get("/account/").get_data(as_text=True)
    assert "The link we sent to bounced@example.com could not be delivered: EDB staff confirm the address" in page


def test_staff_confirm_a_bounced_address_while_mail_is_on_and_the_link_still_works(client, login, waiting, mail_on):
    other = make_user("supplier", email="linked@example.com", email_verified_at=None)
    assert client.get(f"/account/verify-email/{verification.make_token(other)}").status_code == 302
    db.session.refresh(other)
    assert other.has_verified_email and not other.email_confirmed_by_staff

    login("staff")
    client.post(f"/staff/addresses/{waiting.id}", data={"decision": "confirm", "note": "Met her at the EDB expo."})
    db.session.refresh(waiting)
    assert waiting.has_verified_email and waiting.email_confirmed_by_staff


def test_the_command_line_confirms_with_a_note_in_the_audit_trail(app, waiting):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "confirm", "Ayesha@Crescent.example.pk", "--note", "Phoned the firm."])
    assert result.exit_code == 0, result.output
    assert "Confirmed ayesha@crescent.example.pk" in result.output
    db.session.refresh(waiting)
    assert waiting.has_verified_email
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.email_confirmed"))
    assert (entry.actor_label, entry.note) == ("system", "Phoned the firm.")
    assert [n.subject for n in _notices(waiting)] == ["EDB confirmed your e-mail address"]

    again = runner.invoke(args=["accounts", "confirm", "ayesha@crescent.example.pk", "--note", "Again."])
    assert again.exit_code != 0 and "confirmed already" in again.output
    unknown = runner.invoke(args=["accounts", "confirm", "ghost@example.com", "--note", "x"])
    assert unknown.exit_code != 0 and "no account uses ghost@example.com" in unknown.output
    assert (
        runner.invoke(args=["accounts", "confirm", "ayesha@crescent.example.pk"]).exit_code != 0
    )  # --note is required


def test_with_mail_off_an_email_claim_goes_to_staff_marked_unconfirmed(client, login, users):
    firm = make_firm("Indus Moulds", website="https://www.indusmoulds.pk")
    login("supplier")
    response = client.post(
        f"/suppliers/{firm.id}/claim", data={"position": "Director", "method": "email", "email": "amna@indusmoulds.pk"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This portal does not send e-mail, so they check with the firm that amna@indusmoulds.pk" in page
    claim = db.session.scalar(select(FirmClaim))
    assert claim.status == ClaimStatus.PENDING and claim.email_confirmed_at is None and claim.submitted_at
    login("staff")
    review = client.get(f"/staff/firms/{firm.id}").get_data(as_text=True)
    assert 'data-testid="claim-email-unconfirmed"' in review
    assert "not confirmed by e-mail" in review


def test_an_unconfirmed_person_whose_address_was_confirmed_meanwhile_is_not_confirmed_twice(app, users, waiting):
    address_review.confirm_address(waiting, users["staff"], "Phoned.")
    with pytest.raises(address_review.AddressReviewRefused):
        address_review.decline_address(waiting, users["staff"], "Too late.")
    assert waiting.email_declined_at is None and as_utc(waiting.email_verified_at) <= utcnow()
