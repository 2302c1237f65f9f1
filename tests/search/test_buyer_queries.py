"""Search as a sourcing engineer types it: certificates, quantities, places, misspellings and
long queries no firm wrote word for word. The firms below are worded as firms word themselves."""

import pytest

from portal import search
from portal.search import SearchParams
from portal.suppliers.models import ReviewStatus
from tests.factories import make_capability, make_firm
from tests.search.test_search import found as names


@pytest.fixture
def market(app):
    make_firm(
        "Sutlej Power Adapters",
        city="Peshawar",
        province="Khyber Pakhtunkhwa",
        description="Wall adapters and travel chargers from 5W–65W, PD and QC fast charging.",
        capabilities=[{"category": "charger", "capacity": 80000}],
        certificates=[{"type": "iso-9001"}, {"type": "rohs"}],
    )
    make_firm(
        "Ravi Chargers",
        description="Basic 5 W travel chargers for feature phones.",
        capabilities=[{"category": "charger", "capacity": 200000}],
        certificates=[{"type": "iso-9001", "days_valid": -10}],
    )
    make_firm(
        "Margalla Wire & Cable",
        city="Islamabad",
        province="Islamabad Capital Territory",
        description="USB-C and micro USB data cables, braided or TPE.",
        capabilities=[{"category": "cable", "capacity": 500000}],
        certificates=[{"type": "rohs"}],
    )
    make_firm(
        "Kasur Cableworks",
        city="Kasur",
        description="Charging cables and harnesses in PVC.",
        capabilities=[{"category": "cable", "capacity": 90000}],
        certificates=[{"type": "rohs", "review": ReviewStatus.PENDING}],
    )
    make_firm(
        "Dastak Contact Technologies",
        city="Peshawar",
        province="Khyber Pakhtunkhwa",
        description="Board-to-board connectors, SIM sockets and 0.4 mm pitch FPC connectors.",
        capabilities=[{"category": "connector", "capacity": 300000}],
    )
    make_firm(
        "Qamar Terminals",
        city="Karachi",
        province="Sindh",
        description="Connectors and battery terminals.",
        capabilities=[{"category": "connector", "capacity": 100000}],
    )
    make_firm(
        "Haleji Mainboard Technologies",
        description="Phone mainboards assembled on two SMT lines, 6L HDI.",
        capabilities=[{"category": "motherboard", "capacity": 30000}],
        certificates=[{"type": "iatf-16949"}],
    )
    make_firm(
        "Shogran Boardcraft",
        city="Karachi",
        province="Sindh",
        description="Rigid printed circuit boards from 2 to 10 layers, FR-4 and HDI.",
        capabilities=[{"category": "pcb-bare", "capacity": 20000}],
    )
    make_firm(
        "Tarang Battery Works",
        city="Kasur",
        description="Li-Po pouch cells 3000-5000 mAh and packs with BMS.",
        capabilities=[{"category": "battery", "capacity": 60000}],
    )
    make_firm(
        "Neelum Power Cells",
        description="Cylindrical lithium ion cells, 2000 mAh.",
        capabilities=[{"category": "battery", "capacity": 40000}],
    )


def test_a_certificate_is_found_by_its_forms_and_only_when_held_valid(market):
    holders = {"Sutlej Power Adapters"}
    for form in ("ISO 9001", "ISO9001", "iso-9001", "ISO 9001:2015"):
        assert set(names(form)) == holders, form
    result = search.search(SearchParams(q="ISO 9001"))
    assert result.offered == [("certification", "iso-9001")], "the certificate filter is offered"
    assert names("IATF certified") == ["Haleji Mainboard Technologies"]


def test_a_known_term_is_never_corrected_away(market):
    result = search.search(SearchParams(q="RoHS cables"))
    assert result.corrected_query is None and result.suggestion is None
    found = names("RoHS cables")
    assert found[0] == "Margalla Wire & Cable", "valid RoHS and cables: every part of the query"
    assert "Kasur Cableworks" in found[1:], "a pending certificate is not held, but the cables still count"
    assert result.complete == 1


def test_a_quantity_finds_the_firms_whose_stated_range_covers_it(market):
    assert names("20W adapter")[0] == "Sutlej Power Adapters", "5W–65W covers 20 W"
    assert names("20 W charger")[0] == names("20-watt charger")[0] == "Sutlej Power Adapters"
    assert "Ravi Chargers" in names("20W adapter"), "a charger firm still ranks, after those stating 20 W"
    assert names("eight layer board")[0] == names("8L PCB")[0] == "Shogran Boardcraft", "2 to 10 layers covers 8"
    assert names("lithium polymer 4000 mAh")[0] == "Tarang Battery Works"
    assert names("0.4 mm pitch connector")[0] == "Dastak Contact Technologies"


def test_misspelt_and_split_words_are_corrected_and_the_page_says_so(market, client):
    result = search.search(SearchParams(q="bettery"))
    assert result.corrected_query == "battery"
    assert set(names("bettery")[:2]) == {"Tarang Battery Works", "Neelum Power Cells"}
    assert "Qamar Terminals" in names("bettery"), "battery terminals are about batteries too"
    assert names("motherbord") == names("mother board") == ["Haleji Mainboard Technologies"]
    page = client.get("/suppliers/?q=bettery").get_data(as_text=True)
    assert "Showing results for" in page and "Search instead for" in page and "as_typed=1" in page
    as_typed = client.get("/suppliers/?q=bettery&as_typed=1").get_data(as_text=True)
    assert "Showing results for" not in as_typed and "Tarang Battery Works" not in as_typed


def test_no_single_word_vetoes_a_firm(market):
    assert set(names("charger supplier factory in Pakistan")) == {"Ravi Chargers", "Sutlej Power Adapters"}, (
        "neither wrote supplier, factory or Pakistan"
    )
    result = search.search(SearchParams(q="cables qqzzxv"))
    assert {"Margalla Wire & Cable", "Kasur Cableworks"} <= set(names("cables qqzzxv"))
    assert result.dropped_terms == ["qqzzxv"]


def test_places_and_their_abbreviations_rank_firms_there_first(market):
    found = names("KPK connectors")
    assert found[0] == "Dastak Contact Technologies"
    assert "Qamar Terminals" in found, "connectors elsewhere follow"
    result = search.search(SearchParams(q="KPK connectors"))
    assert ("province", "Khyber Pakhtunkhwa") in result.offered and ("category", "connector") in result.offered
    assert names("Islamabad cables")[0] == names("ICT cables")[0] == "Margalla Wire & Cable"


def test_a_category_word_does_not_swallow_the_rest_of_the_query(market):
    found = names("ISO 9001 fast charger Peshawar")
    assert found == ["Sutlej Power Adapters", "Ravi Chargers", "Dastak Contact Technologies"], (
        "certificate, fast charging and place; then a charger; then only the place"
    )
    assert search.search(SearchParams(q="ISO 9001 fast charger Peshawar")).complete == 1


def test_the_api_says_what_the_page_says(market, client):
    body = client.get("/api/v1/suppliers?q=bettery").get_json()
    assert body["corrected_query"] == "battery"
    assert body["total"] == search.search(SearchParams(q="battery")).total > 0, "the page's answer"
    body = client.get("/api/v1/suppliers?q=bettery&as_typed=true").get_json()
    assert body["corrected_query"] is None and body["total"] == 0
    body = client.get("/api/v1/suppliers?q=cables%20qqzzxv").get_json()
    assert body["dropped_terms"] == ["qqzzxv"]
    assert client.get("/api/v1/suppliers?q=x&as_typed=maybe").status_code == 422


def test_matching_finds_a_feature_written_in_other_words(market):
    assert search.matching_firm_ids("Li-Po 4000mAh", "battery") == {
        _id("Tarang Battery Works"),
    }, "LiPo against Li-Po, 4000 mAh against a 3000-5000 mAh range"
    assert search.matching_firm_ids("20W PD", "charger") == {_id("Sutlej Power Adapters")}


def test_a_wrong_reading_never_hides_what_the_words_find(app):
    make_firm(
        "Odd Words Ltd",
        description="We sell 20w parts.",
        capabilities=[{"category": "passive"}],
    )
    assert names("20w") == ["Odd Words Ltd"]


def test_an_unverified_capability_states_nothing(app):
    firm = make_firm("Half Verified", capabilities=[{"category": "pcba"}])
    make_capability(firm, "charger", review=ReviewStatus.PENDING, notes="65W GaN chargers")
    assert names("65W") == []


def _id(name: str) -> int:
    from portal.extensions import db
    from portal.suppliers.models import Firm

    return db.session.scalar(db.select(Firm.id).where(Firm.legal_name == name))


def test_walking_the_best_first_gives_the_order_scoring_everything_gives(app, monkeypatch):
    from portal.search import ranking

    words = ["charger", "fast charger", "GaN charger", "charger charger adapter", "adapter", "PD 20W charger"]
    for number in range(60):
        make_firm(
            f"Firm {number:02d}",
            description=f"{words[number % len(words)]} {'charger ' * (number % 4)} for phones.",
            capabilities=[{"category": "charger" if number % 3 else "cable"}],
            certificates=[{"type": "rohs"}] if number % 5 == 0 else [],
        )
    queries = ["charger", "fast charger", "RoHS charger", "20W charger", "adapter cable"]
    for query in queries:
        for page in (1, 2):
            monkeypatch.setattr(ranking, "WALK_FROM", 10**9)
            everything = search.search(SearchParams(q=query, per_page=7, page=page, snippets=False)).hits
            monkeypatch.setattr(ranking, "WALK_FROM", 0)
            walked = search.search(SearchParams(q=query, per_page=7, page=page, snippets=False)).hits
            assert [(h.firm_id, h.score) for h in walked] == [(h.firm_id, h.score) for h in everything], query


def test_a_kind_of_a_category_stays_a_requirement(app):
    make_firm("Plain Chargers", description="Chargers for phones.", capabilities=[{"category": "charger"}])
    make_firm("Nitride Power", description="GaN chargers, 65W.", capabilities=[{"category": "charger"}])
    assert names("GaN charger") == ["Nitride Power", "Plain Chargers"]
    assert search.search(SearchParams(q="GaN charger")).complete == 1


def _maker(name: str, city: str, province: str, description: str, category: str):
    return make_firm(name, city=city, province=province, description=description, capabilities=[{"category": category}])


def test_a_firm_making_the_product_elsewhere_ranks_above_one_naming_it_in_the_place_asked(app):
    _maker("Lahore Chargers", "Lahore", "Punjab", "Chargers.", "charger")
    _maker("Sutlej Adapters", "Peshawar", "Khyber Pakhtunkhwa", "Travel chargers and wall adapters.", "charger")
    _maker(
        "Ravi Mouldings", "Lahore", "Punjab", "PC/ABS housings for charger cases, moulded in Lahore.", "housing-plastic"
    )
    _maker("Data Keypads", "Lahore", "Punjab", "Silicone keypads.", "keypad")

    assert names("charger supplier lahore") == [
        "Lahore Chargers",
        "Sutlej Adapters",
        "Ravi Mouldings",
        "Data Keypads",
    ], "making chargers counts for more than writing the word; the place orders firms alike"


def test_a_form_of_the_component_is_not_a_second_component(app):
    _maker("Karachi Cells", "Karachi", "Sindh", "Li-ion battery packs.", "battery")
    _maker("Kasur Cells", "Kasur", "Punjab", "Battery packs for phones.", "battery")
    _maker("Karachi Cartons", "Karachi", "Sindh", "Retail boxes and trays.", "packaging")

    result = search.search(SearchParams(q="battery pack manufacturer karachi"))

    assert names("battery pack manufacturer karachi") == ["Karachi Cells", "Kasur Cells", "Karachi Cartons"]
    assert ("category", "battery") in result.offered and ("category", "packaging") not in result.offered, (
        "a battery pack is a battery: the pack asks for no packaging"
    )


def test_what_a_quantity_measures_is_part_of_it(market):
    _maker(
        "Nayab Power", "Peshawar", "Khyber Pakhtunkhwa", "Charger PCBAs with fine-pitch parts and FPC links.", "charger"
    )

    found = names("FPC connector 0.4mm pitch")

    assert found[:2] == ["Dastak Contact Technologies", "Qamar Terminals"], (
        "connector makers, the one stating the pitch first; a charger maker writing 'pitch' after them"
    )
    assert found.index("Nayab Power") > 1


def test_when_no_firm_has_every_part_the_page_names_what_the_first_one_lacks(market):
    # ISO 9001 valid: Sutlej in Peshawar. In Lahore: Ravi Chargers (its ISO 9001 expired), Haleji.
    result = search.search(SearchParams(q="ISO 9001 Lahore"))

    assert result.complete == 0
    first = names("ISO 9001 Lahore")[0]
    assert result.dropped_terms == (["Lahore"] if first == "Sutlej Power Adapters" else ["ISO 9001"])


def test_a_monthly_quantity_asks_for_that_capacity_of_the_component_named(market):
    # Chargers: Ravi makes 200,000 a month, Sutlej 80,000. Cables: 500,000 and 90,000.
    assert names("charger 100k per month") == ["Ravi Chargers", "Sutlej Power Adapters"]
    assert set(names("chargers 50,000 pcs/month")[:2]) == {"Sutlej Power Adapters", "Ravi Chargers"}, "both have it"

    result = search.search(SearchParams(q="cables 1 million units monthly"))
    assert result.corrected_query is None, "a number word is never corrected ('million' is no 'milling')"
    assert result.dropped_terms == ["1 million units monthly"], "no cable maker makes a million a month"
    assert set(names("cables 1 million units monthly")[:2]) == {"Margalla Wire & Cable", "Kasur Cableworks"}
