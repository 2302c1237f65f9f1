"""A BOM is the brand's secret: the attacker's tests. Another brand, a firm, an investor, staff,
anonymous callers and API tokens reach none of it; no firm hears of a plan; staff and investors
see only totals over categories where at least three brands' plans are held back."""

import re

import pytest

from portal import search
from portal.accounts.service import issue_token
from portal.bom.models import BomPlan
from portal.extensions import db
from portal.mail import OutgoingEmail
from portal.notifications.models import Notification
from tests.factories import make_firm, make_user

SECRET = "Zircon-X7 titanium frame"
BOM = (
    "line,part description,specification,quantity per device,unit cost,currency,planned devices per month\n"
    f"1,{SECRET},CNC,1,9.00,USD,30000\n"
    "2,USB-C PD 20W adapter,UK plug,1,2.00,USD,30000\n"
    "3,Li-Po 4000mAh 3.85V,pouch,1,3.00,USD,30000\n"
)


@pytest.fixture
def supplier_firm(app, users):
    firm = make_firm(
        "Ravi Power Adapters", owner=users["supplier"], capabilities=[{"category": "charger", "capacity": 100_000}]
    )
    search.rebuild()
    return firm


def _upload(client, login, who, title="Secret model") -> BomPlan:
    login(who)
    response = client.post("/bom/new", data={"title": title, "pasted": BOM, "currency": "USD"})
    assert response.status_code == 302
    return db.session.scalar(db.select(BomPlan).where(BomPlan.title == title).order_by(BomPlan.id.desc()))


def _sign_in_as(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def test_nobody_but_the_owner_reaches_a_plan(client, login, users, cast, supplier_firm):
    plan = _upload(client, login, "brand")
    line = plan.working.lines[0]
    pages = [f"/bom/{plan.id}", f"/bom/{plan.id}/lines/{line.id}", f"/bom/{plan.id}/lines/{line.id}/edit",
             f"/bom/{plan.id}/compare", f"/bom/{plan.id}/revise"]  # fmt: skip
    actions = [f"/bom/{plan.id}/lines/{line.id}/category", f"/bom/{plan.id}/lines/{line.id}/confirm",
               f"/bom/{plan.id}/needs", f"/bom/{plan.id}/versions", f"/bom/{plan.id}/lines/{line.id}/invite"]  # fmt: skip
    for who, expected in (
        (cast.other_brand, 404),
        (users["supplier"], 403),
        (users["investor"], 403),
        (users["staff"], 403),
    ):
        _sign_in_as(client, who)
        for path in pages:
            response = client.get(path)
            assert response.status_code == expected, (who.email, path)
            assert SECRET not in response.get_data(as_text=True)
        for path in actions:
            assert client.post(path, data={"category": "packaging", "lines": [line.id]}).status_code == expected
        assert SECRET not in client.get("/bom/").get_data(as_text=True)
    client.post("/account/sign-out")
    with client.session_transaction() as session:
        session.clear()
    for path in pages:
        assert "/account/sign-in" in client.get(path).headers["Location"]
    db.session.refresh(line)
    assert line.category_slug != "packaging" and line.need_id is None


def test_the_api_offers_no_way_to_a_plan_or_its_drafts(client, login, users, cast, supplier_firm):
    plan = _upload(client, login, "brand")
    client.post(f"/bom/{plan.id}/needs", data={"lines": [line.id for line in plan.working.lines[1:]]})
    assert not [
        rule.rule
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/") and "bom" in rule.rule
    ]
    db.session.expire_all()
    need_ids = [line.need_id for line in db.session.get(BomPlan, plan.id).working.lines if line.need_id]
    assert len(need_ids) == 2
    for who, role in ((users["supplier"], "supplier"), (cast.other_brand, "brand")):
        token = issue_token(who, "attacker")[1]
        headers = {"Authorization": f"Bearer {token}"}
        for need_id in need_ids:
            assert client.get(f"/api/v1/needs/{need_id}", headers=headers).status_code in (403, 404)
            assert client.get(f"/api/v1/needs/{need_id}/matches", headers=headers).status_code in (403, 404)
        if role == "supplier":
            found = client.get(f"/api/v1/suppliers/{supplier_firm.id}/opportunities", headers=headers).get_json()
            assert found["items"] == []
    document = client.get("/api/v1/openapi.json").get_data(as_text=True)
    assert "bom" not in document.lower()


def test_no_firm_hears_of_a_plan_its_drafts_or_an_invitation_before_the_brand_publishes(
    client, login, users, supplier_firm
):
    plan = _upload(client, login, "brand")
    charger = plan.working.lines[1]
    client.post(f"/bom/{plan.id}/needs", data={"lines": [charger.id]})
    client.post(f"/bom/{plan.id}/lines/{charger.id}/invite", data={"firms": [supplier_firm.id]})
    client.get(f"/bom/{plan.id}/lines/{charger.id}")
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0
    assert db.session.scalar(db.select(db.func.count(OutgoingEmail.id))) == 0
    login("supplier")
    for path in ("/notifications/", "/needs/opportunities", f"/suppliers/{supplier_firm.id}"):
        response = client.get(path, follow_redirects=True)
        assert SECRET not in response.get_data(as_text=True) and "Secret model" not in response.get_data(as_text=True)


def _brand(n: int):
    return make_user("brand", email=f"brand{n}@example.com", organisation=f"Brand {n}")


def _priorities(client) -> str:
    return re.sub(r"\s+", " ", client.get("/bom/priorities").get_data(as_text=True))


def test_staff_and_investors_see_a_category_only_once_three_brands_plans_are_held_back_in_it(
    client, login, users, supplier_firm
):
    brands = [_brand(n) for n in range(1, 4)]
    for n, brand in enumerate(brands[:2], start=1):
        _sign_in_as(client, brand)
        client.post("/bom/new", data={"title": f"Plan {n}", "pasted": BOM, "currency": "USD"})
    login("staff")
    page = _priorities(client)
    assert 'data-testid="priorities-empty"' in page and "2 more categories are left out" in page
    assert SECRET not in page and "Plan 1" not in page

    _sign_in_as(client, brands[2])
    client.post("/bom/new", data={"title": "Plan 3", "pasted": BOM, "currency": "USD"})
    for who in ("staff", "investor"):
        login(who)
        page = _priorities(client)
        table = page.split('data-testid="priorities"', 1)[1].split("</table>", 1)[0]
        # the frame (housing-metal) and the battery are held back in all three plans; chargers are local
        assert "Metal frames and small metal parts" in table and "Lithium-ion cells and battery packs" in table
        assert "Chargers" not in table
        # 3 brands × 9 USD × 30,000 devices = 810,000 USD a month, listed first
        assert table.index("Metal frames") < table.index("Lithium-ion")
        assert "810,000 USD" in table and "27 USD" in table
        for secret in (SECRET, "Plan 1", "Plan 2", "Plan 3", "Brand 1", "brand1@example.com"):
            assert secret not in page
    login("staff")
    dashboard = client.get("/staff/dashboard").get_data(as_text=True)
    assert 'data-testid="bom-priorities"' in dashboard and SECRET not in dashboard
    assert SECRET not in client.get("/staff/audit").get_data(as_text=True)
    login("brand")
    assert client.get("/bom/priorities").status_code == 403


def test_one_brand_with_three_accounts_counts_as_one_brand(client, login, users, supplier_firm):
    for n in range(3):
        _sign_in_as(client, make_user("brand", email=f"buyer{n}@samemobile.example", organisation="Same Mobile"))
        client.post("/bom/new", data={"title": f"Same {n}", "pasted": BOM, "currency": "USD"})
    login("staff")
    assert 'data-testid="priorities-empty"' in _priorities(client)


def test_the_service_says_not_found_to_anyone_but_the_owner_without_a_request(client, login, users, cast):
    from portal.bom import service
    from portal.denials import NotFound

    plan = _upload(client, login, "brand")
    assert service.plan_for(plan.id, users["brand"]) == plan
    denied = [
        lambda: service.plan_for(plan.id, cast.other_brand),
        lambda: service.plan_for(plan.id, users["staff"]),
        lambda: service.line_of(plan, 999_999),
        lambda: service.version_of(plan, 99),
    ]
    for find in denied:
        with pytest.raises(NotFound):
            find()
