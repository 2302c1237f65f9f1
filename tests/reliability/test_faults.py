"""Faults a running portal meets: the same import twice at once, an import killed with kill -9,
two people saving the same firm. Nothing is duplicated, lost or half-written, and the search index
agrees with the database afterwards.

The imports run as real `flask import-suppliers` processes against the test database.
"""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text, update

from portal.audit.models import AuditEntry
from portal.extensions import db as _db
from portal.staff.imports import COLUMNS
from portal.suppliers.models import Capability, Certificate, Firm
from tests.factories import make_firm

ROOT = Path(__file__).resolve().parents[2]


def write_suppliers(path: Path, count: int) -> Path:
    """`count` verified firms, each with two capabilities, a process and a certificate."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for number in range(count):
            writer.writerow(
                [
                    f"Fault Tolerant Parts {number:05d}",
                    "Lahore" if number % 2 else "Karachi",
                    "Punjab" if number % 2 else "Sindh",
                    "Moulded housings and USB cables.",
                    "housing-plastic;cable",
                    "injection-molding",
                    "iso-9001:2030-06-30",
                    "10000",
                    "40",
                    "UAE;Kenya",
                    f"sales{number}@parts.example.pk",
                    "",
                    "yes",
                ]
            )
    return path


def flask_command(app, *args) -> subprocess.Popen:
    """`flask --app portal ARGS` in its own process, on this test's database and search index."""
    env = dict(
        os.environ,
        PORTAL_ENV="testing",
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        PORTAL_INDEX_DIR=app.config["PORTAL_INDEX_DIR"],
        UPLOAD_DIR=app.config["UPLOAD_DIR"],
        AUDIT_CHECKPOINT_DIR=app.config["AUDIT_CHECKPOINT_DIR"],
        PYTHONPATH=str(ROOT),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "portal", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 300) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"exit {process.returncode}: {out}\n{err}"
    return out


def firm_count(db) -> int:
    db.session.rollback()  # read what other processes committed since
    return db.session.scalar(select(func.count(Firm.id)).where(Firm.legal_name.like("Fault Tolerant Parts %")))


def assert_each_firm_whole_and_once(db, expected: int) -> None:
    db.session.rollback()
    names = db.session.scalars(select(Firm.legal_name).where(Firm.legal_name.like("Fault Tolerant Parts %"))).all()
    assert len(names) == len(set(names)), "no firm was created twice"
    assert len(names) == expected, "no row was lost"
    parts = dict(
        db.session.execute(
            select(Firm.id, func.count(Capability.id.distinct()) * 10 + func.count(Certificate.id.distinct()))
            .outerjoin(Capability, Capability.firm_id == Firm.id)
            .outerjoin(Certificate, Certificate.firm_id == Firm.id)
            .where(Firm.legal_name.like("Fault Tolerant Parts %"))
            .group_by(Firm.id)
        ).all()
    )
    half_written = {firm_id: n for firm_id, n in parts.items() if n != 21}
    assert not half_written, f"firms without both capabilities and the certificate: {half_written}"
    audited = db.session.scalar(
        select(func.count(AuditEntry.firm_id.distinct())).where(AuditEntry.action == "firm.imported_created")
    )
    assert audited == expected, "every created firm has its audit entry"


def assert_index_and_audit_clean(app) -> None:
    for command in (("search-index", "check"), ("audit", "verify")):
        result = app.test_cli_runner().invoke(args=list(command))
        assert result.exit_code == 0, result.output


def test_the_same_file_imported_twice_at_once_creates_each_firm_once(app, db, tmp_path):
    rows = 600
    source = write_suppliers(tmp_path / "suppliers.csv", rows)
    first, second = (
        flask_command(app, "import-suppliers", str(source)),
        flask_command(app, "import-suppliers", str(source)),
    )
    reports = [finish(first), finish(second)]
    assert_each_firm_whole_and_once(db, rows)
    created = sum(int(report.split(" created")[0].rsplit(": ", 1)[1].replace(",", "")) for report in reports)
    assert created == rows, reports
    assert_index_and_audit_clean(app)


def test_an_import_killed_midway_leaves_whole_firms_and_a_rerun_completes_it(app, db, tmp_path):
    rows = 1000
    source = write_suppliers(tmp_path / "suppliers.csv", rows)
    process = flask_command(app, "import-suppliers", str(source))
    deadline = time.monotonic() + 120
    while firm_count(db) < 100 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()  # waits, and closes its output pipes
    assert process.returncode == -signal.SIGKILL
    done = firm_count(db)
    if done >= rows:
        pytest.skip("the import finished before it could be killed")
    assert done > 0
    assert_each_firm_whole_and_once(db, done)

    report = finish(flask_command(app, "import-suppliers", str(source)))
    assert f"{rows - done:,} created" in report and f"{done:,} unchanged" in report
    assert_each_firm_whole_and_once(db, rows)
    assert_index_and_audit_clean(app)


def test_a_firm_changed_by_someone_else_meanwhile_is_not_overwritten(app, db, client, login, users):
    firm = make_firm("Two Writers Ltd", owner=users["supplier"], description="Cables.")
    login("supplier")
    form = {
        "legal_name": firm.legal_name,
        "city": firm.city,
        "province": firm.province,
        "description": "USB cables and fast chargers made on two lines in Lahore since 2009.",
        "contact_email": "sales@firm.example.pk",
    }

    written = []

    def other_writer(session, flush_context, instances):
        """Another request saves the firm between this one reading it and writing it."""
        if not written and any(isinstance(o, Firm) for o in session.dirty):
            written.append(True)
            with _db.engine.begin() as other:
                other.execute(
                    update(Firm).where(Firm.id == firm.id).values(description="Other", version=Firm.version + 1)
                )

    event.listen(_db.session, "before_flush", other_writer)
    try:
        response = client.post(f"/firms/{firm.id}/profile", data=form)
    finally:
        event.remove(_db.session, "before_flush", other_writer)
    assert response.status_code == 409
    assert "changed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(text("SELECT description FROM firm WHERE id = :id"), {"id": firm.id}) == "Other"
