"""A firm posts an investment opportunity; staff review it from the queue; every move is audited,
mailed where it concerns the firm, and a second reviewer is refused with a clear message."""

import html
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from portal.audit.models import AuditEntry
from portal.compliance.models import FirmStanding, LicenceStatus
from portal.extensions import db as _db
from portal.investment import opportunities, rules
from portal.investment.models import Opportunity, OpportunityDocument, OpportunityStatus
from portal.staff.queue import queue_count, review_queue
from portal.suppliers.models import FirmMember, ListingStatus
from portal.timeutil import today
from tests.factories import PDF_BYTES, PNG_BYTES, make_firm, make_user
from tests.investment.builders import make_opportunity

S = OpportunityStatus

FORM = {
    "title": "Second LCM line for feature phones",
    "purpose": "capacity_expansion",
    "categories": ["display-module", "touch-cover-glass"],
    "amount_min": "2000000",
    "amount_max": "3500000",
    "currency": "USD",
    "instruments": ["equity", "jv"],
    "stage": "operating",
    "use_of_funds": "A lamination line with AOI and a clean room for 1.8-inch TFT modules.",
    "show_amount": "y",
}


@pytest.fixture
def firm(users):
    return make_firm("Indus Displays (Pvt) Ltd", owner=users["supplier"], capabilities=[{"category": "display-module"}])


def post(client, firm, **changes):
    return client.post(f"/investment/firms/{firm.id}/new", data={**FORM, **changes})


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _file(data: bytes, name: str):
    return (io.BytesIO(data), name)


def actions(opportunity) -> list[str]:
    return list(
        _db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_type == "Opportunity", AuditEntry.subject_id == opportunity.id)
            .order_by(AuditEntry.sequence)
        )
    )


def test_a_firm_member_posts_a_draft_and_submits_it_into_the_review_queue(client, login, db, firm):
    login("supplier")
    response = post(client, firm)
    assert response.status_code == 302
    opportunity = db.session.scalar(select(Opportunity))
    assert (opportunity.status, opportunity.amount_min, opportunity.amount_max) == (
        S.DRAFT,
        Decimal("2000000"),
        Decimal("3500000"),
    )
    assert [c.slug for c in opportunity.categories] == ["display-module", "touch-cover-glass"]
    assert opportunity.instruments == ["equity", "jv"] and opportunity.show_amount
    assert review_queue() == [], "a draft waits for nobody"

    body = page(client.post(f"/investment/{opportunity.id}/submit", follow_redirects=True))
    assert "Submitted. EDB staff review opportunities" in body
    db.session.expire_all()
    assert opportunity.status == S.SUBMITTED and opportunity.submitted_at is not None
    [item] = review_queue()
    assert (item.kind, item.subject.id, item.firm.id) == ("investment", opportunity.id, firm.id)
    assert item.link == ("investment.review", {"opportunity_id": opportunity.id})
    assert queue_count() == 1
    assert actions(opportunity) == ["investment.created", "investment.submit"]


def test_the_queue_filters_opportunities_by_kind_category_and_province(db, firm, users):
    opportunity = make_opportunity(firm, status=S.SUBMITTED, categories=("display-module",))
    assert [i.subject for i in review_queue(kind="investment")] == [opportunity]
    assert [i.subject for i in review_queue(category="display-module")] == [opportunity]
    assert review_queue(category="battery") == []
    assert review_queue(province="Sindh") == []
    assert review_queue(kind="listing") == []


def test_staff_see_the_opportunity_in_the_queue_page_and_open_its_review(client, login, db, firm):
    opportunity = make_opportunity(firm, status=S.SUBMITTED)
    login("staff")
    queue_page = page(client.get("/staff/queue"))
    assert "Investment opportunity" in queue_page and "Review queue (1)" in queue_page
    assert f"/investment/{opportunity.id}/review" in queue_page
    review = page(client.get(f"/investment/{opportunity.id}/review"))
    assert "Approve and publish" in review and "Second LCM line" in review


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"status": ListingStatus.SUBMITTED}, "must be verified by EDB"),
        ({"suspended": True}, "listing is suspended"),
    ],
)
def test_only_a_verified_unsuspended_firm_submits(client, login, db, users, state, message):
    firm = make_firm("Waiting Displays", owner=users["supplier"], **state)
    opportunity = make_opportunity(firm, status=S.DRAFT)
    login("supplier")
    body = page(client.post(f"/investment/{opportunity.id}/submit", follow_redirects=True))
    assert message in body
    db.session.expire_all()
    assert opportunity.status == S.DRAFT


def test_a_firm_excluded_by_compliance_cannot_submit(client, login, db, firm):
    db.session.add(
        FirmStanding(firm_id=firm.id, licence_status=LicenceStatus.SUSPENDED, licence_since=today() - timedelta(days=1))
    )
    db.session.commit()
    opportunity = make_opportunity(firm, status=S.DRAFT)
    login("supplier")
    assert "keeps the firm out of matching" in page(client.get(f"/investment/{opportunity.id}"))
    client.post(f"/investment/{opportunity.id}/submit")
    db.session.expire_all()
    assert opportunity.status == S.DRAFT


def test_bad_amounts_and_missing_choices_get_messages_next_to_the_fields(client, login, db, firm):
    login("supplier")
    body = page(post(client, firm, amount_min="5000000", amount_max="1000000"))
    assert "The maximum must be at least the minimum." in body
    assert 'id="amount_max-error"' in body
    for bad in ("-5", "0", "0.001", "NaN", "Infinity", "sNaN", "1e400", "12abc", ""):
        body = page(post(client, firm, amount_min=bad))
        assert response_has_amount_message(body), bad
    body = page(post(client, firm, categories=[], instruments=[], title="", stage="", purpose="moon-base"))
    for message in (
        "Choose at least one component category.",
        "Choose at least one instrument.",
        "Give the opportunity a title.",
        "Choose the stage.",
        "Not a valid choice",
    ):
        assert message in body
    body = page(post(client, firm, categories=["warp-drive"], instruments=["shares"], currency="GBP"))
    assert body.count("not a valid choice") + body.count("Not a valid choice") >= 3
    assert db.session.scalar(select(Opportunity)) is None


def response_has_amount_message(body: str) -> bool:
    return any(
        text in body
        for text in (
            "Enter an amount greater than 0.",
            "Enter an amount below 10,000,000,000,000.",
            "Not a valid decimal value",
            "Enter the smallest amount you would take.",
        )
    )


def test_staff_approve_and_the_firm_is_told(client, login, db, outbox, firm, users):
    colleague = make_user("supplier", email="colleague@indus.example")
    db.session.add(FirmMember(firm=firm, user=colleague))
    db.session.commit()
    opportunity = make_opportunity(firm, status=S.SUBMITTED)
    login("staff")
    body = page(
        client.post(
            f"/investment/{opportunity.id}/review/approve",
            data={"version": opportunity.version},
            follow_redirects=True,
        )
    )
    assert "Published: investors can now find it." in body
    db.session.expire_all()
    assert opportunity.status == S.PUBLISHED and opportunity.published_at is not None
    mails = outbox("investment_review")
    assert sorted(m.recipient for m in mails) == ["colleague@indus.example", "supplier@example.com"]
    assert f"/investment/{opportunity.id}" in mails[0].body
    assert actions(opportunity)[-1] == "investment.approve"
    assert queue_count() == 0


@pytest.mark.parametrize(("action", "status"), [("request_changes", S.CHANGES_REQUESTED), ("reject", S.REJECTED)])
def test_staff_ask_for_changes_or_reject_only_with_a_reason_the_firm_reads(
    client, login, db, outbox, firm, action, status
):
    opportunity = make_opportunity(firm, status=S.SUBMITTED)
    login("staff")
    body = page(
        client.post(
            f"/investment/{opportunity.id}/review/{action}", data={"version": 1, "reason": "  "}, follow_redirects=True
        )
    )
    assert "Give the reason; the firm reads it." in body
    db.session.expire_all()
    assert opportunity.status == S.SUBMITTED and outbox() == []
    client.post(
        f"/investment/{opportunity.id}/review/{action}",
        data={"version": opportunity.version, "reason": "Say which SMT line the money buys."},
    )
    db.session.expire_all()
    assert opportunity.status == status and opportunity.review_reason == "Say which SMT line the money buys."
    [mail] = outbox("investment_review")
    assert "Say which SMT line the money buys." in mail.body
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.sequence.desc()))
    assert (entry.action, entry.note) == (f"investment.{action}", "Say which SMT line the money buys.")
    login("supplier")
    assert "Say which SMT line the money buys." in page(client.get(f"/investment/{opportunity.id}"))


def test_changes_requested_can_be_edited_and_submitted_again(client, login, db, firm):
    opportunity = make_opportunity(firm, status=S.CHANGES_REQUESTED, review_reason="Name the line.")
    login("supplier")
    assert client.get(f"/investment/{opportunity.id}/edit").status_code == 200
    client.post(f"/investment/{opportunity.id}/edit", data={**FORM, "title": "Second LCM line (Hitachi laminator)"})
    client.post(f"/investment/{opportunity.id}/submit")
    db.session.expire_all()
    assert (opportunity.title, opportunity.status, opportunity.review_reason) == (
        "Second LCM line (Hitachi laminator)",
        S.SUBMITTED,
        "",
    )
    assert actions(opportunity)[-2:] == ["investment.updated", "investment.submit"]


def test_a_submitted_or_published_opportunity_is_not_edited(client, login, db, firm):
    opportunity = make_opportunity(firm, status=S.PUBLISHED)
    login("supplier")
    body = page(
        client.post(f"/investment/{opportunity.id}/edit", data={**FORM, "title": "Changed"}, follow_redirects=True)
    )
    assert "Only a draft, or an opportunity staff sent back for changes, can be edited" in body
    db.session.expire_all()
    assert opportunity.title == "Second LCM line for feature phones"


def test_the_firm_closes_a_published_one_and_withdraws_a_submitted_one(client, login, db, firm):
    published = make_opportunity(firm, status=S.PUBLISHED)
    submitted = make_opportunity(firm, "Battery line", status=S.SUBMITTED)
    login("supplier")
    client.post(f"/investment/{published.id}/close")
    client.post(f"/investment/{submitted.id}/withdraw")
    db.session.expire_all()
    assert (published.status, submitted.status) == (S.CLOSED, S.WITHDRAWN)
    body = page(client.post(f"/investment/{published.id}/submit", follow_redirects=True))
    assert "This opportunity is “Closed”; that is no longer possible." in body
    assert actions(published)[-1] == "investment.close" and actions(submitted)[-1] == "investment.withdraw"
    assert queue_count() == 0


def test_a_second_reviewer_is_refused_with_a_clear_message(client, login, db, firm, users):
    opportunity = make_opportunity(firm, status=S.SUBMITTED)
    seen = opportunity.version
    login("staff")
    client.post(f"/investment/{opportunity.id}/review/approve", data={"version": seen})
    login("other_staff")
    body = page(
        client.post(
            f"/investment/{opportunity.id}/review/reject",
            data={"version": seen, "reason": "Too vague."},
            follow_redirects=True,
        )
    )
    assert "Someone else changed this while you were looking at it; reload the page and decide again." in body
    db.session.expire_all()
    assert opportunity.status == S.PUBLISHED and opportunity.review_reason == ""


def test_a_decision_racing_another_commit_is_refused_not_lost(app, db, firm, users):
    """Both reviewers passed the version check; the database refuses the second write."""
    opportunity = make_opportunity(firm, status=S.SUBMITTED)
    seen = opportunity.version
    with db.engine.begin() as other:
        other.execute(
            update(Opportunity).where(Opportunity.id == opportunity.id).values(version=seen + 1, review_reason="x")
        )
    with pytest.raises(rules.ChangedMeanwhile):
        opportunities.reject(opportunity, users["staff"], "Too vague.", seen)
    db.session.expire_all()
    assert opportunity.status == S.SUBMITTED


def test_data_room_documents_follow_the_upload_rules(client, login, db, firm):
    opportunity = make_opportunity(firm, status=S.DRAFT)
    login("supplier")
    url = f"/investment/{opportunity.id}/documents"
    body = page(
        client.post(
            url,
            data={"document": _file(b"<html><script>", "plan.pdf")},
            follow_redirects=True,
        )
    )
    assert "Upload a PDF, PNG or JPEG file" in body
    body = page(client.post(url, data={}, follow_redirects=True))
    assert "Choose a PDF, PNG or JPEG file to upload." in body
    client.post(url, data={"document": _file(PDF_BYTES, "plan.pdf"), "description": "Business plan"})
    client.post(url, data={"document": _file(PNG_BYTES, "site.png")})
    documents = db.session.scalars(select(OpportunityDocument).order_by(OpportunityDocument.id)).all()
    assert [(d.filename, d.mimetype, d.description) for d in documents] == [
        ("plan.pdf", "application/pdf", "Business plan"),
        ("site.png", "image/png", ""),
    ]
    response = client.get(f"/investment/{opportunity.id}/documents/{documents[0].id}")
    assert response.status_code == 200 and response.data == PDF_BYTES
    assert response.headers["Content-Disposition"].startswith("attachment")
    client.post(f"/investment/{opportunity.id}/documents/{documents[1].id}/delete")
    assert [d.filename for d in db.session.scalars(select(OpportunityDocument))] == ["plan.pdf"]
    assert "investment.document_deleted" in db.session.scalars(select(AuditEntry.action)).all()


def test_an_ended_opportunity_keeps_its_data_room_as_it_was(client, login, db, firm):
    opportunity = make_opportunity(firm, status=S.WITHDRAWN)
    login("supplier")
    body = page(
        client.post(
            f"/investment/{opportunity.id}/documents",
            data={"document": _file(PDF_BYTES, "late.pdf")},
            follow_redirects=True,
        )
    )
    assert "its data room no longer changes" in body
    assert db.session.scalar(select(OpportunityDocument)) is None


def test_approval_is_refused_when_the_firm_was_suspended_meanwhile_and_next_in_queue_leads_on(client, login, db, firm):
    opportunity = make_opportunity(firm, status=S.SUBMITTED)
    other = make_opportunity(make_firm("Karachi Cells"), "Cell line", status=S.SUBMITTED, categories=("battery",))
    login("staff")
    review = page(client.get(f"/investment/{opportunity.id}/review"))
    assert f'href="/investment/{other.id}/review"' in review.split("Next in queue")[0].rsplit("<a", 1)[1]
    firm.suspended = True
    db.session.commit()
    body = page(
        client.post(
            f"/investment/{opportunity.id}/review/approve", data={"version": opportunity.version}, follow_redirects=True
        )
    )
    assert "The firm's listing is suspended" in body
    db.session.expire_all()
    assert opportunity.status == S.SUBMITTED
