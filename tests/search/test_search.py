"""What search finds, in what order, and what it never returns."""

import pytest

from portal import search
from portal.search import SearchParams
from portal.suppliers.models import ListingStatus, ReviewStatus
from tests.factories import make_capability, make_firm


def found(q="", **filters) -> list[str]:
    result = search.search(SearchParams(q=q, **filters))
    from portal.suppliers.directory import public_firms

    return [f.legal_name for f in public_firms([h.firm_id for h in result.hits])]


@pytest.fixture
def corpus(app):
    make_firm(
        "Ravi Flex Circuits",
        description="We make flexible printed circuits on polyimide for phone displays.",
        capabilities=[{"category": "pcb-flex", "capacity": 40000}],
        export_markets=["China"],
    )
    make_firm(
        "Indus FPC Works",
        city="Karachi",
        province="Sindh",
        description="FPC lines for camera and antenna flex, 2-layer and 4-layer.",
        capabilities=[{"category": "pcb-flex", "capacity": 90000}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm(
        "Sialkot Moulders",
        city="Sialkot",
        description="Plastic injection moulding of back covers in any colour; mould making in house.",
        capabilities=[{"category": "housing-plastic", "capacity": 200000, "processes": ["injection-molding"]}],
    )
    make_firm(
        "Lahore Mold Tech",
        description="Precision mold making and injection molding for housings.",
        capabilities=[{"category": "housing-plastic", "capacity": 50000}],
        certificates=[{"type": "iso-9001", "days_valid": -3}],
    )
    make_firm(
        "Quetta Power Cells",
        city="Quetta",
        province="Balochistan",
        description="Power banks of 10,000 mAh and 20000mAh with Li-ion cells.",
        capabilities=[{"category": "battery", "capacity": 30000}],
    )
    make_firm(
        "Karachi EMS Partners",
        city="Karachi",
        province="Sindh",
        description="Electronics manufacturing services: SMT lines and box build.",
        capabilities=[{"category": "pcba", "capacity": 120000}],
        certificates=[{"type": "iso-9001"}, {"type": "rohs", "review": ReviewStatus.PENDING}],
    )


def test_abbreviation_finds_firms_that_wrote_it_out_and_the_other_way_round(corpus):
    assert set(found("FPC")[:2]) == {"Ravi Flex Circuits", "Indus FPC Works"}
    assert set(found("flexible printed circuit")[:2]) == {"Ravi Flex Circuits", "Indus FPC Works"}
    assert found("FPC")[2:] == ["Karachi EMS Partners"], "a related term (PCB, through rigid-flex) ranks after"
    assert "Karachi EMS Partners" in found("electronics manufacturing services")
    assert "Karachi EMS Partners" in found("EMS")


def test_british_and_american_spellings_meet(corpus):
    assert set(found("mold")) == set(found("mould")) >= {"Sialkot Moulders", "Lahore Mold Tech"}
    assert "Sialkot Moulders" in found("color")


def test_numbers_with_units_match_however_they_are_written(corpus):
    assert found("10000mAh") == ["Quetta Power Cells"]
    assert found("10,000 mAh") == ["Quetta Power Cells"]
    assert found("20,000 mAh power bank") == ["Quetta Power Cells"]
    assert found("two-layer") == ["Indus FPC Works"]
    assert found("2 layer") == ["Indus FPC Works"]


def test_stemming_matches_other_forms_of_a_word(corpus):
    assert "Ravi Flex Circuits" in found("polyimide circuit")


def test_phrase_query_needs_the_words_together(corpus):
    assert found('"box build"') == ["Karachi EMS Partners"]
    assert found('"build box"') == []


def test_malformed_query_is_read_as_plain_words(corpus):
    for query in ['"unbalanced AND OR', "moulding AND", "(injection moulding", "OR OR mould", "NOT"]:
        search.search(SearchParams(q=query))  # never raises
    assert "Sialkot Moulders" in found('"injection moulding AND')


def test_misspelling_is_corrected_and_said(corpus):
    result = search.search(SearchParams(q="injction moulding"))
    assert result.corrected_query == "injection moulding"
    assert set(found("injction moulding")) == {"Sialkot Moulders", "Lahore Mold Tech"}


def test_searching_as_typed_finds_nothing_and_offers_the_spelling(corpus):
    result = search.search(SearchParams(q="injction", as_typed=True))
    assert result.total == 0 and result.corrected_query is None
    assert result.suggestion == "injection"


def test_name_match_ranks_above_description_match(corpus):
    assert found("EMS")[0] == "Karachi EMS Partners"
    assert found("flex") == ["Ravi Flex Circuits", "Indus FPC Works"], "flex in the name outweighs flex in the text"


def test_filters_combine_and_certification_counts_only_when_valid(corpus):
    assert found(category="pcb-flex", province="Sindh") == ["Indus FPC Works"]
    assert set(found(certification="iso-9001")) == {"Indus FPC Works", "Karachi EMS Partners"}, (
        "expired ISO 9001 of Lahore Mold Tech does not count"
    )
    assert found(certification="rohs") == [], "a pending certificate does not count"
    assert found(min_capacity=100000) == ["Karachi EMS Partners", "Sialkot Moulders"]
    assert found(category="housing-plastic", min_capacity=100000) == ["Sialkot Moulders"]
    assert found(market="China") == ["Ravi Flex Circuits"]


def test_facet_counts(corpus):
    result = search.search(SearchParams())
    assert result.facets["category"] == {"pcb-flex": 2, "housing-plastic": 2, "battery": 1, "pcba": 1}
    assert result.facets["province"]["Sindh"] == 2
    assert result.facets["certification"] == {"iso-9001": 2}
    assert result.facets["capacity"] == {"10k–100k": 4, "100k–1M": 2}
    filtered = search.search(SearchParams(q="mould"))
    assert filtered.facets["category"] == {"housing-plastic": 2}


def test_sorting(corpus):
    assert found(sort="capacity")[:2] == ["Sialkot Moulders", "Karachi EMS Partners"]
    assert found(sort="name") == sorted(found(sort="name"), key=str.lower)
    assert found() == found(sort="name"), "without words, the directory lists by name"


def test_pagination(app):
    for number in range(25):
        make_firm(f"Firm {number:02d}", capabilities=[{"category": "cable"}])
    first = search.search(SearchParams(sort="name", per_page=20))
    second = search.search(SearchParams(sort="name", per_page=20, page=2))
    assert (first.total, len(first.hits), len(second.hits), second.pages) == (25, 20, 5, 2)
    assert not {h.firm_id for h in first.hits} & {h.firm_id for h in second.hits}


@pytest.mark.parametrize(
    "state",
    [
        {"status": ListingStatus.DRAFT},
        {"status": ListingStatus.SUBMITTED},
        {"status": ListingStatus.CHANGES_REQUESTED},
        {"status": ListingStatus.REJECTED},
        {"suspended": True},
    ],
)
def test_hidden_firms_are_never_returned(app, state):
    make_firm(
        "Hidden Moulds Ltd", description="injection moulding", capabilities=[{"category": "housing-plastic"}], **state
    )
    assert found("moulding") == []
    assert found() == []
    assert search.search(SearchParams(q="Hidden")).total == 0


def test_suspension_removes_a_firm_from_search_at_once(app, db):
    firm = make_firm(
        "Sialkot Moulders", description="injection moulding", capabilities=[{"category": "housing-plastic"}]
    )
    assert found("moulding") == ["Sialkot Moulders"]
    firm.suspended = True
    db.session.commit()
    assert found("moulding") == []


def test_edits_are_searchable_after_commit(app, db):
    firm = make_firm("Plain Parts Ltd", description="We make parts.", capabilities=[{"category": "keypad"}])
    assert found("silicone") == []
    firm.description = "Silicone rubber keypads and dome switches."
    make_capability(firm, "protective", capacity=5000)
    db.session.commit()
    assert found("silicone") == ["Plain Parts Ltd"]
    assert found(category="protective") == ["Plain Parts Ltd"]


def test_unverified_capability_is_not_searchable(app):
    make_firm(
        "Dual Lines Ltd",
        capabilities=[{"category": "pcba"}, {"category": "camera-module", "review": ReviewStatus.PENDING}],
    )
    assert found(category="pcba") == ["Dual Lines Ltd"]
    assert found(category="camera-module") == []
    assert found("camera") == []


def test_snippets_mark_matches_and_escape_html(app):
    make_firm(
        "Script Kiddie Ltd",
        description="<script>alert(1)</script> injection moulding for covers.",
        capabilities=[{"category": "housing-plastic"}],
    )
    hit = search.search(SearchParams(q="moulding")).hits[0]
    assert "<mark" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;/script&gt;" in hit.snippet
