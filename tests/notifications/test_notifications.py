"""Notifications: each event once, e-mail unless turned off, private to their user."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications import notify
from portal.notifications.models import Notification
from portal.notifications.service import KINDS, UnknownKind, notify_all, set_email_kinds, unread_count


def _notices(user):
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_an_event_reaches_the_user_once_in_the_portal_and_by_email(app, users, outbox):
    brand = users["brand"]
    first = notify(brand, "intro_answer", "intro:1:accepted", "Lahore Boards accepted", "Say hello.", "/needs/1")
    again = notify(brand, "intro_answer", "intro:1:accepted", "Lahore Boards accepted", "Say hello.", "/needs/1")
    db.session.commit()
    assert first is not None and again is None
    assert [n.subject for n in _notices(brand)] == ["Lahore Boards accepted"]
    [mail] = outbox("intro_answer")
    assert mail.recipient == brand.email
    assert "Say hello." in mail.body and mail.body.rstrip().endswith("/needs/1")
    assert mail.body.split()[-1].startswith("http")


def test_a_user_who_turned_a_kind_off_gets_the_notice_but_no_email(app, users, outbox):
    supplier = users["supplier"]
    set_email_kinds(supplier, set(KINDS) - {"need_match"})
    notify(supplier, "need_match", "need:5:match", "A need matches your firm")
    notify(supplier, "need_invitation", "need:5:invited", "You are invited to quote")
    db.session.commit()
    assert len(_notices(supplier)) == 2
    assert [m.kind for m in outbox()] == ["need_invitation"]


def test_notify_all_tells_each_distinct_user_once(app, users):
    supplier, brand = users["supplier"], users["brand"]
    told = notify_all([supplier, brand, supplier], "need_changed", "need:3:changed:2", "Need changed")
    db.session.commit()
    assert told == 2
    assert len(_notices(supplier)) == len(_notices(brand)) == 1


def test_an_unknown_kind_is_a_programming_error(app, users):
    with pytest.raises(UnknownKind):
        notify(users["brand"], "gossip", "x", "Nothing")


def test_the_list_shows_newest_first_and_the_unread_count_in_the_navigation(client, login, users):
    brand = login("brand")
    notify(brand, "intro_answer", "a", "First news")
    notify(brand, "intro_answer", "b", "Second news")
    db.session.commit()
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.index("Second news") < page.index("First news")
    assert 'data-testid="unread-count">2<' in page


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, login, users):
    brand = login("brand")
    notice = notify(brand, "intro_answer", "a", "News", link="/needs/")
    db.session.commit()
    response = client.post(f"/notifications/{notice.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/needs/"
    assert unread_count(brand) == 0
    assert 'data-testid="unread-count"' not in client.get("/notifications/").get_data(as_text=True)


def test_nobody_can_open_or_read_someone_elses_notice(client, login, users):
    notice = notify(users["brand"], "intro_answer", "a", "Private news")
    db.session.commit()
    login("supplier")
    assert client.post(f"/notifications/{notice.id}").status_code == 404
    assert "Private news" not in client.get("/notifications/").get_data(as_text=True)
    client.post("/notifications/read")
    assert unread_count(users["brand"]) == 1


def test_mark_all_read(client, login):
    brand = login("brand")
    notify(brand, "intro_answer", "a", "One")
    notify(brand, "intro_message", "b", "Two")
    db.session.commit()
    assert client.post("/notifications/read").status_code == 302
    assert unread_count(brand) == 0


def test_email_settings_page_saves_the_choice_per_kind(client, login, outbox):
    supplier = login("supplier")
    page = client.get("/notifications/email").get_data(as_text=True)
    assert page.count('type="checkbox"') == len(KINDS) and page.count("checked") == len(KINDS)
    wanted = {kind: "y" for kind in KINDS if kind != "need_match"}
    assert client.post("/notifications/email", data=wanted).status_code == 302
    page = client.get("/notifications/email").get_data(as_text=True)
    assert page.count("checked") == len(KINDS) - 1
    notify(supplier, "need_match", "k", "Matched")
    db.session.commit()
    assert outbox("need_match") == []


def test_pages_need_a_signed_in_user(client):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/email").status_code == 302


def test_a_rolled_back_action_leaves_no_notice_and_no_mail(app, cast, outbox):
    user = cast.brand
    notify(user, "intro_answer", "a", "Never happened")
    db.session.rollback()
    assert _notices(user) == [] and outbox() == []


def test_telling_many_people_costs_a_few_queries_and_keeps_each_rule(app, users, outbox):
    """A need published to a whole category tells the people of thousands of firms at once."""
    from sqlalchemy import event

    from portal.accounts.models import Role, User
    from portal.notifications.service import notify_each

    people = [
        User(email=f"member{n}@firm{n}.example.pk", password_hash="x", full_name=f"Member {n}", role=Role.SUPPLIER)
        for n in range(600)
    ]
    db.session.add_all(people)
    db.session.commit()
    set_email_kinds(people[0], set(KINDS) - {"need_match"})
    notify(people[1], "need_match", "need:7:firm:1", "Already told")
    db.session.commit()
    people = list(
        db.session.scalars(select(User).where(User.email.like("member%")).order_by(User.id))
    )  # as callers load them
    recipients = [(person, f"need:7:firm:{n}") for n, person in enumerate(people)] + [(people[2], "need:7:firm:2")]

    selects = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        told = notify_each(recipients, "need_match", "A new need in your category")
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert len(told) == 599  # the one told before is not told again, the repeated pair counts once
    assert len(selects) <= 4, selects
    assert len(outbox("need_match")) == 1 + 598  # the earlier notice, then everyone but the one who turned it off
    assert people[0].email not in {mail.recipient for mail in outbox("need_match")}
    assert _notices(people[0])[0].subject == "A new need in your category"
    assert notify_each(recipients, "need_match", "Again") == []
