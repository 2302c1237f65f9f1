"""Each host keeps its own index replica: it records how far it got, a new or long-absent one
rebuilds before it answers, and outbox rows every replica applied are pruned."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from portal import search
from portal.search import indexing, replicas
from portal.search.engine import forget_store, read_mark, store_for
from portal.search.outbox import SearchOutbox
from portal.search.replicas import SearchReplica
from portal.search.service import SearchParams
from portal.timeutil import utcnow
from tests.factories import make_firm


@pytest.fixture
def host(app, tmp_path):
    """Switch the app to another host's index directory: `host("b")`."""
    own = app.config["PORTAL_INDEX_DIR"]

    def switch(name: str) -> None:
        app.config["PORTAL_INDEX_DIR"] = str(tmp_path / f"index-{name}")
        replicas._recorded.clear()

    yield switch
    for name in ("a", "b"):
        forget_store(str(tmp_path / f"index-{name}"))
    app.config["PORTAL_INDEX_DIR"] = own


def found(query: str) -> int:
    return search.search(SearchParams(q=query)).total


def keep_only_the_newest_outbox_row(db) -> None:
    newest = db.session.scalar(select(func.max(SearchOutbox.id)))
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.id < newest))
    db.session.commit()


def test_a_new_host_builds_its_index_before_answering_a_search(db, host):
    for number in range(3):
        make_firm(f"Moulds {number} (Pvt) Ltd", description="Injection moulds for phone housings.")
    keep_only_the_newest_outbox_row(db)  # the changes that made the first two are long pruned
    host("new")

    assert found("moulds") == 3
    assert store_for(search.indexing.current_app.config["PORTAL_INDEX_DIR"]).searcher().doc_count() == 3


def test_readiness_says_not_ready_while_a_new_host_builds_then_ready(db, client, host):
    make_firm("Karachi Chargers Ltd", description="Chargers.")
    make_firm("Lahore Chargers Ltd", description="Chargers.")
    keep_only_the_newest_outbox_row(db)
    host("new")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["not_ready"] == {"search_index": "the search index is being built from the database"}
    assert replicas._catching_up.acquire(timeout=30), "the build in the background finishes"
    replicas._catching_up.release()
    assert client.get("/readyz").status_code == 200
    assert found("chargers") == 2


def test_a_host_that_fell_behind_what_the_outbox_keeps_rebuilds(app, db, host):
    firm = make_firm("Sialkot Keypads", description="Keypads.")
    host("a")
    assert found("keypads") == 1
    firm.description = "Keypads and membrane switches."
    make_firm("Gujranwala Switches", description="Membrane switches.")
    db.session.commit()
    host("b")
    assert found("switches") == 2  # host b is current; host a has been away
    db.session.add(SearchReplica(name="b", applied_upto=read_mark_of(app).upto, applied_at=utcnow()))
    db.session.commit()
    keep_only_the_newest_outbox_row(db)

    host("a")

    assert found("switches") == 2
    assert search.check().clean


def read_mark_of(app):
    return read_mark(store_for(app.config["PORTAL_INDEX_DIR"]).current_path())


def test_each_host_records_how_far_its_index_applied(app, db, host):
    make_firm("Quetta Housings", description="Housings.")
    host("a")

    result = app.test_cli_runner().invoke(args=["search-index", "sync"])

    assert result.exit_code == 0, result.output
    newest = db.session.scalar(select(func.max(SearchOutbox.id)))
    recorded = db.session.scalars(select(SearchReplica)).one()
    assert recorded.name == replicas.replica_name()
    assert str(app.config["PORTAL_INDEX_DIR"]) in recorded.name
    assert recorded.applied_upto == newest


def test_rows_every_host_applied_are_pruned_and_rows_one_still_needs_are_kept(db):
    for number in range(6):
        make_firm(f"Firm {number}")
    ids = db.session.scalars(select(SearchOutbox.id).order_by(SearchOutbox.id)).all()
    now = utcnow()
    db.session.add_all(
        [
            SearchReplica(name="a", applied_upto=ids[5], applied_at=now),
            SearchReplica(name="b", applied_upto=ids[3], applied_at=now),
            SearchReplica(name="gone", applied_upto=ids[0], applied_at=now - timedelta(days=8)),
        ]
    )
    db.session.commit()

    assert indexing.prune(keep_days=7) == 3

    assert db.session.scalars(select(SearchOutbox.id).order_by(SearchOutbox.id)).all() == ids[3:]
    assert sorted(db.session.scalars(select(SearchReplica.name))) == ["a", "b"], "silent a week: forgotten"


def test_a_host_named_by_configuration_records_under_that_name(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_HOST_NAME", "web-2")
    make_firm("Named Host Ltd")
    search.sync()
    indexing.record_progress(force=True)
    assert db.session.scalars(select(SearchReplica.name)).all() == ["web-2"]


def test_an_empty_index_beside_firms_the_outbox_never_named_is_built(app, db, host):
    make_firm("Bulk Loaded Displays", description="Display modules.")
    db.session.execute(delete(SearchOutbox))  # as after a bulk load
    db.session.commit()
    host("new")

    assert found("displays") == 1
    store = store_for(app.config["PORTAL_INDEX_DIR"])
    assert not replicas.needs_rebuild(store, read_mark(store.current_path())), "built once, not at every search"


def test_a_new_host_builds_its_index_when_the_outbox_names_only_some_firms(app, db, host):
    make_firm("Bulk Loaded Displays", description="Display modules.")
    db.session.execute(delete(SearchOutbox))  # loaded in bulk: no outbox rows
    db.session.commit()
    make_firm("Later Displays", description="Display modules.")  # the outbox's first row, never pruned
    host("new")

    assert found("displays") == 2
    store = store_for(app.config["PORTAL_INDEX_DIR"])
    assert not replicas.needs_rebuild(store, read_mark(store.current_path()))


@pytest.mark.parametrize("catch_up_seconds", [0, 0.25])
def test_a_search_that_would_wait_too_long_for_the_build_gets_503_then_results(
    app, db, client, host, monkeypatch, catch_up_seconds
):
    monkeypatch.setitem(app.config, "SEARCH_CATCH_UP_SECONDS", catch_up_seconds)
    make_firm("Slow Build Speakers", description="Speakers.")
    make_firm("Slow Build Receivers", description="Receivers.")
    keep_only_the_newest_outbox_row(db)
    host("new")
    release, rebuild = threading.Event(), indexing.rebuild

    def slow_rebuild(progress=None):
        release.wait(timeout=30)
        return rebuild(progress)

    monkeypatch.setattr(indexing, "rebuild", slow_rebuild)
    monkeypatch.setattr(replicas, "SEARCH_WAITS_FOR_BUILD_SECONDS", 0.05)
    app.extensions["search_started"] = True

    waiting = client.get("/suppliers/?q=speakers")

    assert waiting.status_code == 503
    assert waiting.headers["Retry-After"] == "30"
    assert client.get("/suppliers/?q=speakers").status_code == 503  # never the empty index's answer
    release.set()
    assert replicas._catching_up.acquire(timeout=30)
    replicas._catching_up.release()
    assert "Slow Build Speakers" in client.get("/suppliers/?q=speakers").get_data(as_text=True)


def test_a_host_asks_for_other_hosts_changes_at_most_every_quarter_second(app, db, host, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(indexing, "monotonic", lambda: clock[0])
    monkeypatch.setitem(app.config, "SEARCH_CATCH_UP_SECONDS", 0.25)
    make_firm("Sialkot Keypads", description="Keypads.")
    host("a")
    assert found("keypads") == 1
    make_firm("Gujranwala Keypads", description="Keypads.")  # committed through another host: in the outbox

    clock[0] += 0.2
    assert found("keypads") == 1
    clock[0] += 0.1
    assert found("keypads") == 2
