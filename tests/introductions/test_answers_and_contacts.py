"""The firm answers; contacts flow both ways only after acceptance; who may see an introduction at all."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.introductions import service
from portal.introductions.models import Introduction, Stage, StageChange
from portal.notifications.models import Notification
from tests.factories import make_need
from tests.introductions.builders import make_introduction

FIRM_CONTACTS = (
    "sales@lahoreboards.example.pk",
    "+92 42 3575 1200",
    "https://lahoreboards.example.pk",
    "Plot 12, Sundar Industrial Estate",
    "colleague@example.com",
    "Sana Iqbal",
    "supplier@example.com",
)
BRAND_CONTACTS = ("Test Brand", "brand@example.com")


@pytest.fixture
def intro(users, firm):
    return make_introduction(users["brand"], firm)


def reload(intro) -> Introduction:
    db.session.expire_all()
    return db.session.get(Introduction, intro.id)


def page_of(client, intro) -> str:
    return client.get(f"/introductions/{intro.id}").get_data(as_text=True)


def answers(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_who_sees_an_introduction(client, login, users, intro, colleague, other_brand, other_supplier):
    assert client.get(f"/introductions/{intro.id}").status_code == 302  # visitors sign in first
    for who, status in [
        ("brand", 200),
        ("supplier", 200),
        (colleague, 200),
        ("staff", 200),
        (other_brand, 404),
        (other_supplier, 404),
        ("investor", 403),
    ]:
        login(who)
        assert client.get(f"/introductions/{intro.id}").status_code == status, who
    login("brand")
    assert client.get("/introductions/999999").status_code == 404


def test_before_acceptance_the_firm_sees_the_organisation_and_message_only(client, login, intro):
    login("supplier")
    page = page_of(client, intro)
    assert "Brand Org" in page and "We make phones." in page
    for hidden in BRAND_CONTACTS:
        assert hidden not in page
    assert "The brand’s contact details appear here once your firm accepts." in page
    login("brand")
    page = page_of(client, intro)
    for hidden in FIRM_CONTACTS:
        assert hidden not in page
    assert "The firm’s contact details appear here once it accepts." in page


def test_a_member_accepts_and_contacts_flow_both_ways(client, login, users, intro, colleague, outbox):
    login(colleague)
    response = client.post(f"/introductions/{intro.id}/accept", data={"accept-version": intro.version})
    assert response.status_code == 302
    accepted = reload(intro)
    assert (accepted.stage, accepted.answered_by_id) == (Stage.INTRODUCED, colleague.id)
    assert [(c.from_stage, c.to_stage) for c in accepted.stage_changes][-1] == (Stage.REQUESTED, Stage.INTRODUCED)
    assert "introduction.accepted" in db.session.scalars(select(AuditEntry.action)).all()
    [notice] = [n for n in answers(users["brand"]) if n.kind == "intro_answer"]
    assert notice.subject == "Lahore Boards (Pvt) Ltd accepted your introduction request"
    assert [m.recipient for m in outbox("intro_answer")] == ["brand@example.com"]

    login("brand")
    page = page_of(client, intro)
    for shown in FIRM_CONTACTS:
        assert shown in page
    login("supplier")
    page = page_of(client, intro)
    for shown in (*BRAND_CONTACTS, "Brand Org"):
        assert shown in page
    login("staff")  # oversight sees who acted, but not the contact details the two sides exchanged
    page = page_of(client, intro)
    for hidden in (*FIRM_CONTACTS[:5], FIRM_CONTACTS[6], "brand@example.com"):
        assert hidden not in page
    assert "Read-only: EDB oversight" in page and "<form" not in page.split("<main")[1]


def test_a_decline_with_its_reason_reaches_the_brand_and_shares_nothing(client, login, users, intro):
    login("supplier")
    data = {"decline-version": intro.version, "decline-reason": "Our SMT lines are booked until March."}
    assert client.post(f"/introductions/{intro.id}/decline", data=data).status_code == 302
    declined = reload(intro)
    assert (declined.stage, declined.open_key) == (Stage.DECLINED, None)
    [notice] = answers(users["brand"])
    assert notice.subject.endswith("declined your introduction request")
    assert notice.body == "Our SMT lines are booked until March."
    login("brand")
    page = page_of(client, intro)
    assert "Our SMT lines are booked until March." in page
    for hidden in FIRM_CONTACTS:
        assert hidden not in page
    assert not service.can_see_contacts(declined, users["brand"])


def test_the_decline_reason_is_optional_but_limited(client, login, intro):
    login("supplier")
    long = {"decline-version": intro.version, "decline-reason": "x" * 1001}
    assert "Keep it to 1000 characters." in client.post(f"/introductions/{intro.id}/decline", data=long).text
    assert reload(intro).stage == Stage.REQUESTED
    client.post(f"/introductions/{intro.id}/decline", data={"decline-version": intro.version})
    assert (reload(intro).stage, reload(intro).decline_reason) == (Stage.DECLINED, "")


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_only_the_firms_people_answer(client, login, users, intro, other_supplier, action):
    data = {f"{action}-version": intro.version}
    for who, status in [("brand", 403), ("staff", 403), ("investor", 403), (other_supplier, 404)]:
        login(who)
        assert client.post(f"/introductions/{intro.id}/{action}", data=data).status_code == status, who
    assert reload(intro).stage == Stage.REQUESTED
    assert answers(users["brand"]) == []


def test_two_members_answering_at_once_the_second_is_told_to_look_again(client, login, intro, colleague):
    seen = intro.version
    login(colleague)
    client.post(f"/introductions/{intro.id}/accept", data={"accept-version": seen})
    login("supplier")
    response = client.post(f"/introductions/{intro.id}/decline", data={"decline-version": seen}, follow_redirects=True)
    assert "Someone else changed this introduction while you were looking at it" in response.text
    assert reload(intro).stage == Stage.INTRODUCED
    version = reload(intro).version
    again = client.post(f"/introductions/{intro.id}/accept", data={"accept-version": version}, follow_redirects=True)
    assert "This request was already answered." in again.text
    assert len(db.session.scalars(select(StageChange).where(StageChange.introduction_id == intro.id)).all()) == 2


def test_the_answer_reaches_the_brand_once(app, users, intro, colleague):
    service.accept(intro, colleague)
    with pytest.raises(service.IntroductionRefused):
        service.decline(intro, colleague)
    assert [n.kind for n in answers(users["brand"])] == ["intro_answer"]


def test_the_contacts_rule_for_every_viewer(app, users, firm, colleague, other_brand, other_supplier):
    intro = make_introduction(users["brand"], firm)
    viewers = {
        "brand": users["brand"],
        "member": users["supplier"],
        "colleague": colleague,
        "staff": users["staff"],
        "investor": users["investor"],
        "other brand": other_brand,
        "other supplier": other_supplier,
    }
    assert [name for name, user in viewers.items() if service.can_see_contacts(intro, user)] == []
    assert service.contacts_for(intro, users["brand"]) is None
    service.accept(intro, colleague)
    assert [name for name, user in viewers.items() if service.can_see_contacts(intro, user)] == [
        "brand",
        "member",
        "colleague",
    ]
    contacts = service.contacts_for(intro, users["brand"])
    assert contacts["firm"]["phone"] == "+92 42 3575 1200"
    assert {"name": "Sana Iqbal", "email": "colleague@example.com"} in contacts["firm"]["people"]
    assert contacts["brand"] == {"name": "Test Brand", "email": "brand@example.com", "organisation": "Brand Org"}


def test_the_linked_need_shows_only_to_those_who_may_see_it(client, login, users, firm, cast):
    draft = make_need(users["brand"], "pcba", title="Secret draft boards", status="draft")
    intro = make_introduction(users["brand"], firm, need=draft)
    login("brand")
    assert "Secret draft boards" in page_of(client, intro)
    login("supplier")
    assert "Secret draft boards" not in page_of(client, intro)
    open_need = make_need(cast.other_brand, "pcba", title="Open boards")
    other = make_introduction(cast.other_brand, firm, need=open_need)
    assert 'data-testid="intro-need"' in page_of(client, other)


def test_a_firm_whose_listing_was_suspended_meanwhile_may_decline_but_not_accept(client, login, firm, intro):
    firm.suspended = True
    db.session.commit()
    login("supplier")
    response = client.post(
        f"/introductions/{intro.id}/accept", data={"accept-version": intro.version}, follow_redirects=True
    )
    assert "cannot accept introductions" in response.text
    assert reload(intro).stage == Stage.REQUESTED
    client.post(f"/introductions/{intro.id}/decline", data={"decline-version": intro.version})
    assert reload(intro).stage == Stage.DECLINED
