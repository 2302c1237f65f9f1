"""The OpenAPI document: valid OpenAPI 3.1, written from the code, covering every API route."""

import re

import pytest
from flask import Blueprint
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from portal import create_app
from portal.api.openapi import openapi_path, undocumented_routes
from portal.errors import ERROR_CODES


@pytest.fixture
def document(api) -> dict:
    return api.document


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    assert [error.message for error in OPENAPI_31_VALIDATOR.iter_errors(document)] == []


def test_every_api_route_is_in_the_document(app, document):
    assert undocumented_routes(app) == []
    routes = {
        (openapi_path(rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented


def test_a_route_without_a_declaration_is_caught(app):
    extra = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    stray = Blueprint("stray", __name__, url_prefix="/api/v1")
    stray.add_url_rule("/stray", "stray", lambda: "")
    extra.register_blueprint(stray)
    assert undocumented_routes(extra) == ["/api/v1/stray"]


def test_the_contracts_paths_and_parameters_are_documented(document):
    paths = document["paths"]
    query = {
        name: {p["name"] for p in paths[name]["get"]["parameters"] if p["in"] == "query"}
        for name in paths
        if "get" in paths[name]
    }
    assert query["/api/v1/suppliers"] == {
        "q",
        "category",
        "province",
        "certification",
        "min_capacity",
        "as_typed",
        "page",
        "per_page",
    }
    assert query["/api/v1/needs/{need_id}/matches"] == {"limit"}
    assert query["/api/v1/suppliers/{firm_id}/opportunities"] == {"page", "per_page"}
    body = document["components"]["schemas"]["NewNeed"]
    assert set(body["properties"]) == {
        "title",
        "category",
        "description",
        "quantity_per_month",
        "quantity_unit",
        "required_certifications",
        "processes",
        "deadline",
        "province",
    }
    assert set(body["required"]) == {"title", "category", "description", "quantity_per_month", "deadline"}
    assert "post" in paths["/api/v1/needs"] and "get" in paths["/api/v1/openapi.json"]


def test_the_body_schema_is_read_from_the_page_form(document):
    properties = document["components"]["schemas"]["NewNeed"]["properties"]
    assert properties["title"]["maxLength"] == 200
    assert (properties["quantity_per_month"]["minimum"], properties["quantity_per_month"]["maximum"]) == (
        1,
        2_000_000_000,
    )
    assert "charger" in properties["category"]["enum"]
    assert "iso-9001" in properties["required_certifications"]["items"]["enum"]


def test_every_error_status_has_the_error_shape(document):
    responses = document["components"]["responses"]
    statuses = {code for item in document["paths"].values() for op in item.values() for code in op["responses"]}
    assert {"400", "401", "403", "404", "409", "413", "422", "429"} <= statuses
    for response in responses.values():
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert set(document["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]) == set(
        ERROR_CODES.values()
    )
    assert "Retry-After" in responses["TooManyRequests"]["headers"]
    assert "WWW-Authenticate" in responses["Unauthorized"]["headers"]


def test_token_operations_say_so(document):
    assert document["paths"]["/api/v1/needs"]["post"]["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/api/v1/suppliers"]["get"]["security"] == []


def test_the_docs_page_shows_every_operation_with_an_example(client, document):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for path, item in document["paths"].items():
        for method in item:
            assert f"<code>{method.upper()} {path}</code>" in page
    assert page.count('data-testid="api-operation"') == sum(len(item) for item in document["paths"].values())
    assert "curl -X POST -H &#34;Authorization: Bearer $TOKEN&#34;" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_the_tokens_page_leads_to_the_docs(client, login):
    login("brand")
    assert "/api/v1/docs" in client.get("/account/tokens").get_data(as_text=True)
