"""The relevance suite's own arithmetic: nDCG@10 on hand-worked cases, grades from attributes,
the judge's reading of numbers with units, and a corpus that is the same for the same seed."""

import math

import pytest

from tests.search.relevance.corpus import RelevanceFirms
from tests.search.relevance.facts import EXPIRED, UNVERIFIED, VALID, FirmFacts, Spec, specs_in
from tests.search.relevance.harness import Answer, Outcome, by_type, dcg, ndcg, table
from tests.search.relevance.judge import Intent, Judge, Quantity, grade
from tests.search.relevance.queries import ISSUE_TABLE, MISSPELLING, MULTI, NUMBER, PLACE, QUERIES, TYPES, Query


def test_dcg_discounts_each_rank_by_log2_of_rank_plus_one():
    # gains 2^3-1=7 at rank 1, 2^1-1=1 at rank 2, 0 at rank 3, 2^2-1=3 at rank 4
    assert dcg([3, 1, 0, 2]) == pytest.approx(7 / 1 + 1 / math.log2(3) + 0 + 3 / math.log2(5))


def test_ndcg_is_one_for_the_ideal_order_and_less_for_a_swap():
    judged = {1: 3, 2: 2, 3: 1}
    assert ndcg([1, 2, 3], judged) == pytest.approx(1.0)
    # Ideal 7 + 3/log2(3) + 1/2 = 9.3928; swapped 3 + 7/log2(3) + 1/2 = 7.9165
    assert ndcg([2, 1, 3], judged) == pytest.approx(7.9165 / 9.3928, abs=1e-4)


def test_ndcg_counts_relevant_firms_never_returned_and_ignores_unjudged_ones():
    judged = {1: 3, 2: 3}
    # Only one of two grade-3 firms, after an unjudged firm: (7/log2(3)) / (7 + 7/log2(3))
    assert ndcg([99, 1], judged) == pytest.approx((7 / math.log2(3)) / (7 + 7 / math.log2(3)))
    assert ndcg([], judged) == 0.0


def test_ndcg_looks_only_at_the_first_ten():
    judged = {11: 3}
    assert ndcg(list(range(100, 110)) + [11], judged) == 0.0


def test_ndcg_of_a_query_with_nothing_relevant_is_refused():
    with pytest.raises(ValueError, match="no relevant firm"):
        ndcg([1, 2], {})


def _firm(firm_id=1, **fields) -> FirmFacts:
    values = dict(
        public=True,
        categories=("charger",),
        processes=frozenset({"smt"}),
        certificates=(("iso-9001", VALID),),
        city="Lahore",
        province="Punjab",
        specs=(Spec("W", 5, 65),),
        capacity=100_000,
    )
    return FirmFacts(firm_id=firm_id, **(values | fields))


WANT = Intent(categories=("charger",), certificate="iso-9001", cities=("Lahore",), quantity=Quantity(20, "W"))


def test_grade_three_meets_every_part_two_most_one_the_category_only():
    assert grade(WANT, _firm()) == 3
    assert grade(WANT, _firm(city="Karachi")) == 2
    assert grade(WANT, _firm(city="Karachi", specs=())) == 1
    assert grade(WANT, _firm(categories=("cable",))) == 0


def test_expired_or_unverified_certificates_and_hidden_firms_do_not_count():
    only_cert = Intent(certificate="iso-9001")
    assert grade(only_cert, _firm(certificates=(("iso-9001", EXPIRED),))) == 0
    assert grade(only_cert, _firm(certificates=(("iso-9001", UNVERIFIED),))) == 0
    assert grade(only_cert, _firm(public=False)) == 0


def test_quantities_are_met_by_a_covering_range_or_enough_monthly_capacity():
    assert grade(Intent(("charger",), quantity=Quantity(65, "W")), _firm()) == 3
    assert grade(Intent(("charger",), quantity=Quantity(100, "W")), _firm()) == 1
    assert grade(Intent(("charger",), quantity=Quantity(50_000, "units/month")), _firm()) == 3
    assert grade(Intent(("charger",), quantity=Quantity(200_000, "units/month")), _firm()) == 1


def test_judge_grades_only_what_meets_the_main_part():
    firms = [_firm(1), _firm(2, categories=("cable",)), _firm(3, city="Karachi")]
    assert Judge(firms).judge(WANT) == {1: 3, 3: 2}
    assert Judge(firms).judge(Intent(cities=("Karachi",))) == {3: 3}


def test_judge_reads_values_and_ranges_as_firms_write_them():
    assert Spec("W", 5, 65) in specs_in("Makes wall chargers and travel adapters from 5 W to 65 W.")
    assert Spec("mAh", 1500, 5000) in specs_in("lithium-polymer (LiPo) cells of 1,500–5,000 mAh, nickel strip")
    assert Spec("layers", 0, 8) in specs_in("vacuum lamination press for up to 8 layers")
    assert Spec("mm", 0.4, 0.4) in specs_in("0201 passives and 0.4 mm-pitch BGAs supported.")


def test_the_same_seed_writes_the_same_firms_with_the_same_facts():
    first, second = RelevanceFirms(7), RelevanceFirms(7)
    texts = [first.firm(i, i * 3, i * 4)[0]["description"] for i in range(1, 50)]
    assert texts == [second.firm(i, i * 3, i * 4)[0]["description"] for i in range(1, 50)]
    assert first.facts == second.facts
    stated = {s.unit for f in first.facts.values() for s in f.specs}
    assert {"W", "mAh", "layers"} <= stated


def test_the_query_set_covers_every_type_and_the_issue_table():
    assert len(QUERIES) >= 150
    assert {query.type for query in QUERIES} == set(TYPES)
    assert all(query in QUERIES for query in ISSUE_TABLE)
    assert len({query.text for query in QUERIES}) == len(QUERIES)


def test_summaries_by_type_leave_out_queries_with_nothing_relevant():
    def outcome(type_, score, total):
        return Outcome(Query("x", type_, Intent(("charger",))), 1, Answer([], total), score)

    rows = by_type([outcome(TYPES[0], 1.0, 5), outcome(TYPES[0], 0.0, 0), outcome(TYPES[1], None, 0)])
    assert [(r.label, r.queries, r.unjudged, r.ndcg, r.zero_rate) for r in rows] == [
        (TYPES[0], 2, 0, 0.5, 0.5),
        (TYPES[1], 0, 1, 0.0, 0.0),
        ("all", 2, 1, 0.5, 0.5),
    ]


def test_speed_classes_take_broad_terms_by_hits_and_long_queries_by_length():
    from tests.bench.relevance import BROAD_QUERIES, speed_classes

    def outcome(text, type_, total):
        return Outcome(Query(text, type_, Intent(("charger",))), 1, Answer([], total), 0.0)

    words = [outcome(f"term{n}", TYPES[0], n) for n in range(BROAD_QUERIES + 2)]
    classes = speed_classes(
        [
            *words,
            outcome("two words", TYPES[0], 10_000),
            outcome("three word query", MULTI, 0),
            outcome("a five word buyer query", MULTI, 0),
            outcome("bettery", MISSPELLING, 0),
            outcome("20W adapter", NUMBER, 3),
        ]
    )
    assert [o.query.text for o in classes["broad"]] == [f"term{n}" for n in range(BROAD_QUERIES + 1, 1, -1)]
    assert [o.query.text for o in classes["long"]] == ["a five word buyer query"]
    assert [o.query.text for o in classes["misspelt"]] == ["bettery"]
    assert [o.query.text for o in classes["number"]] == ["20W adapter"]


def test_the_table_counts_corrected_and_word_dropping_answers():
    corrected = Outcome(Query("bettery", MISSPELLING, Intent(("battery",))), 1, Answer([1], 1, "battery"), 1.0)
    dropped = Outcome(Query("KPK connectors", PLACE, Intent(("connector",))), 1, Answer([2], 1, None, ("kpk",)), 0.5)
    summary = by_type([corrected, dropped])[-1]
    assert (summary.corrected, summary.dropped) == (1, 1)
    assert "corrected" in table([corrected, dropped], "t").splitlines()[1]
