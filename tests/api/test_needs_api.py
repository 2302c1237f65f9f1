"""Brands post sourcing needs and read their matches through the API, with the page form's rules."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.needs.models import NeedStatus, SourcingNeed
from portal.timeutil import today
from tests.api.conftest import CALLERS, error_of, post_charger_need
from tests.factories import make_firm

BODY = {
    "title": "20 W USB-C chargers",
    "category": "charger",
    "description": "PD 3.0 wall chargers, EU plugs.",
    "quantity_per_month": 50000,
    "required_certifications": ["iso-9001"],
    "processes": [],
    "deadline": (today() + timedelta(days=30)).isoformat(),
    "province": "Punjab",
}


def test_a_brand_creates_a_draft_need_and_is_told_where_it_lives(api, db, cast):
    response = api.post("/api/v1/needs", "brand", json=BODY)
    assert response.status_code == 201
    data = response.get_json()
    assert response.headers["Location"] == f"http://localhost/api/v1/needs/{data['id']}"
    assert {k: data[k] for k in BODY} == BODY
    assert (data["status"], data["visibility"], data["organisation"]) == ("draft", "open", "Brand Org")
    db.session.expire_all()
    stored = db.session.get(SourcingNeed, data["id"])
    assert (stored.owner_id, stored.currency, stored.delivery_province) == (cast.brand.id, "USD", "Punjab")
    assert [c.slug for c in stored.required_certifications] == ["iso-9001"]
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.subject_id == stored.id)) == "need.created"
    assert api.get(response.headers["Location"], "brand").get_json() == data


def test_province_may_be_left_out_for_anywhere(api):
    body = {k: v for k, v in BODY.items() if k != "province"}
    assert api.post("/api/v1/needs", "brand", json=body).get_json()["province"] is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("supplier", 403),
        ("other_supplier", 403),
        ("investor", 403),
        ("staff", 403),
        ("brand", 201),
        ("other_brand", 201),
    ],
)
def test_only_brands_create_needs(api, who, status):
    assert api.post("/api/v1/needs", who, json=BODY).status_code == status


def test_no_or_a_bad_token_is_401_with_a_bearer_challenge(api, client):
    response = api.post("/api/v1/needs", json=BODY)
    assert error_of(response) == (401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    response = client.post("/api/v1/needs", json=BODY, headers={"Authorization": "Bearer edb_not-a-token"})
    assert error_of(response) == (401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer error=invalid_token"


def test_a_session_cookie_is_not_enough(api, login):
    login("brand")
    assert api.post("/api/v1/needs", json=BODY).status_code == 401


def test_a_revoked_token_is_refused(api, db, cast):
    cast.token("brand")
    for token in cast.brand.tokens:
        token.revoked_at = token.created_at
    db.session.commit()
    assert api.post("/api/v1/needs", "brand", json=BODY).status_code == 401


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "   "}, "title", "Give the need a title."),
        ({"deadline": today().isoformat()}, "deadline", "The deadline must be after today."),
        ({"quantity_per_month": 0}, "quantity_per_month", "Enter a quantity of 1 or more."),
    ],
)
def test_the_page_forms_rules_and_messages_apply(api, db, change, field, message):
    response = api.post("/api/v1/needs", "brand", json={**BODY, **change})
    assert error_of(response) == (422, "invalid")
    assert response.get_json()["error"]["fields"] == {field: message}
    assert db.session.scalar(select(SourcingNeed)) is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "nul\x00byte"}, "title"),
        ({"category": "spaceships"}, "category"),
        ({"quantity_per_month": "many"}, "quantity_per_month"),
        ({"quantity_per_month": 1.5}, "quantity_per_month"),
        ({"quantity_per_month": True}, "quantity_per_month"),
        ({"quantity_per_month": 10**30}, "quantity_per_month"),
        ({"required_certifications": "iso-9001"}, "required_certifications"),
        ({"required_certifications": ["iso-0"]}, "required_certifications"),
        ({"processes": [5]}, "processes"),
        ({"deadline": "next week"}, "deadline"),
        ({"deadline": "2030-02-30"}, "deadline"),
        ({"province": "Atlantis"}, "province"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_fields_of_the_wrong_kind_are_422_by_name(api, db, change, field):
    response = api.post("/api/v1/needs", "brand", json={**BODY, **change})
    assert error_of(response) == (422, "invalid")
    assert list(response.get_json()["error"]["fields"]) == [field]
    assert db.session.scalar(select(SourcingNeed)) is None


def test_missing_fields_are_each_named(api):
    response = api.post("/api/v1/needs", "brand", json={})
    assert set(response.get_json()["error"]["fields"]) == {
        "title",
        "category",
        "description",
        "quantity_per_month",
        "deadline",
    }


def test_a_body_that_is_not_an_object_is_422(api):
    assert error_of(api.post("/api/v1/needs", "brand", json=[BODY])) == (422, "invalid")


@pytest.mark.parametrize("body", ['{"title": ', "", "[" * 100_000])
def test_malformed_json_is_400(api, body):
    response = api.post("/api/v1/needs", "brand", data=body, content_type="application/json")
    assert error_of(response) == (400, "bad_request")


def test_a_body_that_is_not_json_is_415(api):
    response = api.post("/api/v1/needs", "brand", data={"title": "x"})
    assert error_of(response) == (415, "unsupported_media_type")


def test_a_too_large_body_is_413(api, app):
    big = json.dumps({**BODY, "description": "x" * (app.config["API_MAX_CONTENT_LENGTH"] + 1)})
    response = api.post("/api/v1/needs", "brand", data=big, content_type="application/json")
    assert error_of(response) == (413, "payload_too_large")


# --- reading a need -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("investor", 403),
        ("brand", 200),
        ("staff", 200),
        ("supplier", 200),
        ("other_supplier", 200),
        ("other_brand", 404),
    ],
)
def test_who_reads_a_published_need(api, need, firm, other_firm, who, status):
    """Suppliers read it as people of verified firms that make the category."""
    assert api.get(f"/api/v1/needs/{need.id}", who).status_code == status


def test_a_supplier_without_a_verified_maker_of_the_category_cannot_read_a_need(api, need):
    assert api.get(f"/api/v1/needs/{need.id}", "supplier").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("brand", 200), ("staff", 200), ("supplier", 404), ("other_brand", 404)])
def test_a_draft_is_for_its_owner_and_staff(api, cast, who, status):
    draft = post_charger_need(cast.brand, status=NeedStatus.DRAFT)
    assert api.get(f"/api/v1/needs/{draft.id}", who).status_code == status


def test_a_need_the_caller_may_not_see_answers_like_a_missing_one(api, cast):
    draft = post_charger_need(cast.brand, status=NeedStatus.DRAFT)
    hidden, missing = api.get(f"/api/v1/needs/{draft.id}", "supplier"), api.get("/api/v1/needs/999999", "supplier")
    assert hidden.get_json() == missing.get_json()
    assert error_of(missing) == (404, "not_found")


@pytest.mark.parametrize(
    "path", ["/api/v1/needs/0", "/api/v1/needs/-1", "/api/v1/needs/abc", "/api/v1/needs/99999999999999999999"]
)
def test_ids_out_of_range_are_404(api, client, cast, path):
    response = client.get(path, headers={"Authorization": f"Bearer {cast.token('brand')}"})
    assert error_of(response) == (404, "not_found")


# --- matches --------------------------------------------------------------------------------------


@pytest.fixture
def chargers(firm, other_firm):
    make_firm("Uncertified Chargers", capabilities=[{"category": "charger", "capacity": 90000}])
    make_firm("Cable Only", capabilities=[{"category": "cable"}], certificates=[{"type": "iso-9001"}])
    return firm, other_firm


def test_matches_come_best_first_with_reasons(api, need, chargers):
    data = api.get(f"/api/v1/needs/{need.id}/matches", "brand").get_json()
    assert [m["name"] for m in data["items"]] == ["Ravi Power (Pvt) Ltd", "Indus Adapters"]
    assert [m["supplier_id"] for m in data["items"]] == [chargers[0].id, chargers[1].id]
    assert data["items"][0]["score"] > data["items"][1]["score"]
    assert "capacity 80,000/month covers 50,000" in data["items"][0]["reasons"]
    assert (data["total"], data["limit"]) == (2, 20)


def test_limit_cuts_the_list_but_not_the_total(api, need, chargers):
    data = api.get(f"/api/v1/needs/{need.id}/matches?limit=1", "brand").get_json()
    assert ([m["name"] for m in data["items"]], data["total"], data["limit"]) == (["Ravi Power (Pvt) Ltd"], 2, 1)


def test_a_draft_has_matches_for_its_owner(api, cast, chargers):
    draft = post_charger_need(cast.brand, status=NeedStatus.DRAFT)
    assert api.get(f"/api/v1/needs/{draft.id}/matches", "brand").get_json()["total"] == 2


@pytest.mark.parametrize("limit", ["0", "-1", "101", "abc", "", "1.5"])
def test_a_bad_limit_is_422(api, need, limit):
    response = api.get(f"/api/v1/needs/{need.id}/matches?limit={limit}", "brand")
    assert error_of(response) == (422, "invalid")
    assert list(response.get_json()["error"]["fields"]) == ["limit"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("supplier", 403),
        ("other_supplier", 403),
        ("investor", 403),
        ("other_brand", 404),
        ("brand", 200),
        ("staff", 200),
    ],
)
def test_who_reads_matches(api, need, who, status):
    assert who in CALLERS
    assert api.get(f"/api/v1/needs/{need.id}/matches", who).status_code == status


def test_matches_of_a_missing_need_are_404(api):
    assert error_of(api.get("/api/v1/needs/424242/matches", "staff")) == (404, "not_found")


def test_a_write_that_loses_a_race_is_409(api, monkeypatch, db):
    from sqlalchemy.exc import IntegrityError

    from portal.api import views

    def clash(user, data):
        raise IntegrityError("INSERT INTO sourcing_need ...", {}, Exception("category removed meanwhile"))

    monkeypatch.setattr(views.needs, "create_need", clash)
    response = api.post("/api/v1/needs", "brand", json=BODY)
    assert error_of(response) == (409, "conflict")


def test_a_needs_unit_is_one_of_its_categorys_and_may_be_left_out_for_the_usual_one(api, db, cast):
    assert api.post("/api/v1/needs", "brand", json=BODY).get_json()["quantity_unit"] == "pieces"
    boards = {**BODY, "category": "pcb-bare", "quantity_unit": "m2"}
    assert api.post("/api/v1/needs", "brand", json=boards).get_json()["quantity_unit"] == "m2"

    response = api.post("/api/v1/needs", "brand", json={**BODY, "quantity_unit": "boards"})
    assert error_of(response) == (422, "invalid")
    assert response.get_json()["error"]["fields"] == {
        "quantity_unit": "This category is counted in pieces; choose one of them."
    }


def test_match_reasons_answer_in_the_callers_language(api, need, chargers, cast, db):
    cast.brand.language = "ur"
    db.session.commit()
    path = f"/api/v1/needs/{need.id}/matches"

    chosen = api.get(path, "brand").get_json()["items"][0]["reasons"]
    asked = api.get(path, "brand", headers={"Accept-Language": "en"}).get_json()["items"][0]["reasons"]

    assert any("پیداواری گنجائش" in reason and "/ماہ" in reason for reason in chosen), chosen
    assert "capacity 80,000/month covers 50,000" in asked
