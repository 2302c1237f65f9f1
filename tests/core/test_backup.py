"""`flask backup` and `flask restore`: every record and every file comes back in a fresh portal."""

import io
import json
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.engine import make_url

from portal import backup, create_app, uploads
from portal.accounts.models import ApiToken, SignInAttempt
from portal.extensions import db as _db
from portal.suppliers import lifecycle
from portal.suppliers.models import ListingStatus
from portal.taxonomy import sync_taxonomy
from tests.factories import PDF_BYTES, PNG_BYTES, make_firm
from tests.needs.test_needs import FORM as NEED_FORM


@pytest.fixture(autouse=True)
def own_uploads(app, tmp_path):
    """An upload folder holding only this test's files (the suite's app shares one otherwise)."""
    shared = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    yield
    app.config["UPLOAD_DIR"] = shared


@pytest.fixture
def stocked(app, db, client, login, users):
    """A portal with firms, a certificate with evidence, a logo, a need, a token and audit entries."""
    firm = make_firm(
        "Backup Circuits (Pvt) Ltd",
        owner=users["supplier"],
        description="Flexible printed circuits for handsets.",
        capabilities=[{"category": "pcb-flex", "processes": ["smt"]}],
        certificates=[{"type": "iso-9001"}],
    )
    evidence = uploads.store(PDF_BYTES, "iso-9001.pdf")
    logo = uploads.store(PNG_BYTES, "logo.png", kinds=uploads.IMAGE_KINDS)
    certificate = firm.certificates[0]
    certificate.evidence_path, certificate.evidence_filename = evidence.path, evidence.filename
    certificate.evidence_mimetype = evidence.mimetype
    firm.logo_path = logo.path
    db.session.commit()
    draft = make_firm("Quetta Housings", status=ListingStatus.DRAFT, capabilities=[{"category": "housing-plastic"}])
    lifecycle.submit(draft, users["supplier"])
    lifecycle.verify(draft, users["staff"])
    db.session.commit()
    ApiToken.issue(users["brand"], "ERP")
    db.session.commit()
    login("brand")
    assert client.post("/needs/new", data=NEED_FORM).status_code == 302
    return {"files": {evidence.path: PDF_BYTES, logo.path: PNG_BYTES}}


@pytest.fixture
def fresh_portal(app, tmp_path):
    """A second portal with an empty schema: its own SQLite file, or its own PostgreSQL database."""
    base = tmp_path / "fresh"
    config = {
        "UPLOAD_DIR": str(base / "uploads"),
        "PORTAL_INDEX_DIR": str(base / "index"),
        "AUDIT_CHECKPOINT_DIR": str(base / "audit-checkpoints"),
    }
    source = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if source.get_backend_name() == "sqlite":
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{base / 'portal.db'}"
        base.mkdir()
    else:
        name = f"{source.database}_restored"
        _admin(app, f'DROP DATABASE IF EXISTS "{name}"')
        try:
            _admin(app, f'CREATE DATABASE "{name}"')
        except Exception as error:  # noqa: BLE001  (no right to create databases)
            pytest.skip(f"cannot create a second PostgreSQL database for the restore: {error}")
        config["SQLALCHEMY_DATABASE_URI"] = source.set(database=name).render_as_string(hide_password=False)
    fresh = create_app(config)
    with fresh.app_context():
        _db.create_all()
        sync_taxonomy()
        _db.session.commit()
    yield fresh
    with fresh.app_context():
        _db.session.remove()
        _db.engine.dispose()
    if source.get_backend_name() != "sqlite":
        _admin(app, f'DROP DATABASE IF EXISTS "{name}"')


def _admin(app, statement: str) -> None:
    with _db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


@pytest.fixture(autouse=True)
def _postgres_tools(app):
    if _db.engine.dialect.name == "postgresql":
        with _db.engine.connect() as connection:
            major = int(connection.scalar(text("SHOW server_version_num"))) // 10000
        try:
            backup.pg_tool("pg_dump", major), backup.pg_tool("pg_restore", major)
        except backup.BackupError as error:
            pytest.skip(f"PostgreSQL client tools are missing: {error}")


def every_row(application) -> dict[str, list[tuple]]:
    """Every row of every table of the models, in primary-key order; not each host's record of
    how far its own search index got, which the restore's rebuild writes for the new host."""
    with application.app_context():
        rows = {}
        for table in _db.metadata.sorted_tables:
            if table.name == "search_replica":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            rows[table.name] = [tuple(row) for row in _db.session.execute(select(table).order_by(*order))]
        _db.session.remove()
    return rows


def every_file(root: str) -> dict[str, bytes]:
    base = Path(root)
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in base.rglob("*") if p.is_file()}


def run(application, *args):
    """Run a command against `application` (inside its own app context, not the test's)."""
    with application.app_context():
        return application.test_cli_runner().invoke(args=list(args))


def test_a_backup_restored_into_a_fresh_portal_has_every_record_and_file(app, stocked, fresh_portal, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    made = run(app, "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output and archive.is_file()
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["counts"]["firm"] == 2
    assert set(manifest["uploads"]) == set(stocked["files"])

    restored = run(fresh_portal, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.output

    assert every_row(fresh_portal) == every_row(app)
    assert every_file(fresh_portal.config["UPLOAD_DIR"]) == stocked["files"]
    assert run(fresh_portal, "audit", "verify").exit_code == 0
    checked = run(fresh_portal, "search-index", "check")
    assert checked.exit_code == 0, checked.output
    assert "agree (2 public firms)" in checked.output
    page = fresh_portal.test_client().get("/suppliers/?q=flexible")
    assert "Backup Circuits" in page.get_data(as_text=True)


def test_restore_refuses_a_portal_holding_data_unless_forced(app, stocked, fresh_portal, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    assert run(app, "backup", str(archive)).exit_code == 0
    assert run(fresh_portal, "restore", str(archive)).exit_code == 0
    with fresh_portal.app_context():
        _db.session.execute(text("DELETE FROM api_token"))
        _db.session.commit()

    refused = run(fresh_portal, "restore", str(archive))
    assert refused.exit_code == 1
    assert "already holds data" in refused.output and "--force" in refused.output
    assert every_row(fresh_portal)["api_token"] == [], "nothing was touched"

    forced = run(fresh_portal, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert every_row(fresh_portal) == every_row(app)


def test_a_refused_restore_is_told_in_urdu_when_asked(app, stocked, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    assert run(app, "backup", str(archive)).exit_code == 0
    refused = run(app, "restore", "--language", "ur", str(archive))
    assert refused.exit_code == 1
    assert "اس پورٹل میں پہلے سے ڈیٹا موجود ہے" in refused.output and "--force" in refused.output
    assert "قطاریں" in refused.output, "the tables holding rows are named in Urdu too"
    assert "already holds data" not in refused.output and "rows in" not in refused.output


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy the archive member by member, letting `change(name, data)` alter or drop (None) a member."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                copy.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncated", "is not a readable portal backup"),
        ("not gzip", "is not a readable portal backup"),
        ("file changed", "damaged (checksum differs)"),
        ("file missing", "missing: uploads/"),
        ("no manifest", "has no manifest.json"),
        ("foreign entry", "never has"),
    ],
)
def test_a_damaged_archive_is_refused_with_a_clear_message(app, stocked, fresh_portal, tmp_path, damage, message):
    archive = tmp_path / "portal.tar.gz"
    assert run(app, "backup", str(archive)).exit_code == 0
    broken = tmp_path / "broken.tar.gz"
    data = archive.read_bytes()
    if damage == "truncated":
        broken.write_bytes(data[: len(data) // 2])
    elif damage == "not gzip":
        broken.write_bytes(b"these are not the bytes of a backup\n" * 20)
    elif damage == "file changed":
        _rewrite(archive, broken, lambda name, body: body + b"x" if name.startswith("uploads/") else body)
    elif damage == "file missing":
        _rewrite(archive, broken, lambda name, body: None if name.startswith("uploads/") else body)
    elif damage == "no manifest":
        _rewrite(archive, broken, lambda name, body: None if name == "manifest.json" else body)
    else:
        with tarfile.open(broken, "w:gz") as tar:
            info = tarfile.TarInfo("../../etc/cron.d/evil")
            info.size = 3
            tar.addfile(info, io.BytesIO(b"bad"))

    result = run(fresh_portal, "restore", str(broken))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert every_row(fresh_portal)["firm"] == [], "a refused archive changes nothing"


def test_a_backup_of_a_portal_without_uploads_restores_too(app, db, users, fresh_portal, tmp_path):
    archive = tmp_path / "empty-uploads.tar.gz"
    assert run(app, "backup", str(archive)).exit_code == 0
    assert run(fresh_portal, "restore", str(archive)).exit_code == 0
    assert every_row(fresh_portal)["user_account"] == every_row(app)["user_account"]
    with fresh_portal.app_context():
        assert "user_account" in inspect(_db.engine).get_table_names()


def test_backup_without_a_path_writes_into_the_instance_folder(app, users, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    result = run(app, "backup")
    assert result.exit_code == 0, result.output
    (written,) = (tmp_path / "backups").iterdir()
    assert written.name.startswith("portal-") and written.name.endswith(".tar.gz")
    assert str(written) in result.output


def test_a_backup_taken_while_requests_write_is_consistent(app, stocked, fresh_portal, tmp_path):
    engine, stop = _db.engine, threading.Event()

    def keep_writing():
        while not stop.is_set():
            with engine.begin() as connection:
                connection.execute(insert(SignInAttempt).values(email="busy@example.com", ip="10.0.0.9"))

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        made = run(app, "backup", str(tmp_path / "busy.tar.gz"))
    finally:
        stop.set()
        writer.join()
    assert made.exit_code == 0, made.output
    restored = run(fresh_portal, "restore", str(tmp_path / "busy.tar.gz"))
    assert restored.exit_code == 0, restored.output  # the restore checks every table's count


@pytest.fixture
def uploads_in_database(app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_STORAGE", "database")


def test_files_kept_in_the_database_travel_with_the_backup(app, uploads_in_database, stocked, fresh_portal, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    made = run(app, "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "and 2 uploaded files" in made.output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["uploads"] == {}
    assert manifest["upload_storage"] == {"selected": "database", "files_in_database": 2}

    restored = run(fresh_portal, "restore", str(archive))

    assert restored.exit_code == 0, restored.output
    assert "2 restored file(s) are in the database, while new uploads go to the upload folder" in restored.output
    assert every_row(fresh_portal) == every_row(app)
    with fresh_portal.app_context():
        from portal import storage

        for name, content in stocked["files"].items():
            assert b"".join(storage.holder_of(name).chunks(name)) == content


def test_a_restored_trail_verifies_against_a_fresh_checkpoint(app, stocked, fresh_portal, tmp_path):
    """The restored trail ends where the backup did: older checkpoints are set aside, not reported."""
    archive = tmp_path / "portal.tar.gz"
    assert run(app, "backup", str(archive)).exit_code == 0
    folder = Path(fresh_portal.config["AUDIT_CHECKPOINT_DIR"])
    folder.mkdir(parents=True)
    (folder / "old-host.jsonl").write_text("left from before the restore\n")
    assert run(fresh_portal, "restore", str(archive)).exit_code == 0
    assert [p.name for p in folder.glob("*.jsonl")] != [] and not (folder / "old-host.jsonl").exists()
    verified = run(fresh_portal, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "1 checkpoints agree" in verified.stdout
