import pytest
from sqlalchemy import select

from portal.accounts.models import Role, User


@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
def test_only_staff_may_open_staff_pages(client, login, role):
    login(role)
    assert client.get("/staff/people").status_code == 403
    assert client.get("/staff/").status_code == 403


def test_anonymous_user_is_sent_to_sign_in_from_staff_pages(client):
    response = client.get("/staff/people")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_staff_member_adds_a_colleague_who_gets_a_set_password_link(client, login, db, outbox):
    login("staff")
    response = client.post("/staff/people", data={"full_name": "Bilal Ahmed", "email": "bilal@edb.example"})
    assert response.status_code == 302
    colleague = db.session.scalar(select(User).where(User.email == "bilal@edb.example"))
    assert colleague.role == Role.STAFF
    mail = outbox("staff_invitation")[-1]
    assert mail.recipient == "bilal@edb.example"
    assert "/account/reset-password/" in mail.body
    assert "Bilal Ahmed" in client.get("/staff/people").get_data(as_text=True)


def test_adding_a_colleague_with_a_used_address_is_refused(client, login, db):
    login("staff")
    body = client.post("/staff/people", data={"full_name": "Dup", "email": "brand@example.com"}).get_data(as_text=True)
    assert "already exists" in body
