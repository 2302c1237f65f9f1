"""Needs, firms and people for the sourcing-need tests."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.needs.models import NeedStatus, NeedVisibility, Quote, QuoteStatus, SourcingNeed
from portal.taxonomy.models import CertificationType
from portal.timeutil import today
from tests.conftest import make_user
from tests.factories import make_firm


def create_need(owner, *, status=NeedStatus.OPEN, visibility="open", days=20, certifications=("iso-9001",), **fields):
    """A need straight in the database (the form is tested on its own)."""
    need = SourcingNeed(
        owner_id=owner.id,
        organisation=fields.pop("organisation", "Crescent Mobile"),
        title=fields.pop("title", "Packs"),
        category_slug=fields.pop("category", "battery"),
        description=fields.pop("description", "1,800 mAh Li-ion packs."),
        quantity_per_month=fields.pop("quantity_per_month", 10000),
        deadline=today() + timedelta(days=days),
        status=status,
        visibility=NeedVisibility(visibility),
        **fields,
    )
    need.required_certifications = [db.session.get(CertificationType, slug) for slug in certifications]
    db.session.add(need)
    db.session.commit()
    return need


def create_quote(need, firm, **fields):
    """A quote straight in the database, as the firm sent it."""
    quote = Quote(
        need_id=need.id,
        firm_id=firm.id,
        unit_price=fields.pop("unit_price", 2),
        currency=fields.pop("currency", "USD"),
        min_order_quantity=1,
        lead_time_days=1,
        valid_until=need.deadline,
        status=fields.pop("status", QuoteStatus.SENT),
        **fields,
    )
    db.session.add(quote)
    db.session.commit()
    return quote


def battery_firm(name, owner=None, **fields):
    return make_firm(
        name,
        owner=owner,
        capabilities=[{"category": "battery", "capacity": fields.pop("capacity", 30000), "lead_time_days": 14}],
        certificates=[{"type": "iso-9001"}],
        **fields,
    )


@pytest.fixture
def cast(app, users):
    """Everyone a need concerns: its brand, another brand, an invited firm's person (`supplier`),
    a supplier whose firm also qualifies but is not invited (`rival`), an investor, staff."""
    rival = make_user("supplier", email="rival@example.com", full_name="Rival Person")
    return {
        **users,
        "rival": rival,
        "other_brand": make_user("brand", email="other@brand.example", organisation="Other Phones"),
        "ravi": battery_firm("Ravi Cells", owner=users["supplier"]),
        "quetta": battery_firm("Quetta Packs", owner=rival, province="Balochistan", city="Quetta"),
    }
