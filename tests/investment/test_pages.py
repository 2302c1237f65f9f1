"""The public list with its filters and word search, the investor's ranked page, the firm's list of
fitting investors, the investor profile form, and the navigation."""

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.compliance.models import FirmStanding, IncentiveStatus
from portal.investment.models import InvestorProfile, OpportunityStatus, Purpose
from portal.timeutil import today
from tests.factories import make_firm, make_user
from tests.investment.builders import M, make_opportunity, make_profile


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def listed(users):
    indus = make_firm("Indus Displays (Pvt) Ltd", owner=users["supplier"])
    ravi = make_firm("Ravi Moulds (Pvt) Ltd", province="Sindh", city="Karachi")
    hidden = make_firm("Suspended Glass", suspended=True)
    excluded = make_firm("Excluded Cells")
    return {
        "lcm": make_opportunity(indus, "Second LCM line", show_amount=True),
        "mould": make_opportunity(
            ravi,
            "Injection moulding cell for housings",
            categories=("housing-plastic",),
            purpose=Purpose.EQUIPMENT_FINANCE,
            instruments=("debt",),
            use_of_funds="Two 280-tonne presses and aluminium moulds.",
            amount=(M, 2 * M),
        ),
        "draft": make_opportunity(
            indus, "Draft camera line", status=OpportunityStatus.DRAFT, categories=("camera-module",)
        ),
        "suspended": make_opportunity(hidden, "Cover glass line", categories=("touch-cover-glass",)),
        "excluded": make_opportunity(excluded, "Cell line", categories=("battery",)),
        "excluded_firm": excluded,
    }


def _exclude(db, firm):
    db.session.add(
        FirmStanding(
            firm_id=firm.id, incentive_status=IncentiveStatus.WITHDRAWN, incentive_since=today() - timedelta(days=1)
        )
    )
    db.session.commit()


def test_the_public_list_shows_only_listed_opportunities_with_the_firm_linked(client, db, listed):
    _exclude(db, listed["excluded_firm"])
    body = page(client.get("/investment/"))
    assert "Second LCM line" in body and "Injection moulding cell" in body
    for hidden in ("Draft camera line", "Cover glass line", "Cell line"):
        assert hidden not in body
    assert f"/suppliers/{listed['lcm'].firm.id}-indus-displays-pvt-ltd" in body
    assert "seeks 3 M USD" in body, "this firm chose to show its amount"
    assert "1–2 M USD" not in body, "this one did not"
    assert "plan.pdf" not in body and "data room" not in body.lower()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"category": "housing-plastic"}, ["Injection moulding cell"]),
        ({"purpose": "equipment_finance"}, ["Injection moulding cell"]),
        ({"instrument": "equity"}, ["Second LCM line"]),
        ({"q": "molds"}, ["Injection moulding cell"]),  # the spelling is folded on both sides
        ({"q": "aluminum presses"}, ["Injection moulding cell"]),
        ({"q": "LCD"}, ["Second LCM line"]),  # a synonym of the display-module category
        ({"q": "lamination line"}, ["Second LCM line"]),
        ({"q": "presses", "instrument": "equity"}, []),
        ({"q": "the"}, ["Second LCM line", "Injection moulding cell"]),  # only stop words: no word filter
        ({"q": "' OR 1=1 --", "category": "no-such", "purpose": "x" * 500}, []),
    ],
)
def test_filters_and_words_narrow_the_public_list(client, listed, query, found):
    body = page(client.get("/investment/", query_string=query))
    titles = [t for t in ("Second LCM line", "Injection moulding cell") if t in body]
    assert sorted(titles) == sorted(found)


def test_an_investor_sees_published_opportunities_ranked_with_reasons_and_misfits(client, login, db, listed, users):
    other = make_firm("Margalla Panels", province="Islamabad Capital Territory", city="Islamabad")
    make_opportunity(other, "Panel line in PKR", currency="PKR", amount=(500 * M, 800 * M), instruments=("licence",))
    make_profile(users["investor"], categories=("display-module", "housing-plastic"), provinces=("Punjab",))
    login("investor")
    body = page(client.get("/investment/matches"))
    first, second, third = (
        body.index(t) for t in ("1. Second LCM line", "2. Injection moulding cell", "3. Panel line in PKR")
    )
    assert first < second < third
    assert "ticket 2–5 M USD fits 3 M sought" in body
    assert "interested in display modules" in body and "accepts equity" in body
    assert "based in Sindh, outside the provinces of interest" in body
    assert "amount in PKR, your ticket in USD: not compared" in body
    assert "no common instrument: accepts debt, offered equity" in body
    for hidden in ("Draft camera line", "Cover glass line"):
        assert hidden not in body


def test_without_a_profile_the_investor_is_asked_for_one(client, login):
    login("brand")
    assert "Create your profile" in page(client.get("/investment/matches"))


def test_the_firm_sees_investors_whose_profiles_fit_best_first(client, login, db, listed, users):
    make_profile(users["investor"], "Gulf Tech Fund", stages=("operating",))
    make_profile(users["brand"], "Crescent Mobile", instruments=("licence",))
    make_profile(make_user("investor", email="cams@fund.example"), "Camera Fund", categories=("camera-module",))
    login("supplier")
    body = page(client.get(f"/investment/{listed['lcm'].id}/investors"))
    assert body.index("1. Gulf Tech Fund") < body.index("2. Crescent Mobile")
    assert "Camera Fund" not in body
    assert "operating stage, a stage of interest" in body
    assert "no common instrument: accepts equity and debt, offered licence" in body
    draft = page(client.get(f"/investment/{listed['draft'].id}/investors"))
    assert "matched once the opportunity is published" in draft and "Gulf Tech Fund" not in draft


def test_the_profile_form_saves_and_explains_bad_input(client, login, db, users):
    login("investor")
    form = {
        "organisation": "Gulf Tech Fund",
        "categories": ["display-module", "pcba"],
        "ticket_min": "2000000",
        "ticket_max": "5000000",
        "currency": "USD",
        "instruments": ["equity", "jv"],
        "provinces": ["Punjab", "Sindh"],
        "stages": ["operating"],
    }
    body = page(client.post("/investment/profile", data={**form, "ticket_min": "9000000"}))
    assert "The maximum must be at least the minimum." in body and 'id="ticket_max-error"' in body
    body = page(
        client.post("/investment/profile", data={**form, "categories": [], "instruments": [], "ticket_max": "-2"})
    )
    for message in (
        "Choose at least one component category.",
        "Choose at least one instrument.",
        "Enter an amount greater than 0.",
    ):
        assert message in body
    body = page(client.post("/investment/profile", data={**form, "provinces": ["Atlantis"], "stages": ["moon"]}))
    assert body.count("not a valid choice") == 2
    assert db.session.scalar(select(InvestorProfile)) is None
    assert client.post("/investment/profile", data=form).headers["Location"].endswith("/investment/matches")
    profile = db.session.scalar(select(InvestorProfile))
    assert (profile.categories, profile.instruments, profile.provinces, profile.stages) == (
        ["display-module", "pcba"],
        ["equity", "jv"],
        ["Punjab", "Sindh"],
        ["operating"],
    )
    client.post("/investment/profile", data={**form, "provinces": []})
    db.session.expire_all()
    assert profile.provinces == [] and profile.ticket_max == 5 * M


@pytest.mark.parametrize(
    ("role", "endpoint"),
    [("investor", "/investment/matches"), ("brand", "/investment/matches"), ("supplier", "/investment/mine")],
)
def test_investment_is_in_the_navigation_for_investors_brands_and_firms(client, login, users, role, endpoint):
    login(role)
    body = page(client.get("/suppliers/"))
    assert f'href="{endpoint}"' in body and ">Investment<" in body


def test_the_firm_page_lists_its_opportunities_and_a_way_to_post_one(client, login, listed):
    login("supplier")
    body = page(client.get("/investment/mine"))
    assert "Second LCM line" in body and "Draft camera line" in body and "Injection moulding" not in body
    assert f"/investment/firms/{listed['lcm'].firm.id}/new" in body


def test_an_investor_who_reads_urdu_sees_the_reasons_and_misfits_in_urdu(client, login, db, listed, users):
    other = make_firm("Margalla Panels", province="Islamabad Capital Territory", city="Islamabad")
    make_opportunity(other, "Panel line in PKR", currency="PKR", amount=(500 * M, 800 * M), instruments=("licence",))
    make_profile(users["investor"], categories=("display-module", "housing-plastic"), provinces=("Punjab",))
    users["investor"].language = "ur"
    db.session.commit()
    login("investor")
    body = page(client.get("/investment/matches")).replace("\u2068", "").replace("\u2069", "")
    assert "سرمایہ کاری کی حد 2–5 ملین USD، مطلوبہ 3 ملین کے مطابق" in body
    assert "ڈسپلے ماڈیول میں دلچسپی" in body and "ایکویٹی قبول ہے" in body
    assert "سندھ میں واقع، دلچسپی کے صوبوں سے باہر" in body
    assert "رقم PKR میں، آپ کی سرمایہ کاری کی حد USD میں: موازنہ نہیں کیا گیا" in body
    assert "کوئی مشترکہ ذریعہ نہیں: قرض قبول ہے، پیشکش ایکویٹی کی" in body
    assert "ticket" not in body and "interested in" not in body
