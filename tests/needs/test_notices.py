"""Who hears of a need, and when: on publish, on invitation, on each change, and when quotes can be opened."""

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.needs.models import NeedInvitation, NeedStatus, SourcingNeed
from portal.notifications.models import Notification
from portal.timeutil import today
from tests.factories import make_firm, make_need, make_quote, make_user
from tests.needs.conftest import battery_firm

FORM = {
    "title": "Li-ion packs",
    "category": "battery",
    "quantity_per_month": "10000",
    "quantity_unit": "cells",
    "description": "1,800 mAh Li-ion packs.",
    "certifications": ["iso-9001"],
    "currency": "USD",
    "delivery_province": "",
    "deadline": (today() + timedelta(days=20)).isoformat(),
    "visibility": "open",
}


def notices(kind=None, user=None) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    if user:
        query = query.where(Notification.user_id == user.id)
    return list(db.session.scalars(query))


def publish(client, need):
    need = db.session.get(SourcingNeed, need.id)
    return client.post(f"/needs/{need.id}/publish", data={"version": need.version})


def test_publishing_an_open_need_tells_every_matching_firm_once_and_invited_firms_are_invited(client, login, cast):
    colleague = make_user("supplier", email="colleague@example.com")
    from portal.suppliers.models import FirmMember

    db.session.add(FirmMember(firm_id=cast.other_firm.id, user_id=colleague.id))
    cables = make_user("supplier", email="cables@example.com")
    make_firm("Cable Co", owner=cables, capabilities=[{"category": "cable"}], certificates=[{"type": "iso-9001"}])
    need = make_need(cast.brand, status=NeedStatus.DRAFT)
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.firm.id))
    db.session.commit()
    login("brand")
    publish(client, need)
    assert {n.user_id for n in notices("need_match")} == {cast.other_supplier.id, colleague.id}
    assert [n.user_id for n in notices("need_invitation")] == [cast.supplier.id]
    assert notices(user=cables) == []
    [match] = notices("need_match", cast.other_supplier)
    assert match.link == f"/needs/{need.id}" and "Packs" in match.subject


def test_publishing_an_invited_only_need_tells_only_the_invited_firms(client, login, cast):
    need = make_need(cast.brand, status=NeedStatus.DRAFT, visibility="invited")
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.firm.id))
    db.session.commit()
    login("brand")
    publish(client, need)
    assert [(n.kind, n.user_id) for n in notices()] == [("need_invitation", cast.supplier.id)]


def test_inviting_from_the_match_list_or_by_name_tells_the_firm_now_and_only_once(client, login, cast, outbox):
    need = make_need(cast.brand, visibility="invited")
    login("brand")
    page = html.unescape(client.get(f"/needs/{need.id}").get_data(as_text=True))
    assert 'Invite<span class="visually-hidden"> Ravi Cells</span>' in page, "an invite button on each match"
    client.post(f"/needs/{need.id}/invitations", data={"firm_id": cast.firm.id})
    client.get(f"/needs/{need.id}")  # reads the flash
    search = html.unescape(client.get(f"/needs/{need.id}/invite?q=quetta").get_data(as_text=True))
    assert "Quetta Packs" in search and "Ravi Cells" not in search
    client.post(f"/needs/{need.id}/invitations", data={"firm_id": cast.other_firm.id})
    again = client.post(f"/needs/{need.id}/invitations", data={"firm_id": cast.firm.id}, follow_redirects=True)
    assert "Ravi Cells is already invited." in html.unescape(again.get_data(as_text=True))
    assert sorted(n.user_id for n in notices("need_invitation")) == sorted([cast.supplier.id, cast.other_supplier.id])
    assert len(outbox("need_invitation")) == 2
    login("supplier")
    assert "Packs" in client.get("/needs/opportunities").get_data(as_text=True), "invited needs are listed"


def test_a_hidden_firm_cannot_be_invited_or_found(client, login, cast):
    from portal.suppliers.models import ListingStatus

    hidden = make_firm("Hidden Cells", status=ListingStatus.DRAFT, capabilities=[{"category": "battery"}])
    need = make_need(cast.brand, visibility="invited")
    login("brand")
    assert "Hidden Cells" not in client.get(f"/needs/{need.id}/invite?q=hidden").get_data(as_text=True)
    response = client.post(f"/needs/{need.id}/invitations", data={"firm_id": hidden.id}, follow_redirects=True)
    assert "Only verified firms taking part in sourcing can be invited." in response.get_data(as_text=True)
    assert db.session.scalar(select(NeedInvitation)) is None


@pytest.mark.parametrize("firm_id", ["2147483648", "99999999999999999999"])
def test_a_firm_number_no_firm_can_have_invites_nobody(client, login, cast, firm_id):
    need = make_need(cast.brand, visibility="invited")
    login("brand")
    response = client.post(f"/needs/{need.id}/invitations", data={"firm_id": firm_id})
    assert response.status_code == 302
    assert db.session.scalar(select(NeedInvitation)) is None


def test_editing_an_open_need_tells_invited_and_quoting_firms_what_changed_once_per_edit(client, login, cast):
    bystander = make_user("supplier", email="bystander@example.com")
    battery_firm("Bystander Cells", owner=bystander)
    need = make_need(cast.brand, quantity=10000)
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.firm.id))
    make_quote(need, cast.other_firm)
    db.session.commit()
    login("brand")
    old_deadline, new_deadline = need.deadline, today() + timedelta(days=25)
    form = {**FORM, "title": "Packs", "quantity_per_month": "20000", "deadline": new_deadline.isoformat(), "version": 1}
    client.post(f"/needs/{need.id}/edit", data=form)
    changed = notices("need_changed")
    assert sorted(n.user_id for n in changed) == sorted([cast.supplier.id, cast.other_supplier.id])
    body = changed[0].body
    assert "Quantity per month: 10,000 → 20,000" in body
    assert f"Deadline for quotes: {old_deadline.isoformat()} → {new_deadline.isoformat()}" in body
    assert "Title" not in body, "unchanged fields are not listed"
    assert notices(user=bystander) == []
    client.post(f"/needs/{need.id}/edit", data={**form, "version": 2, "certifications": []})
    second = notices("need_changed", cast.supplier)
    assert len(second) == 2 and "Required certifications: ISO 9001 → none" in second[1].body


def test_editing_a_draft_or_an_unchanged_save_tells_nobody(client, login, cast):
    need = make_need(cast.brand, status=NeedStatus.DRAFT, title="Packs")
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.firm.id))
    db.session.commit()
    login("brand")
    client.post(f"/needs/{need.id}/edit", data={**FORM, "title": "Packs v2"})
    assert notices() == []


def test_closing_tells_the_brand_once_how_many_quotes_can_be_opened(client, login, cast):
    need = make_need(cast.brand)
    make_quote(need, cast.firm)
    db.session.commit()
    login("brand")
    client.post(f"/needs/{need.id}/close", data={"understood": "yes", "version": need.version})
    [ready] = notices("quotes_ready")
    assert (ready.user_id, ready.subject) == (cast.brand.id, "1 quote can be opened: Packs")


def test_close_due_needs_closes_past_deadlines_and_tells_each_brand_once(app, cast, outbox):
    due = make_need(cast.brand, title="Due packs")
    later = make_need(cast.brand, title="Later packs")
    db.session.get(SourcingNeed, due.id).deadline = today() - timedelta(days=2)
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["close-due-needs"])
    assert first.exit_code == 0, first.output
    assert "Closed 1 need(s) past their deadline" in first.output
    second = runner.invoke(args=["close-due-needs"])
    assert second.exit_code == 0 and "Closed 0 need(s)" in second.output
    db.session.expire_all()
    assert db.session.get(SourcingNeed, due.id).status == NeedStatus.CLOSED
    assert db.session.get(SourcingNeed, later.id).status == NeedStatus.OPEN
    [ready] = notices("quotes_ready")
    assert ready.subject == "0 quotes can be opened: Due packs"
    assert ready.link == f"/needs/{due.id}"
    assert len(outbox("quotes_ready")) == 1
