"""A NUL character, which PostgreSQL text cannot hold, is refused with 400 before any view runs;
the JSON API refuses it through its own schema (422, naming the field)."""

from portal.accounts.service import issue_token


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
