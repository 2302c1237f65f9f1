"""Imports replaced: staff load yearly imports per HS code; each category sets a year of its local
capacity against them in the same unit. The answers, worked out by hand, follow.

- chargers (HS 8504.40): 2025 imports 12,000,000 pieces worth USD 30,000,000 (a 2024 line is older
  and not shown). Local: 250,000 pieces a month, 3,000,000 a year: 25% of imports.
- batteries (HS 8507.60): imports counted in packs, 400,000; local capacity only in cells: no share,
  a note says there is no capacity in battery packs.
- bare and flexible PCBs share HS 8534.00, value only: both show it, with no share.
"""

import csv
import io
import os
import tempfile

from portal.dashboard.models import TradeImport
from tests.factories import make_firm

FILE = """hs_code,year,value_usd,quantity,unit
8504.40,2024,"25,000,000",10000000,pcs
8504.40,2025,30000000,12000000,pieces
8507.60,2025,9000000,400000,packs
8534.00,2025,5000000,,
"""


def load(app, text=FILE, source="PBS trade tables 2025"):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as handle:
        handle.write(text)
    try:
        return app.test_cli_runner().invoke(args=["load-imports", handle.name, "--source", source])
    finally:
        os.unlink(handle.name)


def test_imports_against_a_year_of_local_capacity_in_the_same_unit(app, client, login, db):
    make_firm(capabilities=[{"category": "charger", "capacity": 250_000}])
    make_firm(capabilities=[{"category": "battery", "capacity": 90_000, "capacity_unit": "cells"}])
    result = load(app)
    assert result.exit_code == 0, result.output
    assert "Loaded 4 line(s) from PBS trade tables 2025: 4 added, 0 replaced." in result.output
    login("staff")

    rows = list(csv.DictReader(io.StringIO(client.get("/staff/dashboard/imports.csv").get_data(as_text=True))))
    found = {r["Category"]: r for r in rows}
    charger = found["Chargers and power adapters"]
    assert (charger["Year"], charger["Source"], charger["Imports (USD)"], charger["Imports (quantity)"]) == (
        "2025", "PBS trade tables 2025", "30000000", "12000000")  # fmt: skip
    assert (charger["Unit"], charger["Local capacity a year, same unit"], charger["Local capacity against imports"]) == (
        "pieces", "3000000", "25.0")  # fmt: skip
    battery = found["Lithium-ion cells and battery packs"]
    assert (battery["Local capacity against imports"], battery["Note"]) == (
        "",
        "No local capacity counted in battery packs.",
    )
    assert (
        found["Bare printed circuit boards"]["Imports (USD)"]
        == found["Flexible printed circuits"]["Imports (USD)"]
        == "5000000"
    )
    assert (
        found["Bare printed circuit boards"]["Note"]
        == "The source gives a value only, no quantity to set capacity against."
    )
    assert "PBS trade tables 2025" in client.get("/staff/dashboard").get_data(as_text=True)


def test_a_file_with_a_bad_line_loads_nothing_and_names_each_line(app, db):
    bad = FILE + "85,2025,1,1,pcs\n8504.40,2099,1,1,pcs\n8517.79,2025,10,5,parsecs\n8518.29,2025,10,5,\n"
    result = load(app, bad)
    assert result.exit_code == 1
    assert "line 6: hs_code '85' is not an HS code like 8507.60" in result.output
    assert "line 7: year 2099 is not between 1990 and" in result.output
    assert "line 8: unit 'parsecs' is not a known unit" in result.output
    assert "line 9: quantity and unit go together: give both or neither" in result.output
    assert db.session.query(TradeImport).count() == 0

    assert load(app).exit_code == 0
    assert "0 added, 4 replaced" in load(app, source="PBS revised").output
    assert {row.source for row in db.session.query(TradeImport)} == {"PBS revised"}
