"""From plan to action: the chosen lines become draft sourcing needs in one step, and a line's
local suppliers can be invited to its need.

Drafts are prefilled from the lines (category, monthly quantity in the category's unit, the
specification, the certificates its words name) and go through the needs flow as any other:
the brand reviews and publishes them. Nothing reaches a firm before that, and the need's words
are the line's, never the plan's.
"""

from datetime import timedelta

from portal.bom.models import BomLine, BomPlan
from portal.bom.service import PlanChanged, PlanRefused
from portal.bom.supply import QUOTE_WINDOW_DAYS, line_certifications
from portal.extensions import db
from portal.i18n import N_
from portal.needs import service as needs
from portal.needs.models import CURRENCIES, NeedVisibility, SourcingNeed
from portal.suppliers.forms import MAX_QUANTITY
from portal.suppliers.models import Firm
from portal.taxonomy.units import usual_unit
from portal.text import fit
from portal.timeutil import today, utcnow
from portal.transactions import one_act

MAX_LINES_AT_ONCE = 100


def need_data(line: BomLine) -> dict:
    """What the draft need of a line says, in the needs form's fields."""
    return {
        "title": fit(line.description, 200),
        "category_slug": line.category_slug,
        "description": line.specification,
        "features": "",
        "quantity_per_month": max(1, line.monthly_quantity),
        "quantity_unit": usual_unit(line.category_slug),
        "target_unit_price": line.unit_cost if line.currency in CURRENCIES else None,
        "currency": line.currency,
        "delivery_province": None,
        "start_date": None,
        "deadline": today() + timedelta(days=QUOTE_WINDOW_DAYS),
        "visibility": NeedVisibility.OPEN,
        "certification_slugs": [slug for slug, _ in line_certifications(line)],
        "process_slugs": [],
    }


def draft_needs(plan: BomPlan, lines: list[BomLine], by) -> list[SourcingNeed]:
    """A draft need for each chosen line that has a category and no need yet, all in one act."""
    if not lines:
        raise PlanRefused(N_("Choose at least one line."))
    if len(lines) > MAX_LINES_AT_ONCE:
        raise PlanRefused(N_("Choose at most %(count)s lines at once."), count=MAX_LINES_AT_ONCE)
    unmapped = [line.reference for line in lines if line.category_slug is None]
    if unmapped:
        raise PlanRefused(N_("Choose a category first for line %(lines)s."), lines=", ".join(unmapped))
    too_many = [line.reference for line in lines if line.monthly_quantity > MAX_QUANTITY]
    if too_many:
        raise PlanRefused(
            N_("Line %(lines)s asks more a month than a sourcing need can hold: lower its quantity."),
            lines=", ".join(too_many),
        )
    drafted = []
    with one_act(PlanChanged):
        for line in lines:
            if line.need_id is not None:
                continue
            need = needs.new_need(by, need_data(line))
            line.need_id = need.id
            drafted.append(need)
        plan.updated_at = utcnow()
    return drafted


def invite_suppliers(line: BomLine, firm_ids: list[int], by) -> list[Firm]:
    """Invite firms to quote on the line's need; they hear of it when the brand publishes it."""
    if line.need is None:
        raise PlanRefused(N_("Make this line's need first; its suppliers are invited to that need."))
    invited = []
    for firm_id in firm_ids:
        firm = db.session.get(Firm, firm_id)
        if firm is None:
            continue
        try:
            needs.invite(line.need, firm, by)
        except needs.NeedRefused:
            continue  # already invited, or no longer taking part: the others still are
        invited.append(firm)
    return invited
