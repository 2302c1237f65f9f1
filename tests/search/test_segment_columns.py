"""A segment's decoded columns are kept beside the index, so another worker, or the next start,
reads them back instead of decoding them again; a damaged or stale file is only a slower start."""

import os
import time

from portal import search
from portal.search import facts as facts_module
from portal.search.engine import IndexStore, store_for
from portal.search.service import SearchParams
from tests.factories import make_firm


def kept_files(store) -> list:
    return sorted(store.current_path().glob("columns-*.pickle"))


def fresh_facts(app):
    """The facts a new process would build: a store with nothing decoded yet."""
    store = IndexStore(store_for(app.config["PORTAL_INDEX_DIR"]).root)
    return store.facts(store.searcher())[0]


def test_another_process_reads_the_columns_instead_of_decoding_them(app, db, monkeypatch):
    make_firm("Ravi Keypads Ltd", capabilities=[{"category": "charger", "capacity": 20_000}], description="Keypads")
    make_firm("Indus Cables", capabilities=[{"category": "cable", "capacity": 500}], description="Cables")
    search.sync()
    assert [h.firm_id for h in search.search(SearchParams(q="keypads")).hits]
    store = store_for(app.config["PORTAL_INDEX_DIR"])
    assert kept_files(store), "the first process keeps what it decoded"
    first = fresh_facts(app)

    decoded = []
    real = facts_module._decode_segment
    monkeypatch.setattr(facts_module, "_decode_segment", lambda leaf: decoded.append(leaf) or real(leaf))
    again = fresh_facts(app)
    assert decoded == [], "read back, not decoded"
    assert again.capacities == first.capacities and list(again.firm_ids) == list(first.firm_ids)
    assert again.capacity_bands("charger") == first.capacity_bands("charger")

    for path in kept_files(store):
        path.write_bytes(b"half a file")
    assert fresh_facts(app).capacities == first.capacities
    assert decoded, "a damaged file is decoded again"
    assert all(path.read_bytes() != b"half a file" for path in kept_files(store)), "and written whole"


def test_files_of_segments_merged_away_go_after_a_while(app, db):
    make_firm("Ravi Keypads Ltd", capabilities=[{"category": "charger"}], description="Keypads")
    search.sync()
    search.search(SearchParams(q="keypads"))
    folder = store_for(app.config["PORTAL_INDEX_DIR"]).current_path()
    recent, old = folder / "columns-gone1.pickle", folder / "columns-gone2.pickle"
    for path in (recent, old):
        path.write_bytes(b"x")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    fresh_facts(app)
    assert recent.exists(), "another process may still read a newer segment's file"
    assert not old.exists()
