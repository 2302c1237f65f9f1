"""One rule for contact details between a firm and whoever approaches it (`portal.contacts`): a
brand's in an introduction and an investor's in an investment interest stay hidden from the firm
until it accepts, and close again if it declines."""

import html

import pytest

from portal.introductions.models import Stage
from portal.investment.models import DealStage
from tests.factories import make_firm
from tests.introductions.builders import make_introduction
from tests.investment.builders import make_interest, make_opportunity


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def firm(users):
    return make_firm("Indus Displays (Pvt) Ltd", owner=users["supplier"], contact_email="invest@indusdisplays.example")


@pytest.mark.parametrize(
    ("accepted", "stage", "shown"),
    [(False, DealStage.INTEREST, False), (True, DealStage.INTEREST, True), (True, DealStage.DECLINED, False)],
    ids=["waiting", "accepted", "declined-later"],
)
def test_the_firm_sees_an_investors_email_only_once_it_accepted(client, login, firm, users, accepted, stage, shown):
    interest = make_interest(make_opportunity(firm), users["investor"], accepted=accepted, stage=stage)
    login("supplier")
    body = page(client.get(f"/investment/interests/{interest.id}"))
    assert ("investor@example.com" in body) is shown
    assert "Investor Org" in body  # the organisation is said either way, as in an introduction


@pytest.mark.parametrize(
    ("stage", "shown"),
    [(Stage.REQUESTED, False), (Stage.INTRODUCED, True), (Stage.DECLINED, False)],
    ids=["waiting", "accepted", "declined"],
)
def test_the_firm_sees_a_brands_email_only_once_it_accepted(client, login, firm, users, stage, shown):
    intro = make_introduction(users["brand"], firm, stage=stage)
    login("supplier")
    body = page(client.get(f"/introductions/{intro.id}"))
    assert ("brand@example.com" in body) is shown


def test_an_investor_sees_the_firms_contact_only_once_it_accepted(client, login, firm, users):
    opportunity = make_opportunity(firm)
    interest = make_interest(opportunity, users["investor"])
    login("investor")
    assert "invest@indusdisplays.example" not in page(client.get(f"/investment/interests/{interest.id}"))
    login("supplier")
    client.post(f"/investment/interests/{interest.id}/accept")
    login("investor")
    assert "invest@indusdisplays.example" in page(client.get(f"/investment/interests/{interest.id}"))
