"""Claiming an unowned listing: evidence, the review queue, the decision and who may do what."""

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.claims import service
from portal.claims.models import ClaimStatus, FirmClaim
from portal.extensions import db
from portal.staff.queue import review_queue
from portal.suppliers.models import FirmMember, MemberRole
from portal.timeutil import utcnow
from tests.factories import PDF_BYTES, make_firm, make_user


@pytest.fixture
def firm(app):
    return make_firm("Indus Moulds", website="https://www.indusmoulds.pk")


def _claim_by_email(client, firm, email="amna@indusmoulds.pk"):
    return client.post(f"/suppliers/{firm.id}/claim", data={"position": "Director", "method": "email", "email": email})


def _confirmation_link(outbox) -> str:
    [mail] = outbox("claim")
    return re.search(r"http://[^\s]+/claims/confirm/[^\s]+", mail.body).group(0).split("localhost", 1)[-1]


def _claims():
    db.session.expire_all()
    return list(db.session.scalars(select(FirmClaim).order_by(FirmClaim.id)))


@pytest.mark.parametrize(
    ("website", "email", "fits"),
    [
        ("https://www.indusmoulds.pk", "amna@indusmoulds.pk", True),
        ("indusmoulds.pk/about", "amna@sales.indusmoulds.pk", True),
        ("https://indusmoulds.pk", "amna@INDUSMOULDS.PK", True),
        ("https://indusmoulds.pk", "amna@gmail.com", False),
        ("https://indusmoulds.pk", "amna@notindusmoulds.pk", False),
        ("", "amna@indusmoulds.pk", False),
        ("localhost", "amna@localhost", False),
    ],
)
def test_an_email_counts_only_on_the_firms_website_domain(app, website, email, fits):
    firm = make_firm(website=website)
    assert service.email_fits_domain(email, service.website_domain(firm)) is fits


def test_a_public_unowned_listing_invites_its_people_to_claim_it(client, login, firm):
    page = client.get(f"/suppliers/{firm.id}", follow_redirects=True).get_data(as_text=True)
    assert "Claim this listing" in page
    owned = make_firm("Owned Boards", owner=make_user("supplier", email="claimant1@example.com"))
    assert "Claim this listing" not in client.get(f"/suppliers/{owned.id}", follow_redirects=True).get_data(
        as_text=True
    )


def test_email_claim_waits_for_the_link_then_joins_the_queue(client, login, firm, outbox, mail_on):
    login("supplier")
    response = _claim_by_email(client, firm)
    assert response.status_code == 302 and response.headers["Location"] == "/claims/"
    [claim] = _claims()
    assert claim.status == ClaimStatus.AWAITING_EMAIL
    assert review_queue(kind="claim") == []
    assert outbox("claim")[0].recipient == "amna@indusmoulds.pk"

    client.get(_confirmation_link(outbox))
    [claim] = _claims()
    assert claim.status == ClaimStatus.PENDING and claim.email_confirmed_at is not None
    [item] = review_queue(kind="claim")
    assert item.subject.id == claim.id and item.anchor == f"claim-{claim.id}"


def test_a_used_or_old_confirmation_link_does_nothing(client, login, firm, outbox, mail_on):
    login("supplier")
    _claim_by_email(client, firm)
    link = _confirmation_link(outbox)
    [claim] = _claims()
    claim.created_at = utcnow() - timedelta(days=service.CONFIRMATION_DAYS + 1)
    db.session.commit()
    page = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "used, expired or wrong" in page
    assert _claims()[0].status == ClaimStatus.AWAITING_EMAIL


def test_an_address_off_the_domain_is_refused_next_to_the_field(client, login, firm):
    login("supplier")
    page = _claim_by_email(client, firm, "amna@gmail.com").get_data(as_text=True)
    assert "on the firm&#39;s website domain" in page or "on the firm's website domain" in page
    assert _claims() == []


def test_document_claim_goes_to_staff_at_once_and_checks_the_file(client, login, firm):
    login("supplier")
    bad = client.post(
        f"/suppliers/{firm.id}/claim",
        data={"position": "Owner", "method": "document", "document": (io.BytesIO(b"<html>hi</html>"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and _claims() == []
    missing = client.post(f"/suppliers/{firm.id}/claim", data={"position": "Owner", "method": "document"})
    assert "Choose the document" in missing.get_data(as_text=True)
    good = client.post(
        f"/suppliers/{firm.id}/claim",
        data={"position": "Owner", "method": "document", "document": (io.BytesIO(PDF_BYTES), "ntn.pdf")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    [claim] = _claims()
    assert claim.status == ClaimStatus.PENDING and claim.document_name == "ntn.pdf"
    assert client.get(f"/claims/{claim.id}/document").headers["Content-Disposition"].startswith("attachment")


def test_a_claim_needs_a_position_and_one_open_claim_per_person(client, login, firm):
    login("supplier")
    page = client.post(f"/suppliers/{firm.id}/claim", data={"method": "email", "email": "a@indusmoulds.pk"})
    assert "Say what you do at the firm" in page.get_data(as_text=True)
    _claim_by_email(client, firm)
    again = client.get(f"/suppliers/{firm.id}/claim").get_data(as_text=True)
    assert "already claimed this listing" in again
    _claim_by_email(client, firm)
    assert len(_claims()) == 1


@pytest.mark.parametrize("role", ["brand", "investor", "staff"])
def test_only_local_firm_accounts_can_claim(client, login, firm, role):
    login(role)
    assert "Only a local-firm account" in client.get(f"/suppliers/{firm.id}/claim").get_data(as_text=True)
    _claim_by_email(client, firm)
    assert _claims() == []


def test_owned_hidden_or_missing_listings_cannot_be_claimed(client, login, app):
    login("supplier")
    owned = make_firm("Owned", owner=make_user("supplier", email="claimant2@example.com"), website="owned.pk")
    assert "already run by an account holder" in client.get(f"/suppliers/{owned.id}/claim").get_data(as_text=True)
    hidden = make_firm("Hidden", suspended=True)
    assert client.get(f"/suppliers/{hidden.id}/claim").status_code == 404
    assert client.get("/suppliers/999999/claim").status_code == 404
    anonymous = client.application.test_client()
    assert anonymous.get(f"/suppliers/{owned.id}/claim").status_code == 302


def _pending_claim(firm, user=None) -> FirmClaim:
    user = user or make_user("supplier", email=f"claimant-{len(_claims())}-3@example.com")
    claim = FirmClaim(firm=firm, user=user, method="document", position="Director", status=ClaimStatus.PENDING,
                      document_path="x/y.pdf", document_name="ntn.pdf", document_mime="application/pdf",
                      submitted_at=utcnow())  # fmt: skip
    db.session.add(claim)
    db.session.commit()
    return claim


def test_staff_approve_a_claim_the_claimant_owns_the_listing_and_rivals_are_told(client, login, firm, outbox):
    first, second = _pending_claim(firm), _pending_claim(firm)
    login("staff")
    page = client.get(f"/staff/firms/{firm.id}").get_data(as_text=True)
    assert f'id="claim-{first.id}"' in page and "Approve claim" in page
    response = client.post(f"/staff/claims/{first.id}/decide", data={"decision": "approve", "version": first.version})
    assert response.headers["Location"].endswith(f"/staff/firms/{firm.id}#claim-{first.id}")
    claims = _claims()
    assert [c.status for c in claims] == [ClaimStatus.APPROVED, ClaimStatus.REJECTED]
    member = db.session.scalar(select(FirmMember).where(FirmMember.firm_id == firm.id))
    assert member.user_id == first.user_id and member.role == MemberRole.OWNER
    assert {m.recipient for m in outbox("claim_decision")} == {first.user.email, second.user.email}
    assert review_queue(kind="claim") == []


def test_rejecting_needs_a_reason_that_reaches_the_claimant(client, login, firm, outbox):
    claim = _pending_claim(firm)
    login("staff")
    client.post(f"/staff/claims/{claim.id}/decide", data={"decision": "reject", "version": claim.version})
    assert _claims()[0].status == ClaimStatus.PENDING
    client.post(
        f"/staff/claims/{claim.id}/decide",
        data={"decision": "reject", "reason": "The document names another firm.", "version": claim.version},
    )
    assert _claims()[0].status == ClaimStatus.REJECTED
    assert "The document names another firm." in outbox("claim_decision")[-1].body
    assert db.session.scalar(select(FirmMember).where(FirmMember.firm_id == firm.id)) is None


def test_a_second_reviewer_gets_a_message_not_a_double_decision(client, login, firm):
    claim = _pending_claim(firm)
    seen = claim.version
    login("staff")
    client.post(f"/staff/claims/{claim.id}/decide", data={"decision": "reject", "reason": "No.", "version": seen})
    page = client.post(
        f"/staff/claims/{claim.id}/decide", data={"decision": "approve", "version": seen}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Another reviewer decided this claim meanwhile" in page
    assert _claims()[0].status == ClaimStatus.REJECTED


@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
def test_only_staff_decide_and_others_cannot_read_the_document(client, login, firm, role):
    claim = _pending_claim(firm)
    login(role)
    assert client.post(f"/staff/claims/{claim.id}/decide", data={"decision": "approve"}).status_code == 403
    assert client.get(f"/claims/{claim.id}/document").status_code == 404
    assert _claims()[0].status == ClaimStatus.PENDING


def test_the_claimant_sees_and_can_withdraw_their_claim(client, login, firm):
    user = make_user("supplier", email="claimant4@example.com")
    claim = _pending_claim(firm, user)
    login(user)
    assert "With EDB staff" in client.get("/claims/").get_data(as_text=True)
    client.post(f"/claims/{claim.id}/withdraw")
    assert _claims()[0].status == ClaimStatus.PENDING, "withdrawing asks first"
    client.post(f"/claims/{claim.id}/withdraw", data={"understood": "yes"})
    assert _claims()[0].status == ClaimStatus.WITHDRAWN
    login("supplier")
    assert client.post(f"/claims/{claim.id}/withdraw").status_code == 404


def test_staff_add_an_unowned_listing_that_waits_for_review(client, login):
    from portal.suppliers.models import Firm, ListingStatus

    login("staff")
    assert "Add a listing" in client.get("/staff/firms").get_data(as_text=True)
    page = client.post("/staff/firms/new", data={"legal_name": "", "city": "Sialkot", "province": "Punjab"})
    assert page.status_code == 200 and db.session.scalar(select(Firm)) is None
    response = client.post(
        "/staff/firms/new",
        data={"legal_name": "Sialkot Metal Works", "city": "Sialkot", "province": "Punjab",
              "website": "https://smw.pk", "contact_email": "info@smw.pk", "description": "Metal frames and small pressed parts for phone makers since 1998."},
    )  # fmt: skip
    firm = db.session.scalar(select(Firm))
    assert response.headers["Location"].endswith(f"/staff/firms/{firm.id}")
    assert firm.status == ListingStatus.SUBMITTED and firm.members == []
    assert [item.firm.id for item in review_queue(kind="listing")] == [firm.id]


@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
def test_only_staff_add_listings(client, login, role):
    login(role)
    assert client.get("/staff/firms/new").status_code == 403
