"""Certificate evidence, logos and photos: what is accepted, where it is kept and who may download it."""

import html
import io
import re
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import uploads
from portal.accounts.models import Role
from portal.suppliers.models import Certificate, FirmMember, FirmPhoto, ListingStatus, MemberRole
from portal.timeutil import today
from portal.uploads import IMAGE_KINDS, MB, UploadRejected, check_upload
from tests.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, make_certificate, make_firm, make_user

HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def firm(app, users):
    return make_firm("Apex Boards (Pvt) Ltd", status=ListingStatus.DRAFT, owner=users["supplier"])


@pytest.fixture
def public_firm(app, users):
    return make_firm("Apex Boards (Pvt) Ltd", owner=users["supplier"])


def certificate_form(evidence=None, **overrides) -> dict:
    data = {
        "type": "iso-9001",
        "number": "QMS-2024-0042",
        "issuing_body": "Bureau Veritas Pakistan",
        "issue_date": (today() - timedelta(days=100)).isoformat(),
        "expiry_date": (today() + timedelta(days=900)).isoformat(),
        "scope": "SMT assembly, Lahore site",
        **overrides,
    }
    if evidence is not None:
        data["evidence"] = (io.BytesIO(evidence[0]), evidence[1])
    return data


def post_certificate(client, firm_id, evidence=None, **overrides):
    return client.post(
        f"/firms/{firm_id}/certificates/new",
        data=certificate_form(evidence, **overrides),
        content_type="multipart/form-data",
    )


def field_error(body: str, field: str) -> str:
    match = re.search(rf'<div id="{field}-error" class="invalid-feedback d-block">(.*?)</div>', body, re.S)
    assert match, f"no message next to the {field} field"
    return html.unescape(match.group(1).strip())


def stored_files(app) -> set[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def certificate_count(db) -> int:
    return db.session.scalar(select(func.count(Certificate.id)))


# --- certificate evidence through the pages --------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "mimetype", "extension"),
    [
        (PDF_BYTES, "iso.pdf", "application/pdf", ".pdf"),
        (PNG_BYTES, "iso-scan.png", "image/png", ".png"),
        (JPEG_BYTES, "iso photo.jpeg", "image/jpeg", ".jpg"),
    ],
    ids=["pdf", "png", "jpeg"],
)
def test_certificate_evidence_is_stored_under_a_random_name_in_the_upload_folder(
    client, app, db, login, firm, content, filename, mimetype, extension
):
    login("supplier")

    response = post_certificate(client, firm.id, (content, filename))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/firms/{firm.id}/#certificates")
    db.session.expire_all()
    certificate = db.session.scalar(select(Certificate))
    assert certificate.number == "QMS-2024-0042"
    assert certificate.evidence_filename == filename
    assert certificate.evidence_mimetype == mimetype
    stored = Path(app.config["UPLOAD_DIR"]) / certificate.evidence_path
    assert stored.read_bytes() == content
    assert stored.suffix == extension
    assert Path(filename).stem not in certificate.evidence_path
    assert Path(app.static_folder).resolve() not in stored.resolve().parents
    assert not list(Path(app.static_folder).rglob(filename))


def test_two_uploads_of_the_same_file_name_do_not_overwrite_each_other(client, app, db, login, firm):
    login("supplier")

    post_certificate(client, firm.id, (PDF_BYTES, "iso.pdf"))
    post_certificate(client, firm.id, (PDF_BYTES + b"% second\n", "iso.pdf"), type="iso-14001")

    db.session.expire_all()
    paths = [c.evidence_path for c in db.session.scalars(select(Certificate))]
    assert len(paths) == 2 and paths[0] != paths[1]
    assert (Path(app.config["UPLOAD_DIR"]) / paths[0]).read_bytes() == PDF_BYTES


def test_a_path_in_the_file_name_does_not_choose_where_the_file_goes(client, app, db, login, firm):
    login("supplier")

    post_certificate(client, firm.id, (PDF_BYTES, "../../static/evil.pdf"))

    db.session.expire_all()
    certificate = db.session.scalar(select(Certificate))
    assert ".." not in certificate.evidence_path
    assert "/" not in certificate.evidence_filename and certificate.evidence_filename.endswith(".pdf")
    root = Path(app.config["UPLOAD_DIR"]).resolve()
    assert root in (root / certificate.evidence_path).resolve().parents
    assert not (Path(app.static_folder) / "evil.pdf").exists()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (HTML_AS_PDF, "iso.pdf", "Upload a PDF, PNG or JPEG file; this file is of another kind."),
        (b"%PDF-1.4\n<html><script>alert(1)</script>", "iso.pdf", "The file contains web page code"),
        (b"", "iso.pdf", "The file is empty."),
        (b"%PDF-1.4\n" + b"0" * (10 * MB), "iso.pdf", "The file is larger than 10 MB."),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "setup.exe", "of another kind"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64, "certificates.zip", "of another kind"),
        (b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32, "iso.gif", "of another kind"),
    ],
    ids=["html-named-pdf", "pdf-with-script", "empty", "over-10-mb", "exe", "zip", "gif"],
)
def test_unacceptable_evidence_is_refused_next_to_the_field_and_nothing_is_saved(
    client, app, db, login, firm, content, filename, message
):
    login("supplier")
    before = stored_files(app)

    response = post_certificate(client, firm.id, (content, filename))

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert message in field_error(body, "evidence")
    assert 'data-testid="form-errors"' in body
    assert certificate_count(db) == 0
    assert stored_files(app) == before


def test_evidence_far_over_the_limit_is_refused_next_to_the_field_too(client, app, db, login, firm):
    # The label promises "at most 10 MB"; a 15 MB scan should get the same message by the field,
    # not a bare error page that loses everything typed into the form.
    login("supplier")

    response = post_certificate(client, firm.id, (b"%PDF-1.4\n" + b"0" * (15 * MB), "scan.pdf"))

    assert response.status_code == 200
    assert "The file is larger than 10 MB." in field_error(response.get_data(as_text=True), "evidence")
    assert certificate_count(db) == 0


def test_new_certificate_without_evidence_is_refused(client, app, db, login, firm):
    login("supplier")

    response = post_certificate(client, firm.id)

    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "evidence") == "Choose a PDF, PNG or JPEG file to upload."
    assert certificate_count(db) == 0


def test_good_evidence_is_not_stored_when_another_field_is_wrong(client, app, db, login, firm):
    login("supplier")
    before = stored_files(app)

    response = post_certificate(client, firm.id, (PDF_BYTES, "iso.pdf"), number="")

    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "number") == "Enter the certificate number."
    assert certificate_count(db) == 0
    assert stored_files(app) == before


def test_editing_a_certificate_keeps_its_evidence_when_no_new_file_is_given(client, app, db, login, firm):
    login("supplier")
    post_certificate(client, firm.id, (PDF_BYTES, "iso.pdf"))
    db.session.expire_all()
    certificate = db.session.scalar(select(Certificate))
    path = certificate.evidence_path

    response = client.post(
        f"/firms/{firm.id}/certificates/{certificate.id}/edit",
        data=certificate_form(number="QMS-2024-0043"),
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.number == "QMS-2024-0043"
    assert certificate.evidence_path == path
    assert (Path(app.config["UPLOAD_DIR"]) / path).is_file()


def test_replacing_evidence_removes_the_old_file(client, app, db, login, firm):
    login("supplier")
    post_certificate(client, firm.id, (PDF_BYTES, "iso.pdf"))
    db.session.expire_all()
    certificate = db.session.scalar(select(Certificate))
    old = Path(app.config["UPLOAD_DIR"]) / certificate.evidence_path

    client.post(
        f"/firms/{firm.id}/certificates/{certificate.id}/edit",
        data=certificate_form((PNG_BYTES, "renewed.png")),
        content_type="multipart/form-data",
    )

    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.evidence_filename == "renewed.png"
    assert (Path(app.config["UPLOAD_DIR"]) / certificate.evidence_path).read_bytes() == PNG_BYTES
    assert not old.exists()


# --- downloading evidence --------------------------------------------------------------------------


@pytest.fixture
def evidence_certificate(app, db, firm):
    stored = uploads.store(PDF_BYTES, "iso.pdf")
    certificate = make_certificate(
        firm,
        evidence_path=stored.path,
        evidence_filename=stored.filename,
        evidence_mimetype=stored.mimetype,
    )
    db.session.commit()
    return certificate


@pytest.mark.parametrize("who", ["owner", "editor", "staff"])
def test_evidence_downloads_for_the_firm_and_staff_as_an_attachment(
    client, app, db, users, login, firm, evidence_certificate, who
):
    if who == "editor":
        editor = make_user(Role.SUPPLIER, email="editor@example.com")
        db.session.add(FirmMember(firm=firm, user=editor, role=MemberRole.EDITOR))
        db.session.commit()
        login(editor)
    else:
        login("supplier" if who == "owner" else "staff")

    response = client.get(f"/firms/{firm.id}/certificates/{evidence_certificate.id}/evidence")

    assert response.status_code == 200
    assert response.data == PDF_BYTES
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "iso.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"


@pytest.mark.parametrize("who", ["brand", "investor", "other_supplier"])
def test_evidence_is_404_for_people_outside_the_firm(client, app, users, login, firm, evidence_certificate, who):
    login(who)

    response = client.get(f"/firms/{firm.id}/certificates/{evidence_certificate.id}/evidence")

    assert response.status_code == 404
    assert PDF_BYTES not in response.data


def test_evidence_of_a_public_firm_is_still_private(client, app, users, login, public_firm, db):
    stored = uploads.store(PDF_BYTES, "iso.pdf")
    certificate = make_certificate(
        public_firm, evidence_path=stored.path, evidence_filename="iso.pdf", evidence_mimetype="application/pdf"
    )
    db.session.commit()
    login("brand")

    assert client.get(f"/firms/{public_firm.id}/certificates/{certificate.id}/evidence").status_code == 404


def test_evidence_sends_anonymous_visitors_to_sign_in(client, app, firm, evidence_certificate):
    response = client.get(f"/firms/{firm.id}/certificates/{evidence_certificate.id}/evidence")

    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_evidence_of_another_firms_certificate_is_404_even_for_a_member(
    client, app, db, users, cast, login, firm, evidence_certificate
):
    other_firm = cast.other_firm
    login("supplier")

    # The member's own firm id with the other firm's certificate id, and the other way round.
    own_firm_cert = make_certificate(other_firm)
    db.session.commit()
    assert client.get(f"/firms/{firm.id}/certificates/{own_firm_cert.id}/evidence").status_code == 404
    assert client.get(f"/firms/{other_firm.id}/certificates/{evidence_certificate.id}/evidence").status_code == 404


# --- check_upload ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"), [(PDF_BYTES, "pdf"), (PNG_BYTES, "png"), (JPEG_BYTES, "jpeg")], ids=["pdf", "png", "jpeg"]
)
def test_check_upload_recognises_documents_by_their_content(data, kind):
    assert check_upload(data) == kind


def test_check_upload_refuses_a_pdf_where_only_images_are_accepted():
    with pytest.raises(UploadRejected, match="Upload a PNG or JPEG file"):
        check_upload(PDF_BYTES, IMAGE_KINDS)


@pytest.mark.parametrize(
    "data",
    [
        HTML_AS_PDF,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"MZ\x90\x00" + b"\x00" * 64,
        b"PK\x03\x04" + b"\x00" * 64,
    ],
    ids=["html", "svg", "exe", "zip"],
)
def test_check_upload_refuses_other_kinds_whatever_they_are_called(data):
    with pytest.raises(UploadRejected, match="this file is of another kind"):
        check_upload(data)


def test_check_upload_refuses_an_empty_file():
    with pytest.raises(UploadRejected, match="The file is empty."):
        check_upload(b"")


def test_check_upload_accepts_exactly_the_size_limit_and_refuses_one_byte_more():
    at_limit = b"%PDF-1.4\n" + b"0" * (2 * MB - 9)

    assert check_upload(at_limit, max_bytes=2 * MB) == "pdf"
    with pytest.raises(UploadRejected, match="The file is larger than 2 MB."):
        check_upload(at_limit + b"0", max_bytes=2 * MB)


@pytest.mark.parametrize(
    "marker", [b"<html", b"<SCRIPT", b"<!DOCTYPE HTML", b"<svg", b"<iframe"], ids=lambda m: m.decode()
)
@pytest.mark.parametrize("header", [PDF_BYTES, PNG_BYTES, JPEG_BYTES], ids=["pdf", "png", "jpeg"])
def test_check_upload_refuses_files_with_web_page_code(header, marker):
    with pytest.raises(UploadRejected, match="web page code"):
        check_upload(header + marker + b" onload=alert(1)>")


def pdf_with_streams(*payloads: bytes) -> bytes:
    parts = [b"%PDF-1.4\n"]
    for number, payload in enumerate(payloads, start=1):
        compressed = zlib.compress(payload)
        parts.append(
            b"%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % (number, len(compressed))
            + compressed
            + b"\nendstream\nendobj\n"
        )
    parts.append(b"trailer << /Root 1 0 R >>\n%%EOF\n")
    return b"".join(parts)


@pytest.fixture(scope="module")
def bomb_payload() -> bytes:
    return b"\0" * 60_000_000


def test_check_upload_accepts_a_pdf_with_ordinary_compressed_streams():
    page = b"BT /F1 12 Tf 72 712 Td (ISO 9001 certificate of registration) Tj ET\n" * 200

    assert check_upload(pdf_with_streams(page, page)) == "pdf"


def test_check_upload_refuses_a_pdf_compression_bomb(bomb_payload):
    bomb = pdf_with_streams(bomb_payload)
    assert len(bomb) < MB

    with pytest.raises(UploadRejected, match="suspiciously large"):
        check_upload(bomb)


def test_check_upload_refuses_a_compression_bomb_in_a_later_stream(bomb_payload):
    bomb = pdf_with_streams(b"BT (cover page) Tj ET", bomb_payload)

    with pytest.raises(UploadRejected, match="suspiciously large"):
        check_upload(bomb)


def test_check_upload_refuses_a_bomb_spread_over_many_streams():
    # 12 streams of 4 MB each inflate to 48 MB, more than four times the 10 MB limit.
    bomb = pdf_with_streams(*[b"\0" * (4 * MB)] * 12)

    with pytest.raises(UploadRejected, match="suspiciously large"):
        check_upload(bomb)


# --- logo and photos -------------------------------------------------------------------------------


def test_logo_upload_is_shown_on_the_public_profile(client, app, db, login, public_firm):
    login("supplier")

    response = client.post(
        f"/firms/{public_firm.id}/logo",
        data={"logo": (io.BytesIO(PNG_BYTES), "logo.png")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    assert "Logo updated." in client.get(response.headers["Location"]).get_data(as_text=True)
    anonymous = app.test_client()
    body = anonymous.get(f"/suppliers/{public_firm.id}-{public_firm.slug}").get_data(as_text=True)
    assert f'src="/suppliers/{public_firm.id}/logo"' in body
    logo = anonymous.get(f"/suppliers/{public_firm.id}/logo")
    assert logo.status_code == 200
    assert logo.data == PNG_BYTES
    assert logo.mimetype == "image/png"
    assert logo.headers["X-Content-Type-Options"] == "nosniff"


def test_jpeg_logo_is_served_as_jpeg(client, app, login, public_firm):
    login("supplier")
    client.post(
        f"/firms/{public_firm.id}/logo",
        data={"logo": (io.BytesIO(JPEG_BYTES), "logo.jpg")},
        content_type="multipart/form-data",
    )

    logo = app.test_client().get(f"/suppliers/{public_firm.id}/logo")

    assert logo.data == JPEG_BYTES
    assert logo.mimetype == "image/jpeg"


def test_new_logo_replaces_the_old_file(client, app, db, login, public_firm):
    login("supplier")
    client.post(
        f"/firms/{public_firm.id}/logo",
        data={"logo": (io.BytesIO(PNG_BYTES), "logo.png")},
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    old = Path(app.config["UPLOAD_DIR"]) / public_firm.logo_path

    client.post(
        f"/firms/{public_firm.id}/logo",
        data={"logo": (io.BytesIO(JPEG_BYTES), "logo.jpg")},
        content_type="multipart/form-data",
    )

    assert not old.exists()
    assert app.test_client().get(f"/suppliers/{public_firm.id}/logo").data == JPEG_BYTES


def test_pdf_as_logo_is_refused_with_a_message(client, app, db, login, public_firm):
    login("supplier")

    response = client.post(
        f"/firms/{public_firm.id}/logo",
        data={"logo": (io.BytesIO(PDF_BYTES), "logo.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    assert "Upload a PNG or JPEG file; this file is of another kind." in response.get_data(as_text=True)
    db.session.expire_all()
    assert public_firm.logo_path is None


def test_photo_upload_is_shown_with_its_caption_on_the_public_profile(client, app, db, login, public_firm):
    login("supplier")

    response = client.post(
        f"/firms/{public_firm.id}/photos",
        data={"photo": (io.BytesIO(JPEG_BYTES), "line.jpg"), "caption": "SMT line 2 in Sundar"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    assert "Photo added." in client.get(response.headers["Location"]).get_data(as_text=True)
    photo = db.session.scalar(select(FirmPhoto))
    anonymous = app.test_client()
    body = anonymous.get(f"/suppliers/{public_firm.id}-{public_firm.slug}").get_data(as_text=True)
    assert f'src="/suppliers/{public_firm.id}/photos/{photo.id}"' in body
    assert "SMT line 2 in Sundar" in body
    served = anonymous.get(f"/suppliers/{public_firm.id}/photos/{photo.id}")
    assert served.status_code == 200
    assert served.data == JPEG_BYTES
    assert served.mimetype == "image/jpeg"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (PDF_BYTES, "line.pdf", "Upload a PNG or JPEG file; this file is of another kind."),
        (PDF_BYTES, "line.jpg", "Upload a PNG or JPEG file; this file is of another kind."),
        (HTML_AS_PDF, "line.png", "Upload a PNG or JPEG file; this file is of another kind."),
        (PNG_BYTES + b"\0" * (5 * MB), "huge.png", "The file is larger than 5 MB."),
    ],
    ids=["pdf", "pdf-named-jpg", "html-named-png", "over-5-mb"],
)
def test_unacceptable_photo_is_refused_with_a_flash_message(
    client, app, db, login, public_firm, content, filename, message
):
    login("supplier")
    before = stored_files(app)

    response = client.post(
        f"/firms/{public_firm.id}/photos",
        data={"photo": (io.BytesIO(content), filename), "caption": "Line"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(func.count(FirmPhoto.id))) == 0
    assert stored_files(app) == before


def test_photo_without_a_file_is_refused_with_a_flash_message(client, app, db, login, public_firm):
    login("supplier")

    response = client.post(
        f"/firms/{public_firm.id}/photos", data={"caption": "Line"}, content_type="multipart/form-data"
    )

    assert "Choose a PNG or JPEG file to upload." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(FirmPhoto.id))) == 0


def test_photos_of_a_non_public_firm_are_hidden_from_anonymous_visitors(client, app, db, login, firm):
    login("supplier")
    client.post(
        f"/firms/{firm.id}/photos",
        data={"photo": (io.BytesIO(PNG_BYTES), "line.png"), "caption": "Line"},
        content_type="multipart/form-data",
    )
    photo = db.session.scalar(select(FirmPhoto))

    assert client.get(f"/suppliers/{firm.id}/photos/{photo.id}").status_code == 200
    assert app.test_client().get(f"/suppliers/{firm.id}/photos/{photo.id}").status_code == 404
