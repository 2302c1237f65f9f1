"""Sealed quotes: one per firm, revised or withdrawn until the deadline, opened after it, awarded."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.compliance.models import FirmStanding, IncentiveStatus
from portal.extensions import db
from portal.needs.models import NeedInvitation, NeedStatus, Quote, QuoteStatus, SourcingNeed
from portal.notifications.models import Notification
from portal.timeutil import today
from tests.factories import make_need


def quote_form(**changes) -> dict:
    return {
        "unit_price": "2.35",
        "currency": "USD",
        "min_order_quantity": "5000",
        "lead_time_days": "21",
        "valid_until": (today() + timedelta(days=40)).isoformat(),
        "notes": "FOB Lahore, BMS included.",
        **changes,
    }


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def send(client, need, **changes):
    return client.post(f"/needs/{need.id}/quote", data=quote_form(**changes))


def quotes_of(need) -> list[Quote]:
    db.session.expire_all()
    return list(db.session.scalars(select(Quote).where(Quote.need_id == need.id).order_by(Quote.id)))


def past_deadline(need) -> None:
    """As if the deadline passed (and `flask close-due-needs` has not run)."""
    db.session.get(SourcingNeed, need.id).deadline = today() - timedelta(days=1)
    db.session.commit()


@pytest.fixture
def need(cast):
    return make_need(cast.brand, title="Li-ion packs", currency="USD")


def test_a_firm_sends_a_sealed_quote_and_the_brand_and_staff_see_only_the_count(client, login, cast, need):
    login("supplier")
    response = send(client, need)
    assert response.status_code == 302
    [quote] = quotes_of(need)
    assert (quote.firm_id, quote.unit_price, quote.status) == (cast.firm.id, Decimal("2.35"), QuoteStatus.SENT)
    assert "2.35" in text(client.get(f"/needs/{need.id}")), "the firm sees its own quote"
    for who in ("brand", "staff"):
        login(who)
        page = text(client.get(f"/needs/{need.id}"))
        assert "1 quote received" in page
        assert "2.35" not in page and "FOB Lahore" not in page
        sealed = client.get(f"/needs/{need.id}/quotes", follow_redirects=True)
        assert "Quotes stay sealed until the need closes." in text(sealed)
        assert "2.35" not in text(sealed)


def test_quotes_open_once_the_brand_closes_the_need(client, login, cast, need):
    login("supplier")
    send(client, need)
    login("brand")
    client.post(f"/needs/{need.id}/close", data={"understood": "yes", "version": need.version})
    page = text(client.get(f"/needs/{need.id}/quotes"))
    assert "Ravi Cells" in page and "2.35" in page and "FOB Lahore" in page
    assert "/ 100" in page, "the firm's match score is shown beside its quote"
    login("staff")
    assert "2.35" in text(client.get(f"/needs/{need.id}/quotes")), "staff may read them once unsealed"


def test_quotes_open_after_the_deadline_even_if_the_closing_command_never_ran(client, login, cast, need):
    login("supplier")
    send(client, need)
    past_deadline(need)
    login("brand")
    page = text(client.get(f"/needs/{need.id}"))
    assert 'data-testid="need-status">Closed' in page
    assert "2.35" in text(client.get(f"/needs/{need.id}/quotes"))


def test_one_quote_per_firm_a_second_is_refused_with_a_message(client, login, cast, need):
    login("supplier")
    send(client, need)
    second = send(client, need, unit_price="1.99")
    assert "already sent a quote on this need; revise it instead" in text(client.get(second.headers["Location"]))
    assert [q.unit_price for q in quotes_of(need)] == [Decimal("2.35")]


def test_the_database_refuses_a_second_quote_of_a_firm_too(app, cast, need):
    from sqlalchemy.exc import IntegrityError

    fields = {"unit_price": 1, "currency": "USD", "min_order_quantity": 1, "lead_time_days": 1}
    db.session.add(Quote(need_id=need.id, firm_id=cast.firm.id, valid_until=need.deadline, **fields))
    db.session.commit()
    db.session.add(Quote(need_id=need.id, firm_id=cast.firm.id, valid_until=need.deadline, **fields))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_firm_revises_and_withdraws_its_quote_before_the_deadline(client, login, cast, need):
    login("supplier")
    send(client, need)
    [quote] = quotes_of(need)
    response = send(client, need, unit_price="2.10", lead_time_days="14", version=quote.version)
    assert response.status_code == 302
    [quote] = quotes_of(need)
    assert (quote.unit_price, quote.lead_time_days, quote.status) == (Decimal("2.10"), 14, QuoteStatus.REVISED)
    stale = send(client, need, unit_price="9.99", version=quote.version - 1)
    assert "changed by a colleague meanwhile" in text(client.get(stale.headers["Location"]))
    client.post(f"/needs/{need.id}/quote/withdraw", data={"version": quote.version})
    assert quotes_of(need)[0].status == QuoteStatus.WITHDRAWN
    login("brand")
    assert "0 quotes received" in text(client.get(f"/needs/{need.id}"))
    login("supplier")
    send(client, need, version=quotes_of(need)[0].version)
    assert quotes_of(need)[0].status == QuoteStatus.REVISED, "sent again before the deadline"


def test_after_the_deadline_quotes_cannot_be_sent_revised_or_withdrawn(client, login, cast, need):
    login("other_supplier")
    send(client, need)
    [quote] = quotes_of(need)
    past_deadline(need)
    body = text(client.post(f"/needs/{need.id}/quote", data=quote_form(unit_price="1.00", version=quote.version)))
    assert f"Quotes for this need closed on {(today() - timedelta(days=1)).isoformat()}." in body
    client.post(f"/needs/{need.id}/quote/withdraw", data={"version": quote.version})
    assert [(q.unit_price, q.status) for q in quotes_of(need)] == [(Decimal("2.35"), QuoteStatus.SENT)]
    login("supplier")
    assert "Quotes for this need closed" in text(send(client, need))
    assert len(quotes_of(need)) == 1


def test_a_closed_need_takes_no_quote(client, login, cast, need):
    db.session.get(SourcingNeed, need.id).status = NeedStatus.CLOSED
    db.session.commit()
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.firm.id))
    db.session.commit()
    login("supplier")
    assert "Quotes for this need closed" in text(send(client, need))
    assert quotes_of(need) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_price", "0", "Enter a unit price above 0."),
        ("unit_price", "-3", "Enter a unit price above 0."),
        ("unit_price", "abc", "Not a valid decimal value."),
        ("unit_price", "1e12", "Enter a unit price below 100,000,000 with at most 4 decimals."),
        ("currency", "XYZ", "Not a valid choice."),
        ("min_order_quantity", "0", "Enter a minimum order quantity of 1 or more."),
        ("lead_time_days", "-1", "Enter a lead time of 1 day or more."),
        ("valid_until", (today() - timedelta(days=1)).isoformat(), "The validity date cannot be in the past."),
        ("valid_until", (today() + timedelta(days=5)).isoformat(), "Keep the quote valid at least until the deadline"),
        ("valid_until", "someday", "Not a valid date value."),
    ],
)
def test_quote_fields_are_checked_with_messages_beside_them(client, login, cast, need, field, value, message):
    login("supplier")
    response = send(client, need, **{field: value})
    assert response.status_code == 200
    assert message in text(response)
    assert quotes_of(need) == []


def test_a_firm_excluded_by_compliance_cannot_quote(client, login, cast, need):
    db.session.add(
        FirmStanding(
            firm_id=cast.firm.id,
            incentive_status=IncentiveStatus.WITHDRAWN,
            incentive_since=today() - timedelta(days=1),
        )
    )
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.firm.id))
    db.session.commit()
    login("supplier")
    assert "Your firm cannot quote at the moment" in text(send(client, need))
    assert quotes_of(need) == []


def test_no_firm_sees_who_else_was_invited_or_quoted(client, login, cast, need):
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.other_firm.id))
    db.session.commit()
    login("other_supplier")
    send(client, need, unit_price="7.77")
    [rival_quote] = quotes_of(need)
    login("supplier")
    send(client, need, unit_price="2.35")
    page = text(client.get(f"/needs/{need.id}")) + text(client.get("/needs/opportunities"))
    page += text(client.get(f"/needs/{need.id}/quote"))
    assert "Quetta" not in page and "7.77" not in page and "Invited" not in page
    assert client.get(f"/needs/{need.id}/quotes").status_code == 404


def _award_setup(client, login, cast, need):
    login("supplier")
    send(client, need, unit_price="2.35", lead_time_days="30")
    login("other_supplier")
    send(client, need, unit_price="1.90", lead_time_days="45")
    login("brand")
    client.post(f"/needs/{need.id}/close", data={"understood": "yes", "version": need.version})
    return {q.firm_id: q for q in quotes_of(need)}


def test_the_brand_compares_quotes_sorted_by_price_or_lead_time(client, login, cast, need):
    _award_setup(client, login, cast, need)
    by_price = text(client.get(f"/needs/{need.id}/quotes?sort=price"))
    assert by_price.index("Quetta Packs") < by_price.index("Ravi Cells")
    by_lead = text(client.get(f"/needs/{need.id}/quotes?sort=lead_time"))
    assert by_lead.index("Ravi Cells") < by_lead.index("Quetta Packs")
    assert client.get(f"/needs/{need.id}/quotes?sort=<script>").status_code == 200


def test_award_marks_quotes_tells_each_firm_its_outcome_and_is_audited(client, login, cast, need, outbox):
    quotes = _award_setup(client, login, cast, need)
    winner = quotes[cast.firm.id]
    need = db.session.get(SourcingNeed, need.id)
    response = client.post(
        f"/needs/{need.id}/award", data={"understood": "yes", "version": need.version, "quotes": [winner.id]}
    )
    assert "Awarded to Ravi Cells" in text(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert db.session.get(SourcingNeed, need.id).status == NeedStatus.AWARDED
    assert {q.firm_id: q.status for q in quotes_of(need)} == {
        cast.firm.id: QuoteStatus.AWARDED,
        cast.other_firm.id: QuoteStatus.NOT_SELECTED,
    }
    told = {n.user_id: n for n in db.session.scalars(select(Notification).where(Notification.kind == "need_awarded"))}
    assert told[cast.supplier.id].subject == "Your quote was selected: Li-ion packs"
    assert told[cast.other_supplier.id].subject == "Your quote was not selected: Li-ion packs"
    assert all("Ravi" not in n.body and "Quetta" not in n.body for n in told.values())
    assert len(outbox("need_awarded")) == 2
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"need.awarded", "quote.awarded", "quote.not_selected"} <= actions
    login("other_supplier")
    assert "Not selected" in text(client.get("/needs/opportunities"))
    login("supplier")
    assert "Awarded" in text(client.get("/needs/opportunities"))


def test_award_is_refused_before_close_twice_or_on_a_stale_page(client, login, cast, need):
    login("supplier")
    send(client, need)
    [quote] = quotes_of(need)
    login("brand")
    early = client.post(
        f"/needs/{need.id}/award", data={"understood": "yes", "version": need.version, "quotes": [quote.id]}
    )
    assert "Quotes can be awarded once the need has closed." in text(
        client.get(early.headers["Location"], follow_redirects=True)
    )
    past_deadline(need)
    need = db.session.get(SourcingNeed, need.id)
    stale = client.post(
        f"/needs/{need.id}/award", data={"understood": "yes", "version": need.version - 1, "quotes": [quote.id]}
    )
    assert "Someone changed this need while you were looking at it" in text(client.get(stale.headers["Location"]))
    none = client.post(f"/needs/{need.id}/award", data={"understood": "yes", "version": need.version})
    assert "Choose at least one quote to award." in text(client.get(none.headers["Location"]))
    client.post(f"/needs/{need.id}/award", data={"understood": "yes", "version": need.version, "quotes": [quote.id]})
    db.session.expire_all()
    again = client.post(
        f"/needs/{need.id}/award", data={"understood": "yes", "version": need.version, "quotes": [quote.id]}
    )
    assert "already awarded" in text(client.get(again.headers["Location"], follow_redirects=True))
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "need.awarded")) == 1
    )


@pytest.mark.parametrize(("who", "status"), [("other_brand", 404), ("supplier", 403), ("staff", 403)])
def test_only_the_owner_awards(client, login, cast, need, who, status):
    """Another brand learns nothing of the need (404); other roles may not award at all (403)."""
    past_deadline(need)
    login(who)
    assert (
        client.post(f"/needs/{need.id}/award", data={"understood": "yes", "version": need.version}).status_code
        == status
    )


def test_staff_reading_the_audit_trail_see_no_quote_values_until_the_need_closes(client, login, cast, need):
    """The trail keeps what the quote said, but its page and CSV show it only once the need closed."""
    login("supplier")
    send(client, need, unit_price="7.77", notes="Secret terms: FOB Karachi.")
    send(client, need, unit_price="6.66", lead_time_days="99")  # a revision
    login("staff")
    for path in ("/staff/audit?action=quote.sent", "/staff/audit", "/staff/audit.csv"):
        body = text(client.get(path))
        assert "7.77" not in body and "6.66" not in body and "Secret terms" not in body, path
        assert f"Sealed until need {need.id} closes" in body, path
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "quote.sent"))
    assert entry.after["unit_price"] == "7.77"  # kept in the trail, only not shown

    past_deadline(need)
    for path in ("/staff/audit?action=quote.sent", "/staff/audit.csv"):
        body = text(client.get(path))
        assert "7.77" in body and "Secret terms" in body and "Sealed until" not in body, path


def test_closing_and_awarding_ask_first_and_do_nothing_unconfirmed(client, login, cast, need):
    login("supplier")
    send(client, need)
    login("brand")
    page = text(client.get(f"/needs/{need.id}"))
    assert "I understand: no firm can send or change a quote any more" in page
    refused = client.post(f"/needs/{need.id}/close", data={"version": need.version})
    assert "Nothing was done: tick the box" in text(client.get(refused.headers["Location"]))
    assert db.session.get(SourcingNeed, need.id).status == NeedStatus.OPEN

    client.post(f"/needs/{need.id}/close", data={"understood": "yes", "version": need.version})
    [quote] = quotes_of(need)
    need = db.session.get(SourcingNeed, need.id)
    assert "I understand: the ticked quotes win" in text(client.get(f"/needs/{need.id}/quotes"))
    client.post(f"/needs/{need.id}/award", data={"version": need.version, "quotes": [quote.id]})
    db.session.expire_all()
    assert db.session.get(SourcingNeed, need.id).status == NeedStatus.CLOSED


def test_the_comparison_links_each_firm_and_shows_the_quoted_lead_time_only(client, login, cast, need):
    quotes = _award_setup(client, login, cast, need)
    page = text(client.get(f"/needs/{need.id}/quotes"))
    assert f'href="/suppliers/{cast.firm.id}"' in page
    assert "45 days" in page and "30 days" in page
    assert "lead time 14 days" not in page  # the listing's own lead time is not set beside the quote's
    assert len(quotes) == 2
