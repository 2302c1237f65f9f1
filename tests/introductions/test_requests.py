"""A brand asks a public firm for an introduction: from the profile or a need's match, once per pair."""

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.introductions.models import Introduction, Stage, StageChange
from portal.notifications.models import Notification
from portal.suppliers.models import ListingStatus
from tests.factories import make_firm, make_need
from tests.introductions.builders import make_introduction

MESSAGE = "We assemble 4G feature phones in Lahore and look for a local PCBA partner."


def ask(client, firm, message=MESSAGE, need=None):
    query = f"?need_id={need.id}" if need else ""
    return client.post(f"/introductions/ask/{firm.id}{query}", data={"message": message})


def stored() -> list[Introduction]:
    db.session.expire_all()
    return list(db.session.scalars(select(Introduction).order_by(Introduction.id)))


def test_a_brand_asks_from_the_profile_and_every_firm_member_is_told_once(
    client, login, users, firm, colleague, outbox
):
    brand = login("brand")
    profile = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)
    assert f'href="/introductions/ask/{firm.id}"' in profile

    response = ask(client, firm)

    [intro] = stored()
    assert response.status_code == 302 and response.headers["Location"] == f"/introductions/{intro.id}"
    assert (intro.brand_user_id, intro.firm_id, intro.need_id) == (brand.id, firm.id, None)
    assert (intro.stage, intro.message, intro.organisation) == (Stage.REQUESTED, MESSAGE, "Brand Org")
    [step] = db.session.scalars(select(StageChange)).all()
    assert (step.from_stage, step.to_stage, step.actor_id) == (None, Stage.REQUESTED, brand.id)
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.subject_type == "Introduction")) == (
        "introduction.requested"
    )
    notices = db.session.scalars(select(Notification).where(Notification.kind == "intro_request")).all()
    assert sorted(n.user_id for n in notices) == sorted([users["supplier"].id, colleague.id])
    assert {n.link for n in notices} == {f"/introductions/{intro.id}"}
    assert sorted(m.recipient for m in outbox("intro_request")) == sorted([users["supplier"].email, colleague.email])
    assert "Your request is on its way" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("message", "problem"),
    [("   ", "Write a short message to the firm."), ("x" * 1001, "Keep it to 1000 characters.")],
)
def test_the_message_is_required_and_limited(client, login, firm, message, problem):
    login("brand")
    response = ask(client, firm, message)
    assert response.status_code == 200
    assert problem in response.get_data(as_text=True)
    assert stored() == []


def test_a_second_request_gets_a_clear_message_and_a_link_to_the_open_one(client, login, firm):
    login("brand")
    ask(client, firm)
    [intro] = stored()
    for response in (ask(client, firm, "Once more"), client.get(f"/introductions/ask/{firm.id}")):
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "You already asked this firm for an introduction; it is still open." in page
        assert f'href="/introductions/{intro.id}"' in page
        assert 'name="message"' not in page
    assert len(stored()) == 1
    profile = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)
    assert "Introduction: Requested" in profile and f"/introductions/ask/{firm.id}" not in profile


def test_each_need_gets_its_own_introduction_to_the_same_firm(client, login, users, firm):
    login("brand")
    need = make_need(users["brand"], "pcba")
    ask(client, firm)
    assert ask(client, firm, need=need).status_code == 302
    refused = ask(client, firm, need=need).get_data(as_text=True)
    assert "You already asked this firm for an introduction about this need" in refused
    assert [i.need_id for i in stored()] == [None, need.id]


@pytest.mark.parametrize("stage", [Stage.DECLINED, Stage.CLOSED, Stage.WITHDRAWN])
def test_after_a_decline_a_close_or_a_withdrawal_the_brand_may_ask_again(client, login, users, firm, stage):
    make_introduction(users["brand"], firm, stage=stage)
    login("brand")
    assert ask(client, firm).status_code == 302
    assert [i.stage for i in stored()] == [stage, Stage.REQUESTED]


def test_a_match_row_on_the_brands_need_offers_the_button_linked_to_the_need(client, login, users, firm):
    need = make_need(users["brand"], "pcba")
    login("brand")
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert f'href="/introductions/ask/{firm.id}?need_id={need.id}"' in page
    form = client.get(f"/introductions/ask/{firm.id}?need_id={need.id}").get_data(as_text=True)
    assert need.title in form
    assert ask(client, firm, need=need).status_code == 302
    assert stored()[0].need_id == need.id
    assert "Introduction: Requested" in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_a_brand_cannot_link_another_brands_need(client, login, firm, other_brand):
    need = make_need(other_brand, "pcba")
    login("brand")
    assert ask(client, firm, need=need).status_code == 404
    assert stored() == []


@pytest.mark.parametrize(
    "listing", [{"status": ListingStatus.DRAFT}, {"status": ListingStatus.SUBMITTED}, {"suspended": True}]
)
def test_only_public_firms_can_be_asked(client, login, users, listing):
    hidden = make_firm("Hidden Boards", owner=users["supplier"], **listing)
    login("brand")
    assert client.get(f"/introductions/ask/{hidden.id}").status_code == 404
    assert ask(client, hidden).status_code == 404
    assert client.get("/introductions/ask/999999").status_code == 404
    assert stored() == []


@pytest.mark.parametrize("role", ["supplier", "investor", "staff"])
def test_only_brands_may_ask(client, login, firm, role):
    login(role)
    assert client.get(f"/introductions/ask/{firm.id}").status_code == 403
    assert ask(client, firm).status_code == 403
    assert 'data-testid="ask-introduction"' not in client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count(Introduction.id))) == 0


def test_visitors_are_sent_to_sign_in_first(client, firm):
    assert 'data-testid="ask-introduction"' in client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)
    response = client.get(f"/introductions/ask/{firm.id}")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
