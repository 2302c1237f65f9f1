"""Searches repeat: an answer is kept until the index changes, and never shows what it no longer may."""

from datetime import timedelta

from portal import search
from portal.extensions import db
from portal.search import indexing
from portal.search.service import SearchParams
from portal.timeutil import today
from tests.factories import make_firm


def found(q: str, **params) -> list[str]:
    result = search.search(SearchParams(q=q, **params))
    return [result.cards[hit.firm_id].legal_name for hit in result.hits]


def test_a_repeated_search_is_answered_again_without_searching(app, monkeypatch):
    make_firm("Ravi Keypads Ltd", description="Silicone keypads for feature phones")
    first = search.search(SearchParams(q="silicone keypads"))
    monkeypatch.setattr("portal.search.service._answer", lambda *args: (_ for _ in ()).throw(AssertionError))
    again = search.search(SearchParams(q="silicone keypads"))
    assert [hit.firm_id for hit in again.hits] == [hit.firm_id for hit in first.hits]
    assert again.hits[0].snippet == first.hits[0].snippet and "<mark" in again.hits[0].snippet


def test_a_change_to_a_firm_is_found_by_the_next_search(app):
    make_firm("Ravi Keypads Ltd", description="Silicone keypads for feature phones")
    assert found("keypads") == ["Ravi Keypads Ltd"]
    make_firm("Chenab Rubber Works", description="Rubber keypads and gaskets")
    assert sorted(found("keypads")) == ["Chenab Rubber Works", "Ravi Keypads Ltd"]
    assert found("keypads", page=1, per_page=1) != found("keypads", page=2, per_page=1)


def test_a_firm_suspended_while_the_index_lags_is_left_out_of_a_kept_answer(app, monkeypatch):
    ravi = make_firm("Ravi Keypads Ltd", description="Silicone keypads for feature phones")
    make_firm("Chenab Rubber Works", description="Rubber keypads and gaskets")
    assert len(found("keypads")) == 2
    assert len(search.search(SearchParams(province="Punjab", sort="name")).hits) == 2
    # Another process holds the index writer: this one searches the index as it is.
    monkeypatch.setattr(indexing, "catch_up", lambda: None)
    monkeypatch.setattr("portal.search.service.catch_up", lambda: None)
    monkeypatch.setattr(indexing, "sync", lambda *args, **kwargs: 0)
    monkeypatch.setattr("portal.search.service._answer", lambda *args: (_ for _ in ()).throw(AssertionError))
    ravi.suspended = True
    db.session.commit()
    assert found("keypads") == ["Chenab Rubber Works"]
    browsing = search.search(SearchParams(province="Punjab", sort="name"))  # no words: no cards
    assert ravi.id not in [hit.firm_id for hit in browsing.hits]


def test_a_firm_hidden_while_the_index_is_busy_leaves_kept_answers_within_a_quarter_second(app, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(indexing, "monotonic", lambda: clock[0])
    monkeypatch.setitem(app.config, "SEARCH_CATCH_UP_SECONDS", 0.25)
    ravi = make_firm("Ravi Keypads Ltd", description="Silicone keypads for feature phones")
    make_firm("Chenab Rubber Works", description="Rubber keypads and gaskets")
    assert len(found("keypads")) == 2  # applies the outbox
    clock[0] += 0.3
    assert len(found("keypads")) == 2  # in step: kept answers are shown as kept
    monkeypatch.setattr(indexing, "sync", lambda *args, **kwargs: 0)  # the index writer is busy elsewhere
    ravi.suspended = True
    db.session.commit()

    clock[0] += 0.2
    assert len(found("keypads")) == 2
    clock[0] += 0.1
    assert found("keypads") == ["Chenab Rubber Works"]
    clock[0] += 0.1
    assert found("keypads") == ["Chenab Rubber Works"]  # while the index lags, each kept answer is checked


def test_a_certificate_expiring_tomorrow_is_not_held_then(app, monkeypatch):
    make_firm(
        "Indus Chargers Ltd",
        capabilities=[{"category": "charger"}],
        certificates=[{"type": "iso-9001", "days_valid": 1}],
    )
    assert found("ISO 9001") == ["Indus Chargers Ltd"]
    monkeypatch.setattr("portal.search.service.today", lambda: today() + timedelta(days=1))
    assert found("ISO 9001") == []


def test_the_benchmarks_can_time_the_engine_itself(app, monkeypatch):
    make_firm("Ravi Keypads Ltd", description="Silicone keypads for feature phones")
    monkeypatch.setitem(app.config, "SEARCH_KEEPS_ANSWERS", False)
    calls = []
    answer = search.service._answer
    monkeypatch.setattr("portal.search.service._answer", lambda *args: calls.append(1) or answer(*args))
    found("keypads")
    found("keypads")
    assert len(calls) == 2
