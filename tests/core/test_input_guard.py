"""A NUL character, which PostgreSQL text cannot hold, is refused with 400 before any view runs."""


def test_a_form_field_with_nul_is_refused_not_stored(client, login, users, db):
    login("brand")
    response = client.post("/account/tokens", data={"name": "ERP\x00link"})
    assert response.status_code == 400
    assert client.post("/account/tokens", data={"name": "ERP link"}).status_code == 200


def test_a_query_parameter_with_nul_is_refused(client):
    assert client.get("/suppliers/", query_string={"q": "cable\x00"}).status_code == 400
    assert client.get("/suppliers/", query_string={"q": "cable"}).status_code == 200


def test_a_json_string_with_nul_is_refused_as_json(client):
    response = client.post("/api/v1/suppliers", json={"name": "a\u0000b"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
