"""How fast a firm answers brands: worked out from its real answers, shown on its profile, weighed by matching."""

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.introductions import service as introductions
from portal.introductions.models import Introduction, Stage
from portal.needs import service as needs
from portal.needs.models import NeedInvitation, NeedStatus
from portal.needs.service import matches_for
from portal.suppliers import responsiveness
from portal.suppliers.models import FirmResponsiveness
from portal.suppliers.responsiveness import NEVER, Request, measure
from portal.timeutil import today, utcnow
from tests.factories import make_need, make_quote
from tests.needs.conftest import battery_firm

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def asked(days_ago: float, answered_after: float | None = None, due_after: float | None = 30) -> Request:
    at = NOW - timedelta(days=days_ago)
    return Request(
        at,
        None if answered_after is None else at + timedelta(days=answered_after),
        None if due_after is None else at + timedelta(days=due_after),
    )


# --- the rule, on plain requests ------------------------------------------------------------------


def test_the_median_of_three_answers_is_the_middle_one():
    assert measure([asked(40, 1), asked(20, 5), asked(10, 2)], NOW).median_days == 2


def test_an_even_count_takes_the_mean_of_the_middle_two():
    # 0.5, 2, 4, 9 days: (2 + 4) / 2
    assert measure([asked(50, 0.5), asked(40, 9), asked(30, 4), asked(20, 2)], NOW).median_days == 3


def test_fewer_than_three_counted_answers_are_not_judged():
    result = measure([asked(40, 1), asked(20, 2), asked(5)], NOW)  # the third still has time to answer
    assert (result.median_days, result.counted, result.judged) == (None, 2, False)


def test_a_request_never_answered_counts_as_slower_than_any_answer_once_its_time_is_up():
    # 1 day, 3 days, never (35 days old, due after 30): the middle is 3
    assert measure([asked(60, 1), asked(50, 3), asked(35)], NOW).median_days == 3
    # 1 day, never, never: half or more went unanswered
    assert measure([asked(60, 1), asked(50), asked(35)], NOW).median_days == NEVER


def test_requests_older_than_twelve_months_and_withdrawn_ones_do_not_count():
    result = measure([asked(400, 0.1), asked(40, 6), asked(30, 8), asked(20, 10), asked(90, due_after=None)], NOW)
    assert (result.median_days, result.counted) == (8, 3)


def test_an_answer_the_same_hour_counts_in_fractions_of_a_day():
    result = measure([asked(10, 0.25), asked(9, 0.5), asked(8, 0.75)], NOW)
    assert result.median_days == 0.5
    assert responsiveness.in_words(result.median_days) == "Usually answers within a day."


def test_the_words_round_up_to_whole_days():
    assert responsiveness.in_words(2.5) == "Usually answers within 3 days."
    assert responsiveness.in_words(None) == "Not enough answers yet to say how fast it answers."
    assert responsiveness.in_words(math.inf) == "Half or more of the requests to it in the last year went unanswered."


# --- a small world in the database ----------------------------------------------------------------


def _introduction(brand, firm, days_ago, answered_after=None, stage=Stage.REQUESTED):
    at = utcnow() - timedelta(days=days_ago)
    intro = Introduction(
        brand_user_id=brand.id,
        firm_id=firm.id,
        message="We make phones.",
        stage=stage if answered_after is None else Stage.INTRODUCED,
        requested_at=at,
        answered_at=None if answered_after is None else at + timedelta(days=answered_after),
    )
    db.session.add(intro)
    db.session.commit()
    return intro


@pytest.fixture
def ravi(app, users):
    return battery_firm("Ravi Cells", owner=users["supplier"])


def test_introductions_invitations_and_a_missed_deadline_make_the_median(app, users, ravi):
    brand = users["brand"]
    _introduction(brand, ravi, 60, answered_after=1)  # 1 day
    _introduction(brand, ravi, 50, answered_after=6)  # 6 days
    _introduction(brand, ravi, 5)  # still within its 30 days: not counted
    quoted = make_need(brand, title="Quoted", days=10)
    missed = make_need(brand, title="Missed", days=-3, status=NeedStatus.CLOSED)
    declined = make_need(brand, title="Declined", days=10)
    draft = make_need(brand, title="Draft", days=10, status=NeedStatus.DRAFT)
    for need, days_ago in ((quoted, 8), (missed, 20), (declined, 9), (draft, 40)):
        db.session.add(NeedInvitation(need_id=need.id, firm_id=ravi.id, invited_at=utcnow() - timedelta(days=days_ago)))
    db.session.commit()
    # The invitation to quote, 8 days ago: quoted now (8 days). Declined 9 days ago: now (9 days).
    make_quote(quoted, ravi, by=users["supplier"], unit_price=Decimal("2.5"), min_order_quantity=100, lead_time_days=20)
    needs.decline_invitation(declined, ravi, users["supplier"])
    # 1, 6, 8, 9, never (the missed deadline): the middle is 8
    row = db.session.get(FirmResponsiveness, ravi.id)
    assert (row.counted, row.median_days, row.unanswered_mostly) == (5, pytest.approx(8, abs=0.01), False)
    assert responsiveness.days_of(ravi.id) == pytest.approx(8, abs=0.01)


def test_answering_an_introduction_works_the_figure_out_again_at_once(app, users, ravi):
    brand = users["brand"]
    _introduction(brand, ravi, 40, answered_after=2)
    _introduction(brand, ravi, 30, answered_after=4)
    assert db.session.get(FirmResponsiveness, ravi.id) is None
    intro = introductions.request_introduction(brand, ravi, "Cells for a power bank?")
    intro.requested_at = utcnow() - timedelta(days=3)  # asked three days ago
    db.session.commit()
    introductions.accept(intro, users["supplier"])
    row = db.session.get(FirmResponsiveness, ravi.id)
    assert (row.counted, row.median_days) == (3, pytest.approx(3, abs=0.01))  # 2, 3, 4


def test_the_profile_says_how_fast_the_firm_answers(app, client, users, ravi):
    page = client.get(f"/suppliers/{ravi.id}", follow_redirects=True).get_data(as_text=True)
    assert "Not enough answers yet to say how fast it answers." in page
    for days_ago, after in ((50, 1), (40, 2.5), (30, 4)):
        _introduction(users["brand"], ravi, days_ago, answered_after=after)
    app.test_cli_runner().invoke(args=["responsiveness", "refresh"])
    page = client.get(f"/suppliers/{ravi.id}", follow_redirects=True).get_data(as_text=True)
    assert "Usually answers within 3 days." in page


def test_the_daily_refresh_counts_a_request_whose_time_ran_out_and_drops_firms_left_with_none(app, users, ravi):
    brand = users["brand"]
    for days_ago, after in ((50, 1), (40, 2)):
        _introduction(brand, ravi, days_ago, answered_after=after)
    _introduction(brand, ravi, 31)  # unanswered for 31 days
    result = app.test_cli_runner().invoke(args=["responsiveness", "refresh"])
    assert result.exit_code == 0 and "1 firm(s)" in result.output
    row = db.session.get(FirmResponsiveness, ravi.id)
    assert (row.counted, row.median_days) == (3, pytest.approx(2, abs=0.01))  # 1, 2, never
    db.session.execute(Introduction.__table__.delete())
    db.session.commit()
    app.test_cli_runner().invoke(args=["responsiveness", "refresh"])
    db.session.expire_all()
    assert db.session.scalar(select(FirmResponsiveness)) is None


def test_matching_ranks_the_quick_firm_above_the_unjudged_one_and_explains_both(app, users, ravi):
    quetta = battery_firm("Quetta Packs", province="Punjab")
    for days_ago in (50, 40, 30):
        _introduction(users["brand"], ravi, days_ago, answered_after=0.5)
    app.test_cli_runner().invoke(args=["responsiveness", "refresh"])
    need = make_need(users["brand"], title="Packs", days=20)
    matches, _ = matches_for(need)
    assert [m.firm_id for m in matches] == [ravi.id, quetta.id]
    assert "usually answers within a day" in matches[0].reasons
    assert "not enough answers yet to judge how fast it answers (neutral score)" in matches[1].reasons
    assert matches[0].score - matches[1].score == pytest.approx(3)  # 5 points × (1.0 - 0.4)


def test_a_firm_says_it_will_not_quote_and_the_invitation_leaves_its_opportunities(app, client, login, users, ravi):
    need = make_need(users["brand"], title="Packs for a tablet", days=20, visibility="invited")
    db.session.add(NeedInvitation(need_id=need.id, firm_id=ravi.id, invited_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    login("supplier")
    assert "Packs for a tablet" in client.get("/needs/opportunities").get_data(as_text=True)
    response = client.post(f"/needs/{need.id}/invitation/decline?firm={ravi.id}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Noted: Ravi Cells will not quote on this need." in page
    assert "Packs for a tablet" not in page
    invitation = db.session.scalar(select(NeedInvitation))
    assert invitation.declined_at is not None
    again = client.post(f"/needs/{need.id}/invitation/decline?firm={ravi.id}", follow_redirects=True)
    assert "Ravi Cells already said it will not quote." in again.get_data(as_text=True)
    assert today() <= need.deadline
