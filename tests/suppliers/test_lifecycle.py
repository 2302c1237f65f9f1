"""The listing's states, the staff decisions that move it, and what each one shows the public."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.suppliers import lifecycle
from portal.suppliers.models import ListingStatus, ReviewStatus
from tests.factories import make_capability, make_firm


@pytest.fixture
def draft(users):
    return make_firm(
        "Ravi Circuits (Pvt) Ltd",
        status=ListingStatus.DRAFT,
        owner=users["supplier"],
        capabilities=[{"category": "pcba", "review": ReviewStatus.PENDING}],
    )


def test_submit_moves_a_complete_draft_to_submitted(client, login, draft, db):
    login("supplier")
    response = client.post(f"/firms/{draft.id}/submit", follow_redirects=True)
    assert "Submitted. EDB staff review new listings" in response.get_data(as_text=True)
    db.session.expire_all()
    assert draft.status == ListingStatus.SUBMITTED
    assert draft.submitted_at is not None


def test_a_listing_without_capabilities_cannot_be_submitted(client, login, users, db):
    firm = make_firm(status=ListingStatus.DRAFT, owner=users["supplier"])
    login("supplier")
    body = client.post(f"/firms/{firm.id}/submit", follow_redirects=True).get_data(as_text=True)
    assert "Add at least one capability" in body
    db.session.expire_all()
    assert firm.status == ListingStatus.DRAFT


def test_staff_verify_publishes_listing_and_its_capabilities(client, login, draft, db, outbox):
    lifecycle.submit(draft, None)
    login("staff")
    response = client.post(f"/staff/firms/{draft.id}/verify", data={"version": draft.version}, follow_redirects=True)
    assert "is verified and public" in response.get_data(as_text=True)
    db.session.expire_all()
    assert draft.status == ListingStatus.VERIFIED and draft.is_public
    assert draft.capabilities[0].review_status == ReviewStatus.VERIFIED
    assert outbox("listing_review")[-1].recipient == "supplier@example.com"
    assert "Ravi Circuits" in client.get("/suppliers/").get_data(as_text=True)
    assert "Ravi Circuits" in client.get("/categories/pcba").get_data(as_text=True)


def test_draft_cannot_be_verified(client, login, draft, db):
    login("staff")
    body = client.post(
        f"/staff/firms/{draft.id}/verify", data={"version": draft.version}, follow_redirects=True
    ).get_data(as_text=True)
    assert "cannot be sent to verified" in body
    db.session.expire_all()
    assert draft.status == ListingStatus.DRAFT


def test_second_reviewer_acting_on_a_stale_page_is_refused(client, login, draft, db):
    lifecycle.submit(draft, None)
    seen_version = draft.version
    lifecycle.request_changes(draft, None, {"description": "Say which SMT lines you run."})
    login("staff")
    body = client.post(
        f"/staff/firms/{draft.id}/verify", data={"version": seen_version}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Someone else changed this listing" in body
    db.session.expire_all()
    assert draft.status == ListingStatus.CHANGES_REQUESTED


def test_requested_changes_reach_the_firm_with_reasons_per_field(client, login, draft, db, outbox):
    lifecycle.submit(draft, None)
    login("staff")
    client.post(
        f"/staff/firms/{draft.id}/request_changes",
        data={
            "version": draft.version,
            "reason_description": "Name your SMT lines.",
            "reason_certificates": "Upload ISO 9001.",
        },
    )
    db.session.expire_all()
    assert draft.status == ListingStatus.CHANGES_REQUESTED
    assert draft.review_reasons == {"description": "Name your SMT lines.", "certificates": "Upload ISO 9001."}
    assert "Name your SMT lines." in outbox("listing_review")[-1].body

    login("supplier")
    page = client.get(f"/firms/{draft.id}/").get_data(as_text=True)
    assert "Name your SMT lines." in page and "Upload ISO 9001." in page
    client.post(f"/firms/{draft.id}/submit")
    db.session.expire_all()
    assert draft.status == ListingStatus.SUBMITTED


def test_request_changes_needs_at_least_one_reason(client, login, draft, db):
    lifecycle.submit(draft, None)
    login("staff")
    body = client.post(
        f"/staff/firms/{draft.id}/request_changes", data={"version": draft.version}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Say what should change for at least one field." in body


def test_rejected_listing_is_locked_for_the_firm(client, login, draft, db):
    lifecycle.submit(draft, None)
    lifecycle.reject(draft, None, "Not a manufacturer.")
    login("supplier")
    body = client.post(
        f"/firms/{draft.id}/capabilities/new",
        data={"category": "charger", "monthly_capacity": "100", "capacity_unit": "pieces"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "was rejected and can no longer be changed" in body
    assert len(draft.capabilities) == 1


def test_suspension_hides_the_firm_at_once_and_reinstating_shows_it(client, login, users, db, outbox):
    firm = make_firm("Sialkot Moulders", owner=users["supplier"], capabilities=[{"category": "housing-plastic"}])
    assert "Sialkot Moulders" in client.get("/suppliers/").get_data(as_text=True)
    login("staff")
    client.post(
        f"/staff/firms/{firm.id}/suspend",
        data={"version": firm.version, "reason": "Expired certificate used in a tender."},
        follow_redirects=True,
    )
    assert "Sialkot Moulders" not in client.get("/suppliers/").get_data(as_text=True)
    assert "Sialkot Moulders" not in client.get("/categories/housing-plastic").get_data(as_text=True)
    assert "Expired certificate used" in outbox("listing_review")[-1].body

    db.session.expire_all()
    client.post(
        f"/staff/firms/{firm.id}/reinstate",
        data={"version": firm.version, "reason": "Resolved."},
        follow_redirects=True,
    )
    assert "Sialkot Moulders" in client.get("/suppliers/").get_data(as_text=True)


def test_suspending_needs_a_reason(client, login, db):
    firm = make_firm()
    login("staff")
    body = client.post(
        f"/staff/firms/{firm.id}/suspend", data={"version": firm.version, "reason": " "}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Give the reason for suspending the listing." in body
    db.session.expire_all()
    assert not firm.suspended


def test_every_decision_is_in_the_audit_trail(client, login, draft, db, users):
    lifecycle.submit(draft, users["supplier"])
    login("staff")
    client.post(f"/staff/firms/{draft.id}/verify", data={"version": draft.version})
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.firm_id == draft.id).order_by(AuditEntry.sequence)
    ).all()
    assert actions[-2:] == ["firm.submit", "firm.verify"]
    verify = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "firm.verify"))
    assert verify.actor_id == users["staff"].id
    assert verify.before == {"status": "submitted"} and verify.after == {"status": "verified"}


@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
def test_only_staff_can_decide(client, login, draft, role, db):
    lifecycle.submit(draft, None)
    login(role)
    assert client.post(f"/staff/firms/{draft.id}/verify", data={"version": draft.version}).status_code == 403
    db.session.expire_all()
    assert draft.status == ListingStatus.SUBMITTED


def test_staff_verify_a_certificate_after_seeing_evidence(client, login, users, db):
    firm = make_firm(
        owner=users["supplier"],
        certificates=[{"type": "iso-9001", "review": ReviewStatus.PENDING, "evidence_path": "iso.pdf"}],
    )
    certificate = firm.certificates[0]
    assert not certificate.is_valid_on()
    login("staff")
    client.post(f"/staff/certificates/{certificate.id}/review", data={"decision": "approve"})
    db.session.expire_all()
    assert certificate.is_valid_on()
    assert "ISO 9001" in client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)


def test_rejecting_a_certificate_needs_a_reason_and_tells_the_firm(client, login, users, db, outbox):
    firm = make_firm(owner=users["supplier"], certificates=[{"type": "rohs", "review": ReviewStatus.PENDING}])
    certificate = firm.certificates[0]
    login("staff")
    body = client.post(
        f"/staff/certificates/{certificate.id}/review", data={"decision": "reject"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Give the reason for rejecting the certificate" in body
    client.post(
        f"/staff/certificates/{certificate.id}/review", data={"decision": "reject", "reason": "Scan is unreadable."}
    )
    db.session.expire_all()
    assert certificate.review_status == ReviewStatus.REJECTED
    assert "Scan is unreadable." in outbox("item_review")[-1].body


def test_staff_review_queue_lists_oldest_submission_first(client, login, users, db):
    from datetime import timedelta

    from portal.timeutil import utcnow

    newer = make_firm("Newer Ltd", status=ListingStatus.SUBMITTED, submitted_at=utcnow())
    older = make_firm("Older Ltd", status=ListingStatus.SUBMITTED, submitted_at=utcnow() - timedelta(days=3))
    make_capability(newer, "charger", review=ReviewStatus.PENDING)
    db.session.commit()
    login("staff")
    body = client.get("/staff/firms?status=submitted").get_data(as_text=True)
    assert body.index("Older Ltd") < body.index("Newer Ltd")
    assert older.id and "Newer Ltd" in body


def test_a_second_reviewer_cannot_decide_a_certificate_again(client, login, users, db, outbox):
    firm = make_firm(
        owner=users["supplier"],
        certificates=[{"type": "iso-9001", "review": ReviewStatus.PENDING, "evidence_path": "iso.pdf"}],
    )
    certificate = firm.certificates[0]
    login("staff")
    client.post(f"/staff/certificates/{certificate.id}/review", data={"decision": "approve"})
    body = client.post(
        f"/staff/certificates/{certificate.id}/review",
        data={"decision": "reject", "reason": "stale page"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "already decided" in body
    db.session.expire_all()
    assert certificate.review_status == ReviewStatus.VERIFIED
    assert outbox("item_review") == []


def test_profile_changes_decided_on_a_stale_page_are_refused(client, login, users, db):
    firm = make_firm(owner=users["supplier"], proposed={"city": "Kasur"})
    seen = firm.version
    firm.proposed = {"city": "Sialkot"}
    db.session.commit()
    login("staff")
    body = client.post(
        f"/staff/firms/{firm.id}/profile-changes", data={"decision": "approve", "version": seen}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Someone else changed this listing" in body
    db.session.expire_all()
    assert firm.city == "Lahore"


def test_the_review_page_offers_decisions_only_on_what_awaits_one(client, login, users, db):
    firm = make_firm(
        "Indus Boards",
        owner=users["supplier"],
        capabilities=[{"category": "pcba"}, {"category": "charger", "review": ReviewStatus.PENDING}],
        certificates=[{"type": "iso-9001"}, {"type": "iec-62133", "review": ReviewStatus.REJECTED}],
    )
    verified, pending = firm.capabilities
    login("staff")
    page = client.get(f"/staff/firms/{firm.id}").get_data(as_text=True)
    assert f"/staff/capabilities/{pending.id}/review" in page
    assert f"/staff/capabilities/{verified.id}/review" not in page
    assert "/staff/certificates/" not in page, "verified and rejected certificates are decided"
    assert "Suspend listing" in page

    verified.proposed = {"monthly_capacity": 5000}  # an edit held for staff awaits a decision again
    db.session.commit()
    assert f"/staff/capabilities/{verified.id}/review" in client.get(f"/staff/firms/{firm.id}").get_data(as_text=True)


def test_only_a_verified_listing_can_be_suspended_from_the_review_page(client, login, draft):
    login("staff")
    assert "Suspend listing" not in client.get(f"/staff/firms/{draft.id}").get_data(as_text=True)
