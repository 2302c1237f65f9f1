import pytest
from sqlalchemy import select

from portal.accounts.models import Role, User
from portal.extensions import db
from portal.suppliers.models import Firm, FirmMember, ListingStatus, MemberRole

GOOD = {
    "full_name": "Ayesha Khan",
    "email": "Ayesha@RaviCircuits.example.pk",
    "password": "copper traces at dawn",
    "confirm": "copper traces at dawn",
}


def sign_up(client, **overrides):
    data = {**GOOD, **overrides}
    return client.post("/account/sign-up", data=data)


def test_supplier_sign_up_creates_account_and_draft_firm_owned_by_them(client, db):
    response = sign_up(
        client, role="supplier", firm_name="Ravi Circuits (Pvt) Ltd", firm_city="Lahore", firm_province="Punjab"
    )

    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "ayesha@ravicircuits.example.pk"))
    assert user.role == Role.SUPPLIER
    assert user.password_hash.startswith("scrypt:")
    firm = db.session.scalar(select(Firm))
    assert (firm.legal_name, firm.city, firm.province, firm.status) == (
        "Ravi Circuits (Pvt) Ltd",
        "Lahore",
        "Punjab",
        ListingStatus.DRAFT,
    )
    member = db.session.scalar(select(FirmMember))
    assert (member.user_id, member.firm_id, member.role) == (user.id, firm.id, MemberRole.OWNER)


def test_sign_up_leads_to_sign_in_with_the_password_chosen(client):
    response = sign_up(client, role="brand", organisation="Crescent Mobile")
    assert response.headers["Location"] == "/account/sign-in?next=/needs/"  # a brand's workspace
    page = client.get("/account/sign-in").get_data(as_text=True)
    assert (
        "Sign in with the password you chose" in page and "EDB staff confirm" in page
    )  # no mail server: staff confirm
    client.post("/account/sign-in", data={"email": GOOD["email"], "password": GOOD["password"]})
    page = client.get("/").get_data(as_text=True)
    assert "Ayesha Khan" in page and "Sign out" in page


def test_brand_sign_up_needs_organisation(client, db):
    response = sign_up(client, role="brand", organisation="")
    assert response.status_code == 200
    assert "Enter the company or fund you act for." in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_supplier_sign_up_needs_firm_details(client, db):
    body = sign_up(client, role="supplier").get_data(as_text=True)
    assert "Enter your firm&#39;s legal name." in body or "Enter your firm's legal name." in body
    assert "Enter the city of your main factory." in body
    assert "Choose the province or territory." in body
    assert db.session.scalar(select(Firm)) is None


def test_unknown_province_is_refused(client, db):
    body = sign_up(client, role="supplier", firm_name="X Ltd", firm_city="Lahore", firm_province="Atlantis").get_data(
        as_text=True
    )
    assert "Choose a province or territory from the list." in body
    assert db.session.scalar(select(User)) is None


def test_staff_role_cannot_be_chosen_at_sign_up(client, db):
    response = sign_up(client, role="staff")
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_short_password_is_refused_with_message(client, db):
    body = sign_up(client, role="investor", organisation="Fund", password="short", confirm="short").get_data(
        as_text=True
    )
    assert "Use at least 12 characters." in body
    assert db.session.scalar(select(User)) is None


def test_common_password_is_refused(client, db):
    body = sign_up(
        client, role="investor", organisation="Fund", password="password1234", confirm="password1234"
    ).get_data(as_text=True)
    assert "too common" in body
    assert db.session.scalar(select(User)) is None


def test_mismatched_confirmation_is_refused(client, db):
    body = sign_up(client, role="investor", organisation="Fund", confirm="something else entirely").get_data(
        as_text=True
    )
    assert "The two passwords differ." in body


def test_invalid_email_is_refused(client, db):
    body = sign_up(client, role="investor", organisation="Fund", email="not-an-address").get_data(as_text=True)
    assert "Enter a valid e-mail address" in body


def test_an_address_already_used_whatever_its_case_makes_no_second_account(client, db, users):
    sign_up(client, role="brand", organisation="Org", email="BRAND@example.com")
    assert db.session.scalar(select(db.func.count(User.id))) == len(users)


def test_sign_up_page_preselects_role_from_link(client):
    body = client.get("/account/sign-up?role=investor").get_data(as_text=True)
    assert (
        'value="investor" checked' in body
        or 'checked type="radio" value="investor"' in body
        or ("checked" in body and 'value="investor"' in body)
    )


def test_every_field_missing_gives_messages_not_an_error(client, db):
    response = client.post("/account/sign-up", data={})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in (
        "Choose what kind of account you need.",
        "Enter your name.",
        "Enter your e-mail address.",
        "Choose a password.",
    ):
        assert message in body


@pytest.mark.parametrize(
    "address",
    [
        "p\u0430yal@example.com",  # a Cyrillic а among Latin letters
        "\u0440\u0430\u0440\u0430@example.com",  # only Cyrillic letters drawn like Latin ones: "papa"
        "\uff50\uff41\uff59@example.com",  # fullwidth letters
        "ali\u200d@example.com",  # an invisible joiner
    ],
)
def test_sign_up_refuses_an_address_whose_name_part_mixes_scripts_or_looks_like_another(client, address):
    response = client.post(
        "/account/sign-up",
        data={"role": "brand", "full_name": "Look Alike", "email": address, "organisation": "X",
              "password": "correct horse battery staple 2026", "confirm": "correct horse battery staple 2026"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "mixes alphabets or uses characters that look like others" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_sign_up_takes_an_address_written_in_one_alphabet(client):
    response = client.post(
        "/account/sign-up",
        data={"role": "brand", "full_name": "Ivan", "email": "\u0438\u0432\u0430\u043d@example.ru", "organisation": "X",
              "password": "correct horse battery staple 2026", "confirm": "correct horse battery staple 2026"},
    )  # fmt: skip
    assert response.status_code == 302
