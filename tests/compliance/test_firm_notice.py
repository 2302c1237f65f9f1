"""When staff withdraw a firm's incentives or suspend its licence the firm is told (notice and e-mail:
decision, reason, effect, how to respond), its pages show its standing, and its response reaches staff."""

from datetime import timedelta

import pytest

from portal.compliance import service
from portal.compliance.models import CaseKind
from portal.notifications.models import Notification
from portal.timeutil import today
from tests.factories import make_firm


@pytest.fixture
def firm(users):
    return make_firm("Apex Boards (Pvt) Ltd", owner=users["supplier"], capabilities=[{"category": "pcba"}])


@pytest.fixture
def case(firm, users):
    return service.open_case(
        firm, CaseKind.INCENTIVE_BREACH, "Exported less than the incentive requires.", users["staff"]
    )


def _withdraw(case, staff, reason="Export condition breached in 2026."):
    return service.set_standing(case, "incentive", "withdrawn", today(), None, staff, case.version, note=reason)


def test_withdrawing_incentives_tells_the_firm_the_decision_reason_effect_and_how_to_respond(
    db, firm, case, users, outbox
):
    _withdraw(case, users["staff"])
    [notice] = Notification.query.filter_by(user_id=users["supplier"].id).all()
    assert notice.kind == "compliance_standing"
    assert notice.subject == "Apex Boards (Pvt) Ltd: incentives withdrawn"
    for words in (
        "Incentives withdrawn",
        "Export condition breached in 2026.",
        "kept out of matching",
        "How to respond",
    ):
        assert words in notice.body
    assert notice.link == f"/firms/{firm.id}/standing"
    [mail] = outbox("compliance_standing")
    assert mail.recipient == users["supplier"].email and "kept out of matching" in mail.body


def test_a_withdrawal_needs_a_reason_next_to_the_field(client, login, db, firm, case, users):
    login("staff")
    response = client.post(
        f"/staff/compliance/{case.id}/standing/incentive",
        data={"incentive-version": case.version, "incentive-status": "withdrawn", "incentive-since": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "Give the reason for this status; the firm reads it in its notice." in response.text
    assert service.standing_of(firm) is None
    assert Notification.query.count() == 0


def test_the_firms_pages_show_its_standing_not_its_profile(client, login, db, firm, case, users):
    _withdraw(case, users["staff"])
    login("supplier")
    manage = client.get(f"/firms/{firm.id}/").text
    assert 'data-testid="standing-banner"' in manage and "Export condition breached in 2026." in manage
    opportunities = client.get("/needs/opportunities").text
    assert "kept out of matching by an EDB compliance decision, not because of its profile" in opportunities
    assert "Complete your capabilities and certificates" not in opportunities
    standing = client.get(f"/firms/{firm.id}/standing").text
    assert "Incentives withdrawn" in standing and "Respond to case" in standing


def test_the_firms_response_reaches_staff_in_the_case(client, login, db, firm, case, users):
    _withdraw(case, users["staff"])
    login("supplier")
    empty = client.post(f"/firms/{firm.id}/standing/cases/{case.id}/respond", data={"text": " "})
    assert empty.status_code == 422 and "Write your response first." in empty.text
    client.post(
        f"/firms/{firm.id}/standing/cases/{case.id}/respond",
        data={"text": "We exported 62% in 2026; customs records attached to our e-mail."},
    )
    assert "We exported 62% in 2026" in client.get(f"/firms/{firm.id}/standing").text
    told = Notification.query.filter_by(user_id=users["staff"].id, kind="compliance_response").one()
    assert told.link == f"/staff/compliance/{case.id}#notes"
    login("staff")
    page = client.get(f"/staff/compliance/{case.id}").text
    assert 'data-testid="firm-response"' in page and "Response from the firm" in page
    assert "We exported 62% in 2026" in page


def test_only_the_firms_people_may_respond_and_only_while_the_case_is_open(client, login, db, firm, case, users):
    _withdraw(case, users["staff"])
    login("other_supplier")
    assert client.get(f"/firms/{firm.id}/standing").status_code == 404
    assert client.post(f"/firms/{firm.id}/standing/cases/{case.id}/respond", data={"text": "x"}).status_code == 404
    other_case = service.open_case(make_firm("Other Ltd"), CaseKind.LICENCE_BREACH, "Doubts.", users["staff"])
    login("supplier")
    assert (
        client.post(f"/firms/{firm.id}/standing/cases/{other_case.id}/respond", data={"text": "x"}).status_code == 404
    )
    service.close_case(case, "incentive_withdrawn", "", users["staff"], case.version)
    closed = client.post(
        f"/firms/{firm.id}/standing/cases/{case.id}/respond", data={"text": "Late answer."}, follow_redirects=True
    )
    assert "This case is closed" in closed.text and "Late answer." not in closed.text


def test_reinstating_tells_the_firm_and_clears_its_pages(client, login, db, firm, case, users):
    _withdraw(case, users["staff"])
    service.set_standing(case, "incentive", "active", today() + timedelta(days=1), None, users["staff"], case.version)
    subjects = [n.subject for n in Notification.query.order_by(Notification.id)]
    assert subjects[-1] == "Apex Boards (Pvt) Ltd: incentives reinstated"
    login("supplier")
    assert 'data-testid="standing-banner"' not in client.get(f"/firms/{firm.id}/").text


def test_setting_an_unchanged_active_status_tells_nobody(db, firm, case, users):
    service.set_standing(case, "licence", "active", today(), None, users["staff"], case.version)
    assert Notification.query.count() == 0


def test_an_urdu_reader_is_told_of_the_decision_and_its_effect_in_urdu(client, login, db, firm, case, users, outbox):
    users["supplier"].language = "ur"
    _withdraw(case, users["staff"])
    [notice] = Notification.query.filter_by(user_id=users["supplier"].id).all()
    body = notice.body.replace("\u2068", "").replace("\u2069", "")
    assert "فیصلہ" in body and "Export condition breached in 2026." in body
    for english in ("Decision", "Incentives withdrawn", "kept out of matching", "How to respond", "From"):
        assert english not in body and english not in notice.subject
    login("supplier")
    standing = client.get(f"/firms/{firm.id}/standing").text
    assert "kept out of matching" not in standing and "no longer receives" not in standing
