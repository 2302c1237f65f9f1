"""The index's document facts: bit sets, and capacity bands and ranges made in one pass over an
index's documents: each firm in the band its stated monthly capacity falls in (for one component, or
its largest), deleted documents in none."""

import random

import pytest

from portal.search.facts import CAPACITY_BANDS, SEGMENT_COLUMNS, IndexFacts, SegmentFacts, bits_of
from portal.search.ranking import iter_bits

# Per document: monthly capacity per category. Document 5 is deleted.
CAPACITIES = [
    {},
    {"battery": 9_999},
    {"battery": 10_000, "charger": 2_000_000},
    {"charger": 999_999},
    {"battery": 1_000_000},
    {"battery": 500_000},
    {"charger": 0},
]


def facts() -> IndexFacts:
    """The tables alone, of one segment, without an index behind them."""
    columns = {name: [()] * len(CAPACITIES) for name in SEGMENT_COLUMNS}
    columns.update(firm_ids=list(range(1, 8)), sort_names=["firm"] * 7, verified=[0] * 7, capacities=CAPACITIES)
    return IndexFacts([("only", SegmentFacts(columns), bits_of([0, 1, 2, 3, 4, 6], len(CAPACITIES)))])


def docs(bits: int) -> list[int]:
    return [doc for doc in range(len(CAPACITIES)) if bits >> doc & 1]


def test_each_live_firm_falls_in_the_band_of_its_capacity():
    bands = {label: docs(bits) for label, bits in facts().capacity_bands("battery").items()}
    assert list(bands) == [label for _low, _high, label in CAPACITY_BANDS]
    assert bands == {"under 10k": [0, 1, 3, 6], "10k–100k": [2], "100k–1M": [], "1M and more": [4]}


def test_without_a_component_the_largest_capacity_counts():
    bands = {label: docs(bits) for label, bits in facts().capacity_bands(None).items()}
    assert bands == {"under 10k": [0, 1, 6], "10k–100k": [], "100k–1M": [3], "1M and more": [2, 4]}


def test_ranges_include_their_ends_and_leave_out_deleted_documents():
    table = facts()
    assert docs(table.capacity_between("battery", 10_000, 1_000_000)) == [2, 4]
    assert docs(table.capacity_between(None, 1_000_000, None)) == [2, 4]
    assert docs(table.capacity_between("charger", None, 0)) == [0, 1, 4, 6]


@pytest.mark.parametrize("size", [1, 7, 8, 9, 64, 65, 1_001])
def test_a_bit_set_holds_exactly_the_documents_given_in_any_order_and_form(size):
    rng = random.Random(size)
    docs = {rng.randrange(size) for _ in range(size // 2 + 1)} | {0, size - 1}
    expected = sum(1 << doc for doc in docs)

    assert bits_of(sorted(docs), size) == expected
    assert bits_of(iter(sorted(docs, reverse=True) * 2), size) == expected  # repeats and any order
    assert bits_of([], size) == 0
    assert list(iter_bits(bits_of(docs, size))) == sorted(docs)
