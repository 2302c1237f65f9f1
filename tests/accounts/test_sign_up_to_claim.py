"""Signing up to claim a listing files the claim on that listing and never makes a second one."""

import re

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.claims.models import FirmClaim
from portal.extensions import db
from portal.suppliers.likeness import comparable_name
from portal.suppliers.models import Firm, FirmMember
from portal.timeutil import utcnow
from tests.factories import make_firm

PERSON = {
    "full_name": "Bilal Ahmed",
    "email": "bilal@ravicircuits.example.pk",
    "password": "copper traces at dawn",
    "confirm": "copper traces at dawn",
}


def firms() -> int:
    return db.session.scalar(select(func.count(Firm.id)))


def claim_link(client, firm) -> str:
    """The "Claim this listing" link an anonymous visitor finds on the listing."""
    page = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)
    return re.search(r'href="(/account/sign-up\?claim=[^"]+)"', page).group(1).replace("&amp;", "&")


@pytest.fixture
def listing(app):
    return make_firm("Ravi Circuits (Pvt) Ltd", website="https://ravicircuits.example.pk")


def test_signing_up_through_a_claim_link_asks_no_firm_details_and_makes_no_listing(client, listing):
    link = claim_link(client, listing)
    form = client.get(link).get_data(as_text=True)
    assert "Ravi Circuits (Pvt) Ltd" in form and 'name="firm_name"' not in form and 'name="role"' not in form

    response = client.post(link, data=PERSON)

    assert response.headers["Location"].endswith(f"/suppliers/{listing.id}/claim")
    user = db.session.scalar(select(User).where(User.email == PERSON["email"]))
    assert user.role.value == "supplier" and user.organisation == "Ravi Circuits (Pvt) Ltd"
    assert firms() == 1 and db.session.scalar(select(FirmMember)) is None


def test_the_claim_is_filed_for_the_listing_with_the_address_already_filled_in(client, listing):
    client.post(claim_link(client, listing), data=PERSON)
    # Sign-up answers alike for known and new addresses, so the person signs in next, and claims
    # once the address is confirmed (the link is e-mailed).
    user = db.session.scalar(select(User).where(User.email == PERSON["email"]))
    user.email_verified_at = utcnow()
    db.session.commit()
    signed_in = client.post("/account/sign-in", data={"email": PERSON["email"], "password": PERSON["password"]})
    assert signed_in.status_code == 302
    form = client.get(f"/suppliers/{listing.id}/claim").get_data(as_text=True)
    assert 'value="bilal@ravicircuits.example.pk"' in form

    client.post(
        f"/suppliers/{listing.id}/claim",
        data={"position": "Director", "method": "email", "email": PERSON["email"]},
    )

    claim = db.session.scalar(select(FirmClaim))
    assert (claim.firm_id, claim.user.email) == (listing.id, PERSON["email"])
    assert firms() == 1


def test_an_altered_claim_reference_carries_no_listing(client, listing):
    link = claim_link(client, listing)
    client.post(link[:-3] + "xyz", data={**PERSON, "role": "supplier"})
    assert db.session.scalar(select(User)) is None  # the ordinary form: firm details are missing
    assert firms() == 1


def test_a_visitor_sent_to_sign_in_from_the_claim_form_can_sign_up_with_the_listing(client, listing):
    sign_in = client.get(f"/suppliers/{listing.id}/claim").headers["Location"]
    page = client.get(sign_in).get_data(as_text=True)
    assert re.search(r'href="/account/sign-up\?[^"]*claim=', page)


@pytest.mark.parametrize(
    ("typed", "same"),
    [
        ("ravi circuits private limited", True),
        ("  RAVI   Circuits (Pvt.) Ltd. ", True),
        ("Ravi Circuits (SMC-Pvt) Ltd", True),
        ("Ravi Circuits", True),
        ("Ravi Cables (Pvt) Ltd", False),
    ],
    ids=["private-limited", "spacing-and-dots", "smc", "no-legal-form", "another-firm"],
)
def test_names_compare_without_case_spacing_or_legal_form(typed, same):
    assert (comparable_name(typed) == comparable_name("Ravi Circuits (Pvt) Ltd")) is same


def ordinary(**overrides):
    return {
        **PERSON,
        "role": "supplier",
        "firm_name": "RAVI CIRCUITS PRIVATE LIMITED",
        "firm_city": "lahore",
        "firm_province": "Punjab",
        **overrides,
    }


def test_a_name_and_city_matching_a_listing_offers_to_claim_it_before_making_anything(client, listing):
    page = client.post("/account/sign-up", data=ordinary()).get_data(as_text=True)
    assert "Is this your firm?" in page and f'value="{listing.id}"' in page
    assert db.session.scalar(select(User)) is None and firms() == 1


def test_choosing_the_listing_signs_up_to_claim_it(client, listing):
    response = client.post("/account/sign-up", data=ordinary(listing=str(listing.id)))
    assert response.headers["Location"].endswith(f"/suppliers/{listing.id}/claim")
    assert firms() == 1


def test_saying_it_is_a_different_firm_starts_a_new_listing(client, listing):
    client.post("/account/sign-up", data=ordinary(listing="new"))
    assert firms() == 2


def test_the_same_name_in_another_city_is_not_offered(client, listing):
    client.post("/account/sign-up", data=ordinary(firm_city="Karachi", firm_province="Sindh"))
    assert firms() == 2
