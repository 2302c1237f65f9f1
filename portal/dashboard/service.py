"""Staff's writes on the dashboard: which phase a category belongs to; each phase's schedule and targets."""

from portal import audit
from portal.dashboard.models import PhaseTarget
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.taxonomy import PHASES
from portal.taxonomy.models import ComponentCategory
from portal.transactions import check_version, one_act


class PhaseRefused(Refusal):
    """No such phase of the localization programme."""


class TargetsChanged(Exception):
    """Someone else saved this phase's targets since the page was shown."""


TARGET_FIELDS = ("starts_on", "due_on", "local_share", "verified_suppliers", "certified_suppliers")


def set_targets(phase: int, data: dict, by, expected_version: int | None = None) -> bool:
    """Save a phase's start, due date and targets with their audit entry; False when nothing changed."""
    if phase not in PHASES:
        raise PhaseRefused(N_("Choose phase 1, 2 or 3."))
    target = db.session.get(PhaseTarget, phase)
    before = None if target is None else {name: getattr(target, name) for name in TARGET_FIELDS}
    if target is not None:
        check_version(target, expected_version, TargetsChanged)
    after = {name: data.get(name) for name in TARGET_FIELDS}
    if before == after:
        return False
    with one_act(TargetsChanged):
        if target is None:
            target = PhaseTarget(phase=phase)
            db.session.add(target)
        for name, value in after.items():
            setattr(target, name, value)
        db.session.flush()
        audit.record("phase.targets_set", target, actor=by, before=before, after={"phase": phase, **after})
    return True


def set_phase(category: ComponentCategory, phase: int, by) -> bool:
    """Move the category to another phase, with its audit entry, in one transaction; False when it
    already was in that phase (nothing is written)."""
    if phase not in PHASES:
        raise PhaseRefused(N_("Choose phase 1, 2 or 3."))
    if category.phase == phase:
        return False
    before = {"category": category.slug, "phase": category.phase}
    with one_act():
        category.phase = phase
        audit.record(
            "category.phase_changed",
            category,
            actor=by,
            before=before,
            after={"category": category.slug, "phase": phase},
        )
    return True
