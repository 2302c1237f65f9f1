"""The index stays in step with the database, and repairs itself after crashes and lost updates."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from whoosh import index as whoosh_index

from portal import search
from portal.search import indexing
from portal.search.engine import Mark, read_mark, store_for
from portal.search.outbox import SearchOutbox
from portal.search.service import SearchParams
from portal.suppliers.models import ReviewStatus
from portal.timeutil import utcnow
from tests.factories import make_firm


def names(**params):
    from portal.suppliers.directory import public_firms

    return [f.legal_name for f in public_firms([h.firm_id for h in search.search(SearchParams(**params)).hits])]


def test_every_change_writes_an_outbox_row_in_its_transaction(app, db):
    firm = make_firm("Outbox Ltd", capabilities=[{"category": "pcba"}])
    rows = db.session.scalars(db.select(SearchOutbox.firm_id)).all()
    assert set(rows) == {firm.id}
    firm.description = "changed, then rolled back"
    db.session.flush()
    db.session.rollback()
    assert db.session.scalars(db.select(SearchOutbox.firm_id)).all() == rows


def test_a_lost_update_is_found_by_check_and_repaired_by_sync(app, db):
    firm = make_firm("Lost Update Ltd", description="cables", capabilities=[{"category": "cable"}])
    search.sync()
    store = store_for(app.config["PORTAL_INDEX_DIR"])
    blocker = store.index().writer()  # another process holds the write lock
    try:
        firm.description = "silicone keypads"
        db.session.commit()
        assert search.sync(wait=False) == 0, "a busy index never fails the save"
        assert search.check().stale == [firm.id]
    finally:
        blocker.cancel()
    runner = app.test_cli_runner()
    failed = runner.invoke(args=["search-index", "check"])
    assert failed.exit_code == 1
    assert "Lost Update Ltd" in failed.output and "out of date" in failed.output
    assert runner.invoke(args=["search-index", "sync"]).exit_code == 0
    assert search.check().clean
    assert names(q="silicone") == ["Lost Update Ltd"]


def test_changes_left_by_a_crash_are_applied_by_the_next_search(app, db):
    make_firm("Crashed Writer Ltd", description="antenna coils", capabilities=[{"category": "antenna"}])
    # The process died after commit, before applying the outbox: nothing was indexed.
    assert read_mark(store_for(app.config["PORTAL_INDEX_DIR"]).current_path()).upto == 0
    assert names(q="antenna") == ["Crashed Writer Ltd"]


def test_check_names_firms_missing_and_hidden(app, db):
    shown = make_firm("Shown Ltd", capabilities=[{"category": "cable"}])
    hidden = make_firm("Hidden Later Ltd", capabilities=[{"category": "cable"}])
    search.sync()
    store = store_for(app.config["PORTAL_INDEX_DIR"])
    with store.writer() as writer:
        writer.delete_by_term("key", str(shown.id))
    db.session.execute(db.update(type(hidden)).where(type(hidden).id == hidden.id).values(suspended=True))
    db.session.execute(db.delete(SearchOutbox))  # as if the outbox rows were lost too
    db.session.commit()
    drift = search.check()
    assert (drift.missing, drift.hidden) == ([shown.id], [hidden.id])
    search.rebuild()
    assert search.check().clean


def test_rebuild_swaps_in_a_new_generation_with_a_progress_bar(app, db):
    for number in range(3):
        make_firm(f"Rebuilt {number} Ltd", capabilities=[{"category": "cable"}])
    before = store_for(app.config["PORTAL_INDEX_DIR"]).current_path()
    result = app.test_cli_runner().invoke(args=["search-index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 3 public firms." in result.output
    after = store_for(app.config["PORTAL_INDEX_DIR"]).current_path()
    assert after != before
    assert len(names()) == 3
    assert app.test_cli_runner().invoke(args=["search-index", "check"]).exit_code == 0


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "two processes"])
def test_rebuild_killed_midway_leaves_the_old_index_working(app, db, tmp_path, parallel):
    count = 250 if parallel else 40  # enough for the second process to have work when the first dies
    for number in range(count):
        make_firm(
            f"Survivor {number:03d} Ltd", description="moulded covers", capabilities=[{"category": "housing-plastic"}]
        )
    search.sync()
    index_dir = app.config["PORTAL_INDEX_DIR"]
    live = store_for(index_dir).current_path()
    script = tmp_path / "killed_rebuild.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, signal
            from portal import create_app, search
            from portal.search import indexing
            app = create_app({{"SQLALCHEMY_DATABASE_URI": {app.config["SQLALCHEMY_DATABASE_URI"]!r}, "PORTAL_INDEX_DIR": {index_dir!r}}})
            indexing.BATCH = {150 if parallel else 10}
            indexing.PARALLEL_FROM = {1 if parallel else 10**9}
            def die(done):
                os.kill(os.getpid(), signal.SIGKILL)  # kill -9 after the first batch
            with app.app_context():
                search.rebuild(progress=die)
            """
        )
    )
    process = subprocess.run(
        [sys.executable, str(script)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert store_for(index_dir).current_path() == live, "the half-built generation was never published"
    assert search.search(SearchParams(q="moulded")).total == count
    assert _processes_running(script) == [], "indexing children die with the killed rebuild"
    search.rebuild()
    generations = sorted(p.name for p in Path(index_dir).glob("gen-*"))
    assert len(generations) <= 2, "the abandoned generation is cleaned up"
    assert search.check().clean


def test_a_rebuild_in_two_processes_indexes_every_firm_as_sync_indexed_it(app, db, monkeypatch):
    make_firm(
        "Ravi Moulders (Pvt) Ltd",
        trade_name="Ravi Moulders",
        description="Injection moulding of 5W-65W charger housings; two-layer boards and 10,000 mAh packs.",
        capabilities=[
            {"category": "housing-plastic", "processes": ["injection-molding", "cell-assembly"], "materials": "ABS"},
            {"category": "pcba", "review": ReviewStatus.REJECTED, "notes": "not indexed"},
        ],
        certificates=[{"type": "iso-9001"}, {"type": "rohs", "review": ReviewStatus.PENDING}],
    )
    make_firm("Kasur Cables", city="Kasur", description="USB-C cables, 18/25/33W", export_markets=["AE", "DE"])
    make_firm("چارجر والے", description="بیٹری اور چارجر", capabilities=[{"category": "charger"}])
    make_firm("Hidden Moulders", suspended=True, capabilities=[{"category": "housing-plastic"}])
    search.sync()
    kept_in_step = _index_contents(app)
    monkeypatch.setattr(indexing, "PARALLEL_FROM", 1)
    search.rebuild()
    assert _index_contents(app) == kept_in_step
    assert len(kept_in_step[0]) == 3


def _index_contents(app):
    """Every indexed firm's stored fields and columns, and every term's postings, by firm."""
    reader = store_for(app.config["PORTAL_INDEX_DIR"]).searcher().reader()
    firms, keys = {}, {}
    for leaf, offset in reader.leaf_readers():
        columns = {name: list(leaf.column_reader(name)) for name in leaf.schema.names() if leaf.has_column(name)}
        for doc in range(leaf.doc_count_all()):
            if not leaf.is_deleted(doc):
                stored = leaf.stored_fields(doc)
                keys[doc + offset] = stored["key"]
                firms[stored["key"]] = (stored, {name: values[doc] for name, values in columns.items()})
    postings = {}
    for field, term in reader.all_terms():
        matcher = reader.postings(field, term)
        found = []
        while matcher.is_active():
            found.append((keys[matcher.id()], matcher.weight(), matcher.value()))
            matcher.next()
        postings[field, term] = sorted(found)
    return firms, postings


def _processes_running(script: Path, wait: float = 5.0) -> list[int]:
    """Pids whose command line names `script`, after giving the kernel a moment to reap them."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if str(script).encode() in (entry / "cmdline").read_bytes():
                        status = (entry / "status").read_text()
                        if "State:\tZ" not in status:
                            found.append(int(entry.name))
                except OSError:
                    continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_the_mark_waits_for_a_gap_that_may_still_commit_then_gives_up(app):
    now = utcnow()
    rows = [SimpleNamespace(id=1, created_at=now), SimpleNamespace(id=3, created_at=now)]
    mark = indexing._advance(Mark(), rows, {1, 3})
    assert (mark.upto, mark.above) == (1, [3]), "id 2 may belong to a transaction still committing"
    old = [SimpleNamespace(id=3, created_at=now - timedelta(minutes=10))]
    assert indexing._advance(mark, old, {1, 3}).upto == 3, "after a while the gap is a rollback"


def test_searches_work_on_an_empty_new_install(app):
    assert search.search(SearchParams(q="anything")).total == 0
    assert whoosh_index.exists_in(str(store_for(app.config["PORTAL_INDEX_DIR"]).current_path()))
    assert os.path.islink(Path(app.config["PORTAL_INDEX_DIR"]) / "current")


def test_thesaurus_file_is_reloaded_when_staff_change_it(app, tmp_path):
    make_firm("Gizmo Makers Ltd", description="We make gizmos.", capabilities=[{"category": "keypad"}])
    thesaurus = tmp_path / "thesaurus.txt"
    thesaurus.write_text("# empty\n")
    app.config["THESAURUS_FILE"] = str(thesaurus)
    try:
        assert names(q="widget") == []
        thesaurus.write_text("gizmo | widget\n")
        os.utime(thesaurus, ns=(1, 10**18))  # a different modification time, whatever the clock
        assert names(q="widget") == ["Gizmo Makers Ltd"]
    finally:
        app.config.pop("THESAURUS_FILE")


def test_an_edited_firm_is_found_once_after_a_search_has_read_the_index(app, db):
    """A searcher opened before the edit must not keep the replaced document alive beside the new one."""
    firm = make_firm("Twice Moulds", description="Moulds.")
    make_firm("Other Moulds", description="Moulds.")
    search.sync()
    assert search.search(SearchParams(q="moulds")).total == 2
    firm.description = "Moulds and more moulds."
    db.session.commit()
    search.sync()
    result = search.search(SearchParams(q="moulds"))
    assert sorted(hit.firm_id for hit in result.hits) == sorted({hit.firm_id for hit in result.hits})
    assert result.total == 2


def test_sync_prunes_outbox_rows_every_index_applied(app, db):
    firm = make_firm("Old Changes Ltd")
    search.sync()
    db.session.execute(SearchOutbox.__table__.update().values(created_at=utcnow() - timedelta(days=8)))
    firm.description = "A change not applied yet."
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search-index", "sync"])
    assert "Removed 1 outbox row(s) every host's index has applied" in result.output
    assert db.session.scalars(db.select(SearchOutbox.firm_id)).all() == [firm.id]
    assert search.check().clean


def test_index_commands_report_in_urdu_when_asked(app, db):
    make_firm("Rebuilt Ltd", capabilities=[{"category": "cable"}])
    runner = app.test_cli_runner()

    rebuilt = runner.invoke(args=["search-index", "rebuild", "--language", "ur"])
    checked = runner.invoke(args=["search-index", "check"], env={"PORTAL_LANGUAGE": "ur"})

    assert rebuilt.exit_code == checked.exit_code == 0, rebuilt.output
    isolation = str.maketrans("", "", "\u2068\u2069")  # figures kept left to right in Urdu text
    assert "1 عوامی فرمیں انڈیکس ہو گئیں۔" in rebuilt.output.translate(isolation)
    assert "انڈیکس اور ڈیٹا بیس متفق ہیں (1 عوامی فرمیں)۔" in checked.output.translate(isolation)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
@pytest.mark.parametrize("parent_alive", [True, False], ids=["parent alive", "parent already gone"])
def test_an_indexing_child_whose_parent_died_before_it_started_dies_too(parent_alive):
    child = os.fork()
    if child == 0:  # the child: as if its parent were this process, or one that has died meanwhile
        indexing._die_with(os.getppid() if parent_alive else -1)
        os._exit(0)
    _pid, status = os.waitpid(child, 0)
    if parent_alive:
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    else:
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
