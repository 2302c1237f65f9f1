"""The cast's firms as the sourcing-need tests want them: two battery-pack makers to ISO 9001."""

import pytest

from tests.factories import make_firm


def battery_line(capacity: int = 30000) -> dict:
    """What a battery-pack maker to ISO 9001 offers, as keyword arguments of make_firm."""
    return {
        "capabilities": [{"category": "battery", "capacity": capacity, "lead_time_days": 14}],
        "certificates": [{"type": "iso-9001"}],
    }


def battery_firm(name, owner=None, **fields):
    return make_firm(name, owner=owner, **battery_line(fields.pop("capacity", 30000)), **fields)


@pytest.fixture
def cast_firms() -> dict:
    """The supplier's Ravi Cells, which needs invite, and the other supplier's Quetta Packs, which also qualifies."""
    return {
        "firm": {"name": "Ravi Cells", **battery_line()},
        "other_firm": {"name": "Quetta Packs", "province": "Balochistan", "city": "Quetta", **battery_line()},
    }


@pytest.fixture
def cast(cast):
    """Everyone a need concerns on stage before a test acts (publishing tells every qualifying firm):
    its brand, another brand, both firms and their people, an investor, staff."""
    return cast.enter("firm", "other_firm", "other_brand")
