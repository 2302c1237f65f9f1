"""Editing a listing: what goes live at once, what waits for review, and what is logged."""

import html
from datetime import timedelta

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.suppliers.models import ListingStatus, ReviewStatus
from portal.timeutil import today
from tests.factories import make_firm

PROFILE = {
    "legal_name": "Ravi Circuits (Pvt) Ltd",
    "trade_name": "Ravi Circuits",
    "city": "Lahore",
    "province": "Punjab",
    "address": "Plot 12, Sundar Industrial Estate",
    "website": "https://ravicircuits.example.pk",
    "contact_email": "sales@ravicircuits.example.pk",
    "phone": "+92 42 1234567",
    "year_founded": "2009",
    "employees": "240",
    "export_markets": "UAE, Germany; UAE",
    "description": "We assemble PCBs for chargers and feature phones on two SMT lines with AOI.",
    "ntn": "12345678",
}


def _firm(users, **kwargs):
    defaults = {
        "owner": users["supplier"],
        "capabilities": [{"category": "pcba", "capacity": 50000, "processes": ["smt"]}],
    }
    return make_firm("Ravi Circuits (Pvt) Ltd", city="Lahore", province="Punjab", **{**defaults, **kwargs})


def test_draft_profile_edit_applies_everything(client, login, users, db):
    firm = _firm(users, status=ListingStatus.DRAFT)
    login("supplier")
    response = client.post(f"/firms/{firm.id}/profile", data={**PROFILE, "city": "Kasur"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (firm.city, firm.ntn, firm.export_markets, firm.employees) == ("Kasur", "1234567-8", ["UAE", "Germany"], 240)


def test_verified_firm_low_risk_edit_goes_live_and_identity_change_waits(client, login, users, db):
    firm = _firm(users)
    login("supplier")
    body = client.post(
        f"/firms/{firm.id}/profile",
        data={**PROFILE, "city": "Kasur", "description": PROFILE["description"] + " Now with a third line."},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "wait for EDB review" in body
    db.session.expire_all()
    assert firm.city == "Lahore", "the public keeps the verified city"
    assert firm.proposed == {"city": "Kasur", "ntn": "1234567-8", "trade_name": "Ravi Circuits"}
    assert firm.description.endswith("third line.")
    assert firm.is_public
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "firm.profile_updated"))
    assert entry.after["proposed.city"] == "Kasur"

    login("staff")
    client.post(f"/staff/firms/{firm.id}/profile-changes", data={"decision": "approve"})
    db.session.expire_all()
    assert firm.city == "Kasur" and firm.proposed is None


def test_profile_form_refuses_bad_input_with_messages(client, login, users, db):
    firm = _firm(users, status=ListingStatus.DRAFT)
    login("supplier")
    bad = {
        **PROFILE,
        "legal_name": "",
        "province": "Narnia",
        "website": "not a url",
        "contact_email": "x@",
        "phone": "call me",
        "year_founded": "3020",
        "employees": "-4",
        "ntn": "12-34",
        "description": "short",
    }
    body = html.unescape(client.post(f"/firms/{firm.id}/profile", data=bad).get_data(as_text=True))
    for message in (
        "Enter the firm's legal name.",
        "Not a valid choice",
        "Enter a full web address",
        "Enter a valid e-mail address.",
        "Enter a phone number of digits",
        "The year cannot be in the future.",
        "Enter the number of employees",
        "An NTN has 7 digits and a check digit",
        "Write between 40 and 5,000 characters.",
    ):
        assert message in body, message
    db.session.expire_all()
    assert firm.legal_name == "Ravi Circuits (Pvt) Ltd"


def test_capability_edit_on_verified_firm_waits_while_public_sees_verified_values(client, login, users, db):
    firm = _firm(users)
    capability = firm.capabilities[0]
    login("supplier")
    data = {"category": "pcba", "monthly_capacity": "90000", "capacity_unit": "boards", "processes": ["smt", "tht"]}
    body = client.post(
        f"/firms/{firm.id}/capabilities/{capability.id}/edit", data=data, follow_redirects=True
    ).get_data(as_text=True)
    assert "The change waits for EDB review" in body
    db.session.expire_all()
    assert capability.monthly_capacity == 50000
    assert capability.proposed["monthly_capacity"] == 90000
    assert "50,000" in client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)

    login("staff")
    client.post(f"/staff/capabilities/{capability.id}/review", data={"decision": "approve"})
    db.session.expire_all()
    assert (capability.monthly_capacity, capability.capacity_unit, capability.proposed) == (90000, "boards", None)
    assert sorted(p.slug for p in capability.processes) == ["smt", "tht"]


def test_new_capability_of_verified_firm_is_hidden_until_verified(client, login, users, db):
    firm = _firm(users)
    login("supplier")
    response = client.post(
        f"/firms/{firm.id}/capabilities/new",
        data={"category": "charger", "monthly_capacity": "20000", "capacity_unit": "pieces", "processes": ["smt"]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [c.category_slug for c in firm.capabilities] == ["pcba", "charger"]
    profile = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)
    assert "Chargers and power adapters" not in profile
    assert firm.is_public


def test_a_firm_lists_each_category_once(client, login, users, db):
    firm = _firm(users, status=ListingStatus.DRAFT)
    login("supplier")
    body = client.post(
        f"/firms/{firm.id}/capabilities/new",
        data={"category": "pcba", "monthly_capacity": "5", "capacity_unit": "boards"},
    ).get_data(as_text=True)
    assert "already lists this category" in body


def test_capability_form_refuses_bad_numbers_and_unknown_slugs(client, login, users, db):
    firm = _firm(users, status=ListingStatus.DRAFT)
    login("supplier")
    body = client.post(
        f"/firms/{firm.id}/capabilities/new",
        data={
            "category": "warp-drive",
            "monthly_capacity": "-5",
            "capacity_unit": "parsecs",
            "processes": ["teleport"],
            "lead_time_days": "9999",
        },
    ).get_data(as_text=True)
    assert body.count("Not a valid choice") >= 2
    assert "Enter a capacity of 1 or more." in body
    assert "Enter between 1 and 730 days." in body
    assert len(firm.capabilities) == 1


def test_certificate_edit_sends_it_back_to_review(client, login, users, db):
    firm = _firm(
        users,
        certificates=[
            {
                "type": "iso-9001",
                "evidence_path": "aa/x.pdf",
                "evidence_filename": "iso.pdf",
                "evidence_mimetype": "application/pdf",
            }
        ],
    )
    certificate = firm.certificates[0]
    assert certificate.is_valid_on()
    login("supplier")
    new_expiry = today() + timedelta(days=900)
    client.post(
        f"/firms/{firm.id}/certificates/{certificate.id}/edit",
        data={
            "type": "iso-9001",
            "number": certificate.number,
            "issuing_body": certificate.issuing_body,
            "issue_date": certificate.issue_date.isoformat(),
            "expiry_date": new_expiry.isoformat(),
        },
    )
    db.session.expire_all()
    assert certificate.expiry_date == new_expiry
    assert certificate.review_status == ReviewStatus.PENDING
    assert not certificate.is_valid_on()


def test_certificate_dates_must_make_sense(client, login, users, db):
    firm = _firm(users, status=ListingStatus.DRAFT)
    login("supplier")
    body = client.post(
        f"/firms/{firm.id}/certificates/new",
        data={
            "type": "iso-9001",
            "number": "Q-1",
            "issuing_body": "Body",
            "issue_date": (today() + timedelta(days=3)).isoformat(),
            "expiry_date": "2020-01-01",
        },
    ).get_data(as_text=True)
    assert "The issue date cannot be in the future." in body
    assert "The expiry date must be after the issue date." in body
    body = client.post(
        f"/firms/{firm.id}/certificates/new",
        data={
            "type": "iso-9001",
            "number": "Q-1",
            "issuing_body": "Body",
            "issue_date": "31/02/2024",
            "expiry_date": "",
        },
    ).get_data(as_text=True)
    assert "Enter the issue date." in body or "Not a valid date value." in body
    assert "Enter the expiry date" in body
    assert firm.certificates == []


def test_completeness_panel_says_what_is_missing_and_why(client, login, users, db):
    firm = _firm(users, status=ListingStatus.DRAFT, certificates=[{"type": "iso-9001", "review": ReviewStatus.PENDING}])
    login("supplier")
    body = client.get(f"/firms/{firm.id}/").get_data(as_text=True)
    assert "Upload the ISO 9001 certificate" in body
    assert "Give lead time and minimum order for PCB assembly" in body
    assert "Upload your logo" in body
