"""Like with like: a category counted in several units keeps a line per unit on every page, CSV
file and snapshot, and capacity meets demand only in a shared unit.

The world, worked out by hand:
- bare PCBs: Indus counts 40,000 boards; Ravi 6,100 m² with no board area; Margalla 1,000 m² at
  25,000 mm² a board, which is 1,000 x 1,000,000 / 25,000 = 40,000 boards. A brand needs 60,000
  boards. Boards line: 1 supplier, 40,000 + 40,000 = 80,000 boards (40,000 converted), coverage
  80,000 / 60,000 = 133.3%. m² line: 2 suppliers, 6,100 + 1,000 = 7,100 m² (Indus gave no board
  area, so its boards do not become m²), no demand. Never 46,100 or 47,100.
- batteries: 100,000 cells against a need for 2,000 packs: not compared, and the note says why.
- flexible circuits: 3,000 m² without a board area against 5,000 pieces: not compared, note why.
"""

import csv
import html
import io

import pytest

from portal.dashboard import metrics
from tests.factories import make_firm, make_need

SUMS_OF_UNITS = ("46,100", "46100", "47,100", "47100", "87,100", "87100", "102,000", "102000")


@pytest.fixture
def world(app, users):
    make_firm("Indus Boards (Pvt) Ltd", capabilities=[{"category": "pcb-bare", "capacity": 40_000}])
    make_firm(
        "Ravi Laminates (Pvt) Ltd", capabilities=[{"category": "pcb-bare", "capacity": 6_100, "capacity_unit": "m2"}]
    )
    make_firm(
        "Margalla Circuits (Pvt) Ltd",
        capabilities=[{"category": "pcb-bare", "capacity": 1_000, "capacity_unit": "m2", "board_area_mm2": 25_000}],
    )
    make_need(users["brand"], "pcb-bare", quantity=60_000, quantity_unit="boards")
    make_firm(
        "Chenab Cells (Pvt) Ltd", capabilities=[{"category": "battery", "capacity": 100_000, "capacity_unit": "cells"}]
    )
    make_need(users["brand"], "battery", quantity=2_000, quantity_unit="packs")
    make_firm("Swat Flex (Pvt) Ltd", capabilities=[{"category": "pcb-flex", "capacity": 3_000, "capacity_unit": "m2"}])
    make_need(users["brand"], "pcb-flex", quantity=5_000, quantity_unit="pieces")


def lines(slug):
    facts = metrics.Sources(metrics.scope_for()).category(slug)
    return {line.unit: line for line in metrics.unit_lines(facts)}


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_each_unit_has_its_own_line_and_coverage_only_in_a_shared_unit(world):
    pcb = lines("pcb-bare")
    assert list(pcb) == ["boards", "m2"]
    boards, m2 = pcb["boards"], pcb["m2"]
    assert (boards.suppliers, boards.monthly_capacity, boards.converted_capacity) == (1, 80_000, 40_000)
    assert (boards.open_needs, boards.open_demand, round(boards.coverage, 1)) == (1, 60_000, 133.3)
    assert (m2.suppliers, m2.monthly_capacity, m2.open_demand, m2.coverage) == (2, 7_100, 0, None)

    battery = lines("battery")
    assert battery["cells"].coverage is None and battery["packs"].coverage is None
    assert battery["packs"].note == (metrics.NO_COMMON_UNIT, {"demand": "battery packs", "capacity": "cells"})
    flex = lines("pcb-flex")
    assert flex["pieces"].note == (metrics.NO_BOARD_AREA, {"capacity": "square metres of panel", "demand": "pieces"})


def test_the_public_page_and_its_csv_keep_units_apart(client, world):
    page = html.unescape(client.get("/localization").get_data(as_text=True))
    assert not any(total in page for total in SUMS_OF_UNITS)
    assert "80,000" in page and "7,100" in page and "133%" in page

    rows = read_csv(client.get("/localization.csv"))
    pcb = [(r["Unit"], r["Monthly capacity"], r["Open demand per month"], r["Capacity against demand"])
           for r in rows if r["Category"] == "Bare printed circuit boards"]  # fmt: skip
    assert pcb == [("boards", "80000", "60000", "133.3"), ("square metres of panel", "7100", "0", "")]
    battery = {r["Unit"]: r for r in rows if r["Category"] == "Lithium-ion cells and battery packs"}
    assert (
        battery["battery packs"]["Note"]
        == "Demand is counted in battery packs, capacity in cells: they are not compared."
    )
    assert battery["battery packs"]["Capacity against demand"] == ""
    flex = {r["Unit"]: r for r in rows if r["Category"] == "Flexible printed circuits"}
    assert "only with the area of one board" in flex["pieces"]["Note"]


def test_the_staff_dashboard_and_its_csv_keep_units_apart(client, login, world):
    login("staff")
    page = html.unescape(client.get("/staff/dashboard").get_data(as_text=True))
    assert not any(total in page.split('id="table-categories"')[1].split("</table>")[0] for total in SUMS_OF_UNITS)
    rows = read_csv(client.get("/staff/dashboard/categories.csv"))
    pcb = {r["Unit"]: r for r in rows if r["Category"] == "Bare printed circuit boards"}
    assert pcb["boards"]["Of which converted with the firm's board area"] == "40000"
    assert pcb["square metres of panel"]["Verified suppliers counting in this unit"] == "2"
    figures = read_csv(client.get("/staff/dashboard/category-figures.csv"))
    [bare] = [r for r in figures if r["Category"] == "Bare printed circuit boards"]
    assert bare["Verified suppliers"] == "3", "firms are counted once per category, whatever their unit"


def test_the_category_pages_and_the_api_keep_units_apart(client, world):
    page = html.unescape(client.get("/categories/pcb-bare").get_data(as_text=True))
    assert "40,000</strong> boards/month" in page and "7,100</strong> m²/month" in page
    assert not any(total in page for total in SUMS_OF_UNITS)
    listing = html.unescape(client.get("/categories/").get_data(as_text=True))
    assert "40,000 boards; 7,100 m²" in listing

    taxonomy = client.get("/api/v1/taxonomy").get_json()
    bare = next(c for c in taxonomy["categories"] if c["slug"] == "pcb-bare")
    assert [u["slug"] for u in bare["units"]] == ["boards", "m2"]
