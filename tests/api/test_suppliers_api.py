"""The public directory, a firm's details and a firm's opportunities through the API."""

import pytest

from portal.needs.models import NeedStatus, NeedVisibility
from portal.suppliers.models import ListingStatus
from tests.api.conftest import CALLERS, error_of, post_charger_need
from tests.factories import make_firm


@pytest.fixture
def directory(firm, other_firm):
    make_firm("Hidden Chargers", suspended=True, capabilities=[{"category": "charger"}])
    make_firm("Draft Chargers", status=ListingStatus.DRAFT, capabilities=[{"category": "charger"}])
    make_firm("Sialkot Cables", city="Sialkot", capabilities=[{"category": "cable", "capacity": 5000}])
    return firm, other_firm


def names(response) -> list[str]:
    return [item["name"] for item in response.get_json()["items"]]


def test_anyone_lists_public_suppliers_with_facets_and_totals(api, directory):
    data = api.get("/api/v1/suppliers").get_json()
    assert [i["name"] for i in data["items"]] == ["Indus Adapters", "Ravi Power (Pvt) Ltd", "Sialkot Cables"]
    assert (data["total"], data["page"], data["per_page"]) == (3, 1, 20)
    assert data["facets"]["category"] == {"charger": 2, "cable": 1}
    assert data["facets"]["province"] == {"Punjab": 2, "Sindh": 1}
    assert data["facets"]["certification"] == {"iso-9001": 2}
    assert data["items"][0]["verified_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=charger", ["Indus Adapters", "Ravi Power (Pvt) Ltd"]),
        ("province=Sindh", ["Indus Adapters"]),
        ("certification=iso-9001&min_capacity=50000", ["Ravi Power (Pvt) Ltd"]),
        ("q=cables", ["Sialkot Cables"]),
        ("per_page=1&page=2", ["Ravi Power (Pvt) Ltd"]),
    ],
)
def test_filters_and_pages(api, directory, query, expected):
    assert names(api.get(f"/api/v1/suppliers?{query}")) == expected


@pytest.mark.parametrize("who", CALLERS)
def test_the_public_paths_answer_anyone_alike(api, directory, who):
    firm_id = directory[0].id
    assert names(api.get("/api/v1/suppliers", who)) == ["Indus Adapters", "Ravi Power (Pvt) Ltd", "Sialkot Cables"]
    assert api.get(f"/api/v1/suppliers/{firm_id}", who).get_json()["id"] == firm_id
    for path in ("/api/v1/taxonomy", "/api/v1/openapi.json", "/api/v1/docs"):
        assert api.get(path, who).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=", "page"),
        ("per_page=1000", "per_page"),
        ("per_page=0", "per_page"),
        ("min_capacity=abc", "min_capacity"),
        ("min_capacity=-5", "min_capacity"),
        ("min_capacity=1e3", "min_capacity"),
        ("min_capacity=%D9%A5", "min_capacity"),
        ("category=spaceships", "category"),
        ("province=Atlantis", "province"),
        ("certification=x", "certification"),
        ("q=" + "x" * 501, "q"),
    ],
)
def test_bad_query_parameters_are_422_by_name(api, query, field):
    response = api.get(f"/api/v1/suppliers?{query}")
    assert error_of(response) == (422, "invalid")
    assert list(response.get_json()["error"]["fields"]) == [field]


def test_one_supplier_with_its_verified_certificates(api, firm):
    data = api.get(f"/api/v1/suppliers/{firm.id}").get_json()
    assert (data["name"], data["capabilities"][0]["category"]) == ("Ravi Power (Pvt) Ltd", "charger")
    assert data["certifications"][0]["type"] == "iso-9001" and data["certifications"][0]["valid"] is True


def test_a_hidden_or_missing_supplier_is_404(api):
    hidden = make_firm("Hidden", suspended=True)
    assert error_of(api.get(f"/api/v1/suppliers/{hidden.id}")) == (404, "not_found")
    assert error_of(api.get("/api/v1/suppliers/123456")) == (404, "not_found")


def test_taxonomy_is_open_to_anyone(api):
    data = api.get("/api/v1/taxonomy").get_json()
    assert "charger" in {c["slug"] for c in data["categories"]}


# --- opportunities ----------------------------------------------------------------------------------


@pytest.fixture
def needs(cast):
    """Three open needs of two brands the 'supplier' firm qualifies for, and some it does not see."""
    post_charger_need(cast.brand, title="Small order", quantity=1000)
    post_charger_need(cast.other_brand, title="Huge order", quantity=900_000)
    post_charger_need(cast.brand, title="Middle order", quantity=120_000)
    post_charger_need(cast.brand, title="Draft order", status=NeedStatus.DRAFT)
    post_charger_need(cast.brand, title="Invited only", visibility=NeedVisibility.INVITED)
    post_charger_need(cast.brand, title="Batteries", category="battery")


def titles(response) -> list[str]:
    return [item["need"]["title"] for item in response.get_json()["items"]]


def test_a_firm_sees_the_open_needs_it_qualifies_for_best_first(api, firm, needs):
    response = api.get(f"/api/v1/suppliers/{firm.id}/opportunities", "supplier")
    assert titles(response) == ["Small order", "Middle order", "Huge order"]
    data = response.get_json()
    assert (data["total"], data["page"], data["per_page"]) == (3, 1, 20)
    assert data["items"][0]["score"] >= data["items"][1]["score"] >= data["items"][2]["score"]
    assert any("covers" in reason for reason in data["items"][0]["reasons"])


def test_opportunities_are_paged(api, firm, needs):
    response = api.get(f"/api/v1/suppliers/{firm.id}/opportunities?per_page=2&page=2", "supplier")
    assert titles(response) == ["Huge order"]
    assert response.get_json()["total"] == 3


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("brand", 403),
        ("other_brand", 403),
        ("investor", 403),
        ("other_supplier", 404),
        ("supplier", 200),
        ("staff", 200),
    ],
)
def test_who_reads_a_firms_opportunities(api, firm, needs, who, status):
    assert api.get(f"/api/v1/suppliers/{firm.id}/opportunities", who).status_code == status


def test_opportunities_of_a_missing_firm_are_404(api):
    assert error_of(api.get("/api/v1/suppliers/98765/opportunities", "staff")) == (404, "not_found")


@pytest.mark.parametrize("query", ["page=0", "per_page=101", "per_page=x"])
def test_opportunities_refuse_bad_paging(api, firm, query):
    assert error_of(api.get(f"/api/v1/suppliers/{firm.id}/opportunities?{query}", "supplier")) == (422, "invalid")
