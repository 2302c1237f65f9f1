"""Needs, firms and people for the sourcing-need tests."""

import pytest

from tests.factories import make_firm, make_user


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
