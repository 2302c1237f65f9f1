"""Compliance pages: staff only, each form with its messages next to the fields, documents as
staff-only downloads, and the standing card on the firm review page."""

import html
import io
import re

import pytest
from sqlalchemy import select

from portal.compliance import service
from portal.compliance.models import CaseKind, CaseOutcome, CaseStatus, ComplianceCase
from portal.suppliers.models import ListingStatus
from portal.timeutil import today
from tests.factories import PDF_BYTES, PNG_BYTES, make_firm


@pytest.fixture
def firm(app):
    return make_firm("Apex Boards (Pvt) Ltd")


@pytest.fixture
def case(firm, users):
    return service.open_case(firm, CaseKind.FALSE_CERTIFICATE, "ISO 9001 certificate expired in 2024.", users["staff"])


@pytest.fixture
def document(case, users):
    return service.attach_document(case, (PDF_BYTES, "inspection.pdf"), "", users["staff"], case.version)


def field_error(body: str, field: str) -> str:
    match = re.search(rf'<div id="{field}-error" class="invalid-feedback d-block">(.*?)</div>', body, re.S)
    assert match, f"no message next to the {field} field"
    return html.unescape(match.group(1).strip())


def reload(db, case) -> ComplianceCase:
    db.session.expire_all()
    return db.session.get(ComplianceCase, case.id)


# --- who may see what --------------------------------------------------------------------------------

PAGES = [
    ("get", "/staff/compliance/"),
    ("get", "/staff/compliance/new"),
    ("get", "/staff/compliance/new?firm_id={firm}"),
    ("post", "/staff/compliance/new"),
    ("get", "/staff/compliance/{case}"),
    ("post", "/staff/compliance/{case}/notes"),
    ("post", "/staff/compliance/{case}/documents"),
    ("post", "/staff/compliance/{case}/standing/incentive"),
    ("post", "/staff/compliance/{case}/standing/licence"),
    ("post", "/staff/compliance/{case}/close"),
    ("get", "/staff/compliance/{case}/documents/{document}"),
]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, firm, case, document, method, url):
    response = getattr(client, method)(url.format(firm=firm.id, case=case.id, document=document.id))
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
@pytest.mark.parametrize(("method", "url"), PAGES)
def test_other_roles_are_refused(client, login, firm, case, document, role, method, url):
    login(role)
    response = getattr(client, method)(url.format(firm=firm.id, case=case.id, document=document.id))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url"), [p for p in PAGES if p[0] == "get"])
def test_staff_see_every_page(client, login, firm, case, document, method, url):
    login("staff")
    assert client.get(url.format(firm=firm.id, case=case.id, document=document.id)).status_code == 200


def test_a_firms_owner_cannot_download_documents_of_a_case_against_it(client, login, db, users, case, document):
    owner = make_firm("Owned Parts (Pvt) Ltd", owner=users["supplier"])
    case.firm_id = owner.id
    db.session.commit()
    login("supplier")
    assert client.get(f"/staff/compliance/{case.id}/documents/{document.id}").status_code == 403


def test_missing_cases_documents_and_firms_are_not_found(client, login, case, document):
    other = service.open_case(case.firm, CaseKind.LICENCE_BREACH, "Other", login("staff"))
    assert client.get("/staff/compliance/9999").status_code == 404
    assert client.get(f"/staff/compliance/{other.id}/documents/{document.id}").status_code == 404
    assert client.get("/staff/compliance/new?firm_id=9999").status_code == 404


# --- the list ----------------------------------------------------------------------------------------


def test_the_list_shows_open_cases_first_and_filters_by_status_kind_and_firm(client, login, users, firm, case):
    staff = login("staff")
    other_firm = make_firm("Beta Housings (Pvt) Ltd")
    closed = service.open_case(other_firm, CaseKind.LICENCE_BREACH, "Imports beyond licence.", staff)
    service.close_case(closed, CaseOutcome.WARNING_ISSUED, "", staff, closed.version)
    newer = service.open_case(other_firm, CaseKind.MISREPORTED_CAPACITY, "Capacity.", staff)

    body = client.get("/staff/compliance/").text
    order = [int(n) for n in re.findall(r'<a href="/staff/compliance/(\d+)">#', body)]
    assert order == [newer.id, case.id, closed.id]

    def listed(query):
        return {
            int(n)
            for n in re.findall(r'<a href="/staff/compliance/(\d+)">#', client.get(f"/staff/compliance/?{query}").text)
        }

    assert listed("status=closed") == {closed.id}
    assert listed("status=open") == {case.id, newer.id}
    assert listed("kind=false_certificate") == {case.id}
    assert listed(f"firm_id={other_firm.id}") == {closed.id, newer.id}
    assert listed("status=nonsense&kind=nonsense") == {case.id, closed.id, newer.id}


# --- opening a case ----------------------------------------------------------------------------------


def test_staff_find_a_firm_by_name_in_any_listing_state(client, login):
    draft = make_firm("Crescent Chargers (Pvt) Ltd", status=ListingStatus.DRAFT)
    suspended = make_firm("Crescent Cells (Pvt) Ltd", suspended=True)
    make_firm("Delta Displays (Pvt) Ltd")
    login("staff")

    body = client.get("/staff/compliance/new?q=crescent").text

    assert f"/staff/compliance/new?firm_id={draft.id}" in body
    assert f"/staff/compliance/new?firm_id={suspended.id}" in body
    assert "Delta Displays" not in body
    assert "No firm has that in its name" in client.get("/staff/compliance/new?q=zzz").text


def test_opening_a_case_from_the_firm_page_link(client, login, db, firm):
    login("staff")
    review = client.get(f"/staff/firms/{firm.id}").text
    assert f"/staff/compliance/new?firm_id={firm.id}" in review
    assert firm.legal_name in client.get(f"/staff/compliance/new?firm_id={firm.id}").text

    response = client.post(
        "/staff/compliance/new",
        data={"firm_id": firm.id, "kind": "misreported_capacity", "summary": " Claims 1m boards a month. "},
    )

    case = db.session.scalar(select(ComplianceCase))
    assert response.headers["Location"].endswith(f"/staff/compliance/{case.id}")
    assert (case.firm_id, case.kind, case.summary) == (
        firm.id,
        CaseKind.MISREPORTED_CAPACITY,
        "Claims 1m boards a month.",
    )


def test_opening_a_case_without_kind_or_summary_says_so_next_to_the_fields(client, login, db, firm):
    login("staff")
    response = client.post("/staff/compliance/new", data={"firm_id": firm.id, "kind": "", "summary": "  "})

    assert response.status_code == 200
    assert field_error(response.text, "kind") == "Choose the kind of violation."
    assert field_error(response.text, "summary") == "Say what the firm is suspected of."
    assert db.session.scalar(select(ComplianceCase)) is None


def test_opening_a_case_without_a_firm_asks_for_one(client, login, db):
    login("staff")
    response = client.post("/staff/compliance/new", data={"kind": "licence_breach", "summary": "x"})
    assert response.status_code == 200
    assert 'id="firm-search"' in response.text
    assert db.session.scalar(select(ComplianceCase)) is None


# --- the case page's forms ---------------------------------------------------------------------------


def test_adding_a_note(client, login, db, case):
    login("staff")
    response = client.post(
        f"/staff/compliance/{case.id}/notes",
        data={"note-version": 1, "note-text": "Visited the plant."},
        follow_redirects=True,
    )
    assert "Note added." in response.text
    assert "Visited the plant." in response.text
    assert reload(db, case).version == 2


def test_an_empty_note_gets_a_message(client, login, db, case):
    login("staff")
    response = client.post(f"/staff/compliance/{case.id}/notes", data={"note-version": 1, "note-text": " "})
    assert response.status_code == 200
    assert field_error(response.text, "note-text") == "Write the note first."
    assert reload(db, case).notes == []


def test_a_stale_form_is_refused_with_a_clear_message(client, login, db, case):
    staff = login("staff")
    service.add_note(case, "Colleague's note", staff, 1)

    response = client.post(
        f"/staff/compliance/{case.id}/close",
        data={"close-version": 1, "close-outcome": "no_violation"},
        follow_redirects=True,
    )

    assert "Someone else changed this case" in response.text
    assert reload(db, case).status == CaseStatus.OPEN


def test_uploading_and_downloading_a_document(client, login, db, case):
    login("staff")
    response = client.post(
        f"/staff/compliance/{case.id}/documents",
        data={
            "document-version": 1,
            "document-document": (io.BytesIO(PNG_BYTES), "photo.png"),
            "document-description": "Gate",
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Document attached." in response.text
    [document] = reload(db, case).documents

    download = client.get(f"/staff/compliance/{case.id}/documents/{document.id}")

    assert download.data == PNG_BYTES
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "image/png"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "Upload a PDF, PNG or JPEG file"),
        (b"GIF89a" + b"\x00" * 40, "Upload a PDF, PNG or JPEG file"),
        (None, "Choose a PDF, PNG or JPEG file to upload."),
    ],
    ids=["html", "gif", "none"],
)
def test_a_document_of_the_wrong_kind_is_refused_with_a_message(client, login, db, case, content, message):
    login("staff")
    data = {"document-version": 1}
    if content is not None:
        data["document-document"] = (io.BytesIO(content), "evidence.pdf")

    response = client.post(f"/staff/compliance/{case.id}/documents", data=data, content_type="multipart/form-data")

    assert response.status_code == 200
    assert field_error(response.text, "document-document").startswith(message)
    assert reload(db, case).documents == []


def test_setting_a_status_shows_on_the_case_and_the_firm_page(client, login, db, firm, case):
    login("staff")
    since = today().isoformat()
    response = client.post(
        f"/staff/compliance/{case.id}/standing/licence",
        data={"licence-version": 1, "licence-status": "suspended", "licence-since": since, "licence-note": "Breach"},
        follow_redirects=True,
    )
    assert "Import licence status set." in response.text
    assert f"Suspended from {since}" in response.text

    review = client.get(f"/staff/firms/{firm.id}").text
    assert re.search(r'data-testid="standing-licence">Suspended<', review)
    assert re.search(r'data-testid="standing-incentive">Active<', review)
    assert 'data-testid="excluded-from-matching"' in review
    assert "1 open case" in review
    assert service.is_excluded_from_matching(firm)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"incentive-status": "", "incentive-since": "2026-03-01"}, "incentive-status", "Choose the status."),
        ({"incentive-status": "suspended", "incentive-since": "2026-03-01"}, "incentive-status", "Not a valid choice."),
        (
            {"incentive-status": "withdrawn", "incentive-since": ""},
            "incentive-since",
            "Give the date the status applies from.",
        ),
        (
            {"incentive-status": "withdrawn", "incentive-since": "1 March"},
            "incentive-since",
            "Not a valid date value.",
        ),
        (
            {"incentive-status": "withdrawn", "incentive-since": "2026-03-01", "incentive-until": "2026-03-01"},
            "incentive-until",
            "The end date must be after the start date.",
        ),
        (
            {"incentive-status": "withdrawn", "incentive-since": "2026-03-01", "incentive-until": "2026-02-01"},
            "incentive-until",
            "The end date must be after the start date.",
        ),
    ],
    ids=["no-status", "wrong-status-for-measure", "no-since", "bad-since", "until-equal", "until-before"],
)
def test_bad_status_input_gets_a_message_next_to_the_field(client, login, db, firm, case, data, field, message):
    login("staff")
    response = client.post(f"/staff/compliance/{case.id}/standing/incentive", data={"incentive-version": 1, **data})

    assert response.status_code == 200
    assert message in field_error(response.text, field)
    assert service.standing_of(firm) is None


def test_closing_a_case(client, login, db, case):
    login("staff")
    response = client.post(
        f"/staff/compliance/{case.id}/close",
        data={"close-version": 1, "close-outcome": "warning_issued", "close-note": "Letter of 3 March."},
        follow_redirects=True,
    )
    assert "Case closed." in response.text
    assert "Warning issued" in response.text and "Letter of 3 March." in response.text
    case = reload(db, case)
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, CaseOutcome.WARNING_ISSUED)
    assert f'action="/staff/compliance/{case.id}/notes"' not in response.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"close-outcome": ""}, "close-outcome", "Choose the outcome of the case."),
        ({"close-outcome": "pardoned"}, "close-outcome", "Not a valid choice."),
        (
            {"close-outcome": "other", "close-note": " "},
            "close-note",
            "Say what was decided when the outcome is “other”.",
        ),
    ],
    ids=["no-outcome", "unknown-outcome", "other-without-note"],
)
def test_bad_closing_input_gets_a_message_next_to_the_field(client, login, db, case, data, field, message):
    login("staff")
    response = client.post(f"/staff/compliance/{case.id}/close", data={"close-version": 1, **data})

    assert response.status_code == 200
    assert message in field_error(response.text, field)
    assert reload(db, case).status == CaseStatus.OPEN


def test_the_standing_card_is_only_on_the_staff_firm_page(client, login, firm):
    login("staff")
    review = client.get(f"/staff/firms/{firm.id}").text
    assert 'data-testid="compliance-standing"' in review
    assert "0 open cases" in review
    login("brand")
    profile = client.get(f"/suppliers/{firm.id}-{firm.slug}")
    assert profile.status_code == 200
    assert "compliance-standing" not in profile.text
