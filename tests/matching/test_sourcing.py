"""Each hard rule and each ranking factor of sourcing matches, on plain facts (no database)."""

import math
from dataclasses import replace
from datetime import date, timedelta

from portal.matching.facts import CapabilityFact, CertificateFact, FirmFacts, Match, NearMiss, NeedFacts
from portal.matching.sourcing import evaluate, rank

TODAY = date(2026, 11, 25)
ISO = ("iso-9001", "ISO 9001")
IEC = ("iec-62133", "IEC 62133")

NEED = NeedFacts(
    category="battery",
    quantity_per_month=20_000,
    quantity_unit="packs",
    deadline=TODAY + timedelta(days=30),
    required_certifications=(ISO,),
    processes=(("cell-assembly", "Battery cell and pack assembly"), ("testing", "Functional and reliability testing")),
    features=("10,000 mAh", "USB-C"),
    province="Punjab",
)


def certificate(slug="iso-9001", name="ISO 9001", days=400, verified=True):
    return CertificateFact(slug, name, TODAY + timedelta(days=days), verified)


def firm(firm_id=1, name="Ravi Cells", **changes):
    base = FirmFacts(
        firm_id=firm_id,
        name=name,
        public=True,
        province="Punjab",
        capabilities=(CapabilityFact("battery", 30_000, "packs", frozenset({"cell-assembly", "testing"}), 14, True),),
        certificates=(certificate(),),
        features_offered=("10,000 mAh", "USB-C"),
        median_response_days=1,
    )
    return replace(base, **changes)


def capability(**changes):
    return replace(firm().capabilities[0], **changes)


# --- hard rules -------------------------------------------------------------------------------


def test_a_firm_that_does_not_make_the_category_never_matches():
    assert evaluate(NEED, firm(capabilities=(replace(capability(), category="charger"),)), TODAY) is None


def test_a_hidden_firm_never_matches():
    assert evaluate(NEED, firm(public=False), TODAY) is None


def test_a_firm_excluded_by_compliance_never_matches():
    assert evaluate(NEED, firm(excluded="incentives withdrawn"), TODAY) is None


def test_a_missing_required_certificate_makes_a_near_miss_saying_what_it_needs():
    verdict = evaluate(replace(NEED, required_certifications=(ISO, IEC)), firm(), TODAY)
    assert isinstance(verdict, NearMiss)
    assert verdict.missing == ("would qualify with a valid IEC 62133",)


def test_an_expired_certificate_does_not_count():
    verdict = evaluate(NEED, firm(certificates=(certificate(days=-1),)), TODAY)
    assert isinstance(verdict, NearMiss)


def test_a_certificate_expiring_today_does_not_count():
    assert isinstance(evaluate(NEED, firm(certificates=(certificate(days=0),)), TODAY), NearMiss)


def test_an_unverified_certificate_does_not_count():
    assert isinstance(evaluate(NEED, firm(certificates=(certificate(verified=False),)), TODAY), NearMiss)


def test_a_near_miss_also_names_a_capacity_shortfall():
    verdict = evaluate(NEED, firm(certificates=(), capabilities=(capability(monthly_capacity=8_000),)), TODAY)
    assert "capacity 8,000 of 20,000/month (under half)" in verdict.missing


# --- reasons and warnings ----------------------------------------------------------------------


def test_a_match_explains_itself_in_words():
    verdict = evaluate(NEED, firm(), TODAY)
    assert isinstance(verdict, Match)
    assert verdict.reasons[0] == "capacity 30,000/month covers 20,000"
    assert "offers: 10,000 mAh, USB-C" in verdict.reasons
    assert f"ISO 9001 valid until {(TODAY + timedelta(days=400)).isoformat()}" in verdict.reasons
    assert "main product line" in verdict.reasons
    assert "based in Punjab, the delivery province" in verdict.reasons


def test_a_required_certificate_expiring_before_the_deadline_is_flagged():
    verdict = evaluate(NEED, firm(certificates=(certificate(days=10),)), TODAY)
    assert isinstance(verdict, Match)
    assert verdict.warnings == (
        f"ISO 9001 expires on {(TODAY + timedelta(days=10)).isoformat()}, before the quote deadline {NEED.deadline.isoformat()}",
    )


# --- ranking factors: each one, all else equal --------------------------------------------------


def score(**changes) -> float:
    return evaluate(NEED, firm(**changes), TODAY).score


def test_full_capacity_ranks_above_partial_and_partial_above_under_half():
    full = score()
    partial = score(capabilities=(capability(monthly_capacity=15_000),))
    weak = score(capabilities=(capability(monthly_capacity=5_000),))
    assert full > partial > weak


def test_covering_every_required_process_ranks_higher():
    assert score() > score(capabilities=(capability(processes=frozenset({"testing"})),))


def test_offering_the_specified_features_ranks_higher():
    assert score() > score(features_offered=("USB-C",)) > score(features_offered=())


def test_main_line_ranks_above_side_line():
    assert score() > score(capabilities=(capability(main_line=False),))


def test_shorter_lead_time_ranks_higher():
    assert (
        score()
        > score(capabilities=(capability(lead_time_days=45),))
        > score(capabilities=(capability(lead_time_days=120),))
    )


def test_delivery_province_ranks_higher():
    assert score() > score(province="Sindh")


def test_responsive_firms_rank_higher():
    assert score() > score(median_response_days=2.5) > score(median_response_days=5)
    assert score(median_response_days=5) > score(median_response_days=math.inf)


def test_a_firm_with_too_few_answers_gets_the_neutral_score_and_is_told_so():
    unjudged = evaluate(NEED, firm(median_response_days=None), TODAY)
    assert score(median_response_days=2.5) > unjudged.score > score(median_response_days=5)
    assert "not enough answers yet to judge how fast it answers (neutral score)" in unjudged.reasons


def test_the_reasons_say_how_fast_the_firm_answers():
    assert "usually answers within 3 days" in evaluate(NEED, firm(median_response_days=2.5), TODAY).reasons
    unanswered = evaluate(NEED, firm(median_response_days=math.inf), TODAY).reasons
    assert "half or more of the requests to it in the last year went unanswered" in unanswered


def test_ties_are_broken_by_name_then_id_and_order_is_stable():
    firms = [firm(3, "Beta Cells"), firm(2, "alpha cells"), firm(1, "Beta Cells")]
    matches, _ = rank(NEED, firms, TODAY)
    assert [(m.name, m.firm_id) for m in matches] == [("alpha cells", 2), ("Beta Cells", 1), ("Beta Cells", 3)]
    assert rank(NEED, list(reversed(firms)), TODAY)[0] == matches


def test_rank_separates_matches_and_near_misses_and_drops_the_rest():
    firms = [
        firm(1, "Good"),
        firm(2, "No Cert", certificates=()),
        firm(3, "Wrong Category", capabilities=(replace(capability(), category="cable"),)),
    ]
    matches, near = rank(NEED, firms, TODAY)
    assert [m.name for m in matches] == ["Good"]
    assert [n.name for n in near] == ["No Cert"]


# --- capacity only in a shared unit ----------------------------------------------------------------


def test_capacity_in_another_unit_is_not_compared_and_says_why():
    cells = firm(capabilities=(capability(unit="cells", monthly_capacity=1_000_000),))
    match = evaluate(NEED, cells, TODAY)

    assert "capacity 1,000,000 cells/month, not compared with 20,000 packs/month: the units differ" in match.reasons
    assert match.score < evaluate(NEED, firm(), TODAY).score  # packs covering the need rank above


def test_m2_of_panel_count_as_boards_only_with_the_firms_board_area():
    need = replace(NEED, category="pcb-bare", quantity_unit="boards", quantity_per_month=60_000)
    panel = CapabilityFact("pcb-bare", 6_000, "m2", frozenset({"cell-assembly", "testing"}), 14, True)
    without_area = evaluate(need, firm(capabilities=(panel,)), TODAY)
    with_area = evaluate(need, firm(capabilities=(replace(panel, board_area_mm2=50_000),)), TODAY)

    assert without_area.reasons[0] == (
        "capacity 6,000 m²/month, not compared with 60,000 boards/month: m² of panel and boards convert only "
        "with the area of one board, which the firm has not given"
    )
    # 6,000 m² = 6,000,000,000 mm²; at 50,000 mm² a board that is 120,000 boards.
    assert (
        with_area.reasons[0] == "6,000 m² at 50,000 mm² a board is 120,000 boards; capacity 120,000/month covers 60,000"
    )
    assert with_area.score > without_area.score
