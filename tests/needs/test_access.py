"""Who sees a need, its attachments, the quote form and the quotes: every role, in every state that matters."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.needs.models import NeedInvitation, NeedStatus
from portal.timeutil import today
from tests.factories import make_firm, make_need, make_quote, make_user

WHO = ("brand", "other_brand", "supplier", "other_supplier", "investor", "staff", "anonymous")


def _as(login, who):
    """Sign in as `who`; "anonymous" stays signed out."""
    if who != "anonymous":
        login(who)


def _invite(need, firm):
    db.session.add(NeedInvitation(need_id=need.id, firm_id=firm.id))
    db.session.commit()


def _status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("brand", 200),
        ("other_brand", 404),
        ("supplier", 200),
        ("other_supplier", 404),
        ("investor", 404),
        ("staff", 200),
        ("anonymous", 302),
    ],
)
def test_an_invited_only_need_is_seen_by_its_brand_staff_and_invited_firms(client, login, cast, who, expected):
    need = make_need(cast.brand, visibility="invited")
    _invite(need, cast.firm)
    _as(login, who)
    assert _status(client, f"/needs/{need.id}") == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("brand", 200),
        ("other_brand", 404),
        ("supplier", 200),
        ("other_supplier", 200),
        ("investor", 404),
        ("staff", 200),
    ],
)
def test_an_open_need_is_seen_by_every_public_firm_making_its_category(client, login, cast, who, expected):
    need = make_need(cast.brand)
    _as(login, who)
    assert _status(client, f"/needs/{need.id}") == expected


def test_suppliers_whose_firm_is_not_public_or_makes_something_else_do_not_see_an_open_need(client, login, cast, db):
    from portal.suppliers.models import ListingStatus

    need = make_need(cast.brand)
    cables = make_user("supplier", email="cables@example.com")
    make_firm("Cable Co", owner=cables, capabilities=[{"category": "cable"}], certificates=[{"type": "iso-9001"}])
    draft = make_user("supplier", email="draft@example.com")
    make_firm("Draft Cells", owner=draft, status=ListingStatus.DRAFT, capabilities=[{"category": "battery"}])
    firmless = make_user("supplier", email="nofirm@example.com")
    for person in (cables, draft, firmless):
        login(person)
        assert _status(client, f"/needs/{need.id}") == 404


def test_a_draft_is_seen_only_by_its_brand_and_staff_even_by_invited_firms(client, login, cast):
    need = make_need(cast.brand, status=NeedStatus.DRAFT, visibility="invited")
    _invite(need, cast.firm)
    for who, expected in (("brand", 200), ("staff", 200), ("supplier", 404)):
        login(who)
        assert _status(client, f"/needs/{need.id}") == expected


def test_after_the_deadline_only_firms_involved_still_see_an_open_to_all_need(client, login, cast, db):
    need = make_need(cast.brand)
    make_quote(need, cast.firm)
    need.deadline = today() - timedelta(days=1)
    db.session.commit()
    login("supplier")
    assert _status(client, f"/needs/{need.id}") == 200, "it quoted"
    login("other_supplier")
    assert _status(client, f"/needs/{need.id}") == 404, "it neither quoted nor was invited"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("brand", 403),
        ("other_brand", 403),
        ("supplier", 200),
        ("other_supplier", 404),
        ("investor", 403),
        ("staff", 403),
        ("anonymous", 302),
    ],
)
def test_only_people_of_a_firm_the_need_is_open_to_reach_the_quote_form(client, login, cast, who, expected):
    need = make_need(cast.brand, visibility="invited")
    _invite(need, cast.firm)
    _as(login, who)
    assert _status(client, f"/needs/{need.id}/quote") == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("brand", 302),
        ("other_brand", 404),
        ("supplier", 404),
        ("other_supplier", 404),
        ("investor", 404),
        ("staff", 302),
    ],
)
def test_the_quote_comparison_is_for_the_brand_and_staff_and_stays_sealed_while_open(
    client, login, cast, who, expected
):
    need = make_need(cast.brand)
    _as(login, who)
    response = client.get(f"/needs/{need.id}/quotes")
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].endswith(f"/needs/{need.id}")


def test_need_for_judges_the_person_it_is_given_without_a_request(cast):
    """The service takes the person and says `NotFound` (the page answers 404), so the API and
    commands share the rule."""
    from portal.denials import NotFound
    from portal.needs import service

    need = make_need(cast.brand, visibility="invited")
    assert service.need_for(need.id, cast.brand, owner=True) == need
    for who, owner in [("other_brand", False), ("other_supplier", False), ("staff", True)]:
        with pytest.raises(NotFound):
            service.need_for(need.id, getattr(cast, who), owner=owner)
    with pytest.raises(NotFound):
        service.attachment_of(need, 999_999)
