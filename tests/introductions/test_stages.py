"""Outcome stages: either side moves forward only, each step in the history and the audit trail,
and two people acting at once never overwrite each other."""

import pytest
from sqlalchemy import select, update

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.introductions import service
from portal.introductions.models import Introduction, Outcome, Stage, StageChange
from tests.introductions.builders import make_introduction


def move(client, intro, stage, outcome="", version=None, understood="yes"):
    data = {"stage-stage": stage, "stage-outcome": outcome, "stage-version": version or current(intro).version}
    data["understood"] = understood
    return client.post(f"/introductions/{intro.id}/stage", data=data, follow_redirects=True)


def current(intro) -> Introduction:
    db.session.expire_all()
    return db.session.get(Introduction, intro.id)


@pytest.fixture
def accepted(users, firm):
    return make_introduction(users["brand"], firm, stage=Stage.INTRODUCED)


def test_either_side_moves_forward_and_each_step_is_kept_and_audited(client, login, users, accepted, colleague):
    login("brand")
    assert "Stage changed." in move(client, accepted, "in_talks").text
    login(colleague)
    page = move(client, accepted, "samples").text
    assert 'data-testid="intro-stage">Samples<' in page
    history = db.session.scalars(
        select(StageChange).where(StageChange.introduction_id == accepted.id).order_by(StageChange.id)
    ).all()
    assert [(c.from_stage, c.to_stage) for c in history] == [
        (None, Stage.REQUESTED),
        (Stage.REQUESTED, Stage.INTRODUCED),
        (Stage.INTRODUCED, Stage.IN_TALKS),
        (Stage.IN_TALKS, Stage.SAMPLES),
    ]
    assert [c.actor_id for c in history[2:]] == [users["brand"].id, colleague.id]
    assert all(c.at is not None for c in history)
    moves = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "introduction.stage_moved")).all()
    assert [(m.before["stage"], m.after["stage"], m.actor_id) for m in moves] == [
        ("introduced", "in_talks", users["brand"].id),
        ("in_talks", "samples", colleague.id),
    ]
    assert page.count('data-testid="stage-change"') == 4


def test_a_stage_may_be_skipped_forward(client, login, accepted):
    login("supplier")
    move(client, accepted, "order_placed")
    assert current(accepted).stage == Stage.ORDER_PLACED


@pytest.mark.parametrize("target", ["in_talks", "introduced", "samples"])
def test_backward_or_the_same_stage_is_refused_with_a_clear_message(client, login, users, accepted, target):
    service.move_stage(accepted, users["brand"], Stage.SAMPLES)
    login("brand")
    page = move(client, accepted, target).text
    assert "Stages only move forward: this introduction is already at “Samples”." in page
    assert current(accepted).stage == Stage.SAMPLES


def test_each_side_sees_the_next_step_and_closing_as_verbs(client, login, users, accepted):
    service.move_stage(accepted, users["brand"], Stage.SAMPLES)
    login("brand")
    page = client.get(f"/introductions/{accepted.id}").text
    moves = page[page.index('data-testid="stage-moves"') :]
    assert "Record that an order is placed" in moves and "Close: order won" in moves and "Close: no deal" in moves
    assert "Mark as in talks" not in moves and "<select" not in moves[: moves.index("stage-history")]
    assert "I understand: the introduction ends for good" in moves


def test_closing_asks_first(client, login, accepted):
    login("supplier")
    assert "Nothing was done: tick the box" in move(client, accepted, "closed", "no_deal", understood="").text
    assert current(accepted).stage == Stage.INTRODUCED


def test_closing_needs_an_outcome_and_ends_the_introduction(client, login, users, accepted):
    login("supplier")
    assert "Say how it ended: order won or no deal." in move(client, accepted, "closed").text
    assert current(accepted).stage == Stage.INTRODUCED
    page = move(client, accepted, "closed", "order_won").text
    closed = current(accepted)
    assert (closed.stage, closed.outcome, closed.open_key) == (Stage.CLOSED, Outcome.ORDER_WON, None)
    assert closed.stage_changes[-1].outcome == Outcome.ORDER_WON
    assert "Order won" in page and 'name="stage-stage"' not in page
    refused = move(client, accepted, "order_placed").text
    assert "Only an accepted introduction that is not closed can change stage." in refused


def test_an_outcome_counts_only_when_closing(client, login, accepted):
    login("brand")
    move(client, accepted, "in_talks", "no_deal")
    assert (current(accepted).stage, current(accepted).outcome) == (Stage.IN_TALKS, None)


def test_a_request_not_yet_accepted_cannot_change_stage(client, login, users, firm):
    intro = make_introduction(users["brand"], firm)
    login("brand")
    assert "Only an accepted introduction" in move(client, intro, "in_talks").text
    assert current(intro).stage == Stage.REQUESTED


def test_only_the_two_sides_move_the_stage(client, login, accepted, other_brand, other_supplier):
    for who, status in [("staff", 403), ("investor", 403), (other_brand, 404), (other_supplier, 404)]:
        login(who)
        data = {"stage-stage": "in_talks", "stage-version": current(accepted).version}
        assert client.post(f"/introductions/{accepted.id}/stage", data=data).status_code == status, who
    assert current(accepted).stage == Stage.INTRODUCED


def test_a_move_from_a_page_someone_else_changed_meanwhile_is_refused(client, login, users, accepted):
    seen = current(accepted).version
    service.move_stage(accepted, users["supplier"], Stage.IN_TALKS)
    login("brand")
    page = move(client, accepted, "samples", version=seen).text
    assert "Someone else changed this introduction while you were looking at it" in page
    assert current(accepted).stage == Stage.IN_TALKS


def test_two_writers_in_the_same_instant_the_database_refuses_the_second(app, users, accepted):
    intro = current(accepted)
    # Another worker commits a move after this one loaded the row.
    bump = update(Introduction).where(Introduction.id == intro.id).values(version=intro.version + 1)
    db.session.execute(bump.execution_options(synchronize_session=False))
    with pytest.raises(service.IntroductionChanged):
        service.move_stage(intro, users["brand"], Stage.IN_TALKS)
    assert current(accepted).stage == Stage.INTRODUCED
