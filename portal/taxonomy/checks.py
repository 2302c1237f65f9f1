"""Capabilities and needs whose unit is not one of their category's units, for staff to fix.

Until fixed, their capacity or quantity is counted apart, on a line of its own ("unit not
stated"), never added to a unit it may not be.
"""

from dataclasses import dataclass

from sqlalchemy import or_, select, tuple_

from portal.extensions import db
from portal.needs.models import NeedStatus, SourcingNeed
from portal.suppliers.models import Capability, Firm
from portal.taxonomy import category_rows
from portal.taxonomy.units import units_of


@dataclass(frozen=True)
class UnitToFix:
    kind: str  # "capability" or "need"
    id: int
    owner: str  # the firm's or brand's name
    category: str
    amount: int
    unit: str | None  # what is stored: None when no unit was chosen
    typed: str | None  # the free text typed before units were a list, if kept

    @property
    def allowed(self) -> list[str]:
        return [u.slug for u in units_of(self.category)]


def _allowed_pairs() -> list[tuple[str, str]]:
    return [(row["slug"], unit.slug) for row in category_rows() for unit in units_of(row["slug"])]


def _wrong_unit(category_column, unit_column):
    return or_(unit_column.is_(None), tuple_(category_column, unit_column).not_in(_allowed_pairs()))


def units_to_fix() -> list[UnitToFix]:
    """Every capability (of a firm not merged away) and every need not cancelled whose unit is
    missing or not one of its category's units, capabilities first, by firm and id."""
    capabilities = db.session.execute(
        select(
            Capability.id,
            Firm.legal_name,
            Capability.category_slug,
            Capability.monthly_capacity,
            Capability.capacity_unit,
            Capability.capacity_unit_as_typed,
        )
        .join(Firm, Firm.id == Capability.firm_id)
        .where(Firm.merged_into_id.is_(None), _wrong_unit(Capability.category_slug, Capability.capacity_unit))
        .order_by(Firm.legal_name, Capability.id)
    )
    found = [UnitToFix("capability", *row) for row in capabilities]
    needs = db.session.execute(
        select(
            SourcingNeed.id,
            SourcingNeed.organisation,
            SourcingNeed.category_slug,
            SourcingNeed.quantity_per_month,
            SourcingNeed.quantity_unit,
        )
        .where(
            SourcingNeed.status != NeedStatus.CANCELLED,
            _wrong_unit(SourcingNeed.category_slug, SourcingNeed.quantity_unit),
        )
        .order_by(SourcingNeed.organisation, SourcingNeed.id)
    )
    return found + [UnitToFix("need", *row, None) for row in needs]
