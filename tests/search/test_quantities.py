"""Values and ranges firms state, read once at indexing: where a number begins, and what it says."""

import pytest

from portal.search.quantities import stated_quantities, wanted_monthly


def stated(text):
    return [q.text for q in stated_quantities(text)]


def test_ranges_lists_and_single_values_are_read_with_their_unit():
    assert stated("5W-65W chargers, up to 20W, 18/25/33W and 4000 mAh packs") == [
        "w:5:65",
        "w:0:20",
        "w:18:18",
        "w:25:25",
        "w:33:33",
        "mah:4000:4000",
    ]


def test_a_number_begins_only_where_a_word_or_a_number_could_begin():
    # "A4" and "v2" are names, ".5" and ",5" are parts of other numbers; "10,000" is one number.
    assert stated("A4W v2W x.5W y,5W 10,000 mAh") == ["mah:10000:10000"]
    assert stated("Two-layer and Double-sided, never phone-layer or sixteenth layer") == ["layer:2:2"]
    assert stated("EIGHT layer boards") == ["layer:8:8"]


@pytest.mark.parametrize(
    ("query", "units"),
    [
        ("charger 100k per month", [100_000]),
        ("50,000 pcs/month", [50_000]),
        ("1 million units monthly", [1_000_000]),
        ("2 lakh a month", [200_000]),
        ("two lakh pcs", [200_000]),
        ("20W charger, 8 layer board, 1m cable", []),  # quantities and lengths, not capacities
        ("4000mAh per month", []),
    ],
)
def test_a_monthly_capacity_is_a_number_with_units_or_per_month(query, units):
    assert [round(w.value) for w in wanted_monthly(query)] == units
