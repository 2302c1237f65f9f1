"""Who sees what: every investment page for every kind of visitor. Things a visitor may not see
answer 404 (as if they did not exist); a wrong role answers 403; anonymous visitors sign in first."""

import pytest

from portal import uploads
from portal.investment.models import DealStage, OpportunityStatus
from tests.factories import PDF_BYTES, make_firm
from tests.investment.builders import add_document, make_interest, make_opportunity, make_profile

VISITORS = ("anonymous", "other_supplier", "other_investor", "brand", "staff", "owner", "consented_investor")


@pytest.fixture
def world(app, cast):
    """A published opportunity with a data-room file, one investor the firm accepted, and everyone else."""
    owner = cast.supplier
    firm = make_firm(
        "Indus Displays (Pvt) Ltd",
        owner=owner,
        phone="+92 42 5550101",
        contact_email="invest@indusdisplays.example",
    )
    other_supplier = cast.other_supplier  # with a firm of their own
    published = make_opportunity(firm)
    draft = make_opportunity(firm, "Camera line", status=OpportunityStatus.DRAFT)
    stored = uploads.store(PDF_BYTES, "plan.pdf")
    document = add_document(published, stored.path)
    consented = cast.investor
    make_profile(consented)
    interest = make_interest(published, consented, accepted=True)
    people = {
        "anonymous": None,
        "other_supplier": other_supplier,
        "other_investor": cast.other_investor,
        "brand": cast.brand,
        "staff": cast.staff,
        "owner": owner,
        "consented_investor": consented,
    }
    return {
        "published": published,
        "draft": draft,
        "document": document,
        "interest": interest,
        "people": people,
        "firm": firm,
    }


def visit(client, login, world, who, url, method="get", data=None):
    if world["people"][who] is not None:
        login(world["people"][who])
    return getattr(client, method)(url, data=data or {})


def expect(response, outcome):
    if outcome == "sign_in":
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    else:
        assert response.status_code == outcome


# visitor: anonymous, other supplier, other investor, brand, staff, owner, consented investor
TABLE = [
    ("public summary", lambda w: f"/investment/{w['published'].id}", (200, 200, 200, 200, 200, 200, 200)),
    ("public list", lambda w: "/investment/", (200, 200, 200, 200, 200, 200, 200)),
    ("draft", lambda w: f"/investment/{w['draft'].id}", (404, 404, 404, 404, 200, 200, 404)),
    (
        "data-room file",
        lambda w: f"/investment/{w['published'].id}/documents/{w['document'].id}",
        ("sign_in", 404, 404, 404, 200, 200, 200),
    ),
    ("thread", lambda w: f"/investment/interests/{w['interest'].id}", ("sign_in", 404, 404, 404, 404, 200, 200)),
    ("edit", lambda w: f"/investment/{w['draft'].id}/edit", ("sign_in", 404, 404, 404, 404, 200, 404)),
    ("new for the firm", lambda w: f"/investment/firms/{w['firm'].id}/new", ("sign_in", 404, 404, 404, 404, 200, 404)),
    (
        "fitting investors",
        lambda w: f"/investment/{w['published'].id}/investors",
        ("sign_in", 404, 404, 404, 404, 200, 404),
    ),
    ("staff review", lambda w: f"/investment/{w['published'].id}/review", ("sign_in", 403, 403, 403, 200, 403, 403)),
    ("investor profile", lambda w: "/investment/profile", ("sign_in", 403, 200, 200, 403, 403, 200)),
    ("ranked matches", lambda w: "/investment/matches", ("sign_in", 403, 200, 200, 403, 403, 200)),
    ("firm's opportunities", lambda w: "/investment/mine", ("sign_in", 200, 403, 403, 403, 200, 403)),
]


@pytest.mark.parametrize(("name", "url", "outcomes"), TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("who", VISITORS)
def test_every_page_answers_every_visitor_as_the_rules_say(client, login, world, name, url, outcomes, who):
    expect(visit(client, login, world, who, url(world)), outcomes[VISITORS.index(who)])


POSTS = [
    ("submit", lambda w: f"/investment/{w['draft'].id}/submit", ("sign_in", 404, 404, 404, 404, 302, 404)),
    ("withdraw", lambda w: f"/investment/{w['published'].id}/withdraw", ("sign_in", 404, 404, 404, 404, 302, 404)),
    (
        "delete a file",
        lambda w: f"/investment/{w['published'].id}/documents/{w['document'].id}/delete",
        ("sign_in", 404, 404, 404, 404, 302, 404),
    ),
    ("accept", lambda w: f"/investment/interests/{w['interest'].id}/accept", ("sign_in", 404, 404, 404, 404, 302, 404)),
    (
        "move stage",
        lambda w: f"/investment/interests/{w['interest'].id}/stage",
        ("sign_in", 404, 404, 404, 404, 200, 200),
    ),
    ("approve", lambda w: f"/investment/{w['draft'].id}/review/approve", ("sign_in", 403, 403, 403, 302, 403, 403)),
    (
        "express interest",
        lambda w: f"/investment/{w['published'].id}/interest",
        ("sign_in", 403, 200, 200, 403, 403, 200),
    ),
]


@pytest.mark.parametrize(("name", "url", "outcomes"), POSTS, ids=[row[0] for row in POSTS])
@pytest.mark.parametrize("who", VISITORS)
def test_every_action_answers_every_visitor_as_the_rules_say(client, login, world, name, url, outcomes, who):
    expect(visit(client, login, world, who, url(world), method="post"), outcomes[VISITORS.index(who)])


def _page(client, login, world, who, url):
    return visit(client, login, world, who, url).get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "other_investor", "brand", "other_supplier"])
def test_without_consent_the_summary_shows_no_documents_no_contact_and_no_hidden_amount(client, login, world, who):
    body = _page(client, login, world, who, f"/investment/{world['published'].id}")
    assert "Second LCM line" in body and "Indus Displays" in body
    for secret in (
        "plan.pdf",
        "invest@indusdisplays.example",
        "+92 42 5550101",
        "seeks 3 M USD",
        "We would like to talk",
    ):
        assert secret not in body, secret


def test_consent_opens_documents_contact_and_amount_to_that_investor(client, login, world):
    body = _page(client, login, world, "consented_investor", f"/investment/{world['published'].id}")
    for opened in ("plan.pdf", "invest@indusdisplays.example", "+92 42 5550101", "seeks 3 M USD"):
        assert opened in body, opened


def test_an_investor_sees_only_their_own_interests(client, login, world):
    body = _page(client, login, world, "other_investor", "/investment/matches")
    assert "Second LCM line" not in body.split("Your interests")[1]
    body = _page(client, login, world, "consented_investor", "/investment/matches")
    assert "Second LCM line" in body.split("Your interests")[1]


def test_a_declined_deal_closes_the_data_room_again(client, login, world, db):
    world["interest"].stage = DealStage.DECLINED
    db.session.commit()
    url = f"/investment/{world['published'].id}/documents/{world['document'].id}"
    expect(visit(client, login, world, "consented_investor", url), 404)


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("owner", lambda w: f"/investment/{w['published'].id}"),
        ("owner", lambda w: f"/investment/interests/{w['interest'].id}"),
        ("consented_investor", lambda w: f"/investment/interests/{w['interest'].id}"),
        ("other_investor", lambda w: f"/investment/{w['published'].id}"),
        ("staff", lambda w: f"/investment/{w['draft'].id}/review"),
        ("owner", lambda w: f"/investment/firms/{w['firm'].id}/new"),
    ],
)
def test_every_form_carries_a_csrf_token_and_a_post_without_one_is_refused(client, login, world, csrf_on, who, url):
    body = _page(client, login, world, who, url(world))
    forms = body.count('method="post"')
    assert forms and body.count('name="csrf_token"') >= forms
    assert client.post(f"/investment/{world['draft'].id}/submit").status_code == 400


def test_the_rules_answer_without_a_request_naming_whom_they_judge(world):
    """The rules take the person as an argument and say `NotFound`, so commands and the API use them too."""
    from portal.denials import NotFound
    from portal.investment import rules

    people, interest = world["people"], world["interest"]
    assert rules.interest_for(interest.id, people["consented_investor"]) == interest
    assert rules.opportunity_for(world["draft"].id, people["owner"], manage=True) == world["draft"]
    for who, find in [
        ("other_investor", lambda user: rules.interest_for(interest.id, user)),
        ("staff", lambda user: rules.interest_for(interest.id, user)),
        ("brand", lambda user: rules.opportunity_for(world["draft"].id, user)),
        ("consented_investor", lambda user: rules.opportunity_for(world["published"].id, user, manage=True)),
        ("other_supplier", lambda user: rules.document_for(world["published"].id, world["document"].id, user)),
    ]:
        with pytest.raises(NotFound):
            find(people[who])
