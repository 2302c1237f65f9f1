"""The message thread: open after acceptance, both sides write, nobody else reads or writes."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.introductions.models import IntroductionMessage, Stage
from portal.notifications.models import Notification
from tests.introductions.builders import make_introduction


def post(client, intro, text):
    return client.post(f"/introductions/{intro.id}/messages", data={"message-text": text}, follow_redirects=True)


def messages() -> list[IntroductionMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(IntroductionMessage).order_by(IntroductionMessage.id)))


def notices(kind="intro_message") -> list[tuple[int, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id))
    return [(n.user_id, n.key) for n in rows]


@pytest.fixture
def accepted(users, firm):
    return make_introduction(users["brand"], firm, stage=Stage.INTRODUCED)


def test_before_acceptance_only_the_request_exists(client, login, users, firm):
    intro = make_introduction(users["brand"], firm)
    login("brand")
    page = client.get(f"/introductions/{intro.id}").text
    assert "Messages open once the firm accepts the introduction." in page
    assert 'name="message-text"' not in page
    assert "You can write here once the firm has accepted the introduction." in post(client, intro, "Hello?").text
    assert messages() == []


def test_both_sides_write_newest_at_the_bottom_and_the_other_side_is_told(
    client, login, users, accepted, colleague, outbox
):
    login("brand")
    post(client, accepted, "Can you send your SMT line list?")
    login(colleague)
    response = post(client, accepted, "Attached: two Yamaha lines.")
    assert "Message sent." in response.text
    page = response.text
    assert page.index("Can you send your SMT line list?") < page.index("Attached: two Yamaha lines.")
    first, second = messages()
    assert (first.author_id, second.author_id) == (users["brand"].id, colleague.id)
    assert notices() == [
        (users["supplier"].id, f"intro:{accepted.id}:message:{first.id}"),
        (colleague.id, f"intro:{accepted.id}:message:{first.id}"),
        (users["brand"].id, f"intro:{accepted.id}:message:{second.id}"),
    ]
    assert [m.recipient for m in outbox("intro_message")][-1] == "brand@example.com"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "introduction.message_posted"))
    assert len(actions.all()) == 2


def test_messages_are_escaped(client, login, accepted):
    login("brand")
    page = post(client, accepted, "<script>alert('x')</script> <b>bold</b>").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>bold</b>" not in page


@pytest.mark.parametrize(
    ("text", "problem"), [("  ", "Write your message first."), ("y" * 2001, "Keep it to 2000 characters.")]
)
def test_a_message_is_required_and_limited(client, login, accepted, text, problem):
    login("supplier")
    assert problem in post(client, accepted, text).text
    assert messages() == []


def test_nobody_else_reads_or_writes_the_thread(client, login, users, accepted, other_brand, other_supplier):
    login("brand")
    post(client, accepted, "Private terms: 1.20 USD a board.")
    for who, read, write in [(other_brand, 404, 404), (other_supplier, 404, 404), ("investor", 403, 403)]:
        login(who)
        assert client.get(f"/introductions/{accepted.id}").status_code == read
        assert client.post(f"/introductions/{accepted.id}/messages", data={"message-text": "Hi"}).status_code == write
    login("staff")  # oversight reads the thread but never writes in it
    page = client.get(f"/introductions/{accepted.id}").text
    assert "Private terms: 1.20 USD a board." in page and 'name="message-text"' not in page
    assert client.post(f"/introductions/{accepted.id}/messages", data={"message-text": "Hi"}).status_code == 403
    assert len(messages()) == 1


@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.DECLINED, Stage.WITHDRAWN])
def test_an_ended_introduction_keeps_its_thread_read_only(client, login, users, firm, stage):
    intro = make_introduction(users["brand"], firm, stage=stage)
    login("brand")
    page = post(client, intro, "One more thing").text
    assert "has ended" in page or "once the firm has accepted" in page
    assert 'name="message-text"' not in page
    assert messages() == []
