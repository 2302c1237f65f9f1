"""A plan's local supply per line agrees with the line's own page: the same firms counted, and the
best covering firms in the order the matching rules rank them (firms stating the same facts are
counted together by the database, so the ranking of a group must still split them fairly)."""

from decimal import Decimal

import pytest

from portal import search
from portal.bom import service
from portal.bom.reading import BomRow
from portal.bom.supply import line_matches, supply_for
from portal.compliance.models import FirmStanding
from portal.compliance.service import EXCLUDING
from portal.extensions import db
from portal.suppliers.models import FirmResponsiveness, ReviewStatus
from portal.timeutil import today
from tests.factories import make_firm

IEC = "iec-62133"


@pytest.fixture
def cell_makers(app):
    """Battery makers differing in each fact the ranking weighs, with ties broken by name."""
    day = today()
    specs = [
        ("Zeta Cells", 60_000, {"lead_time_days": 14}, [IEC]),
        ("Alpha Cells", 60_000, {"lead_time_days": 14}, []),
        ("Kappa Cells", 70_000, {"lead_time_days": 14}, [IEC]),
        ("Beta Cells", 80_000, {"lead_time_days": 30}, [IEC]),
        ("Gamma Cells", 25_000, {"lead_time_days": 7}, [IEC]),
        ("Delta Cells", 500_000, {"lead_time_days": 60}, []),
        ("Eta Cells", 60_000, {"lead_time_days": 14}, [IEC]),
        ("Packs Only", 90_000, {"capacity_unit": "packs"}, []),
        ("Withdrawn Cells", 900_000, {"lead_time_days": 1}, [IEC]),
        ("Unreviewed Cells", 900_000, {"lead_time_days": 1, "review": ReviewStatus.PENDING}, []),
    ]
    firms = {}
    for name, capacity, fields, certificates in specs:
        firms[name] = make_firm(
            name,
            capabilities=[{"category": "battery", "capacity": capacity, **fields}],
            certificates=[{"type": slug} for slug in certificates],
        )
    # Eta answers brands fast (counted often enough to weigh); Zeta mostly does not answer.
    db.session.add(FirmResponsiveness(firm_id=firms["Eta Cells"].id, median_days=0.5, counted=6))
    db.session.add(
        FirmResponsiveness(firm_id=firms["Zeta Cells"].id, median_days=None, counted=6, unanswered_mostly=True)
    )
    db.session.add(
        FirmStanding(firm_id=firms["Withdrawn Cells"].id, incentive_status=EXCLUDING["incentive"], incentive_since=day)
    )
    db.session.commit()
    search.rebuild()
    return firms


def _lines(users, *rows):
    bom = [
        BomRow(n + 2, str(n + 1), description, "", spec, Decimal(1), None, "USD", devices)
        for n, (description, spec, devices) in enumerate(rows)
    ]
    return service.create_plan(users["brand"], "Cells", "USD", bom).working.lines


@pytest.mark.parametrize(
    ("description", "spec", "devices"),
    [
        ("Li-Po cell 4000mAh", "", 50_000),
        ("Li-Po cell 4000mAh", "", 20_000),
        ("Li-Po cell 4000mAh", "IEC 62133", 50_000),
        ("Li-Po cell 4000mAh", "IEC 62133", 20_000),
    ],
    ids=["whole-50k", "whole-20k", "certified-50k", "certified-20k"],
)
def test_the_best_covering_firms_are_the_line_pages_first_covering_matches(
    cell_makers, users, description, spec, devices
):
    [line] = _lines(users, (description, spec, devices))
    assert line.category_slug == "battery"
    supply = supply_for([line])[line.id]
    names = {firm.id: name for name, firm in cell_makers.items()}
    matches, _near = line_matches(line)
    ranked = [names[m.firm_id] for m in matches]
    assert "Withdrawn Cells" not in ranked and "Unreviewed Cells" not in ranked

    covering = [name for name in ranked if _capacity(cell_makers[name]) >= devices]
    assert [name for _id, name in supply.best] == covering[:3]
    assert supply.covering == len(covering)
    assert supply.qualified == len(ranked)
    assert supply.other_unit == ("Packs Only" in ranked) == (not spec)


def _capacity(firm) -> int:
    [capability] = firm.capabilities
    return capability.monthly_capacity if capability.capacity_unit in (None, "cells") else -1


def test_equal_firms_are_named_in_name_order_and_the_faster_answering_first(cell_makers, users):
    [line] = _lines(users, ("Li-Po cell 4000mAh", "", 50_000))
    best = [name for _id, name in supply_for([line])[line.id].best]
    # Eta answers fastest. Alpha and Kappa tie (their capacities differ, but both cover the line):
    # by name. Zeta states what Alpha states but mostly leaves brands unanswered.
    assert best == ["Eta Cells", "Alpha Cells", "Kappa Cells"]
