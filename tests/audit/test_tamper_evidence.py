"""An attacker who can write to the database, but holds neither AUDIT_KEY nor the checkpoint
files, can no longer delete the newest entries, delete them all, or rewrite one and recompute the
chain without `flask audit verify` naming it."""

import hashlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select, text

from portal import audit
from portal.audit import checkpoints, keying
from portal.audit.models import AuditEntry, AuditHead, legacy_hash
from tests.factories import make_firm


def _entries(users, db, count=3):
    firm = make_firm()
    for n in range(count):
        audit.record("firm.note", firm, actor=users["staff"], after={"n": n}, firm_id=firm.id)
        db.session.commit()
    return firm


def _verify(app, *args):
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])


def _checkpoint(app):
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    return result


def _recompute_chain_without_the_key(db, from_sequence=1):
    """What someone with database access alone can do: recompute every hash after a change."""
    previous = db.session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.sequence == from_sequence - 1))
    for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.sequence >= from_sequence).order_by(AuditEntry.sequence)
    ):
        entry.previous_hash = previous or "0" * 64
        entry.entry_hash = hashlib.sha256(entry.canonical().encode()).hexdigest()
        previous = entry.entry_hash
    db.session.get(AuditHead, 1).last_hash = previous
    db.session.commit()


def test_a_checkpointed_trail_verifies_intact(app, users, db):
    _entries(users, db)
    _checkpoint(app)
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Audit chain intact: 3 entries, 1 checkpoints agree.\n"


def test_deleting_the_newest_entries_and_rewinding_the_head_is_detected(app, users, db):
    _entries(users, db, count=4)
    _checkpoint(app)
    db.session.execute(text("DELETE FROM audit_entry WHERE sequence > 2"))
    last = db.session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.sequence == 2))
    db.session.execute(text("UPDATE audit_head SET sequence = 2, last_hash = :h"), {"h": last})
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert "the trail ends at entry 2" in result.stdout
    assert "recorded entry 4: the newest entries were deleted" in result.stdout


def test_deleting_every_entry_is_detected(app, users, db):
    _entries(users, db)
    _checkpoint(app)
    db.session.execute(text("DELETE FROM audit_entry"))
    db.session.execute(text("DELETE FROM audit_head"))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert "the trail is empty" in result.stdout and "recorded 3 entries: it was deleted" in result.stdout


def test_rewriting_an_entry_and_recomputing_the_chain_is_detected(app, users, db):
    _entries(users, db)
    _checkpoint(app)
    db.session.execute(text("UPDATE audit_entry SET note = 'nothing happened' WHERE sequence = 2"))
    db.session.commit()
    _recompute_chain_without_the_key(db, from_sequence=2)
    result = _verify(app)
    assert result.exit_code == 1
    assert "entry 2 (firm.note) was changed after it was written" in result.stdout
    assert "entry 3 differs from the checkpoint" in result.stdout and "it was rewritten" in result.stdout


def test_even_without_a_checkpoint_a_recomputed_chain_fails_the_key(app, users, db):
    _entries(users, db)
    db.session.execute(text("UPDATE audit_entry SET note = 'x' WHERE sequence = 1"))
    db.session.commit()
    _recompute_chain_without_the_key(db)
    problems = audit.verify_chain()
    assert [p for p in problems if "changed" in p] == [
        f"entry {n} (firm.note) was changed after it was written" for n in (1, 2, 3)
    ]


def test_a_checkpoint_is_written_every_n_entries_after_the_commit(app, users, db):
    app.config["AUDIT_CHECKPOINT_EVERY"] = 2
    try:
        firm = make_firm()
        audit.record("firm.note", firm, actor=users["staff"], firm_id=firm.id)
        audit.record("firm.note", firm, actor=users["staff"], firm_id=firm.id)
        db.session.rollback()  # a rolled-back act leaves no checkpoint
        assert checkpoints.read()[0] == []
        _entries(users, db, count=5)
    finally:
        app.config["AUDIT_CHECKPOINT_EVERY"] = 100
    written, problems = checkpoints.read()
    assert problems == []
    assert [c.sequence for c in written] == [2, 4]
    assert all(c.count == c.sequence for c in written)


def test_a_forged_or_edited_checkpoint_line_is_named(app, users, db):
    _entries(users, db)
    _checkpoint(app)
    path = next(Path(app.config["AUDIT_CHECKPOINT_DIR"]).glob("*.jsonl"))
    line = json.loads(path.read_text())
    path.write_text(path.read_text() + json.dumps({**line, "sequence": 1}) + "\n")
    result = _verify(app)
    assert result.exit_code == 1
    assert f"checkpoint {path.name} line 2 is not signed with the audit key" in result.stdout


def test_another_hosts_checkpoints_count_too(app, users, db, tmp_path):
    _entries(users, db, count=3)
    app.config["PORTAL_HOST_NAME"] = "web-2"
    try:
        _checkpoint(app)
    finally:
        app.config["PORTAL_HOST_NAME"] = ""
    copied = tmp_path / "from-web-2.jsonl"
    folder = Path(app.config["AUDIT_CHECKPOINT_DIR"])
    (folder / "web-2.jsonl").rename(copied)
    db.session.execute(text("DELETE FROM audit_entry WHERE sequence = 3"))
    db.session.execute(
        text("UPDATE audit_head SET last_hash = (SELECT entry_hash FROM audit_entry WHERE sequence = 2)")
    )
    db.session.commit()
    assert _verify(app).exit_code == 0  # this host never saw entry 3
    result = _verify(app, "--checkpoints", str(copied))
    assert result.exit_code == 1
    assert "the checkpoint web-2 wrote at" in result.stdout and "recorded entry 3" in result.stdout


def test_the_checkpoint_command_writes_once_while_another_host_holds_the_job(app, users, db):
    from portal.jobs import exclusive

    _entries(users, db)
    with exclusive("audit checkpoint"):
        result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert "already running" in result.output
    assert checkpoints.read()[0] == []
    assert "Checkpoint written: entry 3, 3 entries" in _checkpoint(app).output


def test_a_checkpoint_goes_to_the_log(app, users, db, caplog):
    _entries(users, db)
    with caplog.at_level("INFO"):
        _checkpoint(app)
    logged = [r for r in caplog.records if r.getMessage() == "audit.checkpoint"]
    assert logged and logged[0].fields["sequence"] == 3 and logged[0].fields["mac"]


def test_a_checkpoint_is_posted_to_an_http_sink(app, users, db):
    received = []

    class Sink(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Sink)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    app.config["AUDIT_CHECKPOINT_SINK"] = f"http://127.0.0.1:{server.server_port}/checkpoints"
    try:
        _entries(users, db)
        _checkpoint(app)
        thread.join(5)
    finally:
        app.config["AUDIT_CHECKPOINT_SINK"] = ""
        server.server_close()
    assert received and received[0]["sequence"] == 3
    assert checkpoints._parse(json.dumps(received[0])).is_authentic(b"testing-audit-key")


def test_a_checkpoint_is_sent_to_a_syslog_sink(app, users, db):
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(5)
    app.config["AUDIT_CHECKPOINT_SINK"] = f"syslog://127.0.0.1:{listener.getsockname()[1]}"
    try:
        _entries(users, db)
        _checkpoint(app)
        line = listener.recv(65536).decode()
    finally:
        app.config["AUDIT_CHECKPOINT_SINK"] = ""
        listener.close()
    assert line.startswith("<110>edb-portal audit-checkpoint: {")
    assert json.loads(line.split(": ", 1)[1])["sequence"] == 3


def test_a_sink_that_is_down_does_not_stop_the_checkpoint(app, users, db):
    app.config["AUDIT_CHECKPOINT_SINK"] = "http://127.0.0.1:9/nobody-listens"
    try:
        _entries(users, db)
        _checkpoint(app)
    finally:
        app.config["AUDIT_CHECKPOINT_SINK"] = ""
    assert len(checkpoints.read()[0]) == 1


def _make_legacy(db):
    """Turn the trail back into the plain SHA-256 chain entries carried before keying."""
    keying.rekey(db.session.connection(), None, b"testing-audit-key")
    db.session.commit()


def test_rekeying_turns_a_legacy_sha256_trail_into_a_keyed_one(app, users, db):
    _entries(users, db)
    _make_legacy(db)
    first = db.session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)).first()
    assert first.entry_hash == legacy_hash(first.canonical())
    assert any("changed" in p for p in audit.verify_chain())
    result = app.test_cli_runner().invoke(args=["audit", "rekey"])
    assert result.exit_code == 0, result.output
    assert "Re-keyed 3 audit entries" in result.stdout
    assert audit.verify_chain() == []


def test_a_broken_legacy_trail_is_not_rekeyed(app, users, db):
    _entries(users, db)
    _make_legacy(db)
    db.session.execute(text("UPDATE audit_entry SET note = 'x' WHERE sequence = 2"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "rekey"])
    assert result.exit_code == 1
    assert "does not verify under its current hash at entries 2" in result.stdout


def test_a_new_key_rekeys_from_the_previous_one_and_sets_old_checkpoints_aside(app, users, db, monkeypatch):
    _entries(users, db)
    _checkpoint(app)
    monkeypatch.setenv("OLD_AUDIT_KEY", "testing-audit-key")
    app.config["AUDIT_KEY"] = "a-new-testing-audit-key"
    try:
        result = app.test_cli_runner().invoke(args=["audit", "rekey", "--previous-key-env", "OLD_AUDIT_KEY"])
        assert result.exit_code == 0, result.output
        assert audit.verify_chain() == []
        assert len(checkpoints.read()[0]) == 1
    finally:
        app.config["AUDIT_KEY"] = "testing-audit-key"


@pytest.mark.parametrize("field", ["sequence", "head"])
def test_the_checkpoint_signature_covers_what_it_says(app, field):
    signed = checkpoints.Checkpoint(host="web-1", sequence=5, head="ab" * 32, count=5, at="2026-12-03T09:00:00+00:00")
    signed = signed.signed(b"k")
    assert signed.is_authentic(b"k") and not signed.is_authentic(b"other")
    changed = {"sequence": 6, "head": "cd" * 32}[field]
    assert not checkpoints.Checkpoint(**{**signed.__dict__, field: changed}).is_authentic(b"k")
