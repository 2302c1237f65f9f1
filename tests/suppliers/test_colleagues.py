"""A firm's owners invite colleagues by e-mail, and remove them; a firm always keeps an owner."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.suppliers.models import FirmInvitation, FirmMember, MemberRole
from portal.timeutil import utcnow
from tests.factories import make_firm, make_user

JOIN_LINK = re.compile(r"https?://[^\s]+(/firms/join/[A-Za-z0-9_-]+)")


@pytest.fixture
def firm(app, users):
    return make_firm("Apex Boards (Pvt) Ltd", owner=users["supplier"])


@pytest.fixture
def colleague(app):
    return make_user(Role.SUPPLIER, email="colleague@example.com", full_name="Sana Colleague")


def invite(client, firm, email="colleague@example.com", role="editor"):
    return client.post(f"/firms/{firm.id}/colleagues", data={"email": email, "role": role})


def join_path(outbox) -> str:
    [mail] = outbox("firm_invitation")
    return JOIN_LINK.search(mail.body).group(1)


def members(db, firm) -> dict[str, MemberRole]:
    db.session.expire_all()
    rows = db.session.scalars(select(FirmMember).where(FirmMember.firm_id == firm.id))
    return {m.user.email: m.role for m in rows}


def field_error(body: str, field: str) -> str:
    match = re.search(rf'<div id="{field}-error" class="invalid-feedback d-block">(.*?)</div>', body, re.S)
    assert match, f"no message next to the {field} field"
    return html.unescape(match.group(1).strip())


def test_owner_sees_the_colleagues_page_with_the_members(client, login, firm):
    login("supplier")

    response = client.get(f"/firms/{firm.id}/colleagues")

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "supplier@example.com" in body
    assert "Invite a colleague" in body


def test_invitation_is_mailed_with_a_join_link(client, login, firm, outbox):
    login("supplier")

    response = invite(client, firm)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/firms/{firm.id}/colleagues")
    assert "Invitation sent to colleague@example.com." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    [mail] = outbox("firm_invitation")
    assert mail.recipient == "colleague@example.com"
    assert "Apex Boards (Pvt) Ltd" in mail.subject
    assert JOIN_LINK.search(mail.body)


def test_the_invitation_token_is_not_stored_in_plain(client, db, login, firm, outbox):
    login("supplier")
    invite(client, firm)

    token = join_path(outbox).rsplit("/", 1)[1]
    invitation = db.session.scalar(select(FirmInvitation))
    assert token not in invitation.token_hash


def test_invited_supplier_accepts_and_can_then_manage_the_firm(client, db, login, firm, colleague, outbox):
    login("supplier")
    invite(client, firm)
    path = join_path(outbox)
    login(colleague)
    assert client.get(f"/firms/{firm.id}/").status_code == 404

    page = client.get(path)
    assert page.status_code == 200
    assert "Join Apex Boards (Pvt) Ltd" in page.get_data(as_text=True)
    response = client.post(path)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/firms/{firm.id}/")
    assert "You now help manage Apex Boards (Pvt) Ltd." in client.get(f"/firms/{firm.id}/").get_data(as_text=True)
    assert client.get(f"/firms/{firm.id}/").status_code == 200
    assert members(db, firm)["colleague@example.com"] == MemberRole.EDITOR


def test_invited_owner_joins_as_owner_and_can_manage_colleagues(client, db, login, firm, colleague, outbox):
    login("supplier")
    invite(client, firm, role="owner")
    path = join_path(outbox)
    login(colleague)

    client.post(path)

    assert members(db, firm)["colleague@example.com"] == MemberRole.OWNER
    assert client.get(f"/firms/{firm.id}/colleagues").status_code == 200


def test_join_link_works_only_once(client, db, login, firm, colleague, outbox):
    login("supplier")
    invite(client, firm)
    path = join_path(outbox)
    login(colleague)
    client.post(path)
    login(colleague)

    again = client.post(path)

    assert again.status_code == 302
    follow = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "This invitation is invalid, expired or already used." in follow
    assert client.get(path).status_code == 302


def test_unknown_join_token_is_refused(client, login, colleague):
    login(colleague)

    response = client.get("/firms/join/not-a-real-token")

    assert response.status_code == 302
    assert "This invitation is invalid, expired or already used." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


@pytest.mark.parametrize("role", ["brand", "investor", "staff"])
def test_accounts_other_than_local_firms_cannot_join(client, db, login, firm, outbox, role):
    login("supplier")
    invite(client, firm, email=f"{role}@example.com")
    path = join_path(outbox)
    login(role)

    response = client.post(path)

    assert response.status_code == 302
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Only local-firm accounts can join a firm." in body
    assert f"{role}@example.com" not in members(db, firm)
    assert db.session.scalar(select(FirmInvitation)).accepted_at is None


def test_join_page_sends_anonymous_visitors_to_sign_in(client, login, firm, outbox, app):
    login("supplier")
    invite(client, firm)
    path = join_path(outbox)

    response = app.test_client().get(path)

    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_an_editor_cannot_open_or_use_the_colleagues_page(client, db, login, firm, colleague, outbox):
    db.session.add(FirmMember(firm=firm, user=colleague, role=MemberRole.EDITOR))
    db.session.commit()
    owner_membership = db.session.scalar(select(FirmMember).where(FirmMember.role == MemberRole.OWNER))
    login(colleague)

    assert client.get(f"/firms/{firm.id}/").status_code == 200
    assert client.get(f"/firms/{firm.id}/colleagues").status_code == 404
    assert invite(client, firm, email="friend@example.com").status_code == 404
    assert client.post(f"/firms/{firm.id}/colleagues/{owner_membership.id}/remove").status_code == 404
    assert outbox("firm_invitation") == []
    assert "supplier@example.com" in members(db, firm)


def test_the_last_owner_cannot_be_removed(client, db, login, firm):
    own = db.session.scalar(select(FirmMember).where(FirmMember.firm_id == firm.id))
    login("supplier")

    response = client.post(f"/firms/{firm.id}/colleagues/{own.id}/remove")

    assert response.status_code == 302
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A firm needs at least one owner; make someone else owner first." in body
    assert members(db, firm) == {"supplier@example.com": MemberRole.OWNER}


def test_an_owner_can_be_removed_while_another_owner_remains(client, db, login, firm, colleague):
    db.session.add(FirmMember(firm=firm, user=colleague, role=MemberRole.OWNER))
    db.session.commit()
    own = db.session.scalar(select(FirmMember).where(FirmMember.firm_id == firm.id, FirmMember.user_id == colleague.id))
    login("supplier")

    response = client.post(f"/firms/{firm.id}/colleagues/{own.id}/remove")

    assert "Colleague removed." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert members(db, firm) == {"supplier@example.com": MemberRole.OWNER}


def test_removed_colleague_loses_access(client, db, login, firm, colleague):
    db.session.add(FirmMember(firm=firm, user=colleague, role=MemberRole.EDITOR))
    db.session.commit()
    membership = db.session.scalar(select(FirmMember).where(FirmMember.user_id == colleague.id))
    login("supplier")
    client.post(f"/firms/{firm.id}/colleagues/{membership.id}/remove")
    login(colleague)

    assert client.get(f"/firms/{firm.id}/").status_code == 404


def test_a_member_of_another_firm_cannot_be_removed_through_this_firm(client, db, login, firm, colleague):
    other = make_firm("Other Works (Pvt) Ltd", owner=colleague)
    other_membership = db.session.scalar(select(FirmMember).where(FirmMember.firm_id == other.id))
    login("supplier")

    response = client.post(f"/firms/{firm.id}/colleagues/{other_membership.id}/remove")

    assert response.status_code == 404
    assert members(db, other) == {"colleague@example.com": MemberRole.OWNER}


@pytest.mark.parametrize("email", ["colleague@example.com", "Colleague@Example.COM", "  colleague@example.com "])
def test_inviting_someone_already_a_member_shows_a_message_by_the_email_field(
    client, db, login, firm, colleague, outbox, email
):
    db.session.add(FirmMember(firm=firm, user=colleague, role=MemberRole.EDITOR))
    db.session.commit()
    login("supplier")

    response = invite(client, firm, email=email)

    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "email") == "This person already belongs to the firm's account."
    assert outbox("firm_invitation") == []
    assert db.session.scalar(select(FirmInvitation)) is None


def test_inviting_yourself_shows_the_same_message(client, login, firm, outbox):
    login("supplier")

    response = invite(client, firm, email="supplier@example.com")

    assert field_error(response.get_data(as_text=True), "email") == "This person already belongs to the firm's account."
    assert outbox("firm_invitation") == []


def test_invitation_needs_a_valid_email(client, login, firm, outbox):
    login("supplier")

    response = invite(client, firm, email="not-an-address")

    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "email") == "Enter a valid e-mail address."
    assert outbox("firm_invitation") == []


def test_a_forwarded_link_lets_nobody_else_in(client, db, login, firm, outbox):
    login("supplier")
    invite(client, firm)
    path = join_path(outbox)
    stranger = make_user(Role.SUPPLIER, email="stranger@example.com")
    login(stranger)

    response = client.post(path)

    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This invitation was sent to colleague@example.com." in body
    assert "stranger@example.com" not in members(db, firm)
    assert client.get(f"/firms/{firm.id}/").status_code == 404


def test_an_invitation_expires_after_two_weeks(client, db, login, firm, colleague, outbox):
    login("supplier")
    invite(client, firm)
    path = join_path(outbox)
    invitation = db.session.scalar(select(FirmInvitation))
    invitation.created_at = utcnow() - timedelta(days=15)
    db.session.commit()
    login(colleague)

    response = client.post(path)

    assert "This invitation is invalid, expired or already used." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert "colleague@example.com" not in members(db, firm)
