"""A NUL character, which PostgreSQL text cannot hold, is refused with 400 before any view runs;
the JSON API refuses it through its own schema (422, naming the field)."""

from datetime import date

import pytest

from portal.accounts.service import issue_token
from portal.extensions import db
from tests.factories import make_firm


def test_a_form_field_with_nul_is_refused_not_stored(client, login, users, db):
    login("brand")
    response = client.post("/account/tokens", data={"name": "ERP\x00link"})
    assert response.status_code == 400
    assert client.post("/account/tokens", data={"name": "ERP link"}).status_code == 200


def test_a_query_parameter_with_nul_is_refused(client):
    assert client.get("/suppliers/", query_string={"q": "cable\x00"}).status_code == 400
    assert client.get("/suppliers/", query_string={"q": "cable"}).status_code == 200


def test_a_json_string_with_nul_outside_the_api_is_refused(client):
    response = client.post("/account/forgot-password", json={"email": "a\u0000b@example.com"})
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


def test_the_api_refuses_a_json_string_with_nul_itself_naming_the_field(client, users):
    """The API's document forbids NUL in its text properties; its answer is a 422 naming the field."""
    _token, plain = issue_token(users["brand"], "ERP link")
    response = client.post("/api/v1/needs", json={"title": "Packs\u0000"}, headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["title"] == "Text may not contain the NUL character."
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["NewNeed"]
    assert schema["properties"]["title"]["pattern"] == "^[^\\u0000]*$"


# --- numbers and dates out of range, lone surrogates: read once, for every route ------------------

BEYOND_64_BITS = "99999999999999999999"
LARGEST_64_BIT = str(2**63 - 1)


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("brand", f"/introductions/?page={LARGEST_64_BIT}"),
        ("brand", f"/notifications/?page={BEYOND_64_BITS}"),
        ("brand", f"/introductions/ask/{{firm}}?need_id={BEYOND_64_BITS}"),
        ("staff", f"/staff/firms?page={LARGEST_64_BIT}"),
        ("staff", f"/staff/compliance/?firm_id={BEYOND_64_BITS}&page={BEYOND_64_BITS}"),
        ("staff", f"/staff/compliance/new?firm_id={LARGEST_64_BIT}"),
        ("staff", f"/staff/audit?firm={BEYOND_64_BITS}"),
        ("staff", f"/staff/audit.csv?firm={LARGEST_64_BIT}"),
        ("staff", "/staff/audit?to=9999-12-31"),
        ("staff", "/staff/audit.csv?to=9999-12-31&from=0001-01-01"),
        ("staff", f"/staff/firms/{{firm}}/merge?other={BEYOND_64_BITS}"),
    ],
)
def test_numbers_and_dates_no_column_can_hold_read_as_absent(client, login, users, role, path):
    """Beyond the row-id range a number, and at the calendar's edge a date, counts as not given."""
    firm = make_firm(owner=users["supplier"])
    login(role)
    response = client.get(path.format(firm=firm.id))
    assert response.status_code in (200, 404)
    client.get("/")  # the test client still works: nothing was left half-done


def test_a_number_in_range_still_filters(client, login, users):
    from portal.audit import record

    firm = make_firm(owner=users["supplier"])
    record("firm.noted", firm, actor=users["staff"], firm_id=firm.id)
    db.session.commit()
    login("staff")
    assert "firm.noted" in client.get(f"/staff/audit.csv?firm={firm.id}&to=2999-12-31").get_data(as_text=True)
    assert "firm.noted" not in client.get(f"/staff/audit.csv?firm={firm.id + 1}").get_data(as_text=True)
    assert "firm.noted" not in client.get(f"/staff/audit.csv?firm={firm.id}&to=2000-01-01").get_data(as_text=True)


def test_the_shared_reader_bounds_typed_query_arguments(app):
    with app.test_request_context(f"/?page={BEYOND_64_BITS}&n=-{LARGEST_64_BIT}&day=9999-12-31&ok=12&on=2026-05-01"):
        from flask import request

        assert request.args.get("page", 1, type=int) == 1
        assert request.args.get("n", type=int) is None
        assert request.args.get("day", type=date.fromisoformat) is None
        assert request.args.get("ok", type=int) == 12
        assert request.args.get("on", type=date.fromisoformat) == date(2026, 5, 1)
        assert request.args.get("page") == BEYOND_64_BITS  # untyped reads are the text as sent


def test_a_lone_surrogate_in_api_json_is_refused_not_a_500(client, users):
    _token, plain = issue_token(users["brand"], "ERP link")
    body = b'{"title": "Packs \\ud800", "category": "charger"}'
    response = client.post(
        "/api/v1/needs", data=body, content_type="application/json", headers={"Authorization": f"Bearer {plain}"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert "surrogate" in response.get_json()["error"]["message"]
    paired = b'{"title": "Packs \\ud83d\\ude00"}'  # a surrogate pair is one character (an emoji): fine
    response = client.post(
        "/api/v1/needs", data=paired, content_type="application/json", headers={"Authorization": f"Bearer {plain}"}
    )
    assert response.status_code == 422


def test_a_lone_surrogate_in_page_json_is_refused(client):
    response = client.post(
        "/account/forgot-password", data=b'{"email": "\\udfff@example.com"}', content_type="application/json"
    )
    assert response.status_code == 400
