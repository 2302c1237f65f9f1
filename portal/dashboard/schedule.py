"""Phases on schedule: each category of a phase against the targets staff set for the phase.

`schedule_status` is the one rule: a target reached is met; before the phase starts nothing is
expected yet; in between, a category is on track while its figure has reached the share of the
target that the share of time gone calls for (half the time, half the target), else behind.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.dashboard.models import PhaseTarget
from portal.extensions import db

MET, ON_TRACK, BEHIND, NOT_STARTED = "met", "on track", "behind", "not started"
STATUS_LABELS = {MET: _l("met"), ON_TRACK: _l("on track"), BEHIND: _l("behind"), NOT_STARTED: _l("not started")}

# measure: (its label, the figure in metrics.FIGURES that is its actual value, percent?)
MEASURES = {
    "local_share": (_l("Local share of brands' demand"), "local_share", True),
    "verified_suppliers": (_l("Verified suppliers"), "verified_suppliers", False),
    "certified_suppliers": (_l("Suppliers holding what brands ask for"), "certified_suppliers", False),
}


def expected_by(target: float, starts_on: date, due_on: date, on: date) -> float:
    """How much of the target should be reached on `on`, growing evenly from start to due date."""
    if on >= due_on or due_on <= starts_on:
        return target
    if on <= starts_on:
        return 0
    return target * (on - starts_on).days / (due_on - starts_on).days


def schedule_status(actual: float | None, target: float | None, starts_on: date, due_on: date, on: date) -> str | None:
    """Met, on track, behind or not started; None when there is no target or no figure to judge."""
    if target is None or actual is None:
        return None
    if actual >= target:
        return MET
    if on < starts_on:
        return NOT_STARTED
    return ON_TRACK if actual >= expected_by(target, starts_on, due_on, on) else BEHIND


def targets() -> dict[int, PhaseTarget]:
    return {t.phase: t for t in db.session.scalars(select(PhaseTarget))}


@dataclass(frozen=True)
class Progress:
    """One category's figure against its phase's target for one measure."""

    measure: str
    target: int
    actual: float | None
    expected: float
    status: str | None

    @property
    def share_of_target(self) -> float | None:
        """The actual as a percentage of the target (capped at 100 for the bar)."""
        if self.actual is None or not self.target:
            return None if self.actual is None else 100.0
        return min(100.0, 100 * self.actual / self.target)


def progress(values: dict, target: PhaseTarget, on: date) -> list[Progress]:
    """The category's progress on each measure its phase has a target for."""
    found = []
    for measure, (_label, figure, _percent) in MEASURES.items():
        goal = getattr(target, measure)
        if goal is None:
            continue
        actual = values.get(figure)
        found.append(
            Progress(
                measure,
                goal,
                actual,
                expected_by(goal, target.starts_on, target.due_on, on),
                schedule_status(actual, goal, target.starts_on, target.due_on, on),
            )
        )
    return found
