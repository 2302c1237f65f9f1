"""API fixtures: the cast's firms as charger makers, and a client that calls as anyone in the cast and holds every
answer to the document."""

from functools import partial, partialmethod
from urllib.parse import urlsplit

import pytest
import schemathesis

from portal.api.openapi import openapi_path
from tests.factories import make_need

# Who may call what: the people each test runs through.
CALLERS = ("anonymous", "supplier", "other_supplier", "brand", "other_brand", "investor", "staff")


@pytest.fixture
def cast_firms() -> dict:
    """The supplier's Ravi Power and the other supplier's Indus Adapters: two verified charger makers to ISO 9001."""
    return {
        "firm": {
            "name": "Ravi Power (Pvt) Ltd",
            "capabilities": [{"category": "charger", "capacity": 80000, "is_main_line": True, "lead_time_days": 10}],
            "certificates": [{"type": "iso-9001"}],
        },
        "other_firm": {
            "name": "Indus Adapters",
            "city": "Karachi",
            "province": "Sindh",
            "capabilities": [{"category": "charger", "capacity": 20000}],
            "certificates": [{"type": "iso-9001"}],
        },
    }


class Api:
    """Calls the API as one of `CALLERS` (with their token from the cast) and checks each answer against
    the OpenAPI document."""

    def __init__(self, app, client, cast):
        self.app, self.client, self.cast = app, client, cast
        self.document = client.get("/api/v1/openapi.json").get_json()
        self.schema = schemathesis.openapi.from_dict(self.document)

    def call(self, method: str, path: str, who: str = "anonymous", **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if who != "anonymous":
            headers["Authorization"] = f"Bearer {self.cast.token(who)}"
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
def api(app, client, cast) -> Api:
    return Api(app, client, cast)


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.get_json()["error"]["code"]


@pytest.fixture
def firm(cast):
    return cast.firm


@pytest.fixture
def other_firm(cast):
    return cast.other_firm


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
def need(cast):
    """An open need of the cast's brand."""
    return post_charger_need(cast.brand)
