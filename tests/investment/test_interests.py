"""An investor expresses interest; the firm accepts or declines; both sides write in a private thread
and move the deal along its stages; the figures count the stages and the capital sought and committed."""

import html
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.investment import deals, figures, rules
from portal.investment.models import DealStage, Interest, InterestMessage, InterestStageChange, OpportunityStatus
from tests.factories import make_firm, make_user
from tests.investment.builders import M, make_interest, make_opportunity

D = DealStage


@pytest.fixture
def opportunity(users):
    firm = make_firm("Indus Displays (Pvt) Ltd", owner=users["supplier"], contact_email="invest@indusdisplays.example")
    return make_opportunity(firm)


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_an_investor_expresses_interest_once_and_the_firm_is_told(client, login, db, outbox, opportunity, users):
    login("investor")
    response = client.post(f"/investment/{opportunity.id}/interest", data={"message": "We back display lines."})
    interest = db.session.scalar(select(Interest))
    assert response.headers["Location"].endswith(f"/investment/interests/{interest.id}")
    assert (interest.investor_id, interest.stage, interest.accepted) == (users["investor"].id, D.INTEREST, False)
    assert [m.text for m in interest.messages] == ["We back display lines."]
    [mail] = outbox("investment_interest")
    assert mail.recipient == "supplier@example.com" and "Second LCM line" in mail.subject
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "investment.interest_expressed"))
    assert "We back display lines." not in str(entry.after), "the thread stays out of the audit trail"

    body = page(client.get(f"/investment/interests/{interest.id}"))
    assert "The firm has not answered yet" in body and "invest@indusdisplays.example" not in body
    again = page(
        client.post(f"/investment/{opportunity.id}/interest", data={"message": "Again"}, follow_redirects=True)
    )
    assert "already expressed interest" in again
    assert db.session.scalar(select(Interest).where(Interest.id != interest.id)) is None


def test_an_empty_message_is_asked_for_next_to_the_field(client, login, db, opportunity):
    login("brand")
    body = page(client.post(f"/investment/{opportunity.id}/interest", data={"message": "  "}))
    assert "Introduce yourself and say what interests you" in body and 'id="message-error"' in body
    assert db.session.scalar(select(Interest)) is None


def test_interest_in_an_unlisted_opportunity_is_refused(client, login, db, users):
    firm = make_firm(owner=users["supplier"], suspended=True)
    hidden = make_opportunity(firm)
    login("investor")
    assert client.post(f"/investment/{hidden.id}/interest", data={"message": "Hello"}).status_code == 404
    assert db.session.scalar(select(Interest)) is None


def test_accepting_opens_the_data_room_and_contact_to_that_investor_alone(
    client, login, db, outbox, opportunity, users, cast
):
    interest = make_interest(opportunity, users["investor"])
    rival = cast.other_investor
    make_interest(opportunity, rival)
    login("supplier")
    client.post(f"/investment/interests/{interest.id}/accept")
    db.session.expire_all()
    assert interest.accepted and interest.stage == D.INTEREST
    assert outbox("investment_answer")[0].recipient == "investor@example.com"
    assert rules.can_see_data_room(opportunity, users["investor"])
    assert not rules.can_see_data_room(opportunity, rival), "consent is per investor"
    login("investor")
    assert "invest@indusdisplays.example" in page(client.get(f"/investment/interests/{interest.id}"))
    assert client.post(f"/investment/interests/{interest.id}/decline").status_code == 404, "only the firm answers"


def test_declining_ends_the_thread_and_opens_nothing(client, login, db, outbox, opportunity, users):
    interest = make_interest(opportunity, users["investor"])
    login("supplier")
    client.post(f"/investment/interests/{interest.id}/decline", data={"understood": "yes"})
    db.session.expire_all()
    assert interest.stage == D.DECLINED and not interest.accepted
    assert outbox("investment_answer")[0].recipient == "investor@example.com"
    assert not rules.can_see_data_room(opportunity, users["investor"])
    body = page(client.post(f"/investment/interests/{interest.id}/accept", follow_redirects=True))
    assert "This interest was already answered." in body
    login("investor")
    client.post(f"/investment/interests/{interest.id}", data={"text": "Please reconsider"})
    assert [m.text for m in db.session.scalars(select(InterestMessage))] == ["We would like to talk."]


def test_both_sides_write_in_the_thread_and_the_other_side_is_told(client, login, db, outbox, opportunity, users):
    interest = make_interest(opportunity, users["investor"], accepted=True)
    login("supplier")
    client.post(f"/investment/interests/{interest.id}", data={"text": "Our NDA is attached in the data room."})
    login("investor")
    client.post(f"/investment/interests/{interest.id}", data={"text": "Signed and returned."})
    body = page(client.get(f"/investment/interests/{interest.id}"))
    assert body.index("We would like to talk.") < body.index("Our NDA is attached") < body.index("Signed and returned.")
    assert [m.recipient for m in outbox("investment_message")] == ["investor@example.com", "supplier@example.com"]
    assert "Write your message first." in page(client.post(f"/investment/interests/{interest.id}", data={"text": " "}))


def test_the_deal_moves_forward_only_once_accepted_and_every_change_is_kept_with_its_time(
    client, login, db, opportunity, users
):
    interest = make_interest(opportunity, users["investor"])
    assert rules.next_stages(interest) == [D.DECLINED], "before consent only declining is possible"
    login("investor")
    body = page(client.post(f"/investment/interests/{interest.id}/stage", data={"stage": "nda"}))
    assert "Not a valid choice" in body
    interest.accepted_at = interest.created_at
    db.session.commit()
    client.post(f"/investment/interests/{interest.id}/stage", data={"stage": "nda"})
    login("supplier")
    client.post(f"/investment/interests/{interest.id}/stage", data={"stage": "term_sheet"})
    body = page(client.post(f"/investment/interests/{interest.id}/stage", data={"stage": "due_diligence"}))
    assert "Not a valid choice" in body, "no going back"
    client.post(f"/investment/interests/{interest.id}/stage", data={"stage": "closed", "understood": "yes"})
    db.session.expire_all()
    changes = db.session.scalars(select(InterestStageChange).order_by(InterestStageChange.id)).all()
    assert [(c.from_stage, c.to_stage) for c in changes] == [
        (None, D.INTEREST),
        (D.INTEREST, D.NDA),
        (D.NDA, D.TERM_SHEET),
        (D.TERM_SHEET, D.CLOSED),
    ]
    assert all(c.at is not None for c in changes)
    assert [c.by_id for c in changes[1:]] == [users["investor"].id, users["supplier"].id, users["supplier"].id]
    assert rules.next_stages(interest) == []


def test_the_firm_records_the_amount_committed_in_a_closed_deal(client, login, db, opportunity, users):
    interest = make_interest(opportunity, users["investor"], accepted=True, stage=D.TERM_SHEET)
    login("supplier")
    body = page(
        client.post(
            f"/investment/interests/{interest.id}/commitment", data={"amount": "2500000"}, follow_redirects=True
        )
    )
    assert "recorded by the firm once the deal is closed" in body
    interest.stage = D.CLOSED
    db.session.commit()
    for bad, message in (("-1", "greater than 0"), ("NaN", "greater than 0"), ("lots", "Not a valid decimal value")):
        assert message in page(client.post(f"/investment/interests/{interest.id}/commitment", data={"amount": bad}))
    login("investor")
    body = page(
        client.post(f"/investment/interests/{interest.id}/commitment", data={"amount": "1"}, follow_redirects=True)
    )
    assert "recorded by the firm" in body, "the investor does not record the firm's figure"
    login("supplier")
    client.post(f"/investment/interests/{interest.id}/commitment", data={"amount": "2500000"})
    db.session.expire_all()
    assert interest.committed_amount == Decimal("2500000")
    committed = page(client.get(f"/investment/interests/{interest.id}")).split('data-testid="committed">')[1]
    assert committed.startswith("$2,500,000</p>"), "an exact figure, with the currency's sign"


# --- figures for the localization dashboard ------------------------------------------------------


@pytest.fixture
def pipeline(users, db):
    punjab = make_firm("Indus Displays", owner=users["supplier"], capabilities=[{"category": "display-module"}])
    sindh = make_firm("Karachi Cells", province="Sindh", city="Karachi")
    display = make_opportunity(punjab, amount=(2 * M, 3 * M))
    both = make_opportunity(
        punjab, "Touch and display", categories=("display-module", "touch-cover-glass"), amount=(M, 4 * M)
    )
    battery = make_opportunity(sindh, "Cell line", categories=("battery",), amount=(M, 2 * M))
    make_opportunity(sindh, "PKR line", categories=("battery",), currency="PKR", amount=(100 * M, 500 * M))
    make_opportunity(punjab, "Draft", status=OpportunityStatus.DRAFT, amount=(M, 90 * M))
    investors = [make_user("investor", email=f"i{n}@fund.example") for n in range(4)]

    def deal(opportunity, investor, *stages, committed=None):
        interest = make_interest(opportunity, investor, accepted=True)
        for stage in stages:
            deals.move_stage(interest, investor, stage)
        if committed is not None:
            interest.committed_amount = committed
        return interest

    deal(display, investors[0], D.NDA, D.DUE_DILIGENCE, D.TERM_SHEET, D.CLOSED, committed=Decimal(2_500_000))
    deal(display, investors[1], D.NDA, D.DECLINED)
    deal(both, investors[2], D.TERM_SHEET)
    deal(battery, investors[3], D.CLOSED, committed=Decimal(1_000_000))
    db.session.commit()


def test_stage_counts_give_a_funnel_of_stages_reached_by_category_and_province(pipeline):
    assert figures.stage_counts() == {
        D.INTEREST: 4,
        D.NDA: 2,
        D.DUE_DILIGENCE: 1,
        D.TERM_SHEET: 2,
        D.CLOSED: 2,
        D.DECLINED: 1,
    }
    assert list(figures.stage_counts()) == ["interest", "nda", "due_diligence", "term_sheet", "closed", "declined"]
    assert figures.stage_counts(category="touch-cover-glass")[D.INTEREST] == 1
    assert figures.stage_counts(category="display-module")[D.INTEREST] == 3
    assert figures.stage_counts(province="Sindh") == {
        D.INTEREST: 1,
        D.NDA: 0,
        D.DUE_DILIGENCE: 0,
        D.TERM_SHEET: 0,
        D.CLOSED: 1,
        D.DECLINED: 0,
    }


def test_stage_counts_can_count_where_each_deal_stands_now(pipeline):
    assert figures.stage_counts(current=True) == {
        D.INTEREST: 0,
        D.NDA: 0,
        D.DUE_DILIGENCE: 0,
        D.TERM_SHEET: 1,
        D.CLOSED: 2,
        D.DECLINED: 1,
    }


def test_amounts_sought_and_committed_per_category_and_currency(pipeline):
    rows = {(r.category, r.currency): (r.sought, r.committed) for r in figures.amounts_by_category()}
    assert rows == {
        ("battery", "PKR"): (500 * M, 0),
        ("battery", "USD"): (2 * M, 1 * M),
        ("display-module", "USD"): (7 * M, Decimal(2_500_000)),
        ("touch-cover-glass", "USD"): (4 * M, 0),
    }


def test_an_accepted_investor_sees_the_firms_contacts_on_its_profile(client, login, db, opportunity, users):

    firm = opportunity.firm
    firm.phone = "+92 42 5550199"
    db.session.commit()
    login("investor")
    profile = f"/suppliers/{firm.id}-{firm.slug}"
    assert "+92 42 5550199" not in client.get(profile).get_data(as_text=True)
    interest = deals.express_interest(opportunity, users["investor"], "We invest in board makers.")
    deals.decide_interest(interest, users["supplier"], accept=True)
    assert "+92 42 5550199" in client.get(profile).get_data(as_text=True)


def test_right_after_sending_interest_the_investor_may_only_withdraw_named_as_a_verb(
    client, login, db, opportunity, users
):
    interest = make_interest(opportunity, users["investor"])
    login("investor")
    body = page(client.get(f"/investment/interests/{interest.id}"))
    assert "Withdraw my interest" in body and "I understand: the talks end for good" in body
    assert "<select" not in body and "Move on to the NDA" not in body and "selected" not in body
    login("supplier")
    body = page(client.get(f"/investment/interests/{interest.id}"))
    assert "Accept and open the data room" in body and "Withdraw my interest" not in body


def test_once_accepted_each_side_sees_the_next_step_and_its_own_way_to_end(client, login, db, opportunity, users):
    interest = make_interest(opportunity, users["investor"], accepted=True)
    login("investor")
    body = page(client.get(f"/investment/interests/{interest.id}"))
    assert "Move on to the NDA" in body and "Withdraw my interest" in body and "Start due diligence" not in body
    login("supplier")
    body = page(client.get(f"/investment/interests/{interest.id}"))
    assert "Move on to the NDA" in body and "End the talks" in body and "Withdraw my interest" not in body


def test_withdrawing_interest_asks_first(client, login, db, opportunity, users):
    interest = make_interest(opportunity, users["investor"])
    login("investor")
    client.post(f"/investment/interests/{interest.id}/stage", data={"stage": "declined"})
    db.session.expire_all()
    assert db.session.get(Interest, interest.id).stage == DealStage.INTEREST
    client.post(f"/investment/interests/{interest.id}/stage", data={"stage": "declined", "understood": "yes"})
    db.session.expire_all()
    assert db.session.get(Interest, interest.id).stage == DealStage.DECLINED
