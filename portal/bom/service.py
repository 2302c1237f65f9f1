"""A brand's BOM plans: who may see one, reading and mapping its lines, corrections the brand
teaches, editing, saving versions and comparing them, and the plan's local content today.

Only the plan's owner ever reaches it (`plan_for`): another brand, a firm and staff get 404, as
for a plan that does not exist. Nothing here tells a firm anything, and nothing is written to the
audit trail, which staff read: a plan is the brand's secret.
"""

import enum
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.bom import mapping
from portal.bom.content import LineFacts, LocalContent, local_content
from portal.bom.models import BomLine, BomMapping, BomPlan, BomVersion, MappingSource
from portal.bom.reading import BomRow
from portal.bom.supply import LineSupply, line_matches, supply_for  # noqa: F401  (the service's API)
from portal.dashboard.schedule import targets as phase_targets
from portal.denials import NotFound
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.money.rates import RateBook, rates_on
from portal.search.indexing import lexicon, thesaurus
from portal.taxonomy import PHASES
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import today, utcnow
from portal.transactions import check_version, one_act

EDITABLE = ("description", "specification", "quantity_per_device", "unit_cost", "currency", "devices_per_month")


class PlanRefused(Refusal):
    """The act does not apply to the plan as it is; the message is for the brand."""


class PlanChanged(PlanRefused):
    def __init__(self):
        super().__init__(N_("Someone changed this plan while you were looking at it; reload it and try again."))


# --- who sees a plan -----------------------------------------------------------------------------


def can_view(plan: BomPlan, user) -> bool:
    """The plan's owner alone: not another brand, not a firm, not staff (they see aggregates)."""
    return user is not None and user.is_authenticated and plan.owner_id == user.id


def plan_for(plan_id: int, user) -> BomPlan:
    """The plan if `user` owns it; `NotFound` otherwise, as for a plan that does not exist."""
    plan = db.session.get(BomPlan, plan_id)
    if plan is None or not can_view(plan, user):
        raise NotFound()
    return plan


def line_of(plan: BomPlan, line_id: int) -> BomLine:
    """A line of the plan's working version; `NotFound` for any other."""
    line = db.session.get(BomLine, line_id)
    if line is None or line.version_id != plan.working.id:
        raise NotFound()
    return line


def plans_of(user) -> list[BomPlan]:
    return list(
        db.session.scalars(select(BomPlan).where(BomPlan.owner_id == user.id).order_by(BomPlan.updated_at.desc()))
    )


# --- reading and mapping lines -------------------------------------------------------------------


def _remembered(owner_id: int) -> dict[str, str]:
    rows = db.session.execute(
        select(BomMapping.description_key, BomMapping.category_slug).where(BomMapping.owner_id == owner_id)
    )
    return dict(rows.all())


def _map(line: BomLine, remembered: dict[str, str], vocabulary) -> None:
    """Set the line's category: named by the file, else the brand's own earlier correction, else
    read from its words."""
    given = mapping.given_category(line.given_category)
    known = remembered.get(mapping.description_key(line.description))
    if given:
        line.category_slug, line.mapping_source, line.confidence, line.evidence = given, MappingSource.GIVEN, 1.0, ""
    elif known:
        line.category_slug, line.mapping_source, line.confidence = known, MappingSource.REMEMBERED, 1.0
        line.evidence = ""
    else:
        reading = mapping.read_line(line.description, line.specification, *vocabulary)
        line.category_slug, line.confidence = reading.category, reading.confidence
        line.mapping_source = MappingSource.UNDERSTOOD if reading.category else MappingSource.NONE
        runner = f" | {reading.runner_up}" if reading.runner_up else ""
        line.evidence = (reading.evidence + runner)[:300]


def _line(row: BomRow, position: int) -> BomLine:
    return BomLine(
        position=position,
        reference=row.reference or str(position),
        description=row.description,
        specification=row.specification,
        given_category=row.category,
        quantity_per_device=row.quantity_per_device,
        unit_cost=row.unit_cost,
        currency=row.currency,
        devices_per_month=row.devices_per_month,
    )


def create_plan(user, title: str, currency: str, rows: list[BomRow]) -> BomPlan:
    """A new plan whose working version holds the rows, each mapped to a category."""
    if not rows:
        raise PlanRefused(N_("No line of the BOM could be read."))
    remembered, vocabulary = _remembered(user.id), (thesaurus(), lexicon())
    with one_act(PlanChanged):
        plan = BomPlan(owner_id=user.id, title=title, currency=currency)
        version = BomVersion(number=1)
        plan.versions.append(version)
        for position, row in enumerate(rows, start=1):
            line = _line(row, position)
            _map(line, remembered, vocabulary)
            version.lines.append(line)
        db.session.add(plan)
    return plan


def replace_lines(plan: BomPlan, rows: list[BomRow], by) -> BomVersion:
    """A revised file: the working version is saved as it stood, and its successor holds the new rows."""
    if not rows:
        raise PlanRefused(N_("No line of the BOM could be read."))
    remembered, vocabulary = _remembered(plan.owner_id), (thesaurus(), lexicon())
    with one_act(PlanChanged):
        _freeze(plan, N_("before the revised file"))
        working = BomVersion(number=plan.working.number + 1)
        plan.versions.append(working)
        for position, row in enumerate(rows, start=1):
            line = _line(row, position)
            _map(line, remembered, vocabulary)
            working.lines.append(line)
        plan.updated_at = utcnow()
    return working


def confirm_line(plan: BomPlan, line: BomLine) -> None:
    """The brand agrees with the category read from the words."""
    if line.category_slug is None:
        raise PlanRefused(N_("Choose a category for this line first."))
    with one_act(PlanChanged):
        line.mapping_source = MappingSource.CONFIRMED
        plan.updated_at = utcnow()


def correct_line(plan: BomPlan, line: BomLine, category_slug: str) -> None:
    """The brand chooses the line's category; the planner remembers it for the brand's next BOMs."""
    if db.session.get(ComponentCategory, category_slug) is None:
        raise PlanRefused(N_("Choose a category from the list."))
    key = mapping.description_key(line.description)
    with one_act(PlanChanged):
        line.category_slug, line.mapping_source, line.confidence = category_slug, MappingSource.CORRECTED, 1.0
        remembered = db.session.scalar(
            select(BomMapping).where(BomMapping.owner_id == plan.owner_id, BomMapping.description_key == key)
        )
        if remembered is None:
            db.session.add(BomMapping(owner_id=plan.owner_id, description_key=key, category_slug=category_slug))
        else:
            remembered.category_slug = category_slug
        plan.updated_at = utcnow()


def edit_line(plan: BomPlan, line: BomLine, data: dict) -> None:
    """Change a line's words, quantity or cost; new words are read again unless the brand settled them."""
    words_changed = (data["description"], data["specification"]) != (line.description, line.specification)
    with one_act(PlanChanged):
        for name in EDITABLE:
            setattr(line, name, data[name])
        if words_changed and not line.is_settled:
            _map(line, _remembered(plan.owner_id), (thesaurus(), lexicon()))
        plan.updated_at = utcnow()


# --- versions ------------------------------------------------------------------------------------


def _freeze(plan: BomPlan, note: str) -> BomVersion:
    working = plan.working
    figures = plan_figures(plan, working).content.whole
    working.saved_at, working.note = utcnow(), note[:200]
    working.value_share, working.line_share = figures.value_share, figures.line_share
    return working


def save_version(plan: BomPlan, note: str, expected_version: int | None = None) -> BomVersion:
    """Keep the working version as it stands (with its local content today) and go on editing a copy."""
    check_version(plan, expected_version, PlanChanged)
    with one_act(PlanChanged):
        saved = _freeze(plan, note)
        successor = BomVersion(number=saved.number + 1)
        for line in saved.lines:
            successor.lines.append(
                BomLine(
                    **{
                        c.key: getattr(line, c.key)
                        for c in BomLine.__table__.columns
                        if c.key not in ("id", "version_id")
                    }
                )
            )
        plan.versions.append(successor)
        plan.updated_at = utcnow()
    return saved


class ChangeKind(enum.StrEnum):
    """How a line differs between two versions of a plan."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"  # the line is in both; `LineChange.changes` says which fields differ

    @property
    def label(self) -> str:
        return str(CHANGE_KIND_LABELS[self])


CHANGE_KIND_LABELS = {
    ChangeKind.ADDED: _l("added"),
    ChangeKind.REMOVED: _l("removed"),
    ChangeKind.CHANGED: _l("changed"),
}


@dataclass(frozen=True)
class LineChange:
    reference: str
    description: str
    kind: ChangeKind
    changes: tuple[tuple[str, object, object], ...] = ()  # (field, before, after)

    @property
    def is_whole_line(self) -> bool:
        """The line was added or removed as a whole: its kind's label says all there is to say."""
        return self.kind != ChangeKind.CHANGED


COMPARED = ("description", "specification", "quantity_per_device", "unit_cost", "currency", "devices_per_month", "category_slug")  # fmt: skip


def _identity(line: BomLine) -> str:
    return line.reference or mapping.description_key(line.description)


def compare(earlier: BomVersion, later: BomVersion) -> list[LineChange]:
    """What changed from one version to another, line by line (lines are the same line when
    their line numbers, or else their descriptions, match)."""
    before = {_identity(line): line for line in earlier.lines}
    after = {_identity(line): line for line in later.lines}
    changes = []
    for key, line in after.items():
        old = before.get(key)
        if old is None:
            changes.append(LineChange(line.reference, line.description, ChangeKind.ADDED))
            continue
        differ = tuple(
            (name, _normal(getattr(old, name)), _normal(getattr(line, name)))
            for name in COMPARED
            if _normal(getattr(old, name)) != _normal(getattr(line, name))
        )
        if differ:
            changes.append(LineChange(line.reference, line.description, ChangeKind.CHANGED, differ))
    changes += [
        LineChange(line.reference, line.description, ChangeKind.REMOVED)
        for key, line in before.items()
        if key not in after
    ]
    return changes


def _normal(value):
    """Amounts as written without trailing zeros (3.500000 reads 3.5), for comparing and showing."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


def version_of(plan: BomPlan, number: int) -> BomVersion:
    found = next((v for v in plan.versions if v.number == number), None)
    if found is None:
        raise NotFound()
    return found


# --- the plan's figures today --------------------------------------------------------------------


@dataclass
class PlanFigures:
    lines: list[BomLine]
    supply: dict[int, LineSupply]
    values: dict[int, object]  # line id -> money.Converted (per device, in the plan's currency) or None
    rates: RateBook
    content: LocalContent
    missing_rates: list[str]


def plan_figures(plan: BomPlan, version: BomVersion | None = None) -> PlanFigures:
    """Each line's local supply and value, and the plan's local content per phase, today."""
    version = version or plan.working
    lines = list(
        db.session.scalars(
            select(BomLine).where(BomLine.version_id == version.id).options(selectinload(BomLine.category))
            .order_by(BomLine.position)
        )
    )  # fmt: skip
    day = today()
    supply = supply_for(lines)
    book = rates_on(day)
    values = {
        line.id: book.convert(line.cost_per_device, line.currency, plan.currency)
        for line in lines
        if line.cost_per_device is not None
    }
    facts = [
        LineFacts(
            line.id,
            values[line.id].value if values.get(line.id) else None,
            line.id in supply and supply[line.id].is_local,
            line.category.phase if line.category is not None else None,
        )
        for line in lines
    ]
    content = local_content(facts, phase_targets(), sorted(PHASES), day)
    missing = book.missing({line.currency for line in lines if line.unit_cost is not None} | {plan.currency})
    return PlanFigures(lines, supply, values, book, content, missing)
