"""Scheduled jobs run once at a time: a second start while one runs says so and exits 0."""

import pytest

from portal.cli import index_sync_job
from portal.jobs import exclusive
from tests.factories import make_certificate, make_firm

JOBS = {
    "send-reminders": ["send-reminders"],
    "close-due-needs": ["close-due-needs"],
    "snapshot-metrics": ["snapshot-metrics"],
    "responsiveness-refresh": ["responsiveness", "refresh"],
    "search-index sync": ["search-index", "sync"],
}


def job_name(label: str) -> str:
    return index_sync_job() if label == "search-index sync" else label


@pytest.mark.parametrize("label", sorted(JOBS))
def test_second_start_of_a_running_job_says_so_and_exits_0(app, label):
    with exclusive(job_name(label)) as held:
        assert held
        result = app.test_cli_runner().invoke(args=JOBS[label])
    assert result.exit_code == 0, result.output
    assert "is already running (on this host or another); this start does nothing." in result.output


def test_a_start_that_finds_the_job_running_sends_nothing_and_the_next_start_does(app, db, cast, outbox):
    firm = make_firm("Apex Boards (Pvt) Ltd", owner=cast.supplier)
    make_certificate(firm, "iso-9001", days_valid=30)
    db.session.commit()
    runner = app.test_cli_runner()

    with exclusive("send-reminders"):
        skipped = runner.invoke(args=["send-reminders"])
    assert "Sent" not in skipped.output
    assert outbox("certificate_expiry") == []

    ran = runner.invoke(args=["send-reminders"])
    assert ran.exit_code == 0, ran.output
    assert "Sent 1 certificate expiry reminder(s)." in ran.output
    assert [m.recipient for m in outbox("certificate_expiry")] == ["supplier@example.com"]


def test_each_job_has_its_own_lock(app):
    with exclusive("send-reminders") as first, exclusive("close-due-needs") as second:
        assert first and second
        with exclusive("send-reminders") as again:
            assert not again


def test_a_job_that_failed_leaves_no_lock_behind(app):
    with pytest.raises(RuntimeError), exclusive("snapshot-metrics"):
        raise RuntimeError("the job failed")
    with exclusive("snapshot-metrics") as held:
        assert held


def test_each_hosts_index_sync_is_a_job_of_its_own(app, tmp_path):
    mine = index_sync_job()
    app.config["PORTAL_INDEX_DIR"] = str(tmp_path / "another-index")
    assert index_sync_job() != mine


def test_on_sqlite_the_locks_live_beside_the_database_file(app, db):
    from pathlib import Path

    from portal.jobs import _lock_folder

    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL takes advisory locks, no files")
    database = Path(db.engine.url.database).resolve()
    with exclusive("send-reminders"):
        assert _lock_folder() == database.with_name(database.name + ".locks")
        assert any(_lock_folder().glob("send-reminders-*.lock"))
