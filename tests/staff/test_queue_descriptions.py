"""Each kind of item in the review queue is described by the partial its offer names, so the queue
page has no branch per kind and a new kind brings its own description."""

import re
from datetime import timedelta

from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from portal.claims.models import ClaimStatus, FirmClaim
from portal.extensions import db
from portal.investment.models import OpportunityStatus
from portal.staff import queue
from portal.suppliers.models import Firm, ListingStatus, ReviewStatus
from portal.timeutil import utcnow
from tests.conftest import make_user
from tests.factories import make_firm
from tests.investment.builders import make_opportunity


def _ago(days: int):
    return utcnow() - timedelta(days=days, minutes=5)


def _rows(client) -> dict[str, str]:
    """The queue page's rows by firm name: the row's text without tags and extra spaces."""
    body = client.get("/staff/queue").get_data(as_text=True)
    rows = {}
    for row in re.findall(r'<tr data-testid="queue-row">(.*?)</tr>', body, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        name = re.search(r'<th scope="row"><a [^>]*>([^<]+)</a>', row).group(1)
        rows[name] = text
    return rows


def test_every_kind_of_waiting_item_is_described_by_its_own_partial(client, login):
    make_firm("Ravi Circuits (Pvt) Ltd", status=ListingStatus.SUBMITTED, submitted_at=_ago(6))
    make_firm(
        "Indus Cells (Pvt) Ltd",
        capabilities=[{"category": "battery", "review": ReviewStatus.PENDING, "created_at": _ago(5)}],
    )
    make_firm(
        "Margalla Plastics (Pvt) Ltd",
        capabilities=[{"category": "housing-plastic"}],
        certificates=[{"review": ReviewStatus.PENDING, "number": "QA-77", "created_at": _ago(4)}],
    )
    make_firm("Khyber Chargers (Pvt) Ltd", proposed={"legal_name": "Khyber Power (Pvt) Ltd"}, updated_at=_ago(3))
    unowned = make_firm("Sialkot Moulds (Pvt) Ltd")
    claimant = make_user("supplier", email="amna@sialkotmoulds.pk", full_name="Amna Tariq")
    db.session.add(
        FirmClaim(firm=unowned, user=claimant, method="document", position="Director", status=ClaimStatus.PENDING,
                  document_path="x/y.pdf", document_name="ntn.pdf", document_mime="application/pdf",
                  submitted_at=_ago(2))
    )  # fmt: skip
    make_opportunity(make_firm("Gujranwala Panels (Pvt) Ltd"), "A second LCM line", status=OpportunityStatus.SUBMITTED)
    db.session.commit()

    login("staff")
    rows = _rows(client)
    assert "listing submitted for verification" in rows["Ravi Circuits (Pvt) Ltd"]
    assert "· new capability" in rows["Indus Cells (Pvt) Ltd"]
    assert "QA-77 · no evidence file" in rows["Margalla Plastics (Pvt) Ltd"]
    assert "legal name" in rows["Khyber Chargers (Pvt) Ltd"]
    assert "claimed by Amna Tariq (Director)" in rows["Sialkot Moulds (Pvt) Ltd"]
    assert "investment opportunity: A second LCM line" in rows["Gujranwala Panels (Pvt) Ltd"]


def test_a_new_kind_brings_its_description_without_an_edit_to_the_queue_page(app, client, login, monkeypatch):
    monkeypatch.setattr(queue, "_KINDS", dict(queue._KINDS))
    partial = {"staff/queue/_draft_listing.html": "{{ _('draft of %(name)s', name=item.firm.legal_name) }}"}
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([DictLoader(partial), app.jinja_env.loader]))
    make_firm("Quetta Drafts (Pvt) Ltd", status=ListingStatus.DRAFT, created_at=_ago(7))
    db.session.commit()

    @queue.offers("draft_listing", label="Draft listing", model=Firm)
    def drafts(filters):
        return [
            select(*queue.queue_row("draft_listing", Firm.id, Firm.id, Firm.created_at, None, Firm.province)).where(
                Firm.status == ListingStatus.DRAFT
            )
        ]

    [item] = queue.review_queue(kind="draft_listing")
    assert item.description == "staff/queue/_draft_listing.html"
    login("staff")
    assert "draft of Quetta Drafts (Pvt) Ltd" in _rows(client)["Quetta Drafts (Pvt) Ltd"]
