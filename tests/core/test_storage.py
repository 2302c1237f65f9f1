"""Uploaded files every host can read: the database store, reading across stores, moving files."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import storage, uploads
from portal.storage import StorageRefused, StoredBlob, StoredBlobChunk, StoredFile
from tests.factories import PDF_BYTES, PNG_BYTES, make_firm

BIG_PDF = PDF_BYTES + b"%" + b"x" * (2 * storage.CHUNK + 1000) + b"\n%%EOF\n"


@pytest.fixture
def own_uploads(app, tmp_path):
    """An upload folder holding only this test's files, and disk as the selected store."""
    saved = app.config["UPLOAD_DIR"], app.config["UPLOAD_STORAGE"]
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    app.config["UPLOAD_STORAGE"] = "disk"
    yield Path(app.config["UPLOAD_DIR"])
    app.config["UPLOAD_DIR"], app.config["UPLOAD_STORAGE"] = saved


@pytest.fixture
def in_database(app, own_uploads):
    app.config["UPLOAD_STORAGE"] = "database"
    return own_uploads


def files_on_disk(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_logo_uploaded_to_the_database_store_is_served_from_it(client, db, login, users, in_database):
    firm = make_firm("Apex Boards (Pvt) Ltd", owner=users["supplier"])
    login("supplier")

    response = client.post(
        f"/firms/{firm.id}/logo", data={"logo": (io.BytesIO(PNG_BYTES), "logo.png")}, content_type="multipart/form-data"
    )

    assert response.status_code == 302
    assert files_on_disk(in_database) == []
    db.session.refresh(firm)
    assert db.session.scalar(select(StoredFile.name)) == firm.logo_path
    logo = client.get(f"/suppliers/{firm.id}/logo")
    assert (logo.status_code, logo.data, logo.mimetype) == (200, PNG_BYTES, "image/png")
    assert logo.content_length == len(PNG_BYTES)
    assert logo.headers["X-Content-Type-Options"] == "nosniff"


def test_a_large_file_is_kept_in_chunks_and_comes_back_whole(app, db, in_database):
    stored = uploads.store(BIG_PDF, "drawing.pdf")

    assert count(db, StoredBlobChunk) == 3
    with app.test_request_context():
        response = uploads.send_stored(stored.path, "drawing.pdf", "application/pdf")
        response.direct_passthrough = False
        assert response.get_data() == BIG_PDF
        assert response.headers["Content-Disposition"] == "attachment; filename=drawing.pdf"


def test_the_same_content_is_kept_once_and_goes_with_its_last_file(db, in_database):
    first = uploads.store(PDF_BYTES, "a.pdf")
    second = uploads.store(PDF_BYTES, "b.pdf")
    assert (count(db, StoredFile), count(db, StoredBlob)) == (2, 1)

    uploads.discard(first.path)
    assert (count(db, StoredFile), count(db, StoredBlob)) == (1, 1)
    assert b"".join(storage.active_storage().chunks(second.path)) == PDF_BYTES

    uploads.discard(second.path)
    assert (count(db, StoredFile), count(db, StoredBlob), count(db, StoredBlobChunk)) == (0, 0, 0)


def test_a_file_larger_than_the_database_store_takes_is_refused_whole(app, db, in_database):
    app.config["UPLOAD_DATABASE_MAX_BYTES"] = storage.CHUNK
    try:
        with pytest.raises(StorageRefused, match="larger than the database store takes"):
            storage.active_storage().save("ab/big.pdf", BIG_PDF)
    finally:
        app.config["UPLOAD_DATABASE_MAX_BYTES"] = 50 * 1024 * 1024
    assert (count(db, StoredFile), count(db, StoredBlob), count(db, StoredBlobChunk)) == (0, 0, 0)


def test_files_still_on_disk_are_served_after_switching_to_the_database(app, own_uploads):
    stored = uploads.store(PDF_BYTES, "before.pdf")
    app.config["UPLOAD_STORAGE"] = "database"

    with app.test_request_context(), uploads.send_stored(stored.path, "before.pdf", "application/pdf") as response:
        response.direct_passthrough = False
        assert response.get_data() == PDF_BYTES


def test_an_unknown_storage_kind_stops_the_start_with_a_clear_message(app):
    from portal import create_app

    with pytest.raises(ValueError, match="UPLOAD_STORAGE is 's3'; use one of: disk, database"):
        create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "UPLOAD_STORAGE": "s3"})


# --- moving files between the stores --------------------------------------------------------------


def migrate(app, to: str, *options: str):
    return app.test_cli_runner().invoke(args=["storage", "migrate", "--to", to, *options])


def test_migrate_moves_every_file_into_the_database_and_back(app, db, own_uploads):
    names = [uploads.store(PDF_BYTES, "a.pdf").path, uploads.store(BIG_PDF, "b.pdf").path]
    names.append(uploads.store(PNG_BYTES, "c.png", kinds=uploads.IMAGE_KINDS).path)

    into = migrate(app, "database")

    assert into.exit_code == 0, into.output
    assert "Moved 3 file(s) from the upload folder" in into.output
    assert "set UPLOAD_STORAGE=database on every host" in into.output
    assert files_on_disk(own_uploads) == []
    assert db.session.scalars(select(StoredFile.name).order_by(StoredFile.name)).all() == sorted(names)

    back = migrate(app, "disk")

    assert back.exit_code == 0, back.output
    assert files_on_disk(own_uploads) == sorted(names)
    assert (own_uploads / names[1]).read_bytes() == BIG_PDF
    assert (count(db, StoredFile), count(db, StoredBlob), count(db, StoredBlobChunk)) == (0, 0, 0)


def test_an_interrupted_migration_resumes_without_copying_twice(app, db, own_uploads):
    done = uploads.store(PDF_BYTES, "copied-not-yet-deleted.pdf").path
    left = uploads.store(PNG_BYTES, "not-yet-copied.png", kinds=uploads.IMAGE_KINDS).path
    storage.database_storage().save(done, PDF_BYTES)  # where the first run was killed

    resumed = migrate(app, "database")

    assert resumed.exit_code == 0, resumed.output
    assert "Moved 1 file(s)" in resumed.output and "1 were already there" in resumed.output
    assert files_on_disk(own_uploads) == []
    assert sorted(storage.database_storage().names()) == sorted([done, left])


def test_a_file_the_database_store_refuses_stays_on_disk_and_is_named(app, db, own_uploads):
    big = uploads.store(BIG_PDF, "big.pdf").path
    small = uploads.store(PDF_BYTES, "small.pdf").path
    app.config["UPLOAD_DATABASE_MAX_BYTES"] = storage.CHUNK
    try:
        result = migrate(app, "database")
    finally:
        app.config["UPLOAD_DATABASE_MAX_BYTES"] = 50 * 1024 * 1024

    assert result.exit_code == 1
    assert f"{big}: the file is larger than the database store takes" in result.output
    assert files_on_disk(own_uploads) == [big]
    assert storage.database_storage().names() == [small]


def test_migrate_reports_and_refuses_in_urdu_when_asked(app, db, own_uploads):
    big = uploads.store(BIG_PDF, "big.pdf").path
    app.config["UPLOAD_DATABASE_MAX_BYTES"] = storage.CHUNK
    try:
        result = migrate(app, "database", "--language", "ur")
    finally:
        app.config["UPLOAD_DATABASE_MAX_BYTES"] = 50 * 1024 * 1024

    words = result.output.replace("\u2068", "").replace("\u2069", "")
    assert result.exit_code == 1
    assert "0 فائلیں اپ لوڈ فولڈر" in words and "ڈیٹا بیس میں منتقل کی گئیں" in words
    assert f"{big}: فائل اس سے بڑی ہے جتنی ڈیٹا بیس کا ذخیرہ لیتا ہے" in words


def test_readiness_names_a_database_store_whose_tables_are_missing(app, client, in_database, monkeypatch):
    monkeypatch.setattr(StoredFile.__table__, "name", "no_such_table")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "file tables cannot be read" in response.get_json()["not_ready"]["file_storage"]
