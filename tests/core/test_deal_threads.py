"""One set of thread rules for both deal pipelines: an introduction's thread and an investment
interest's thread refuse and keep the same things, and tell the other side the same way."""

import html
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db as _db
from portal.introductions import service as introductions
from portal.introductions.models import IntroductionMessage, Stage
from portal.investment import deals as investment
from portal.investment.models import DealStage, InterestMessage
from portal.notifications.models import Notification
from portal.threads import MESSAGE_MAX
from tests.factories import make_firm
from tests.introductions.builders import make_introduction
from tests.investment.builders import make_interest, make_opportunity


@dataclass
class Pipeline:
    """One deal pipeline as the tests drive it: where its thread posts, and its rows and names."""

    name: str
    deal: object
    path: str
    field: str
    writer: str  # the role that writes first
    other_side_email: str
    message_model: type
    audit_kind: str
    notice_kind: str
    service: object
    writer_side_name: str

    def post(self, client, text):
        return client.post(self.path, data={self.field: text}, follow_redirects=True)

    def messages(self) -> list[str]:
        _db.session.expire_all()
        return [m.text for m in _db.session.scalars(select(self.message_model).order_by(self.message_model.id))]


def _introduction(users, stage=Stage.INTRODUCED) -> Pipeline:
    firm = make_firm("Lahore Boards", owner=users["supplier"], capabilities=[{"category": "pcba"}])
    intro = make_introduction(users["brand"], firm, stage=stage)
    return Pipeline(
        "introduction",
        intro,
        f"/introductions/{intro.id}/messages",
        "message-text",
        "brand",
        "supplier@example.com",
        IntroductionMessage,
        "introduction",
        "intro_message",
        introductions,
        "Brand Org",
    )


def _investment(users, stage=DealStage.NDA) -> Pipeline:
    firm = make_firm("Indus Displays", owner=users["supplier"])
    interest = make_interest(make_opportunity(firm), users["investor"], accepted=True, stage=stage)
    return Pipeline(
        "investment",
        interest,
        f"/investment/interests/{interest.id}",
        "text",
        "investor",
        "supplier@example.com",
        InterestMessage,
        "investment",
        "investment_message",
        investment,
        "Investor Org",
    )


OPEN = {"introduction": _introduction, "investment": _investment}
ENDED = {
    "introduction-closed": lambda users: _introduction(users, Stage.CLOSED),
    "introduction-declined": lambda users: _introduction(users, Stage.DECLINED),
    "investment-closed": lambda users: _investment(users, DealStage.CLOSED),
    "investment-declined": lambda users: _investment(users, DealStage.DECLINED),
}


@pytest.fixture(params=sorted(OPEN))
def pipeline(request, users) -> Pipeline:
    return OPEN[request.param](users)


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_message_is_kept_trimmed_and_the_trail_names_it_without_its_text(client, login, pipeline):
    before = pipeline.messages()
    login(pipeline.writer)
    assert pipeline.post(client, "  Can we see your line audit?  ").status_code == 200
    assert pipeline.messages() == [*before, "Can we see your line audit?"]
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == f"{pipeline.audit_kind}.message_posted"))
    assert entry is not None and "line audit" not in str(entry.after) and set(entry.after) == {"message_id"}
    firm_id = pipeline.deal.firm_id if pipeline.name == "introduction" else pipeline.deal.opportunity.firm_id
    assert entry.firm_id == firm_id


@pytest.mark.parametrize(
    ("text", "problem"),
    [("   ", "Write your message first."), ("y" * (MESSAGE_MAX + 1), f"Keep it to {MESSAGE_MAX} characters.")],
    ids=["empty", "too-long"],
)
def test_an_empty_or_overlong_message_is_refused_next_to_the_field(client, login, pipeline, text, problem):
    before = pipeline.messages()
    login(pipeline.writer)
    assert problem in page(pipeline.post(client, text))
    assert pipeline.messages() == before


@pytest.mark.parametrize("text", ["   ", "y" * (MESSAGE_MAX + 1)], ids=["empty", "too-long"])
def test_the_service_holds_the_same_limits_without_the_form(pipeline, users, text):
    with pytest.raises(pipeline.service.THREAD.refusal):
        pipeline.service.post_message(pipeline.deal, users[pipeline.writer], text)


def test_the_other_side_is_told_once_by_the_writers_side_and_the_text_stays_in_the_thread(
    client, login, pipeline, outbox, users
):
    login(pipeline.writer)
    pipeline.post(client, "Private terms: 1.20 USD a board.")
    _db.session.expire_all()
    notices = list(_db.session.scalars(select(Notification).where(Notification.kind == pipeline.notice_kind)))
    assert [n.user_id for n in notices] == [users["supplier"].id]
    [notice] = notices
    assert notice.subject == f"New message from {pipeline.writer_side_name}"
    assert "1.20 USD" not in notice.body
    [mail] = outbox(pipeline.notice_kind)
    assert mail.recipient == pipeline.other_side_email and "1.20 USD" not in mail.body


def test_nobody_but_the_two_sides_writes(client, login, pipeline, users):
    before = pipeline.messages()
    for who in (f"other_{pipeline.writer}", "staff"):  # a stranger to the deal of the writer's own kind
        login(who)
        assert pipeline.post(client, "Hello").status_code in (403, 404)
    with pytest.raises(PermissionError):
        pipeline.service.post_message(pipeline.deal, users["staff"], "Oversight never writes")
    assert pipeline.messages() == before


@pytest.mark.parametrize("ended", sorted(ENDED))
def test_an_ended_deal_keeps_its_thread_read_only(client, login, users, ended):
    pipeline = ENDED[ended](users)
    before = pipeline.messages()
    login(pipeline.writer)
    body = page(pipeline.post(client, "One more thing"))
    assert "has ended" in body or "thread is closed" in body
    assert 'name="text"' not in body and 'name="message-text"' not in body
    assert not pipeline.service.THREAD.can_post(pipeline.deal, users[pipeline.writer])
    assert pipeline.messages() == before
