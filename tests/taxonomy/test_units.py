"""Units of supply: each category's list, the one conversion, and that forms, API, import and the
staff check keep capacity and quantities to them."""

import html

import pytest
from sqlalchemy import null, select

from portal.needs.models import SourcingNeed
from portal.staff.imports import parse_rows
from portal.suppliers.models import Capability, ListingStatus
from portal.taxonomy import category_rows
from portal.taxonomy.units import convert, takes_board_area, unit_of_spelling, units, units_of
from tests.factories import make_firm
from tests.needs.test_needs import FORM as NEED_FORM
from tests.staff import row, supplier_csv


def test_every_category_has_known_units_and_area_conversion_only_between_m2_and_boards():
    for category in category_rows():
        listed = units_of(category["slug"])
        assert listed, category["slug"]
        assert all(unit.slug in units() for unit in listed)
    assert [u.slug for u in units_of("pcb-bare")] == ["boards", "m2"]
    assert [s for s in (c["slug"] for c in category_rows()) if takes_board_area(s)] == ["pcb-bare", "pcb-flex"]
    # 2 m² of panel at 25,000 mm² a board: 2,000,000 mm² / 25,000 = 80 boards; and back.
    assert convert(2, "m2", "boards", "pcb-bare", 25_000) == 80
    assert convert(80, "boards", "m2", "pcb-bare", 25_000) == 2
    assert convert(2, "m2", "boards", "pcb-bare", None) is None, "no board area, no conversion"
    assert convert(5, "cells", "packs", "battery", 25_000) is None, "cells are not packs"


@pytest.mark.parametrize(
    ("category", "typed", "unit"),
    [("pcb-bare", "Sq M", "m2"), ("charger", "units", "pieces"), ("charger", " PCS ", "pieces"),
     ("battery", "pcs", None), ("assembly-service", "units", "devices"), ("cable", "metres", None)],
)  # fmt: skip
def test_known_spellings_map_to_the_categorys_unit_and_unknown_ones_do_not(category, typed, unit):
    assert unit_of_spelling(category, typed) == unit


@pytest.fixture
def draft(users):
    return make_firm("Ravi Circuits (Pvt) Ltd", owner=users["supplier"], status=ListingStatus.DRAFT, capabilities=[])


def post_capability(client, firm, **data):
    body = {"category": "pcb-bare", "monthly_capacity": "6000", "capacity_unit": "m2", **data}
    return client.post(f"/firms/{firm.id}/capabilities/new", data=body)


def test_a_capability_is_counted_in_one_of_its_categorys_units(client, login, draft, db):
    login("supplier")
    response = post_capability(client, draft, category="charger", capacity_unit="boards")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert 'id="capacity_unit-error"' in page and "This category is counted in pieces; choose one of them." in page

    response = post_capability(client, draft, capacity_unit="")
    assert "Choose the unit the capacity is counted in." in html.unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(Capability.id)) is None, "nothing is saved"

    assert post_capability(client, draft, board_area_mm2="25000").status_code == 302
    stored = db.session.scalar(select(Capability))
    assert (stored.capacity_unit, stored.board_area_mm2) == ("m2", 25_000)


def test_only_board_and_panel_categories_take_a_board_area(client, login, draft, db):
    login("supplier")
    response = post_capability(client, draft, category="charger", capacity_unit="pieces", board_area_mm2="900")
    page = html.unescape(response.get_data(as_text=True))
    assert "Only categories counted both in boards and in m² of panel take a board area." in page
    response = post_capability(client, draft, board_area_mm2="0")
    assert "Enter an area from 1 to 1,000,000 mm²." in html.unescape(response.get_data(as_text=True))


def test_the_form_offers_each_categorys_units_to_its_script(client, login, draft):
    login("supplier")
    page = html.unescape(client.get(f"/firms/{draft.id}/capabilities/new").get_data(as_text=True))
    assert '"pcb-bare":["boards","m2"]' in page and '"battery":["cells","packs"]' in page


def test_a_needs_quantity_is_counted_in_one_of_its_categorys_units(client, login, db):
    login("brand")
    response = client.post("/needs/new", data={**NEED_FORM, "quantity_unit": "boards"})
    assert "This category is counted in cells or battery packs; choose one of them." in html.unescape(
        response.get_data(as_text=True)
    )
    assert client.post("/needs/new", data={**NEED_FORM, "quantity_unit": "packs"}).status_code == 302
    assert db.session.scalar(select(SourcingNeed.quantity_unit)) == "packs"


def test_the_old_import_format_maps_units_where_it_can_and_warns_where_it_cannot(app):
    parsed = parse_rows(supplier_csv(row(categories="charger;battery")))
    assert parsed.warnings == [
        "line 2: battery is counted in cells or packs, and 'units' could be any of them; a new capability gets no "
        "unit and is counted apart until one is chosen (flask taxonomy check-units lists it)"
    ]


def test_check_units_lists_what_staff_must_fix_and_fails_until_fixed(app, db, users, client):
    firm = make_firm("Chenab Cells (Pvt) Ltd", capabilities=[{"category": "battery", "capacity": 5_000}])
    battery = firm.capabilities[0]
    db.session.execute(Capability.__table__.update().values(capacity_unit=null(), capacity_unit_as_typed="pcs"))
    db.session.commit()
    runner = app.test_cli_runner()

    result = runner.invoke(args=["taxonomy", "check-units"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'capability {battery.id}: Chenab Cells (Pvt) Ltd, Lithium-ion cells and battery packs (battery), 5,000 (unit not stated) (typed "pcs"); '
        "choose one of: cells, packs",
        "1 to fix; until then their figures are counted apart.",
    ]

    db.session.execute(Capability.__table__.update().values(capacity_unit="packs"))
    db.session.commit()
    result = runner.invoke(args=["taxonomy", "check-units"])
    assert (result.exit_code, result.output.strip()) == (
        0,
        "Every capability and need is counted in one of its category's units.",
    )


def test_check_units_names_the_category_in_urdu_with_its_slug_for_staff(app, db):
    make_firm("Chenab Cells (Pvt) Ltd", capabilities=[{"category": "battery", "capacity": 5_000}])
    db.session.execute(Capability.__table__.update().values(capacity_unit=null()))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["taxonomy", "check-units", "--language", "ur"])
    report = result.output.replace("\u2068", "").replace("\u2069", "")
    assert result.exit_code == 1
    assert "لیتھیم آئن سیل اور بیٹری پیک (battery)" in report
    assert "battery packs" not in report and "unit not stated" not in report
