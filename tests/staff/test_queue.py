"""The review queue: what waits, in which order, its filters, the count in the navigation, and
that a decision takes an item out of it."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from portal.audit.models import AuditEntry
from portal.staff import queue
from portal.staff.queue import queue_count, review_queue
from portal.suppliers import service
from portal.suppliers.models import Firm, ListingStatus, ReviewStatus
from portal.timeutil import utcnow
from tests.factories import make_firm

S, R = ListingStatus, ReviewStatus


def _ago(days: int):
    return utcnow() - timedelta(days=days, minutes=5)


@pytest.fixture
def waiting(users):
    """One item of each kind, each waiting a different number of days, in different places."""
    listing = make_firm(
        "Ravi Circuits (Pvt) Ltd",
        status=S.SUBMITTED,
        submitted_at=_ago(5),
        owner=users["supplier"],
        capabilities=[{"category": "pcba", "review": R.PENDING}],
    )
    capability = make_firm(
        "Indus Cells (Pvt) Ltd",
        province="Sindh",
        city="Karachi",
        capabilities=[{"category": "battery", "review": R.PENDING, "created_at": _ago(3)}],
    )
    certificate = make_firm(
        "Margalla Plastics (Pvt) Ltd",
        province="Islamabad Capital Territory",
        city="Islamabad",
        capabilities=[{"category": "housing-plastic"}],
        certificates=[{"type": "iso-9001", "review": R.PENDING, "created_at": _ago(10)}],
    )
    profile = make_firm(
        "Khyber Chargers (Pvt) Ltd",
        province="Khyber Pakhtunkhwa",
        city="Peshawar",
        capabilities=[{"category": "charger"}],
        proposed={"legal_name": "Khyber Power (Pvt) Ltd"},
        updated_at=_ago(1),
    )
    return {"listing": listing, "capability": capability, "certificate": certificate, "profile": profile}


def test_queue_holds_every_kind_oldest_first_with_its_age(waiting):
    items = review_queue()
    assert [(i.kind, i.firm.legal_name, i.age_days) for i in items] == [
        ("certificate", "Margalla Plastics (Pvt) Ltd", 10),
        ("listing", "Ravi Circuits (Pvt) Ltd", 5),
        ("capability", "Indus Cells (Pvt) Ltd", 3),
        ("profile", "Khyber Chargers (Pvt) Ltd", 1),
    ]
    assert items[0].subject is waiting["certificate"].certificates[0]
    assert items[2].category == "battery" and items[2].province == "Sindh"
    assert queue_count() == 4


def test_what_does_not_wait_stays_out_of_the_queue(users):
    # A draft (and its certificates) has not asked for review; a submitted listing's own pending
    # capabilities are decided with the listing; verified items and rejected listings wait for nothing.
    make_firm(
        status=S.DRAFT,
        capabilities=[{"category": "pcba", "review": R.PENDING}],
        certificates=[{"review": R.PENDING}],
    )
    make_firm(status=S.REJECTED, certificates=[{"review": R.PENDING}])
    make_firm(capabilities=[{"category": "pcba"}], certificates=[{}])
    submitted = make_firm(status=S.SUBMITTED, capabilities=[{"category": "pcba", "review": R.PENDING}])
    assert [(i.kind, i.firm.id) for i in review_queue()] == [("listing", submitted.id)]
    assert queue_count() == 1


def test_a_held_capability_edit_waits_since_the_edit_not_since_the_capability(users):
    firm = make_firm(owner=users["supplier"], capabilities=[{"category": "pcba", "created_at": _ago(30)}])
    capability = firm.capabilities[0]
    data = {**service.capability_facts(capability), "monthly_capacity": 90000}
    assert service.update_capability(capability, data, users["supplier"]) is True
    [item] = review_queue()
    assert (item.kind, item.subject, item.age_days) == ("capability", capability, 0)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "listing"}, ["Ravi Circuits (Pvt) Ltd"]),
        ({"kind": "certificate"}, ["Margalla Plastics (Pvt) Ltd"]),
        ({"kind": "capability"}, ["Indus Cells (Pvt) Ltd"]),
        ({"kind": "profile"}, ["Khyber Chargers (Pvt) Ltd"]),
        ({"kind": "no-such-kind"}, []),
        ({"province": "Sindh"}, ["Indus Cells (Pvt) Ltd"]),
        ({"province": "Punjab"}, ["Ravi Circuits (Pvt) Ltd"]),
        # A category keeps its capabilities and the other items of firms that make it.
        ({"category": "battery"}, ["Indus Cells (Pvt) Ltd"]),
        ({"category": "housing-plastic"}, ["Margalla Plastics (Pvt) Ltd"]),
        ({"category": "pcba"}, ["Ravi Circuits (Pvt) Ltd"]),
        ({"category": "battery", "kind": "listing"}, []),
        ({"category": "charger", "province": "Khyber Pakhtunkhwa"}, ["Khyber Chargers (Pvt) Ltd"]),
    ],
)
def test_filters(waiting, filters, expected):
    assert [i.firm.legal_name for i in review_queue(**filters)] == expected


def test_queue_page_lists_items_with_age_and_links_to_each_item(client, login, waiting):
    login("staff")
    body = client.get("/staff/queue").get_data(as_text=True)
    assert "4 items waiting" in body
    for days in ("10 days", "5 days", "3 days", "1 day<"):
        assert days in body
    cert, cap = waiting["certificate"].certificates[0], waiting["capability"].capabilities[0]
    assert f'href="/staff/firms/{waiting["certificate"].id}#certificate-{cert.id}"' in body
    assert f'href="/staff/firms/{waiting["capability"].id}#capability-{cap.id}"' in body
    assert f'href="/staff/firms/{waiting["profile"].id}#profile-changes"' in body
    assert f'href="/staff/firms/{waiting["listing"].id}"' in body
    assert body.index("Margalla Plastics") < body.index("Ravi Circuits") < body.index("Indus Cells")


def test_the_kind_filter_lists_what_each_domain_offers_in_order(client, login, waiting):
    login("staff")
    body = client.get("/staff/queue").get_data(as_text=True)
    offered = {
        "listing": "New listing",
        "capability": "Capability",
        "certificate": "Certificate",
        "profile": "Identity change",
        "claim": "Claim",
        "investment": "Investment opportunity",
    }
    assert list(queue.kinds()) == list(offered)
    positions = [body.index(f'<option value="{kind}">{label}</option>') for kind, label in offered.items()]
    assert positions == sorted(positions)


def test_a_kind_a_domain_offers_joins_the_queue_its_order_and_its_count(client, login, waiting, monkeypatch):
    monkeypatch.setattr(queue, "_KINDS", dict(queue._KINDS))
    draft = make_firm("Quetta Drafts (Pvt) Ltd", status=S.DRAFT, created_at=_ago(7))

    @queue.offers("draft", label="Draft listing", model=Firm)
    def drafts(filters):
        since = Firm.created_at
        return [
            select(*queue.queue_row("draft", Firm.id, Firm.id, since, None, Firm.province)).where(
                Firm.status == S.DRAFT, *filters.of_firm()
            )
        ]

    items = review_queue()
    assert [(i.kind, i.firm.legal_name) for i in items][:2] == [
        ("certificate", "Margalla Plastics (Pvt) Ltd"),
        ("draft", draft.legal_name),
    ]
    assert queue_count() == 5 and queue_count(kind="draft") == 1
    login("staff")
    body = client.get("/staff/queue?kind=draft").get_data(as_text=True)
    assert "1 item waiting" in body and '<option value="draft" selected>Draft listing</option>' in body


def test_queue_page_filters_come_from_the_query_string(client, login, waiting):
    login("staff")
    body = client.get("/staff/queue?kind=&category=&province=Sindh").get_data(as_text=True)
    assert "1 item waiting" in body and "Indus Cells" in body and "Ravi Circuits" not in body
    assert '<option value="Sindh" selected>' in body
    body = client.get("/staff/queue?kind=certificate").get_data(as_text=True)
    assert "Margalla Plastics" in body and "Indus Cells" not in body


def test_the_item_pages_carry_the_anchors_the_queue_links_to(client, login, waiting):
    login("staff")
    cert = waiting["certificate"].certificates[0]
    body = client.get(f"/staff/firms/{waiting['certificate'].id}").get_data(as_text=True)
    assert f'id="certificate-{cert.id}"' in body
    body = client.get(f"/staff/firms/{waiting['profile'].id}").get_data(as_text=True)
    assert 'id="profile-changes"' in body


def test_staff_see_the_count_in_the_navigation(client, login, waiting):
    login("staff")
    assert "Review queue (4)" in client.get("/staff/people").get_data(as_text=True)


def test_a_long_queue_shows_a_capped_count_in_the_navigation_and_the_exact_total_on_its_page(
    client, login, waiting, monkeypatch
):
    monkeypatch.setattr(queue, "NAVIGATION_COUNT_CAP", 3)
    login("staff")
    assert "Review queue (3+)" in client.get("/staff/people").get_data(as_text=True)
    assert "4 items waiting" in client.get("/staff/queue").get_data(as_text=True)
    monkeypatch.setattr(queue, "NAVIGATION_COUNT_CAP", 4)
    assert "Review queue (4)" in client.get("/staff/people").get_data(as_text=True)


@pytest.mark.parametrize("role", ["supplier", "brand", "investor", None])
def test_others_see_no_queue_and_cannot_open_it(client, login, waiting, role):
    if role:
        login(role)
    assert "Review queue" not in client.get("/about").get_data(as_text=True)
    response = client.get("/staff/queue")
    assert response.status_code == (403 if role else 302)


def _count_queue_queries(db):
    statements = []

    def before(conn, cursor, statement, *args):
        if "UNION ALL" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    return statements, lambda: event.remove(db.engine, "before_cursor_execute", before)


def test_the_navigation_count_costs_one_query_for_staff_and_none_for_others(client, login, waiting, db):
    statements, stop = _count_queue_queries(db)
    try:
        login("staff")
        client.get("/staff/people")
        assert len(statements) == 1
        statements.clear()
        login("supplier")
        client.get("/about")
        assert statements == []
    finally:
        stop()


def test_items_leave_the_queue_after_each_decision(client, login, waiting, db):
    login("staff")
    listing = waiting["listing"]
    client.post(f"/staff/firms/{listing.id}/verify", data={"version": listing.version})
    cert = waiting["certificate"].certificates[0]
    client.post(
        f"/staff/certificates/{cert.id}/review",
        data={"decision": "approve", "reason": "Checked with the issuing body's register."},
    )
    cap = waiting["capability"].capabilities[0]
    client.post(f"/staff/capabilities/{cap.id}/review", data={"decision": "reject", "reason": "No cell line seen."})
    client.post(f"/staff/firms/{waiting['profile'].id}/profile-changes", data={"decision": "approve"})
    db.session.expire_all()
    assert review_queue() == [] and queue_count() == 0
    assert "Review queue (0)" in client.get("/staff/queue").get_data(as_text=True)
    assert "Nothing is waiting for review." in client.get("/staff/queue").get_data(as_text=True)


def test_next_in_queue_goes_to_the_oldest_item_of_another_firm_then_back_to_the_queue(client, login, waiting, db):
    login("staff")
    cert = waiting["certificate"].certificates[0]
    body = client.get(f"/staff/firms/{waiting['listing'].id}").get_data(as_text=True)
    assert f'href="/staff/firms/{waiting["certificate"].id}#certificate-{cert.id}"' in body
    assert "Next in queue" in body
    body = client.get(f"/staff/firms/{waiting['certificate'].id}").get_data(as_text=True)
    assert f'href="/staff/firms/{waiting["listing"].id}"' in body

    lone = make_firm(status=S.SUBMITTED)
    for firm in waiting.values():
        firm.status, firm.proposed = S.REJECTED, None
    db.session.commit()
    body = client.get(f"/staff/firms/{lone.id}").get_data(as_text=True)
    assert "Back to the queue" in body and 'href="/staff/queue"' in body


def test_second_reviewer_on_a_stale_page_gets_the_message_not_a_double_action(client, login, waiting, db, outbox):
    listing = waiting["listing"]
    seen_version = listing.version
    login("staff")
    client.post(f"/staff/firms/{listing.id}/verify", data={"version": seen_version})
    login("other_staff")
    body = client.post(
        f"/staff/firms/{listing.id}/reject",
        data={"version": seen_version, "reason": "Too late."},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Someone else changed this listing while you were looking at it" in body
    db.session.expire_all()
    assert listing.status == S.VERIFIED
    actions = db.session.scalars(
        select(AuditEntry.actor_label).where(AuditEntry.firm_id == listing.id, AuditEntry.action.like("firm.%"))
    ).all()
    assert actions == ["staff@example.com"]
    assert outbox("listing_rejected") == []
    assert [i.kind for i in review_queue()] == ["certificate", "capability", "profile"]


def test_capability_edit_shows_before_and_after(client, login, users, db):
    firm = make_firm(owner=users["supplier"], capabilities=[{"category": "pcba", "capacity": 50000}])
    capability = firm.capabilities[0]
    data = {**service.capability_facts(capability), "monthly_capacity": 90000, "capacity_unit": "panels"}
    service.update_capability(capability, data, users["supplier"])
    login("staff")
    body = client.get(f"/staff/firms/{firm.id}").get_data(as_text=True)
    table = body[body.index('data-testid="capability-diff"') : body.index("</table>", body.index("capability-diff"))]
    assert "<caption" in table and 'scope="col"' in table and 'scope="row"' in table
    assert "<del>50,000</del>" in table and "<ins>90,000</ins>" in table
    assert "<del>boards</del>" in table and "<ins>panels</ins>" in table
    assert "Equipment" not in table  # unchanged fields are not listed


def test_a_long_queue_is_paged_oldest_first_with_the_total(client, login, app):
    from datetime import timedelta

    from portal.staff import queue_views
    from portal.suppliers.models import ListingStatus
    from portal.timeutil import utcnow
    from tests.factories import make_firm

    queue_views.PER_PAGE, saved = 2, queue_views.PER_PAGE
    try:
        for days in (5, 4, 3):
            make_firm(f"Waiting {days} days", status=ListingStatus.SUBMITTED,
                      submitted_at=utcnow() - timedelta(days=days))  # fmt: skip
        login("staff")
        first = client.get("/staff/queue").get_data(as_text=True)
        assert "3 items waiting" in first and "Waiting 5 days" in first and "Waiting 3 days" not in first
        second = client.get("/staff/queue?page=2").get_data(as_text=True)
        assert "Waiting 3 days" in second and "Waiting 5 days" not in second
        assert "Waiting 3 days" in client.get("/staff/queue?page=99").get_data(as_text=True)
    finally:
        queue_views.PER_PAGE = saved
