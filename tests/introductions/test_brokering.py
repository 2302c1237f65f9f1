"""Introductions to listings nobody runs go to EDB staff, who broker them and tell the brand the outcome."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.introductions import brokering
from portal.introductions.models import BrokerOutcome, Introduction, Stage
from portal.notifications.models import Notification
from portal.timeutil import utcnow
from tests.factories import make_firm
from tests.introductions.builders import reloaded


@pytest.fixture
def unowned(app):
    return make_firm("Sialkot Moulds (Pvt) Ltd", city="Sialkot")


def ask(client, firm, message="We need housings for a feature phone."):
    return client.post(f"/introductions/ask/{firm.id}", data={"message": message}, follow_redirects=True)


def only_intro() -> Introduction:
    db.session.expire_all()
    return db.session.scalar(select(Introduction))


def asked_then_brokered(client, login, firm, outcome: str, note: str) -> Introduction:
    """The brand asks; staff record `outcome` with `note` (signed in as staff afterwards)."""
    login("brand")
    ask(client, firm)
    intro = only_intro()
    login("staff")
    data = {"broker-version": intro.version, "broker-outcome": outcome, "broker-note": note}
    client.post(f"/introductions/{intro.id}/broker", data=data)
    return only_intro()


def test_the_brand_is_told_at_once_that_edb_brokers_it_and_how_long_it_usually_takes(client, login, unowned):
    login("brand")
    page = ask(client, unowned).text
    assert "so EDB staff broker your request" in page
    assert "about 5 days (an estimate: too few brokered requests yet to measure)" in page
    intro = only_intro()
    assert intro.brokered and intro.stage == Stage.REQUESTED
    assert "on its way" not in page


def test_the_request_waits_in_the_staff_queue(client, login, unowned):
    login("brand")
    ask(client, unowned)
    login("staff")
    queue = client.get("/staff/queue").text
    assert 'data-testid="broker-queue"' in queue and "Sialkot Moulds (Pvt) Ltd" in queue
    assert 'data-testid="broker-panel"' in client.get(f"/introductions/{only_intro().id}").text


def test_staff_record_the_outcome_and_the_brand_is_told_in_the_portal(client, login, users, unowned):
    intro = asked_then_brokered(client, login, unowned, "not_interested", "Fully booked.")
    assert (intro.broker_outcome, intro.stage, intro.open_key) == (BrokerOutcome.NOT_INTERESTED, Stage.DECLINED, None)
    told = db.session.scalar(select(Notification).where(Notification.user_id == users["brand"].id))
    assert told.subject == "EDB reached Sialkot Moulds (Pvt) Ltd: the firm is not interested"
    assert told.body == "Fully booked."
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "introduction.brokered")) is not None
    assert "broker-queue" not in client.get("/staff/queue").text
    login("brand")
    page = client.get(f"/introductions/{intro.id}").text
    assert "The firm is not interested" in page and "Fully booked." in page


def test_an_interested_firm_is_invited_to_claim_and_then_answers_on_the_portal(client, login, users, unowned, outbox):
    intro = asked_then_brokered(client, login, unowned, "interested", "Spoke to Mr Iqbal.")
    client.post(f"/introductions/{intro.id}/invite-to-claim", data={"claim_invite-email": "iqbal@sialkotmoulds.pk"})
    [mail] = outbox("claim_invitation")
    assert mail.recipient == "iqbal@sialkotmoulds.pk" and "Brand Org asked to be introduced" in mail.body
    link = re.search(r"https?://\S+", mail.body).group(0)
    assert "/account/sign-up?claim=" in link
    assert only_intro().stage == Stage.REQUESTED  # the firm answers it once it runs its listing
    login("brand")
    assert "The firm is interested" in client.get(f"/introductions/{intro.id}").text


def test_a_note_is_required_and_shown_next_to_the_field(client, login, unowned):
    login("brand")
    ask(client, unowned)
    intro = only_intro()
    login("staff")
    page = client.post(
        f"/introductions/{intro.id}/broker",
        data={"broker-version": intro.version, "broker-outcome": "unreachable", "broker-note": ""},
    ).text
    assert "Write a note of what the firm said: the brand reads it." in page
    assert only_intro().broker_outcome is None


@pytest.mark.parametrize("who", ["brand", "supplier"])
def test_only_staff_broker(client, login, unowned, who):
    login("brand")
    ask(client, unowned)
    intro = only_intro()
    login(who)
    data = {"broker-version": intro.version, "broker-outcome": "unreachable", "broker-note": "x"}
    assert client.post(f"/introductions/{intro.id}/broker", data=data).status_code in (403, 404)


def test_a_firm_someone_runs_is_asked_directly(client, login, users):
    firm = make_firm("Lahore Boards", owner=users["supplier"])
    login("brand")
    assert "Your request is on its way to Lahore Boards." in ask(client, firm).text
    assert not only_intro().brokered


def test_the_usual_time_is_measured_once_enough_requests_were_answered(app, users, unowned):
    from portal.introductions import service

    for days in (1, 2, 3, 4, 9):
        intro = service.request_introduction(users["brand"], unowned, f"Request {days}")
        intro.broker_outcome, intro.broker_answered_at = BrokerOutcome.UNREACHABLE, utcnow()
        intro.requested_at, intro.open_key = utcnow() - timedelta(days=days), None
        db.session.commit()
    assert brokering.usual_turnaround() == (3.0, True)
    assert reloaded(intro).brokered
