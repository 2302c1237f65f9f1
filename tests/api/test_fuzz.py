"""Schemathesis sends generated requests to every operation of the document, once with a staff
token and once with a brand token: no answer may be a 500 or stray from the document (status,
headers, shape), valid requests must be accepted and invalid ones refused."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.needs.models import NeedStatus
from tests.api.conftest import make_need

# Per operation and token: with the examples, coverage and fuzzing phases about 1,800 requests.
EXAMPLES_PER_OPERATION = 50

pytestmark = pytest.mark.fuzz


@pytest.fixture(params=["staff", "brand"])
def api_schema(request, app, monkeypatch, tokens, people, firm, other_firm):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "1000000/minute")
    make_need(people["brand"])
    make_need(people["brand"], status=NeedStatus.DRAFT)
    make_need(people["other_brand"])

    def isolated(environ, start_response):
        """Each request in an app context of its own, as in production (fresh `g` and session)."""
        with app.app_context():
            return app(environ, start_response)

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated)
    schema.config.update(headers={"Authorization": f"Bearer {tokens[request.param]}"})
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
