"""Who may open a firm's own pages: its members only; everyone else learns nothing (404)."""

import pytest
from sqlalchemy import func, select

from portal.suppliers.models import Capability, Certificate, FirmPhoto, ListingStatus
from tests.factories import make_capability, make_certificate, make_firm, make_user

# (method, URL template); {firm}, {capability}, {certificate} and {photo} are filled in per test.
FIRM_PAGES = [
    ("GET", "/firms/{firm}/"),
    ("GET", "/firms/{firm}/profile"),
    ("POST", "/firms/{firm}/profile"),
    ("GET", "/firms/{firm}/capabilities/new"),
    ("POST", "/firms/{firm}/capabilities/new"),
    ("GET", "/firms/{firm}/capabilities/{capability}/edit"),
    ("POST", "/firms/{firm}/capabilities/{capability}/edit"),
    ("POST", "/firms/{firm}/capabilities/{capability}/delete"),
    ("GET", "/firms/{firm}/certificates/new"),
    ("POST", "/firms/{firm}/certificates/new"),
    ("GET", "/firms/{firm}/certificates/{certificate}/edit"),
    ("POST", "/firms/{firm}/certificates/{certificate}/edit"),
    ("POST", "/firms/{firm}/certificates/{certificate}/delete"),
    ("POST", "/firms/{firm}/logo"),
    ("POST", "/firms/{firm}/photos"),
    ("POST", "/firms/{firm}/photos/{photo}/delete"),
    ("POST", "/firms/{firm}/submit"),
    ("GET", "/firms/{firm}/colleagues"),
    ("POST", "/firms/{firm}/colleagues"),
]
PAGE_IDS = [f"{method} {url}" for method, url in FIRM_PAGES]

# What the firm's own owner gets: pages render, actions redirect back to the firm's page.
MEMBER_STATUS = {
    "GET": 200,
    "POST": (200, 302),  # a form posted with nothing in it shows its messages; buttons redirect
}


@pytest.fixture
def firm(app, db, users):
    """A draft firm with one capability, certificate and photo, owned by users["supplier"]."""
    firm = make_firm("Apex Boards (Pvt) Ltd", status=ListingStatus.DRAFT, owner=users["supplier"])
    make_capability(firm, "pcba")
    make_certificate(firm, "iso-9001")
    db.session.add(FirmPhoto(firm=firm, path="00/missing.png", filename="line.png", mimetype="image/png"))
    db.session.commit()
    return firm


def url_for_firm(template: str, firm) -> str:
    return template.format(
        firm=firm.id,
        capability=firm.capabilities[0].id,
        certificate=firm.certificates[0].id,
        photo=firm.photos[0].id,
    )


def contents(db, firm) -> tuple[int, int, int, str]:
    db.session.expire_all()

    def count(model) -> int:
        return db.session.scalar(select(func.count(model.id)).where(model.firm_id == firm.id))

    return count(Capability), count(Certificate), count(FirmPhoto), firm.status.value


def request(client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, data={})


@pytest.mark.parametrize(("method", "template"), FIRM_PAGES, ids=PAGE_IDS)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, firm, method, template):
    before = contents(db, firm)

    response = request(client, method, url_for_firm(template, firm))

    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]
    assert contents(db, firm) == before


@pytest.mark.parametrize(("method", "template"), FIRM_PAGES, ids=PAGE_IDS)
def test_the_firms_owner_may_use_every_page(client, login, firm, method, template):
    login("supplier")

    response = request(client, method, url_for_firm(template, firm))

    expected = MEMBER_STATUS[method]
    assert response.status_code in (expected if isinstance(expected, tuple) else (expected,))
    if response.status_code == 302:
        assert f"/firms/{firm.id}/" in response.headers["Location"]


@pytest.mark.parametrize(("method", "template"), FIRM_PAGES, ids=PAGE_IDS)
@pytest.mark.parametrize("outsider", ["other_supplier", "brand", "investor", "staff"])
def test_outsiders_get_404_and_change_nothing(client, db, login, firm, method, template, outsider):
    login(outsider)
    before = contents(db, firm)

    response = request(client, method, url_for_firm(template, firm))

    assert response.status_code == 404
    assert "Apex Boards" not in response.get_data(as_text=True)
    assert contents(db, firm) == before


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("GET", "/firms/{firm}/capabilities/{other_capability}/edit"),
        ("POST", "/firms/{firm}/capabilities/{other_capability}/delete"),
        ("GET", "/firms/{firm}/certificates/{other_certificate}/edit"),
        ("POST", "/firms/{firm}/certificates/{other_certificate}/delete"),
        ("POST", "/firms/{firm}/photos/{other_photo}/delete"),
    ],
)
def test_a_member_cannot_reach_another_firms_items_through_their_own_firm(client, db, login, firm, method, template):
    other = make_firm("Other Works (Pvt) Ltd", capabilities=[{"category": "battery"}], certificates=[{}])
    db.session.add(FirmPhoto(firm=other, path="00/other.png", filename="other.png", mimetype="image/png"))
    db.session.commit()
    before = contents(db, other)
    login("supplier")

    url = template.format(
        firm=firm.id,
        other_capability=other.capabilities[0].id,
        other_certificate=other.certificates[0].id,
        other_photo=other.photos[0].id,
    )
    response = request(client, method, url)

    assert response.status_code == 404
    assert contents(db, other) == before


def test_unknown_firm_is_404_for_a_supplier(client, login, firm):
    login("supplier")

    assert client.get("/firms/9999/").status_code == 404


def test_member_deleting_a_capability_removes_it(client, db, login, firm):
    login("supplier")

    response = client.post(url_for_firm("/firms/{firm}/capabilities/{capability}/delete", firm))

    assert response.status_code == 302
    assert contents(db, firm)[0] == 0


# --- /my-firm --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["brand", "investor", "staff"])
def test_my_firm_is_forbidden_for_accounts_other_than_local_firms(client, login, role):
    login(role)

    assert client.get("/my-firm").status_code == 403


def test_my_firm_sends_anonymous_visitors_to_sign_in(client, app):
    response = client.get("/my-firm")

    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_my_firm_takes_a_supplier_with_one_firm_to_its_page(client, login, firm):
    login("supplier")

    response = client.get("/my-firm")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/firms/{firm.id}/")


def test_my_firm_lists_the_firms_of_a_supplier_with_several(client, login, users, firm):
    make_firm("Second Works (Pvt) Ltd", owner=users["supplier"])
    login("supplier")

    response = client.get("/my-firm")

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Apex Boards (Pvt) Ltd" in body and "Second Works (Pvt) Ltd" in body


def test_the_firm_rules_judge_the_person_they_are_given_without_a_request(users):
    """The service takes the person and says `NotFound` (the page answers 404): no request needed."""
    from portal.denials import NotFound
    from portal.suppliers import service

    draft = make_firm("Draft Boards", owner=users["supplier"], status=ListingStatus.DRAFT)
    other = make_firm("Other Boards", owner=make_user("supplier", email="other@boards.example"))
    capability = make_capability(other, "pcba")
    assert service.firm_for_member(draft.id, users["supplier"]) == draft
    assert service.firm_for_viewer(draft.id, users["staff"]) == draft
    assert service.firm_for_member(draft.id, users["staff"], staff_too=True) == draft
    denied = [
        lambda: service.firm_for_member(draft.id, users["staff"]),
        lambda: service.firm_for_member(draft.id, users["brand"]),
        lambda: service.firm_for_viewer(draft.id, users["brand"]),
        lambda: service.item_of(draft, Capability, capability.id),
    ]
    for find in denied:
        with pytest.raises(NotFound):
            find()
