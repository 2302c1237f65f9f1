"""Staff's one write on the dashboard: which localization phase a component category belongs to."""

from portal import audit
from portal.extensions import db
from portal.taxonomy import PHASES
from portal.taxonomy.models import ComponentCategory


class PhaseRefused(ValueError):
    pass


def set_phase(category: ComponentCategory, phase: int, by) -> bool:
    """Move the category to another phase, with its audit entry, in one transaction; False when it
    already was in that phase (nothing is written)."""
    if phase not in PHASES:
        raise PhaseRefused("Choose phase 1, 2 or 3.")
    if category.phase == phase:
        return False
    before = {"category": category.slug, "phase": category.phase}
    category.phase = phase
    audit.record(
        "category.phase_changed", category, actor=by, before=before, after={"category": category.slug, "phase": phase}
    )
    db.session.commit()
    return True
