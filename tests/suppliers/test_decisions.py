"""Every staff decision about a firm's listing, capability, certificate or claim reaches the firm in the
portal (its pages and its notifications) with the reason and what to do next."""

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.claims.models import ClaimMethod, ClaimStatus, FirmClaim
from portal.notifications.models import Notification
from portal.suppliers import lifecycle
from portal.suppliers.models import ListingStatus, ReviewStatus
from tests.factories import make_firm


def _notices(user):
    return list(Notification.query.filter_by(user_id=user.id).order_by(Notification.id))


def _refused_then_decided(client, db, kind, item, decision, message, reason):
    """Staff decide without words and are refused next to the field; then decide with `reason`."""
    refused = client.post(f"/staff/{kind}/{item.id}/review", data={"decision": decision})
    assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    db.session.expire_all()
    assert item.review_status == ReviewStatus.PENDING
    client.post(f"/staff/{kind}/{item.id}/review", data={"decision": decision, "reason": reason})


def test_a_rejected_certificate_shows_its_reason_and_next_step_on_the_firms_page(client, login, users, db, outbox):
    firm = make_firm(
        owner=users["supplier"],
        certificates=[{"type": "rohs", "review": ReviewStatus.PENDING, "evidence_path": "x.pdf"}],
    )
    login("staff")
    client.post(
        f"/staff/certificates/{firm.certificates[0].id}/review",
        data={"decision": "reject", "reason": "The scan is unreadable."},
    )
    login("supplier")
    page = client.get(f"/firms/{firm.id}/").get_data(as_text=True)
    assert "Certificate not accepted" in page and "The scan is unreadable." in page
    assert "upload a readable copy of the certificate" in page
    # The completeness panel says the same, not "upload the certificate".
    assert "Correct the RoHS certificate EDB did not accept" in page
    assert "Upload the RoHS certificate" not in page
    [notice] = _notices(users["supplier"])
    assert notice.kind == "item_review" and "The scan is unreadable." in notice.body
    assert "What to do next" in notice.body and notice.link.endswith("#certificates")
    assert "The scan is unreadable." in outbox("item_review")[-1].body
    notices = client.get("/notifications/").get_data(as_text=True)
    assert "The scan is unreadable." in notices


def test_a_rejected_capability_needs_a_reason_and_the_firm_reads_it(client, login, users, db):
    firm = make_firm(owner=users["supplier"], capabilities=[{"category": "pcba", "review": ReviewStatus.PENDING}])
    capability = firm.capabilities[0]
    login("staff")
    _refused_then_decided(
        client, db, "capabilities", capability, "reject",
        "Give the reason for rejecting the capability", "Capacity of 10,000 boards needs a second SMT line.",
    )  # fmt: skip
    login("supplier")
    page = client.get(f"/firms/{firm.id}/").get_data(as_text=True)
    assert "Capability not accepted" in page and "needs a second SMT line" in page
    assert "Correct or remove the capability PCB assembly (SMT and through-hole) EDB did not accept" in page
    assert "needs a second SMT line" in _notices(users["supplier"])[-1].body

    # Correcting it sends it back to review and the old reason goes.
    client.post(
        f"/firms/{firm.id}/capabilities/{capability.id}/edit",
        data={"category": "pcba", "monthly_capacity": "4000", "capacity_unit": "boards", "processes": ["smt"]},
    )
    db.session.expire_all()
    assert capability.review_status == ReviewStatus.PENDING and capability.review_note == ""
    assert "Capability not accepted" not in client.get(f"/firms/{firm.id}/").get_data(as_text=True)


def test_a_declined_capability_edit_tells_the_firm_why(client, login, users, db):
    firm = make_firm(owner=users["supplier"], capabilities=[{"category": "pcba"}])
    capability = firm.capabilities[0]
    capability.proposed = {"category_slug": "pcba", "monthly_capacity": 900000}
    db.session.commit()
    login("staff")
    client.post(
        f"/staff/capabilities/{capability.id}/review", data={"decision": "reject", "reason": "No evidence of lines."}
    )
    [notice] = _notices(users["supplier"])
    assert notice.subject == "Your change to PCB assembly (SMT and through-hole) was not accepted"
    assert "No evidence of lines." in notice.body and "verified values stay public" in notice.body


def test_listing_decisions_reach_the_firm_as_notices_with_next_steps(client, login, users, db):
    firm = make_firm(
        status=ListingStatus.SUBMITTED, owner=users["supplier"], capabilities=[{"review": ReviewStatus.PENDING}]
    )
    lifecycle.request_changes(firm, users["staff"], {"description": "Name your SMT lines."})
    lifecycle.submit(firm, users["supplier"])
    lifecycle.reject(firm, users["staff"], "Not a manufacturer: the firm trades imported boards.")
    subjects = [n.subject for n in _notices(users["supplier"])]
    assert subjects == [f"Changes requested for {firm.display_name}", f"{firm.display_name} was not accepted"]
    login("supplier")
    page = client.get(f"/firms/{firm.id}/").get_data(as_text=True)
    assert "Listing: Not accepted." in page and "the firm trades imported boards" in page
    assert "contact EDB staff and cite this reason" in page


def test_suspension_and_reinstatement_are_told_in_the_portal(client, login, users, db):
    firm = make_firm(owner=users["supplier"])
    lifecycle.suspend(firm, users["staff"], "Expired certificate used in a tender.")
    login("supplier")
    page = client.get(f"/firms/{firm.id}/").get_data(as_text=True)
    assert "Suspended by EDB" in page and "Expired certificate used in a tender." in page
    assert "hidden from the directory, search and matching" in page
    lifecycle.reinstate(firm, users["staff"], "Valid certificate shown.")
    assert [n.kind for n in _notices(users["supplier"])] == ["listing_review", "listing_review"]
    assert "Suspended by EDB" not in client.get(f"/firms/{firm.id}/").get_data(as_text=True)


def test_a_rejected_claim_shows_its_reason_and_how_to_claim_again(client, login, users, db):
    firm = make_firm("Indus Moulds")
    claimant = users["supplier"]
    claim = FirmClaim(firm=firm, user=claimant, method=ClaimMethod.DOCUMENT, status=ClaimStatus.PENDING)
    db.session.add(claim)
    db.session.commit()
    login("staff")
    client.post(
        f"/staff/claims/{claim.id}/decide",
        data={"version": claim.version, "decision": "reject", "reason": "The document names another firm."},
    )
    db.session.expire_all()
    assert claim.status == ClaimStatus.REJECTED
    [notice] = _notices(claimant)
    assert notice.kind == "claim_decision" and "The document names another firm." in notice.body
    login("supplier")
    page = client.get("/claims/").get_data(as_text=True)
    assert "The document names another firm." in page and "claim it again with other evidence" in page
    assert f"/suppliers/{firm.id}/claim" in page


def test_verifying_a_certificate_without_evidence_needs_a_note_of_how_it_was_checked(client, login, users, db):
    firm = make_firm(owner=users["supplier"], certificates=[{"type": "iso-9001", "review": ReviewStatus.PENDING}])
    certificate = firm.certificates[0]
    login("staff")
    review_page = client.get(f"/staff/firms/{firm.id}").get_data(as_text=True)
    assert "Note: how it was checked" in review_page
    _refused_then_decided(
        client, db, "certificates", certificate, "approve",
        "say how the certificate was checked", "Checked with the issuing body's register, entry QMS-2291.",
    )  # fmt: skip
    db.session.expire_all()
    assert certificate.is_valid_on()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.verified"))
    assert entry.note == "Checked with the issuing body's register, entry QMS-2291."
    login("supplier")
    page = client.get(f"/firms/{firm.id}/").get_data(as_text=True)
    assert "Checked by EDB: Checked with the issuing body" in page
    # Verified by EDB, so the panel does not ask for the document any more.
    assert "Upload the ISO 9001 certificate" not in page


def test_a_certificate_with_evidence_is_verified_without_a_note(client, login, users, db):
    firm = make_firm(
        owner=users["supplier"],
        certificates=[{"type": "iso-9001", "review": ReviewStatus.PENDING, "evidence_path": "x.pdf"}],
    )
    login("staff")
    client.post(f"/staff/certificates/{firm.certificates[0].id}/review", data={"decision": "approve"})
    db.session.expire_all()
    assert firm.certificates[0].is_valid_on()


def test_only_the_firms_people_are_told(client, login, users, cast, db):
    outsider = cast.other_supplier
    firm = make_firm(owner=users["supplier"], certificates=[{"type": "rohs", "review": ReviewStatus.PENDING}])
    lifecycle.review_certificate(firm.certificates[0], users["staff"], False, "Wrong firm name.")
    assert _notices(outsider) == [] and len(_notices(users["supplier"])) == 1
