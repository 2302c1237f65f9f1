"""Rate limits: per token, or per address without one; over the limit a 429 that says when to retry."""

import pytest

from tests.api.conftest import error_of


@pytest.fixture
def three_a_minute(app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3/minute")


def test_over_the_limit_is_429_with_retry_after(api, three_a_minute):
    for _ in range(3):
        assert api.get("/api/v1/taxonomy", "brand").status_code == 200
    response = api.get("/api/v1/taxonomy", "brand")
    assert error_of(response) == (429, "rate_limited")
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_the_limit_counts_calls_to_every_api_path_together(api, three_a_minute):
    api.get("/api/v1/taxonomy", "brand")
    api.get("/api/v1/suppliers", "brand")
    api.get("/api/v1/openapi.json", "brand")
    assert api.get("/api/v1/needs/1", "brand").status_code == 429


def test_each_token_has_its_own_count(api, three_a_minute):
    for _ in range(4):
        api.get("/api/v1/taxonomy", "brand")
    assert api.get("/api/v1/taxonomy", "brand").status_code == 429
    assert api.get("/api/v1/taxonomy", "staff").status_code == 200
    assert api.get("/api/v1/taxonomy").status_code == 200, "calls without a token count per address"


def test_without_a_token_each_address_has_its_own_count(api, three_a_minute):
    for _ in range(3):
        api.get("/api/v1/taxonomy")
    assert api.get("/api/v1/taxonomy").status_code == 429
    assert api.get("/api/v1/taxonomy", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200


def test_made_up_tokens_count_against_the_address(client, three_a_minute):
    for number in range(3):
        client.get("/api/v1/taxonomy", headers={"Authorization": f"Bearer guess-{number}"})
    assert client.get("/api/v1/taxonomy", headers={"Authorization": "Bearer guess-4"}).status_code == 429


def test_pages_are_not_limited(api, client, three_a_minute):
    for _ in range(4):
        api.get("/api/v1/taxonomy")
    assert [client.get(path).status_code for path in ("/", "/suppliers/", "/", "/")] == [200, 200, 200, 200]


def test_every_operation_answers_429_once_the_limit_is_spent(api, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "1/minute")
    api.get("/api/v1/taxonomy", "brand")
    for path, item in api.document["paths"].items():
        for method in item:
            response = api.call(method.upper(), path.replace("{firm_id}", "1").replace("{need_id}", "1"), "brand")
            assert response.status_code == 429, (method, path)
            assert response.headers["Retry-After"].isdigit()
