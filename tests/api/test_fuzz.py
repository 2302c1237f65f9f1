"""Schemathesis sends generated requests to every operation of the document, once with a staff
token and once with a brand token: no answer may be a 500 or stray from the document (status,
headers, shape), valid requests must be accepted and invalid ones refused."""

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.needs.models import NeedStatus
from tests.api.conftest import post_charger_need

# Per operation and token, besides the examples and coverage phases (FUZZ_EXAMPLES_API for more).
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES_API", "25"))

pytestmark = pytest.mark.fuzz


@pytest.fixture(params=["staff", "brand"])
def api_schema(request, app, monkeypatch, cast, firm, other_firm):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "1000000/minute")
    post_charger_need(cast.brand)
    post_charger_need(cast.brand, status=NeedStatus.DRAFT)
    post_charger_need(cast.other_brand)

    def isolated(environ, start_response):
        """Each request in an app context of its own, as in production (fresh `g` and session)."""
        with app.app_context():
            return app(environ, start_response)

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated)
    schema.config.update(headers={"Authorization": f"Bearer {cast.token(request.param)}"})
    return schema


@pytest.fixture(autouse=True)
def _node_id(request):
    """schemathesis 4.32's pytest plugin reads `node._nodeid`, which pytest 9.2 no longer sets."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_document(case):
    # A schema-valid deadline may be today or past, which JSON Schema cannot rule out: 422 is right then.
    excluded = [positive_data_acceptance] if case.operation.method.upper() == "POST" else []
    case.call_and_validate(excluded_checks=excluded)


def _resolve(document: dict, schema: dict) -> dict:
    ref = schema.get("$ref", "")
    return document["components"]["schemas"][ref.rpartition("/")[2]] if ref else schema


def test_every_text_property_refuses_a_lone_surrogate_and_every_number_a_64_bit_overflow(api, need):
    r"""Shapes a generator drawing valid Unicode never makes: JSON text with half a character
    ("\ud800") in each string property of each body (400), and query numbers beyond 64 bits (422)."""
    for template, operations in api.document["paths"].items():
        path = template.replace("{", "").replace("}", "")
        for name in ("need_id", "firm_id", "id"):
            path = path.replace(name, str(need.id))
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] == "query" and param["schema"].get("type") == "integer":
                    answers = {api.call(method.upper(), f"{path}?{param['name']}={'9' * 25}", who).status_code
                               for who in ("brand", "staff")}  # fmt: skip
                    assert answers <= {403, 404, 422} and 422 in answers, (method, template, param["name"], answers)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            schema = _resolve(api.document, body["schema"])
            for prop, spec in schema["properties"].items():
                if spec.get("type") != "string":
                    continue
                data = json.dumps({prop: "x"})[:-2] + '\\ud800"}'
                answers = {
                    api.call(method.upper(), path, who, data=data, content_type="application/json").status_code
                    for who in ("brand", "supplier", "staff")
                }
                assert answers <= {403, 404, 400} and 400 in answers, (method, template, prop, answers)
