"""The staff import page and the export download."""

import io

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.suppliers.models import Firm, ListingStatus
from portal.uploads import MB
from tests.factories import PNG_BYTES, make_firm
from tests.staff import row, supplier_csv


def upload(client, data: bytes, *, dry_run=False, filename="suppliers.csv"):
    form = {"csv_file": (io.BytesIO(data), filename)}
    if dry_run:
        form["dry_run"] = "y"
    return client.post("/staff/imports", data=form, content_type="multipart/form-data")


def firm_count(db) -> int:
    return db.session.scalar(select(func.count(Firm.id)))


def test_staff_desk_links_to_the_import_page_which_offers_a_dry_run(client, login):
    login("staff")

    assert 'href="/staff/imports"' in client.get("/staff/").get_data(as_text=True)
    body = client.get("/staff/imports").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in body
    assert 'name="dry_run"' in body and "checked" in body  # a dry run unless staff untick it
    assert 'href="/staff/exports/suppliers.csv"' in body


def test_upload_imports_and_shows_the_report_with_refused_lines(client, login, db, users):
    login("staff")
    data = supplier_csv(row(verified="yes"), row(name="Broken", categories="pcb-rigid"), row(name="", city="Sukkur"))

    response = upload(client, data)

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Import report" in body and "Dry run" not in body.split('id="report-title"')[1]
    assert "unknown category &#39;pcb-rigid&#39; (see the taxonomy)" in body
    assert "<td>3</td>" in body and "<td>4</td><td>name is missing</td>" in body
    firm = db.session.scalar(select(Firm))
    assert f'href="/staff/firms/{firm.id}">Indus Circuits (Pvt) Ltd</a>' in body
    assert (firm_count(db), firm.status) == (1, ListingStatus.VERIFIED)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "firm.imported_created"))
    assert (entry.actor_id, entry.firm_id, entry.note) == (users["staff"].id, firm.id, "suppliers.csv line 2")


def test_a_dry_run_upload_saves_nothing(client, login, db):
    login("staff")

    body = upload(client, supplier_csv(row()), dry_run=True).get_data(as_text=True)

    assert "Dry run: nothing was saved." in body and "Would be created" in body
    assert firm_count(db) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (supplier_csv(row(name="Café Ltd"), encoding="latin-1"), "The file is not UTF-8 text: line 2"),
        (PNG_BYTES, "This is not a CSV text file"),
        (b"name,city\r\nX,Lahore\r\n", "The header (line 1) lacks the column(s) province,"),
        (b"", "Choose a CSV file to upload."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_on_the_form(client, login, db, data, message):
    login("staff")

    body = upload(client, data, filename="suppliers.csv" if data else "").get_data(as_text=True)

    assert message in body and "invalid-feedback" in body
    assert "import-report" not in body
    assert firm_count(db) == 0


def test_a_file_over_10_mb_is_refused(client, login, db):
    login("staff")

    body = upload(client, supplier_csv(row()).ljust(10 * MB + 1, b" ")).get_data(as_text=True)

    assert "The file is larger than 10 MB" in body
    assert firm_count(db) == 0


def test_export_downloads_every_firm_as_csv(client, login):
    make_firm("Alpha Boards (Pvt) Ltd")
    make_firm("Hidden Ltd", suspended=True)
    login("staff")

    response = client.get("/staff/exports/suppliers.csv")

    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="suppliers-')
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("name,city,province,") and len(lines) == 3
    assert lines[1].startswith("Alpha Boards (Pvt) Ltd,") and lines[2].startswith("Hidden Ltd,")


@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
def test_other_roles_get_403(client, login, role, db):
    login(role)

    assert client.get("/staff/imports").status_code == 403
    assert upload(client, supplier_csv(row())).status_code == 403
    assert client.get("/staff/exports/suppliers.csv").status_code == 403
    assert firm_count(db) == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/staff/imports", "/staff/exports/suppliers.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
