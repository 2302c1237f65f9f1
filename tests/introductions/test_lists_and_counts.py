"""The Introductions lists for brands, firms and staff, the navigation item, and the funnel counts."""

import pytest

from portal.introductions import service
from portal.introductions.models import Stage
from tests.factories import make_firm, make_need, make_user
from tests.introductions.builders import make_introduction


def rows(client, query="") -> list[str]:
    page = client.get(f"/introductions/{query}").text
    return [part.split("</a>")[0].split(">")[-1] for part in page.split('data-testid="intro-row"')[1:]]


@pytest.fixture
def several(users, firm, cast):
    make_introduction(users["brand"], firm, stage=Stage.IN_TALKS)
    make_introduction(users["brand"], cast.other_firm)
    make_introduction(cast.other_brand, firm, stage=Stage.DECLINED)
    return firm, cast.other_firm


def test_each_side_lists_its_own_newest_first_and_staff_list_all(client, login, several, other_supplier):
    login("brand")
    assert rows(client) == ["Karachi Cables", "Lahore Boards (Pvt) Ltd"]
    login("supplier")
    page = client.get("/introductions/").text
    assert rows(client) == ["Lahore Boards (Pvt) Ltd", "Lahore Boards (Pvt) Ltd"]
    assert "Rival Phones" in page and "Brand Org" in page  # the organisations of the cast's two brands
    login(other_supplier)
    assert rows(client) == ["Karachi Cables"]
    login("staff")
    assert len(rows(client)) == 3


def test_the_list_filters_by_stage(client, login, several):
    login("supplier")
    assert len(rows(client, "?stage=declined")) == 1
    assert len(rows(client, "?stage=in_talks")) == 1
    assert len(rows(client, "?stage=open")) == 1
    assert len(rows(client, "?stage=nonsense")) == 2
    login("brand")
    assert rows(client, "?stage=requested") == ["Karachi Cables"]


def test_the_list_and_the_navigation_item_are_for_brands_and_firms(client, login):
    assert client.get("/introductions/").status_code == 302
    for role, status, in_navigation in [
        ("brand", 200, True),
        ("supplier", 200, True),
        ("staff", 200, False),
        ("investor", 403, False),
    ]:
        login(role)
        assert client.get("/introductions/").status_code == status, role
        assert ('href="/introductions/"' in client.get("/").text) is in_navigation, role


def test_stage_counts_give_every_stage_by_category_and_province(app, users, firm, other_brand):
    quetta = make_firm(
        "Quetta Cells",
        city="Quetta",
        province="Balochistan",
        owner=make_user("supplier", email="q@cells.example"),
        capabilities=[{"category": "battery"}],
    )
    battery_need = make_need(users["brand"], category="battery", title="Battery packs")
    make_introduction(users["brand"], firm)  # Punjab, makes pcba, no need
    make_introduction(users["brand"], firm, need=battery_need, stage=Stage.INTRODUCED)  # counted as battery
    make_introduction(users["brand"], quetta, stage=Stage.DECLINED)
    make_introduction(other_brand, quetta, stage=Stage.CLOSED)
    make_introduction(other_brand, firm, stage=Stage.WITHDRAWN)  # Punjab, pcba

    everything = service.stage_counts()
    assert list(everything) == list(Stage)
    assert everything == {
        "requested": 1,
        "introduced": 1,
        "in_talks": 0,
        "samples": 0,
        "order_placed": 0,
        "closed": 1,
        "declined": 1,
        "withdrawn": 1,
    }
    assert {k: v for k, v in service.stage_counts(category="pcba").items() if v} == {"requested": 1, "withdrawn": 1}
    assert {k: v for k, v in service.stage_counts(category="battery").items() if v} == {
        "introduced": 1,
        "declined": 1,
        "closed": 1,
    }
    assert {k: v for k, v in service.stage_counts(province="Balochistan").items() if v} == {"declined": 1, "closed": 1}
    assert {k: v for k, v in service.stage_counts(category="battery", province="Punjab").items() if v} == {
        "introduced": 1
    }
    assert sum(service.stage_counts(category="display-module").values()) == 0
