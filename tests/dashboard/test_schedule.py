"""Phases on schedule: staff set each phase's start, due date and targets; every category of the
phase is shown against them as met, on track, behind or not started. Right answers by hand."""

import csv
import html
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.dashboard.models import PhaseTarget
from portal.dashboard.schedule import BEHIND, MET, NOT_STARTED, ON_TRACK, schedule_status
from portal.timeutil import today
from tests.factories import make_firm, make_need

START, DUE = date(2026, 1, 1), date(2026, 11, 28)  # 331 days


@pytest.mark.parametrize(
    ("actual", "on", "status"),
    [
        (10, date(2026, 3, 1), MET),  # the target itself, whenever
        (4, date(2025, 12, 1), NOT_STARTED),  # before the start nothing is expected
        (5, date(2026, 6, 15), ON_TRACK),  # 165 of 331 days: 4.98 of 10 expected
        (4, date(2026, 6, 15), BEHIND),
        (9, date(2026, 12, 1), BEHIND),  # past due and short
        (None, date(2026, 6, 15), None),  # no figure, no verdict
    ],
)
def test_a_category_is_judged_by_the_share_of_time_gone(actual, on, status):
    assert schedule_status(actual, 10, START, DUE, on) == status


def post_targets(client, phase=1, **changes):
    data = {
        "starts_on": (today() - timedelta(days=50)).isoformat(),
        "due_on": (today() + timedelta(days=50)).isoformat(),
        "local_share": "100",
        "verified_suppliers": "4",
        "certified_suppliers": "",
        **changes,
    }
    return client.post(
        f"/staff/dashboard/phases/{phase}/targets", data={f"phase-{phase}-{k}": v for k, v in data.items()}
    )


def test_staff_set_a_phases_schedule_and_targets_and_it_is_audited(client, login, db):
    login("staff")
    response = post_targets(client, due_on="2020-01-01")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert 'id="phase-1-due_on-error"' in page and "The targets must be due after the phase starts." in page
    assert db.session.get(PhaseTarget, 1) is None

    assert post_targets(client, local_share="0").status_code == 400
    assert post_targets(client).status_code == 302
    saved = db.session.get(PhaseTarget, 1)
    assert (saved.local_share, saved.verified_suppliers, saved.certified_suppliers) == (100, 4, None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "phase.targets_set"))
    assert entry.after["verified_suppliers"] == 4
    page = html.unescape(client.get("/staff/dashboard/phases").get_data(as_text=True))
    assert 'name="phase-1-verified_suppliers" type="number" value="4"' in page


def test_each_category_of_the_phase_shows_target_against_actual(client, login, users):
    """Half way through phase 1 (50 of 100 days), targets 4 verified suppliers and 100% local share:
    - chargers: 3 suppliers, 2.0 expected: on track; 2 open needs, one asks for UL, which nobody holds:
      local share 1 of 2 = 50%, 50 expected: on track.
    - cables: 1 supplier, behind; no open need, so no local share to judge.
    - packaging: 4 suppliers: met.
    Phase 2 has no targets: its categories are not listed."""
    for _ in range(3):
        make_firm(capabilities=[{"category": "charger"}])
    make_firm(capabilities=[{"category": "cable"}])
    for _ in range(4):
        make_firm(capabilities=[{"category": "packaging"}])
    make_firm(capabilities=[{"category": "pcba"}])
    make_need(users["brand"], "charger")
    make_need(users["brand"], "charger", certifications=("ul",))
    login("staff")
    assert post_targets(client).status_code == 302

    rows = list(csv.DictReader(io.StringIO(client.get("/staff/dashboard/schedule.csv").get_data(as_text=True))))
    found = {(r["Category"], r["Measure"]): (r["Target"], r["Expected by today"], r["Now"], r["Status"]) for r in rows}
    assert found == {
        ("Chargers and power adapters", "Local share of brands' demand (%)"): ("100", "50", "50.0", "on track"),
        ("Chargers and power adapters", "Verified suppliers"): ("4", "2", "3", "on track"),
        ("USB and data cables", "Local share of brands' demand (%)"): ("100", "50", "", "no figure yet"),
        ("USB and data cables", "Verified suppliers"): ("4", "2", "1", "behind"),
        ("Retail packaging and printed matter", "Local share of brands' demand (%)"): ("100", "50", "", "no figure yet"),
        ("Retail packaging and printed matter", "Verified suppliers"): ("4", "2", "4", "met"),
        **{
            (name, measure): ("100", "50", "", "no figure yet") if "share" in measure else ("4", "2", "0", "behind")
            for name in ("Earphones and headsets", "Keypads and buttons", "Metal frames and small metal parts",
                         "Plastic housings and back covers", "Cases and screen protectors")
            for measure in ("Local share of brands' demand (%)", "Verified suppliers")
        },
    }  # fmt: skip
    page = html.unescape(client.get("/staff/dashboard").get_data(as_text=True))
    assert 'aria-label="Verified suppliers: met"' in page and 'data-width="100.0"' in page
    assert 'aria-label="Verified suppliers: behind"' in page and 'data-width="25.0"' in page
