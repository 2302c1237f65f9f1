"""The audit trail's staff pages: filters, pages of 50, the CSV export, and who may see them."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from portal import audit
from portal.audit.models import AuditEntry
from portal.timeutil import utcnow
from tests.factories import make_firm


@pytest.fixture
def trail(cast, db):
    """Entries on two firms by two people; the oldest is dated ten days back."""
    ravi = make_firm("Ravi Circuits (Pvt) Ltd", trade_name="RaviTech")
    indus = make_firm("Indus Cells (Pvt) Ltd")
    audit.record(
        "firm.submit",
        ravi,
        actor=cast.supplier,
        before={"status": "draft"},
        after={"status": "submitted"},
        firm_id=ravi.id,
    )
    audit.record(
        "firm.verify",
        ravi,
        actor=cast.staff,
        before={"status": "submitted"},
        after={"status": "verified"},
        firm_id=ravi.id,
    )
    audit.record(
        "firm.suspended",
        indus,
        actor=cast.other_staff,
        before={"suspended": False},
        after={"suspended": True},
        note="Fake",
        firm_id=indus.id,
    )
    db.session.commit()
    db.session.execute(update(AuditEntry).where(AuditEntry.sequence == 1).values(at=utcnow() - timedelta(days=10)))
    db.session.commit()
    return {"ravi": ravi, "indus": indus}


def _sequences(body: str) -> list[int]:
    """The entry numbers shown, in page order."""
    return [int(n) for n in re.findall(r'<tr data-testid="audit-row">\s*<th scope="row">(\d+)</th>', body)]


def test_newest_first_with_who_what_and_the_change(client, login, trail):
    login("staff")
    body = client.get("/staff/audit").get_data(as_text=True)
    assert _sequences(body) == [3, 2, 1]
    assert "other-staff@edb.example" in body and "firm.suspended" in body
    assert 'suspended</span>: false <span class="dir-arrow">→</span> true' in body
    assert 'status</span>: submitted <span class="dir-arrow">→</span> verified' in body
    assert "Note: Fake" in body
    assert "<caption" in body and 'scope="col"' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("firm={ravi}", [2, 1]),
        ("firm={indus}", [3]),
        ("firm=ravitech", [2, 1]),  # trade name, any case
        ("firm=indus+cells", [3]),
        ("firm=nobody", []),
        ("user=other-staff@", [3]),
        ("user=STAFF@example.com", [2]),
        ("action=firm.verify", [2]),
        ("from={today}", [3, 2]),
        ("to={yesterday}", [1]),
        ("from={old}&to={old}", [1]),
        ("from=not-a-date", [3, 2, 1]),
        ("firm={ravi}&user=staff@", [2]),
    ],
)
def test_filters(client, login, trail, query, expected):
    login("staff")
    today = utcnow().date()
    query = query.format(
        ravi=trail["ravi"].id,
        indus=trail["indus"].id,
        today=today,
        yesterday=today - timedelta(days=1),
        old=today - timedelta(days=10),
    )
    assert _sequences(client.get(f"/staff/audit?{query}").get_data(as_text=True)) == expected


def test_fifty_entries_a_page(client, login, users, db):
    firm = make_firm()
    for n in range(120):
        audit.record("firm.note", firm, actor=users["staff"], after={"n": n}, firm_id=firm.id)
    db.session.commit()
    login("staff")
    first = client.get("/staff/audit").get_data(as_text=True)
    assert _sequences(first) == list(range(120, 70, -1))
    assert "120 entries" in first
    third = client.get("/staff/audit?page=3").get_data(as_text=True)
    assert _sequences(third) == list(range(20, 0, -1))
    assert _sequences(client.get("/staff/audit?page=9").get_data(as_text=True)) == []
    # The pagination keeps the filters.
    filtered = client.get(f"/staff/audit?firm={firm.id}").get_data(as_text=True)
    assert f"/staff/audit?firm={firm.id}&amp;page=2" in filtered


def test_csv_has_every_column_and_the_same_filters(client, login, trail):
    login("staff")
    response = client.get(f"/staff/audit.csv?firm={trail['ravi'].id}")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == [
        "sequence",
        "at",
        "actor",
        "action",
        "subject_type",
        "subject_id",
        "firm_id",
        "before",
        "after",
        "note",
        "entry_hash",
    ]
    assert [r["sequence"] for r in rows] == ["2", "1"]
    newest = rows[0]
    assert newest["at"].endswith("+00:00") and "T" in newest["at"]
    assert (newest["actor"], newest["action"], newest["subject_type"]) == ("staff@example.com", "firm.verify", "Firm")
    assert newest["subject_id"] == newest["firm_id"] == str(trail["ravi"].id)
    assert json.loads(newest["before"]) == {"status": "submitted"}
    assert json.loads(newest["after"]) == {"status": "verified"}
    entry = audit.db.session.get(AuditEntry, 2)
    assert newest["entry_hash"] == entry.entry_hash


def test_csv_escapes_commas_quotes_newlines_and_formulas(client, login, users, db):
    firm = make_firm()
    note = 'Said "no", twice;\nthen left'
    audit.record("firm.suspended", firm, actor=users["staff"], after={"reason": 'a "b", c'}, note=note)
    audit.record("firm.reinstated", firm, actor=users["staff"], note='=HYPERLINK("http://evil")')
    db.session.commit()
    login("staff")
    rows = list(csv.DictReader(io.StringIO(client.get("/staff/audit.csv").get_data(as_text=True))))
    assert rows[1]["note"] == note
    assert json.loads(rows[1]["after"]) == {"reason": 'a "b", c'}
    assert rows[1]["before"] == ""
    assert rows[0]["note"] == '\'=HYPERLINK("http://evil")'


def test_staff_home_links_to_the_trail(client, login):
    login("staff")
    assert 'href="/staff/audit"' in client.get("/staff/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/staff/audit", "/staff/audit.csv"])
@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
def test_only_staff_may_read_the_trail(client, login, trail, path, role):
    login(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/staff/audit", "/staff/audit.csv"])
def test_anonymous_visitors_are_sent_to_sign_in(client, trail, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("path", ["/staff/audit", "/staff/audit.csv"])
def test_the_trail_pages_cannot_change_anything(client, login, trail, path, method):
    login("staff")
    assert getattr(client, method)(path).status_code == 405


def test_a_snapshot_on_both_sides_shows_only_what_changed(client, login, users, db):
    firm = make_firm()
    same = {"capacity_unit": "units", "notes": ""}
    audit.record(
        "capability.updated",
        firm,
        actor=users["supplier"],
        before={**same, "monthly_capacity": 50000},
        after={**same, "monthly_capacity": 90000},
        firm_id=firm.id,
    )
    db.session.commit()
    login("staff")
    body = client.get("/staff/audit").get_data(as_text=True)
    assert 'monthly_capacity</span>: 50000 <span class="dir-arrow">→</span> 90000' in body
    assert "capacity_unit</span>" not in body and "notes</span>" not in body
