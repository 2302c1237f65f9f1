"""Each hard rule, each ranking factor, the reasons' words and the tie-breaks of investment matching,
on plain facts (no database)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from portal.matching.investment import (
    InvestorFacts,
    OpportunityFacts,
    evaluate,
    hard_rule_failure,
    money_span,
    rank_investors,
    rank_opportunities,
)

M = Decimal(1_000_000)
DISPLAY = ("display-module", "Display modules")
TOUCH = ("touch-cover-glass", "Touch panels and cover glass")
CAMERA = ("camera-module", "Camera modules")

OPPORTUNITY = OpportunityFacts(
    opportunity_id=1,
    title="Second LCM line",
    firm_name="Indus Displays",
    published=True,
    firm_public=True,
    province="Punjab",
    categories=(DISPLAY,),
    amount_min=3 * M,
    amount_max=3 * M,
    currency="USD",
    instruments=("equity", "debt"),
    stage="operating",
)
INVESTOR = InvestorFacts(
    investor_id=10,
    name="Gulf Tech Fund",
    categories=frozenset({"display-module"}),
    ticket_min=2 * M,
    ticket_max=5 * M,
    currency="USD",
    instruments=frozenset({"equity"}),
    provinces=frozenset({"Punjab"}),
    stages=frozenset({"operating", "scaling"}),
)


def opportunity(**changes):
    return replace(OPPORTUNITY, **changes)


def investor(**changes):
    return replace(INVESTOR, **changes)


def score(o=OPPORTUNITY, i=INVESTOR):
    return evaluate(o, i).score


# --- hard rules ----------------------------------------------------------------------------------


def test_a_fitting_pair_matches_with_every_reason_in_words():
    match = evaluate(OPPORTUNITY, INVESTOR)
    assert match.score == pytest.approx(35 + 25 * 0.6 + 20 + 10 + 10)
    assert match.reasons == (
        "ticket 2–5 M USD fits 3 M sought",
        "interested in display modules",
        "accepts equity",
        "based in Punjab, a province of interest",
        "operating stage, a stage of interest",
    )
    assert match.misfits == ()


@pytest.mark.parametrize(
    ("changes", "failure"),
    [
        ({"published": False}, "the opportunity is not published"),
        ({"firm_public": False}, "the firm's listing is not public"),
        ({"excluded": "incentives withdrawn"}, "the firm is kept out of matching (incentives withdrawn)"),
        ({"categories": (CAMERA,)}, "none of its component categories is among the interests"),
    ],
)
def test_each_hard_rule_rules_the_pair_out_and_says_which(changes, failure):
    assert hard_rule_failure(opportunity(**changes), INVESTOR) == failure
    assert evaluate(opportunity(**changes), INVESTOR) is None
    assert rank_opportunities(INVESTOR, [opportunity(**changes)]) == []
    assert rank_investors(opportunity(**changes), [INVESTOR]) == []


def test_one_shared_category_among_others_is_enough_and_the_others_are_named():
    match = evaluate(opportunity(categories=(CAMERA, DISPLAY)), INVESTOR)
    assert "interested in display modules" in match.reasons
    assert "also covers camera modules, outside the interests" in match.misfits


def test_nothing_else_is_a_hard_rule():
    poor = investor(
        ticket_min=50 * M, ticket_max=90 * M, instruments=frozenset({"licence"}), provinces=frozenset({"Sindh"})
    )
    match = evaluate(opportunity(stage="idea"), poor)
    assert match.reasons == ("interested in display modules",)
    assert match.misfits == (
        "ticket 50–90 M USD is above the 3 M sought",
        "no common instrument: accepts equity and debt, offered licence",
        "based in Punjab, outside the provinces of interest",
        "idea stage, not among the stages of interest",
    )
    assert rank_opportunities(poor, [opportunity(stage="idea")]) == [match], "listed, ranked low, not hidden"
    assert match.score < score()


# --- ranking factors -----------------------------------------------------------------------------


def test_a_ticket_that_overlaps_the_range_fits():
    match = evaluate(opportunity(amount_min=4 * M, amount_max=10 * M), INVESTOR)
    assert "ticket 2–5 M USD fits 4–10 M sought" in match.reasons


def test_a_ticket_below_the_amount_scores_less_the_further_it_is():
    near = evaluate(opportunity(amount_min=6 * M, amount_max=8 * M), INVESTOR)
    far = evaluate(opportunity(amount_min=50 * M, amount_max=80 * M), INVESTOR)
    assert "ticket 2–5 M USD is below the 6–8 M sought" in near.misfits
    assert score() > near.score > far.score


def test_a_ticket_above_the_amount_scores_less():
    small = evaluate(opportunity(amount_min=Decimal(250_000), amount_max=Decimal(500_000)), INVESTOR)
    assert "ticket 2–5 M USD is above the 250,000–500,000 sought" in small.misfits
    assert small.score < score()


def test_amounts_in_another_currency_are_not_compared_and_score_lower_than_a_fit():
    pkr = opportunity(currency="PKR", amount_min=800 * M, amount_max=900 * M)
    for_investor = evaluate(pkr, INVESTOR, for_investor=True)
    for_firm = evaluate(pkr, INVESTOR, for_investor=False)
    assert "amount in PKR, your ticket in USD: not compared" in for_investor.misfits
    assert "amount in PKR, their ticket in USD: not compared" in for_firm.misfits
    assert not any("fits" in reason for reason in for_investor.reasons)
    assert for_investor.score < score()
    far_below = evaluate(opportunity(amount_min=500 * M, amount_max=600 * M), INVESTOR)
    assert for_investor.score > far_below.score, "not compared ranks above a ticket known to be far too small"


def test_a_common_instrument_counts_and_none_is_said():
    assert (
        "accepts equity and debt" in evaluate(OPPORTUNITY, investor(instruments=frozenset({"debt", "equity"}))).reasons
    )
    licence_only = evaluate(opportunity(instruments=("licence",)), INVESTOR)
    assert "no common instrument: accepts licence, offered equity" in licence_only.misfits
    assert licence_only.score == pytest.approx(score() - 20)


def test_more_shared_categories_rank_higher():
    wide = investor(categories=frozenset({"display-module", "touch-cover-glass", "camera-module"}))
    one = evaluate(OPPORTUNITY, wide)
    two = evaluate(opportunity(categories=(DISPLAY, TOUCH)), wide)
    three = evaluate(opportunity(categories=(CAMERA, DISPLAY, TOUCH)), wide)
    assert one.score < two.score < three.score
    assert "interested in camera modules, display modules and touch panels and cover glass" in three.reasons


def test_the_province_counts_when_the_investor_names_provinces():
    elsewhere = evaluate(opportunity(province="Sindh"), INVESTOR)
    anywhere = evaluate(opportunity(province="Sindh"), investor(provinces=frozenset()))
    assert "based in Sindh, outside the provinces of interest" in elsewhere.misfits
    assert elsewhere.score < anywhere.score < score()
    assert not any("Sindh" in text for text in anywhere.reasons + anywhere.misfits)


def test_the_stage_counts_when_the_investor_names_stages():
    idea = evaluate(opportunity(stage="idea"), INVESTOR)
    any_stage = evaluate(opportunity(stage="idea"), investor(stages=frozenset()))
    assert "idea stage, not among the stages of interest" in idea.misfits
    assert idea.score < any_stage.score < score()


# --- order ---------------------------------------------------------------------------------------


def test_an_investor_sees_the_best_opportunity_first_and_ties_by_title_then_id():
    ranked = rank_opportunities(
        INVESTOR,
        [
            opportunity(opportunity_id=5, title="b line", stage="idea"),
            opportunity(opportunity_id=4, title="Zebra line"),
            opportunity(opportunity_id=3, title="alpha line"),
            opportunity(opportunity_id=2, title="Alpha line"),
            opportunity(opportunity_id=9, title="Hidden", published=False),
        ],
    )
    assert [m.opportunity_id for m in ranked] == [2, 3, 4, 5]


def test_a_firm_sees_the_best_investor_first_and_ties_by_name_then_id():
    ranked = rank_investors(
        OPPORTUNITY,
        [
            investor(investor_id=7, name="Small Fund", ticket_min=Decimal(100_000), ticket_max=Decimal(200_000)),
            investor(investor_id=6, name="beta Capital"),
            investor(investor_id=5, name="Beta Capital"),
            investor(investor_id=4, name="Alpha Partners"),
            investor(investor_id=3, name="Camera Fund", categories=frozenset({"camera-module"})),
        ],
    )
    assert [m.investor_id for m in ranked] == [4, 5, 6, 7]
    assert ranked[-1].misfits == ("ticket 100,000–200,000 USD is below the 3 M sought",)


def test_amounts_read_as_people_say_them():
    assert money_span(2 * M, 5 * M) == "2–5 M"
    assert money_span(Decimal("3000000.00"), Decimal("3000000.00")) == "3 M"
    assert money_span(Decimal(250_000), Decimal(1_500_000)) == "250,000–1.5 M"
    assert money_span(Decimal(40_000), Decimal(90_000)) == "40,000–90,000"
    assert money_span(Decimal(100), Decimal(100)) == "100"


def test_reasons_read_in_urdu_with_the_taxonomys_urdu_names_and_urdu_joins(app):
    from flask_babel import force_locale

    from portal.i18n import Name, translated

    named = [(slug, Name(name, "category", slug)) for slug, name in (CAMERA, DISPLAY, TOUCH)]
    wide = investor(categories=frozenset({"display-module", "touch-cover-glass", "camera-module"}))
    match = evaluate(opportunity(categories=tuple(named), amount_min=Decimal(250_000)), wide)
    with app.test_request_context(), force_locale("ur"):
        reasons = [translated(r).replace("\u2068", "").replace("\u2069", "") for r in match.reasons]
    assert reasons[0] == "سرمایہ کاری کی حد 2–5 ملین USD، مطلوبہ 250,000–3 ملین کے مطابق"
    assert reasons[1].startswith("کیمرا") and "، ڈسپلے ماڈیول اور " in reasons[1] and reasons[1].endswith(" میں دلچسپی")
    assert str(match.reasons[1]) == "interested in camera modules, display modules and touch panels and cover glass"
