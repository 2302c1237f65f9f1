"""Each dashboard figure against data built here: who counts, what counts, and the filters."""

from datetime import timedelta

import pytest

from portal.compliance.models import FirmStanding, LicenceStatus
from portal.dashboard import metrics
from portal.needs.models import NeedStatus
from portal.suppliers.models import ListingStatus, ReviewStatus
from portal.timeutil import today, utcnow
from tests.factories import make_firm, make_need


def figures(slug, **scope):
    """The category's figures and, for a category with figures in one unit, that unit's line."""
    sources = metrics.Sources(metrics.scope_for(**scope))
    facts = sources.category(slug)
    [line] = metrics.unit_lines(facts)
    return {**{key: figure.compute(facts) for key, figure in metrics.FIGURES.items()}, **line.values}


def charger(capacity=10_000, certificates=(), **fields):
    return make_firm(capabilities=[{"category": "charger", "capacity": capacity}], certificates=certificates, **fields)


def test_coverage_is_capacity_of_counting_firms_against_open_demand(users):
    charger(30_000)
    charger(10_000)
    make_need(users["brand"], "charger", quantity=15_000)
    make_need(users["brand"], "charger", quantity=5_000)
    make_need(users["brand"], "charger", quantity=90_000, status=NeedStatus.CLOSED)
    make_need(users["brand"], "charger", quantity=90_000, status=NeedStatus.DRAFT)

    row = figures("charger")
    assert (row["verified_suppliers"], row["monthly_capacity"]) == (2, 40_000)
    assert (row["open_needs"], row["open_demand"]) == (2, 20_000)
    assert row["coverage"] == 200.0
    assert figures("battery")["coverage"] is None, "no demand, no coverage"


def test_an_open_need_past_its_deadline_is_no_longer_open_demand(users):
    """The deadline closes a need whether or not the nightly job has stored it as closed."""
    charger(10_000)
    make_need(users["brand"], "charger", quantity=4_000)
    make_need(users["brand"], "charger", quantity=90_000, deadline=today() - timedelta(days=1))

    row = figures("charger")
    assert (row["open_needs"], row["open_demand"]) == (1, 4_000)
    assert figures("charger", on=today() - timedelta(days=1))["open_demand"] == 94_000


def test_unverified_suspended_unchecked_and_excluded_firms_do_not_count(db, users):
    charger(1)
    charger(10, status=ListingStatus.SUBMITTED)
    charger(100, suspended=True)
    make_firm(capabilities=[{"category": "charger", "capacity": 1_000, "review": ReviewStatus.PENDING}])
    excluded = charger(10_000)
    ended = charger(100_000)
    yesterday = today() - timedelta(days=1)
    db.session.add_all(
        [
            FirmStanding(firm_id=excluded.id, licence_status=LicenceStatus.SUSPENDED, licence_since=yesterday),
            FirmStanding(
                firm_id=ended.id,
                licence_status=LicenceStatus.SUSPENDED,
                licence_since=yesterday - timedelta(days=30),
                licence_until=yesterday,
            ),
        ]
    )
    db.session.commit()

    row = figures("charger")
    assert row["verified_suppliers"] == 2
    assert row["monthly_capacity"] == 100_001, "the suspension that ended counts again"


def test_certified_share_counts_firms_holding_every_certificate_open_needs_ask_for(users):
    make_need(users["brand"], "charger", certifications=("ce", "rohs"))
    make_need(users["brand"], "charger", certifications=("ul",))
    make_need(users["brand"], "charger", certifications=("fcc",), status=NeedStatus.CLOSED)
    all_three = [{"type": "ce"}, {"type": "rohs"}, {"type": "ul"}]
    charger(certificates=all_three)
    charger(certificates=[*all_three, {"type": "iso-9001"}])
    charger(certificates=[{"type": "ce"}, {"type": "rohs"}, {"type": "ul", "days_valid": -1}])  # expired
    charger(certificates=[{"type": "ce"}, {"type": "rohs", "review": ReviewStatus.PENDING}, {"type": "ul"}])
    charger(certificates=[{"type": "ce"}, {"type": "rohs"}])

    row = figures("charger")
    assert row["verified_suppliers"] == 5
    assert row["certified_suppliers"] == 2
    assert row["certified_share"] == pytest.approx(40.0)


def test_certified_share_is_blank_when_no_open_need_asks_for_a_certificate(users):
    charger(certificates=[{"type": "ce"}])
    make_need(users["brand"], "charger")
    row = figures("charger")
    assert row["certified_suppliers"] is None and row["certified_share"] is None


def test_an_open_need_is_unserved_when_no_counting_firm_holds_all_it_requires(db, users):
    charger(certificates=[{"type": "ce"}, {"type": "rohs"}])
    charger(certificates=[{"type": "ul"}, {"type": "rohs", "days_valid": -3}])
    served = make_need(users["brand"], "charger", certifications=("ce", "rohs"), title="Served")
    split = make_need(users["brand"], "charger", certifications=("ul", "rohs"), title="Needs UL and RoHS")
    make_need(users["brand"], "charger", title="Anything goes")
    nobody = make_need(users["brand"], "pcba", title="Boards nobody makes", deadline=today() + timedelta(days=5))

    assert figures("charger")["unserved_needs"] == 1
    assert figures("pcba")["unserved_needs"] == 1
    needs, total = metrics.unserved_need_list(metrics.Sources(metrics.scope_for()))
    assert [n.id for n in needs] == [split.id, nobody.id], "phase 1 (chargers) before phase 2 (boards)"
    assert total == 2 and served.id not in [n.id for n in needs]


def test_province_limits_firms_by_place_and_needs_by_delivery(users):
    charger(1_000, province="Sindh", city="Karachi")
    charger(2_000, province="Punjab")
    make_need(users["brand"], "charger", quantity=300, delivery_province="Sindh")
    make_need(users["brand"], "charger", quantity=400, delivery_province="Punjab")
    make_need(users["brand"], "charger", quantity=500)

    sindh = figures("charger", province="Sindh")
    assert (sindh["verified_suppliers"], sindh["monthly_capacity"], sindh["open_demand"]) == (1, 1_000, 300)
    country = figures("charger")
    assert (country["verified_suppliers"], country["open_demand"]) == (2, 1_200)


def test_awarded_needs_count_within_the_period(db, users):
    make_need(users["brand"], "charger", status=NeedStatus.AWARDED)
    old = make_need(users["brand"], "charger", status=NeedStatus.AWARDED)
    old.updated_at = utcnow() - timedelta(days=400)
    db.session.commit()

    assert figures("charger")["awarded_needs"] == 2
    assert figures("charger", since=today().replace(day=1))["awarded_needs"] == 1


def test_certificates_expiring_within_sixty_days(users):
    charger(
        certificates=[
            {"type": "ce", "days_valid": 10},
            {"type": "rohs", "days_valid": 60},
            {"type": "ul", "days_valid": 61},
            {"type": "fcc", "days_valid": -1},
            {"type": "iso-9001", "days_valid": 20, "review": ReviewStatus.PENDING},
        ]
    )
    charger(certificates=[{"type": "ce", "days_valid": 30}], suspended=True)
    sources = metrics.Sources(metrics.scope_for())
    assert metrics.FIGURES["expiring_certificates"].compute(sources.category("charger")) == 2
    assert sources.expiring["charger"] == {"ce": 1, "rohs": 1}


def test_firms_by_province_count_each_firm_once_in_the_total(app):
    make_firm(capabilities=[{"category": "charger"}, {"category": "pcba"}])
    make_firm(capabilities=[{"category": "cable"}, {"category": "packaging"}], province="Sindh", city="Karachi")
    make_firm(capabilities=[{"category": "battery"}], suspended=True)
    make_firm(capabilities=[{"category": "cable", "review": ReviewStatus.PENDING}], province="Sindh", city="Karachi")
    assert metrics.firms_by_province(metrics.scope_for()) == {"Punjab": 1, "Sindh": 1}
    assert metrics.firms_by_province(metrics.scope_for(province="Sindh")) == {"Sindh": 1}


def test_need_funnel_from_published_to_awarded(users):
    for status in (NeedStatus.OPEN, NeedStatus.OPEN, NeedStatus.CLOSED, NeedStatus.AWARDED, NeedStatus.DRAFT,
                   NeedStatus.CANCELLED):  # fmt: skip
        make_need(users["brand"], "charger", status=status)
    make_need(users["brand"], "charger", status=NeedStatus.AWARDED, delivery_province="Sindh")
    assert [count for _key, _label, count in metrics.need_funnel(metrics.scope_for())] == [5, 3, 2]
    assert [count for *_, count in metrics.need_funnel(metrics.scope_for(province="Sindh"))] == [1, 1, 1]


def test_introductions_and_their_outcomes_per_category(users, cast):
    from portal.introductions import service as introductions
    from portal.introductions.models import Outcome, Stage
    from tests.factories import make_user

    owner = make_user("supplier", email="owner@ravi.example.pk")
    firm = charger(owner=owner, province="Punjab")
    need = make_need(users["brand"], "charger")
    won = introductions.request_introduction(users["brand"], firm, "Chargers please.", need)
    introductions.accept(won, owner)
    introductions.move_stage(won, owner, Stage.ORDER_PLACED)  # in talks and samples skipped
    introductions.move_stage(won, owner, Stage.CLOSED, Outcome.ORDER_WON)
    introductions.request_introduction(cast.other_brand, firm, "Also chargers.")  # no need: the firm's categories

    row = figures("charger")
    assert (row["introductions"], row["introductions_accepted"], row["orders_placed"]) == (2, 1, 1)
    assert figures("charger", province="Sindh")["introductions"] == 0
    funnel = introductions.funnel_counts()
    assert (funnel["requested"], funnel["in_talks"], funnel["closed"], funnel["order_won"]) == (2, 1, 1, 1)


def test_investment_sought_and_committed_per_category_in_usd(users):
    from portal.investment.models import DealStage
    from tests.investment.builders import M, make_interest, make_opportunity

    firm = make_firm(capabilities=[{"category": "display-module"}])
    opportunity = make_opportunity(firm, amount=(2 * M, 5 * M))
    make_opportunity(firm, "Rupee loan", amount=(M, M), currency="PKR")
    interest = make_interest(opportunity, users["investor"], accepted=True, stage=DealStage.CLOSED)
    interest.committed_amount = 3 * M
    row = figures("display-module")
    assert (row["investment_sought"], row["investment_committed"]) == (5 * M, 3 * M)
