"""A brand posts a sourcing need and sees the firms that can make it, best first, with reasons."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.compliance.models import FirmStanding
from portal.needs.models import NeedStatus, SourcingNeed
from portal.suppliers.models import ListingStatus, ReviewStatus
from portal.timeutil import today
from tests.factories import make_firm, make_need

FORM = {
    "title": "Li-ion packs for a feature phone",
    "category": "battery",
    "quantity_per_month": "20000",
    "quantity_unit": "cells",
    "description": "1,800 mAh Li-ion packs with BMS, UN 38.3 tested.",
    "features": "10,000 mAh\nUSB-C",
    "certifications": ["iso-9001"],
    "processes": ["cell-assembly"],
    "currency": "USD",
    "delivery_province": "Punjab",
    "deadline": (today() + timedelta(days=30)).isoformat(),
    "visibility": "open",
}


def post_need(client, **changes):
    return client.post("/needs/new", data={**FORM, **changes})


@pytest.fixture
def firms(app):
    make_firm(
        "Ravi Cells",
        description="Power banks of 10,000 mAh with USB-C output.",
        capabilities=[
            {
                "category": "battery",
                "capacity": 30000,
                "processes": ["cell-assembly"],
                "is_main_line": True,
                "lead_time_days": 14,
            }
        ],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm(
        "Quetta Packs",
        province="Balochistan",
        city="Quetta",
        capabilities=[{"category": "battery", "capacity": 8000, "processes": ["cell-assembly"]}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm("No Cert Cells", capabilities=[{"category": "battery", "capacity": 50000}])
    make_firm(
        "Expired Cells",
        capabilities=[{"category": "battery", "capacity": 50000}],
        certificates=[{"type": "iso-9001", "days_valid": -2}],
    )
    make_firm(
        "Hidden Cells",
        suspended=True,
        capabilities=[{"category": "battery", "capacity": 90000}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm(
        "Draft Cells",
        status=ListingStatus.DRAFT,
        capabilities=[{"category": "battery"}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm("Cable Co", capabilities=[{"category": "cable", "capacity": 90000}], certificates=[{"type": "iso-9001"}])
    make_firm(
        "Pending Cap Cells",
        capabilities=[{"category": "battery", "review": ReviewStatus.PENDING}],
        certificates=[{"type": "iso-9001"}],
    )


def test_brand_posts_a_need_and_sees_explained_matches_best_first(client, login, db, firms):
    login("brand")
    response = post_need(client)
    assert response.status_code == 302
    need = db.session.scalar(select(SourcingNeed))
    assert (need.category_slug, need.quantity_per_month, need.status) == ("battery", 20000, NeedStatus.DRAFT)
    assert [c.slug for c in need.required_certifications] == ["iso-9001"]
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    text = re.sub(r"<[^>]+>", "", page)  # firm names are links to their listings
    assert text.index("1. Ravi Cells") < text.index("2. Quetta Packs")
    assert "capacity 30,000/month covers 20,000" in page
    assert "offers: 10,000 mAh, USB-C" in page
    assert "capacity 8,000 of 20,000/month (under half)" in page
    for hidden in ("Hidden Cells", "Draft Cells", "Cable Co", "Pending Cap Cells"):
        assert hidden not in page
    near = page[page.index("Near misses") :]
    assert "No Cert Cells" in near and "would qualify with a valid ISO 9001" in near
    assert "Expired Cells" in near


def test_a_firm_excluded_by_compliance_is_not_matched(client, login, db, firms):
    from portal.compliance.models import IncentiveStatus
    from portal.suppliers.models import Firm

    firm = db.session.scalar(select(Firm).where(Firm.legal_name == "Ravi Cells"))
    db.session.add(
        FirmStanding(
            firm_id=firm.id, incentive_status=IncentiveStatus.WITHDRAWN, incentive_since=today() - timedelta(days=1)
        )
    )
    db.session.commit()
    login("brand")
    page = client.get(post_need(client).headers["Location"]).get_data(as_text=True)
    assert "Ravi Cells" not in page


def test_bad_input_gets_messages_and_saves_nothing(client, login, db):
    login("brand")
    body = html.unescape(
        post_need(
            client,
            title="",
            category="warp-drive",
            quantity_per_month="-3",
            deadline=today().isoformat(),
            certifications=["nope"],
        ).get_data(as_text=True)
    )
    assert "Give the need a title." in body
    assert "Not a valid choice" in body
    assert "Enter a quantity of 1 or more." in body
    assert "The deadline must be after today." in body
    assert db.session.scalar(select(SourcingNeed)) is None


def test_publish_close_and_cancel(client, login, db):
    login("brand")
    need_url = post_need(client).headers["Location"]
    need_id = int(need_url.rstrip("/").split("/")[-1])
    client.post(f"/needs/{need_id}/publish", data={"version": 1})
    need = db.session.get(SourcingNeed, need_id)
    assert need.status == NeedStatus.OPEN
    client.post(f"/needs/{need_id}/close", data={"understood": "yes", "version": need.version})
    db.session.expire_all()
    assert need.status == NeedStatus.CLOSED
    body = client.post(f"/needs/{need_id}/publish", data={"version": need.version}, follow_redirects=True)
    assert "This need is “Closed”; it cannot become “Open”." in body.get_data(as_text=True)


def test_acting_on_a_need_someone_changed_meanwhile_is_refused_with_a_clear_message(client, login, db):
    login("brand")
    need_id = int(post_need(client).headers["Location"].rstrip("/").split("/")[-1])
    stale = 1
    client.post(f"/needs/{need_id}/edit", data={**FORM, "title": "Renamed", "version": stale})
    body = client.post(f"/needs/{need_id}/publish", data={"version": stale}, follow_redirects=True)
    assert "Someone changed this need while you were looking at it" in html.unescape(body.get_data(as_text=True))
    assert db.session.get(SourcingNeed, need_id).status == NeedStatus.DRAFT


def test_only_the_owner_changes_a_need_and_others_see_it_as_its_visibility_says(client, login, db, users):
    login("brand")
    need_url = post_need(client).headers["Location"]
    need_id = int(need_url.rstrip("/").split("/")[-1])
    login("other_brand")
    assert client.get(f"/needs/{need_id}").status_code == 404
    assert client.get(f"/needs/{need_id}/edit").status_code == 404
    assert client.post(f"/needs/{need_id}/publish").status_code == 404
    make_firm(
        "Ravi Cells",
        owner=users["supplier"],
        capabilities=[{"category": "battery"}],
        certificates=[{"type": "iso-9001"}],
    )
    login("supplier")
    assert client.get(f"/needs/{need_id}").status_code == 404, "a draft is the brand's own"
    db.session.get(SourcingNeed, need_id).status = NeedStatus.OPEN
    db.session.commit()
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Li-ion packs" in page and "matching firm" not in page, "suppliers see the need, not the ranking"
    login("staff")
    assert "matching firm" in client.get(f"/needs/{need_id}").get_data(as_text=True)


@pytest.mark.parametrize("role", ["supplier", "investor", "staff"])
def test_only_brands_post_needs(client, login, role):
    login(role)
    assert client.get("/needs/new").status_code == 403


def test_a_supplier_sees_open_needs_it_qualifies_for_best_first(client, login, users, db):
    firm = make_firm(
        "Ravi Cells",
        owner=users["supplier"],
        capabilities=[{"category": "battery", "capacity": 30000}],
        certificates=[{"type": "iso-9001"}],
    )
    make_need(users["brand"], title="Big packs", quantity=100000)
    make_need(users["brand"], title="Small packs", quantity=5000)
    make_need(users["brand"], title="Needs IEC 62133", certifications=("iec-62133",))
    make_need(users["brand"], title="Cables", category="cable")
    make_need(users["brand"], title="Invited only", visibility="invited")
    login("supplier")
    page = client.get("/needs/opportunities").get_data(as_text=True)
    assert page.index("Small packs") < page.index("Big packs")
    matching, near = page.split('data-testid="near-miss"', 1)
    for hidden in ("Needs IEC 62133", "Cables", "Invited only"):
        assert hidden not in matching
    assert "Needs IEC 62133" in near, "a certificate away: listed apart, with where to get it"
    assert "Cables" not in near and "Invited only" not in near
    assert firm.display_name not in page, "one firm: no per-firm heading"


def test_an_unverified_firm_is_told_why_it_sees_no_opportunities(client, login, users, db):
    from portal.suppliers.models import ListingStatus

    make_firm("New Cells", owner=users["supplier"], status=ListingStatus.DRAFT, capabilities=[{"category": "battery"}])
    make_need(users["brand"])
    login("supplier")
    assert "is not verified yet" in client.get("/needs/opportunities").get_data(as_text=True)


@pytest.mark.parametrize("role", ["brand", "investor", "staff"])
def test_opportunities_are_for_suppliers(client, login, role):
    login(role)
    assert client.get("/needs/opportunities").status_code == 403


def test_a_target_price_is_stored_exactly_and_audited(client, login, db):
    from decimal import Decimal

    from portal.audit.models import AuditEntry

    login("brand")
    assert post_need(client, target_unit_price="3.1250").status_code == 302
    db.session.expire_all()
    need = db.session.scalar(select(SourcingNeed))
    assert need.target_unit_price == Decimal("3.1250")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "need.created"))
    assert entry.after["target_unit_price"] == "3.1250"


@pytest.mark.parametrize("price", ["100000000", "1e20", "Infinity"])
def test_a_target_price_the_column_cannot_hold_gets_a_message(client, login, db, price):
    login("brand")
    body = html.unescape(post_need(client, target_unit_price=price).get_data(as_text=True))
    assert "Enter a price of 0 or more, below 100,000,000." in body
    assert db.session.scalar(select(SourcingNeed)) is None
