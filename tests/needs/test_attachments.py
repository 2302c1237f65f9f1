"""Drawings on a need and files sent with a quote: the upload rules, who may download, when they change."""

import html
import io
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portal.extensions import db
from portal.needs.models import NeedAttachment, NeedInvitation, NeedStatus, Quote, SourcingNeed
from portal.timeutil import today
from tests.factories import PDF_BYTES, PNG_BYTES, make_need
from tests.needs.test_quotes import quote_form

HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(client, need, data=PDF_BYTES, name="drawing.pdf"):
    return client.post(
        f"/needs/{need.id}/attachments",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def attachments() -> list[NeedAttachment]:
    db.session.expire_all()
    return list(db.session.scalars(select(NeedAttachment).order_by(NeedAttachment.id)))


def quote_with_file(client, need):
    """The signed-in firm quotes with an offer PDF; returns the quote and the file's row."""
    data = {**quote_form(), "attachment": (io.BytesIO(PDF_BYTES), "offer.pdf")}
    client.post(f"/needs/{need.id}/quote", data=data, content_type="multipart/form-data")
    [item] = attachments()
    return db.session.scalar(select(Quote)), item


def test_the_brand_attaches_a_drawing_that_whoever_sees_the_need_downloads(client, login, cast, app):
    need = make_need(cast.brand, visibility="invited")
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.firm.id))
    db.session.commit()
    login("brand")
    assert "File attached." in upload(client, need).get_data(as_text=True)
    [item] = attachments()
    assert item.filename == "drawing.pdf" and item.quote_id is None
    assert (Path(app.config["UPLOAD_DIR"]) / item.path).read_bytes() == PDF_BYTES
    url = f"/needs/{need.id}/attachments/{item.id}"
    for who, expected in (
        ("brand", 200),
        ("supplier", 200),
        ("staff", 200),
        ("other_supplier", 404),
        ("other_brand", 404),
    ):
        login(who)
        response = client.get(url)
        assert response.status_code == expected, who
        if expected == 200:
            assert response.data == PDF_BYTES
            assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_file_that_is_not_a_document_is_refused_with_a_message_and_nothing_is_kept(client, login, cast):
    need = make_need(cast.brand)
    login("brand")
    body = html.unescape(upload(client, need, HTML_AS_PDF, "spec.pdf").get_data(as_text=True))
    assert "Upload a PDF, PNG or JPEG file; this file is of another kind." in body
    body = html.unescape(upload(client, need, b"", "empty.pdf").get_data(as_text=True))
    assert "Choose a PDF, PNG or JPEG file to upload." in body or "The file is empty." in body
    assert attachments() == []


def test_attachments_change_only_while_the_need_is_a_draft_or_open(client, login, cast):
    need = make_need(cast.brand)
    login("brand")
    upload(client, need, PNG_BYTES, "outline.png")
    [item] = attachments()
    db.session.get(SourcingNeed, need.id).deadline = today() - timedelta(days=1)
    db.session.commit()
    body = upload(client, need).get_data(as_text=True)
    assert "The deadline has passed: the need is closed and can no longer be changed." in body
    db.session.get(SourcingNeed, need.id).deadline = today() + timedelta(days=3)
    db.session.commit()
    response = client.post(f"/needs/{need.id}/attachments/{item.id}/delete", data={"version": 1}, follow_redirects=True)
    assert "File removed." in response.get_data(as_text=True)
    assert attachments() == []
    db.session.get(SourcingNeed, need.id).status = NeedStatus.AWARDED
    db.session.commit()
    assert "can no longer be changed" in upload(client, need).get_data(as_text=True)


def test_adding_a_file_to_an_open_need_tells_invited_firms(client, login, cast):
    from portal.notifications.models import Notification

    need = make_need(cast.brand)
    db.session.add(NeedInvitation(need_id=need.id, firm_id=cast.firm.id))
    db.session.commit()
    login("brand")
    upload(client, need, name="rev-b.pdf")
    [notice] = db.session.scalars(select(Notification).where(Notification.kind == "need_changed"))
    assert notice.user_id == cast.supplier.id and "Attachment added: rev-b.pdf" in notice.body


def test_a_file_sent_with_a_quote_stays_sealed_with_it(client, login, cast):
    need = make_need(cast.brand)
    login("supplier")
    quote, item = quote_with_file(client, need)
    assert item.quote_id == quote.id
    url = f"/needs/{need.id}/quotes/{quote.id}/attachments/{item.id}"
    assert client.get(url).status_code == 200, "its own firm"
    for who in ("brand", "staff", "other_supplier"):
        login(who)
        assert client.get(url).status_code == 404, who
    login("brand")
    client.post(f"/needs/{need.id}/close", data={"understood": "yes", "version": need.version})
    assert client.get(url).data == PDF_BYTES
    assert "offer.pdf" in client.get(f"/needs/{need.id}/quotes").get_data(as_text=True)
    login("other_supplier")
    assert client.get(url).status_code == 404


def test_a_bad_file_with_a_quote_refuses_the_quote_with_a_message(client, login, cast):
    need = make_need(cast.brand)
    login("supplier")
    data = {**quote_form(), "attachment": (io.BytesIO(HTML_AS_PDF), "offer.pdf")}
    response = client.post(f"/needs/{need.id}/quote", data=data, content_type="multipart/form-data")
    assert "Upload a PDF, PNG or JPEG file; this file is of another kind." in html.unescape(
        response.get_data(as_text=True)
    )
    assert db.session.scalar(select(Quote)) is None and attachments() == []


def test_a_firm_removes_a_file_from_its_quote_before_the_deadline(client, login, cast):
    need = make_need(cast.brand)
    login("supplier")
    quote, item = quote_with_file(client, need)
    page = client.get(f"/needs/{need.id}/quote").get_data(as_text=True)
    assert f"/needs/{need.id}/quote/attachments/{item.id}/delete" in page
    response = client.post(
        f"/needs/{need.id}/quote/attachments/{item.id}/delete", data={"version": quote.version}, follow_redirects=True
    )
    assert "File removed." in response.get_data(as_text=True)
    assert attachments() == []
