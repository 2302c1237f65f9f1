"""Brands keep named shortlists of firms: add, note, rename, delete, invite to a need, export."""

import csv
import io

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.needs.models import NeedInvitation, NeedStatus
from portal.notifications.models import Notification
from portal.shortlists.models import Shortlist
from tests.factories import make_firm, make_need, make_user
from tests.needs.conftest import battery_firm


@pytest.fixture
def firm(users):
    return battery_firm("Indus Cells (Pvt) Ltd", owner=users["supplier"])


def add(client, firm, **form):
    return client.post("/shortlists/add", data={"firm_id": firm.id, "next": "/suppliers/", **form})


def only_list() -> Shortlist:
    return db.session.scalar(select(Shortlist))


def test_a_brand_shortlists_a_firm_from_its_profile_and_finds_it_on_the_list(client, login, firm):
    login("brand")
    profile = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)
    assert 'action="/shortlists/add"' in profile

    response = add(client, firm)

    assert response.headers["Location"].endswith("/suppliers/")
    shortlist = only_list()
    assert [e.firm_id for e in shortlist.entries] == [firm.id] and shortlist.name == "My shortlist"
    page = client.get(f"/shortlists/{shortlist.id}").get_data(as_text=True)
    assert "Indus Cells (Pvt) Ltd" in page


def test_the_add_form_appears_in_search_results_and_a_needs_matches(client, login, firm):
    brand = login("brand")
    need = make_need(brand, certifications=())
    assert 'action="/shortlists/add"' in client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert 'action="/shortlists/add"' in client.get("/categories/battery").get_data(as_text=True)


def test_adding_to_an_existing_list_and_twice_keeps_one_entry(client, login, firm):
    login("brand")
    client.post("/shortlists/", data={"name": "Battery packs"})
    shortlist = only_list()
    add(client, firm, shortlist_id=shortlist.id)
    add(client, firm, shortlist_id=shortlist.id)
    db.session.expire_all()
    assert len(only_list().entries) == 1 and db.session.scalar(select(Shortlist.name)) == "Battery packs"


def test_notes_rename_and_removal(client, login, firm):
    login("brand")
    add(client, firm)
    shortlist = only_list()
    client.post(f"/shortlists/{shortlist.id}/firms/{firm.id}/note", data={"note": "Visited the line in May."})
    client.post(f"/shortlists/{shortlist.id}/rename", data={"name": "Second source"})
    page = client.get(f"/shortlists/{shortlist.id}").get_data(as_text=True)
    assert "Visited the line in May." in page and "Second source" in page
    client.post(f"/shortlists/{shortlist.id}/firms/{firm.id}/remove")
    db.session.expire_all()
    assert only_list().entries == []


def test_an_empty_name_is_refused_next_to_the_field(client, login, firm):
    login("brand")
    add(client, firm)
    response = client.post(f"/shortlists/{only_list().id}/rename", data={"name": "  "})
    assert response.status_code == 422 and "Give the shortlist a name." in response.get_data(as_text=True)


def test_deleting_asks_first(client, login, firm):
    login("brand")
    add(client, firm)
    shortlist_id = only_list().id
    client.post(f"/shortlists/{shortlist_id}/delete")
    assert only_list() is not None
    page = client.get(f"/shortlists/{shortlist_id}").get_data(as_text=True)
    assert "Nothing was done: tick the box" in page
    client.post(f"/shortlists/{shortlist_id}/delete", data={"understood": "yes"})
    assert only_list() is None


def test_inviting_the_whole_list_to_a_need_invites_each_public_firm(client, login, firm):
    brand = login("brand")
    other = battery_firm("Ravi Power", owner=make_user("supplier", email="ravi@example.com"))
    need = make_need(brand, certifications=())
    add(client, firm)
    shortlist = only_list()
    add(client, other, shortlist_id=shortlist.id)

    response = client.post(f"/shortlists/{shortlist.id}/invite", data={"need_id": need.id})

    assert response.headers["Location"].endswith(f"/needs/{need.id}#invitations")
    invited = set(db.session.scalars(select(NeedInvitation.firm_id).where(NeedInvitation.need_id == need.id)))
    assert invited == {firm.id, other.id}
    notified = db.session.scalars(select(Notification.user_id).where(Notification.kind == "need_invitation"))
    assert len(set(notified)) == 2


def test_a_closed_need_cannot_be_chosen(client, login, firm):
    brand = login("brand")
    need = make_need(brand, status=NeedStatus.CLOSED, certifications=())
    add(client, firm)
    response = client.post(f"/shortlists/{only_list().id}/invite", data={"need_id": need.id})
    assert response.status_code == 422 and db.session.scalar(select(NeedInvitation)) is None


def test_the_csv_lists_firms_and_notes_with_formulas_disarmed(client, login, firm):
    login("brand")
    add(client, firm)
    shortlist = only_list()
    client.post(f"/shortlists/{shortlist.id}/firms/{firm.id}/note", data={"note": '=HYPERLINK("http://x")'})
    response = client.get(f"/shortlists/{shortlist.id}.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["name", "legal_name", "city"]
    assert rows[1][0] == "Indus Cells (Pvt) Ltd" and rows[1][6].startswith("'=")
    assert response.mimetype == "text/csv"


@pytest.mark.parametrize("who", ["other_brand", "staff", "supplier"])
def test_nobody_else_sees_a_brands_shortlist(client, login, firm, who):
    login("brand")
    add(client, firm)
    shortlist_id = only_list().id
    login(who)
    assert client.get(f"/shortlists/{shortlist_id}").status_code in (403, 404)
    assert client.get(f"/shortlists/{shortlist_id}.csv").status_code in (403, 404)


def test_the_firm_is_never_told_it_was_shortlisted(client, login, firm):
    login("brand")
    add(client, firm)
    assert db.session.scalar(select(Notification)) is None


def test_only_public_firms_can_be_added(client, login):
    login("brand")
    hidden = make_firm("Draft Works", status="draft")
    assert add(client, hidden).status_code == 404


def test_the_service_says_not_found_to_anyone_but_the_owner_without_a_request(client, login, cast, firm):
    from portal.denials import NotFound
    from portal.shortlists import service

    login("brand")
    add(client, firm)
    shortlist = only_list()
    assert service.shortlist_for(shortlist.id, cast.brand) == shortlist
    for who in (cast.other_brand, cast.staff, None):
        with pytest.raises(NotFound):
            service.shortlist_for(shortlist.id, who)
