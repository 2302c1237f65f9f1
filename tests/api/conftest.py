"""API fixtures: a token per kind of caller, and a client that holds every answer to the document."""

from functools import partial, partialmethod
from urllib.parse import urlsplit

import pytest
import schemathesis

from portal.accounts.service import issue_token
from portal.api.openapi import openapi_path
from tests.factories import make_firm, make_need, make_user

# Who may call what: the people each test runs through.
CALLERS = ("anonymous", "supplier", "other_supplier", "brand", "other_brand", "investor", "staff")


@pytest.fixture
def people(users) -> dict:
    """The users fixture's one person per role, plus a second supplier and a second brand."""
    return {
        **users,
        "other_supplier": make_user("supplier", "other-supplier@example.com"),
        "other_brand": make_user("brand", "other-brand@example.com", organisation="Other Brand Org"),
    }


@pytest.fixture
def tokens(people) -> dict:
    return {name: issue_token(user, "tests")[1] for name, user in people.items()}


class Api:
    """Calls the API as one of `CALLERS` and checks each answer against the OpenAPI document."""

    def __init__(self, app, client, tokens):
        self.app, self.client, self.tokens = app, client, tokens
        self.document = client.get("/api/v1/openapi.json").get_json()
        self.schema = schemathesis.openapi.from_dict(self.document)

    def call(self, method: str, path: str, who: str = "anonymous", **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if who != "anonymous":
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        self.check(method, path, response)
        return response

    def check(self, method: str, path: str, response) -> None:
        """Every answer of a documented operation has a documented status, headers and shape."""
        adapter = self.app.url_map.bind("localhost")
        rule, _args = adapter.match(urlsplit(path).path, method=method, return_rule=True)
        self.schema[openapi_path(rule)][method].validate_response(response)

    get = partialmethod(call, "GET")
    post = partialmethod(call, "POST")


@pytest.fixture
def api(app, client, tokens) -> Api:
    return Api(app, client, tokens)


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.get_json()["error"]["code"]


@pytest.fixture
def firm(people):
    """A verified charger maker whose people are the 'supplier' user."""
    return make_firm(
        "Ravi Power (Pvt) Ltd",
        owner=people["supplier"],
        capabilities=[{"category": "charger", "capacity": 80000, "is_main_line": True, "lead_time_days": 10}],
        certificates=[{"type": "iso-9001"}],
    )


@pytest.fixture
def other_firm(people):
    return make_firm(
        "Indus Adapters",
        owner=people["other_supplier"],
        city="Karachi",
        province="Sindh",
        capabilities=[{"category": "charger", "capacity": 20000}],
        certificates=[{"type": "iso-9001"}],
    )


# A brand's need for chargers to ISO 9001, posted and published through the needs service as on the API.
post_charger_need = partial(
    make_need,
    category="charger",
    title="USB-C chargers",
    description="20 W PD chargers.",
    quantity=50_000,
    certifications=("iso-9001",),
    through_service=True,
)


@pytest.fixture
def need(people):
    """An open need of the 'brand' user."""
    return post_charger_need(people["brand"])
