"""The brand takes back a request the firm has not answered: the firm is told, nothing more happens
on it, and the brand may ask again; it still counts as asked, never as accepted."""

import csv
import io

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.dashboard import metrics
from portal.extensions import db
from portal.introductions import service
from portal.introductions.models import Introduction, IntroductionMessage, Stage, StageChange
from portal.notifications.models import Notification
from portal.notifications.service import KINDS, set_email_kinds
from tests.introductions.builders import make_introduction, reloaded

REASON = "Our launch moved to next year."
BRAND_CONTACTS = ("Test Brand", "brand@example.com")
FIRM_CONTACTS = ("sales@lahoreboards.example.pk", "+92 42 3575 1200", "colleague@example.com")


@pytest.fixture
def intro(users, firm):
    return make_introduction(users["brand"], firm)


def withdraw(client, intro, reason=REASON, version=None, understood="yes", **options):
    data = {"withdraw-version": version or reloaded(intro).version, "withdraw-reason": reason, "understood": understood}
    return client.post(f"/introductions/{intro.id}/withdraw", data=data, **options)


def notices(kind="intro_withdrawn") -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


def history(intro) -> list[tuple]:
    changes = select(StageChange).where(StageChange.introduction_id == intro.id).order_by(StageChange.id)
    return [(c.from_stage, c.to_stage) for c in db.session.scalars(changes)]


def withdrawals() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "introduction.withdrawn")))


@pytest.fixture
def csrf_checked(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_the_brand_sees_the_withdraw_button_while_the_request_waits(client, login, intro, csrf_checked):
    login("brand")
    page = client.get(f"/introductions/{intro.id}").text
    start = page.index(f'<form method="post" action="/introductions/{intro.id}/withdraw"')
    form = page[start : page.index("</form>", start)]
    assert 'name="withdraw-csrf_token"' in form and 'name="withdraw-version"' in form
    assert 'name="withdraw-reason"' in form and 'value="Withdraw request"' in form
    assert (
        'name="understood"' in form and "I understand: the firm is told and can no longer accept this request." in form
    )
    assert withdraw(client, intro).status_code == 400, "no CSRF token, no withdrawal"
    assert reloaded(intro).stage == Stage.REQUESTED
    for who in ("supplier", "staff"):
        login(who)
        assert "/withdraw" not in client.get(f"/introductions/{intro.id}").text, who


def test_withdrawing_asks_first_and_does_nothing_unconfirmed(client, login, intro):
    login("brand")
    response = withdraw(client, intro, understood="", follow_redirects=True)
    assert "Nothing was done: tick the box" in response.text
    assert reloaded(intro).stage == Stage.REQUESTED


def test_the_brand_withdraws_and_every_member_of_the_firm_sees_it_and_is_told(
    client, login, users, intro, colleague, outbox
):
    brand = login("brand")
    response = withdraw(client, intro, follow_redirects=True)
    assert "Request withdrawn. The firm has been told; you may ask it again later." in response.text
    assert 'data-testid="intro-stage">Withdrawn<' in response.text and "/withdraw" not in response.text

    withdrawn = reloaded(intro)
    assert (withdrawn.stage, withdrawn.open_key, withdrawn.withdraw_reason) == (Stage.WITHDRAWN, None, REASON)
    assert (withdrawn.answered_at, withdrawn.answered_by_id, withdrawn.was_accepted) == (None, None, False)
    assert history(intro) == [(None, Stage.REQUESTED), (Stage.REQUESTED, Stage.WITHDRAWN)]
    assert withdrawn.stage_changes[-1].actor_id == brand.id
    [entry] = withdrawals()
    assert (entry.actor_id, entry.before, entry.after, entry.note) == (
        brand.id,
        {"stage": "requested"},
        {"stage": "withdrawn"},
        REASON,
    )

    told = notices()
    assert sorted(n.user_id for n in told) == sorted([users["supplier"].id, colleague.id])
    assert {n.subject for n in told} == {"Brand Org withdrew its introduction request to Lahore Boards (Pvt) Ltd"}
    assert {(n.body, n.link) for n in told} == {(REASON, f"/introductions/{intro.id}")}
    assert sorted(m.recipient for m in outbox("intro_withdrawn")) == sorted([users["supplier"].email, colleague.email])
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == brand.id)) == 0

    login(colleague)
    page = client.get(f"/introductions/{intro.id}").text
    shown = page.split('data-testid="intro-withdrawn"')[1].split("</div>\n")[0]
    assert "Withdrawn by the brand on" in shown and REASON in shown
    assert 'name="accept-version"' not in page and 'name="decline-reason"' not in page
    assert "The brand withdrew the request, so no contact details were shared." in page
    for hidden in BRAND_CONTACTS:
        assert hidden not in page
    login("brand")
    page = client.get(f"/introductions/{intro.id}").text
    assert "Withdrawn by the brand on" in page
    for hidden in FIRM_CONTACTS:
        assert hidden not in page
    assert not service.firm_contacts_visible(intro.firm, brand)


def test_a_member_who_turned_off_the_email_still_gets_the_notice(client, login, users, intro, colleague, outbox):
    set_email_kinds(users["supplier"], set(KINDS) - {"intro_withdrawn"})
    db.session.commit()
    login("brand")
    withdraw(client, intro, reason="")
    assert sorted(n.user_id for n in notices()) == sorted([users["supplier"].id, colleague.id])
    assert [m.recipient for m in outbox("intro_withdrawn")] == [colleague.email]
    assert reloaded(intro).withdraw_reason == ""


def test_after_withdrawal_nobody_answers_writes_or_moves_it(client, login, users, intro, colleague):
    service.withdraw(intro, users["brand"])
    version = reloaded(intro).version
    login(colleague)
    for action in ("accept", "decline"):
        response = client.post(
            f"/introductions/{intro.id}/{action}", data={f"{action}-version": version}, follow_redirects=True
        )
        assert "The brand withdrew this request, so it can no longer be answered." in response.text, action
    for who in ("brand", colleague):
        login(who)
        response = client.post(
            f"/introductions/{intro.id}/messages", data={"message-text": "Still there?"}, follow_redirects=True
        )
        assert "This introduction has ended; its thread is kept as it is." in response.text
        data = {"stage-stage": "in_talks", "stage-version": version}
        response = client.post(f"/introductions/{intro.id}/stage", data=data, follow_redirects=True)
        assert "Only an accepted introduction that is not closed can change stage." in response.text
    assert (reloaded(intro).stage, reloaded(intro).version) == (Stage.WITHDRAWN, version)
    assert db.session.scalar(select(func.count(IntroductionMessage.id))) == 0
    assert notices("intro_answer") == [] and notices("intro_message") == []
    assert [who for who in (users["brand"], colleague) if service.can_see_contacts(reloaded(intro), who)] == []


def test_only_the_brand_who_asked_may_withdraw(client, users, login, intro, colleague, other_brand, other_supplier):
    response = withdraw(client, intro)
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    for who, status in [
        (other_brand, 404),
        ("supplier", 403),
        (colleague, 403),
        (other_supplier, 403),
        ("staff", 403),
        ("investor", 403),
    ]:
        login(who)
        assert withdraw(client, intro).status_code == status, who
    for who in (users["supplier"], users["staff"], other_brand):
        with pytest.raises(service.NotAllowed):
            service.withdraw(reloaded(intro), who)
    assert reloaded(intro).stage == Stage.REQUESTED
    assert notices() == [] and withdrawals() == []


@pytest.mark.parametrize("stage", [Stage.INTRODUCED, Stage.DECLINED])
def test_an_answered_request_cannot_be_withdrawn_and_nothing_changes(client, login, users, firm, stage):
    intro = make_introduction(users["brand"], firm, stage=stage)
    before = reloaded(intro)
    version, steps, key = before.version, history(intro), before.open_key
    login("brand")
    page = client.get(f"/introductions/{intro.id}").text
    assert "/withdraw" not in page
    response = withdraw(client, intro, follow_redirects=True)
    assert "The firm already answered this request, so it can no longer be withdrawn." in response.text
    after = reloaded(intro)
    assert (after.stage, after.version, after.open_key, after.withdraw_reason) == (stage, version, key, "")
    assert history(intro) == steps
    assert notices() == [] and withdrawals() == []


def test_withdrawing_from_a_page_the_firm_answered_meanwhile_is_refused(client, login, users, intro, colleague):
    seen = reloaded(intro).version
    service.accept(intro, colleague)
    login("brand")
    response = withdraw(client, intro, version=seen, follow_redirects=True)
    assert "Someone else changed this introduction while you were looking at it" in response.text
    assert reloaded(intro).stage == Stage.INTRODUCED
    assert notices() == [] and withdrawals() == []


def test_withdrawing_twice_is_refused_and_the_firm_is_told_once(client, login, users, intro):
    login("brand")
    withdraw(client, intro)
    again = withdraw(client, intro, follow_redirects=True)
    assert "You already withdrew this request." in again.text
    assert len(notices()) == 2 and len(withdrawals()) == 1  # one notice for each of the two members


def test_a_reason_too_long_is_refused_next_to_the_field(client, login, users, intro):
    login("brand")
    response = withdraw(client, intro, reason="x" * 1001)
    assert response.status_code == 200 and "Keep it to 1000 characters." in response.text
    assert 'id="withdraw-reason-error"' in response.text
    with pytest.raises(service.IntroductionRefused, match="Keep it to 1000 characters."):
        service.withdraw(reloaded(intro), users["brand"], "y" * 1001)
    assert reloaded(intro).stage == Stage.REQUESTED


def test_after_withdrawing_the_brand_asks_the_same_firm_again(client, login, users, firm, intro):
    login("brand")
    withdraw(client, intro)
    profile = client.get(f"/suppliers/{firm.id}-{firm.slug}").text
    assert f'href="/introductions/ask/{firm.id}"' in profile
    response = client.post(f"/introductions/ask/{firm.id}", data={"message": "Our plans are back on."})
    assert response.status_code == 302
    db.session.expire_all()
    again = db.session.scalars(select(Introduction).order_by(Introduction.id)).all()
    assert [(i.stage, i.open_key is None) for i in again] == [(Stage.WITHDRAWN, True), (Stage.REQUESTED, False)]
    assert response.headers["Location"] == f"/introductions/{again[1].id}"
    assert len(notices("intro_request")) == 4  # both members, for each request


def test_the_list_filters_withdrawn_requests(client, login, users, firm, other_brand):
    make_introduction(users["brand"], firm, stage=Stage.WITHDRAWN)
    make_introduction(other_brand, firm)
    login("supplier")
    page = client.get("/introductions/?stage=withdrawn").text
    assert '<option value="withdrawn" selected>Withdrawn</option>' in page
    assert page.count('data-testid="intro-row"') == 1 and "Brand Org" in page and "Rival Phones" not in page
    assert client.get("/introductions/?stage=open").text.count('data-testid="intro-row"') == 1
    assert client.get("/introductions/").text.count('data-testid="intro-stage">Withdrawn<') == 1


def test_a_withdrawn_request_counts_as_asked_but_never_as_accepted(client, login, users, firm, other_brand):
    make_introduction(users["brand"], firm, stage=Stage.WITHDRAWN)
    make_introduction(other_brand, firm, stage=Stage.INTRODUCED)

    funnel = service.funnel_counts()
    assert (funnel["requested"], funnel["introduced"], funnel["in_talks"]) == (2, 1, 0)
    assert service.reached_by_category()["pcba"]["requested"] == 2
    assert service.reached_by_category()["pcba"]["introduced"] == 1
    facts = metrics.Sources(metrics.scope_for()).category("pcba")
    asked, accepted = (metrics.FIGURES[key].compute(facts) for key in ("introductions", "introductions_accepted"))
    assert (asked, accepted) == (2, 1)
    assert service.stage_counts()[Stage.WITHDRAWN] == 1

    login("staff")
    assert client.get("/staff/dashboard").status_code == 200
    rows = list(csv.reader(io.StringIO(client.get("/staff/dashboard/introductions.csv").text)))
    assert [row[:2] for row in rows[1:3]] == [["Requested", "2"], ["Introduced", "1"]]
    assert all("Withdrawn" not in row for row in rows)
