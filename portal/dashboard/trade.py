"""Imports replaced: staff load yearly imports per HS code from a CSV, and the dashboard sets each
category's local capacity against them in the same unit.

The file has the columns `hs_code, year, value_usd, quantity, unit`; `quantity` and `unit` may be
empty (value only), and `unit` is a unit slug (pieces, boards, m2...) or one of its spellings.
The source is named once for the whole file. A line for an HS code and year already loaded
replaces it; a file with any bad line loads nothing.
"""

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import select

from portal import audit
from portal.dashboard.models import TradeImport
from portal.extensions import db
from portal.i18n import N_, Joined, Phrase, Refusal
from portal.taxonomy.units import units
from portal.transactions import one_act

COLUMNS = ("hs_code", "year", "value_usd", "quantity", "unit")
HS_CODE = re.compile(r"^\d{4}(\.\d{2}){0,2}$")
MAX_AMOUNT = 10**15


class TradeFileRefused(Refusal):
    """The file cannot be loaded; the message names every line at fault."""


@dataclass(frozen=True)
class TradeLine:
    hs_code: str
    year: int
    value_usd: int
    quantity: int | None
    unit: str | None


def _unit(text: str) -> str | None:
    spelled = " ".join(text.split()).casefold()
    found = [u.slug for u in units().values() if spelled == u.slug or spelled in u.spellings]
    return found[0] if len(found) == 1 else None


def _number(text: str, name: str, problems: list[Phrase], required: bool = True) -> int | None:
    cleaned = text.replace(",", "").replace(" ", "")
    if not cleaned:
        if required:
            problems.append(Phrase("%(column)s is missing", column=name))
        return None
    if not cleaned.isdigit() or int(cleaned) > MAX_AMOUNT:
        problems.append(Phrase("%(column)s '%(text)s' is not a whole number from 0 to 10^15", column=name, text=text))
        return None
    return int(cleaned)


def parse_trade_file(text: str, this_year: int) -> list[TradeLine]:
    """Every line of the file, or TradeFileRefused naming each problem with its line number."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise TradeFileRefused(
            N_("The header (line 1) lacks the column(s) %(missing)s; it needs %(columns)s."),
            missing=", ".join(missing),
            columns=", ".join(COLUMNS),
        )
    at = {c: header.index(c) for c in COLUMNS}
    lines, problems, seen = [], [], {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cell = {c: (cells[i].strip() if i < len(cells) else "") for c, i in at.items()}
        found: list[Phrase] = []
        if not HS_CODE.match(cell["hs_code"]):
            found.append(Phrase("hs_code '%(code)s' is not an HS code like 8507.60", code=cell["hs_code"]))
        year = _number(cell["year"], "year", found)
        if year is not None and not 1990 <= year <= this_year:
            found.append(Phrase("year %(year)s is not between 1990 and %(this_year)s", year=year, this_year=this_year))
        value = _number(cell["value_usd"], "value_usd", found)
        quantity = _number(cell["quantity"], "quantity", found, required=False)
        unit = None
        if cell["unit"]:
            unit = _unit(cell["unit"])
            if unit is None:
                found.append(
                    Phrase(
                        "unit '%(unit)s' is not a known unit (%(units)s)", unit=cell["unit"], units=", ".join(units())
                    )
                )
        if (quantity is None) != (not cell["unit"]):
            found.append(Phrase("quantity and unit go together: give both or neither"))
        key = (cell["hs_code"], year)
        if key in seen:
            found.append(Phrase("the same HS code and year as line %(line)s", line=seen[key]))
        seen.setdefault(key, number)
        if found:
            problems.append(Phrase("line %(line)s: %(problems)s", line=number, problems=Joined(found, "; ")))
        else:
            lines.append(TradeLine(cell["hs_code"], year, value, quantity, unit))
    if problems:
        raise TradeFileRefused.of_all([Phrase("Nothing was loaded."), *problems])
    if not lines:
        raise TradeFileRefused(N_("The file has no lines to load."))
    return lines


def load_trade_imports(lines: list[TradeLine], source: str, by=None) -> tuple[int, int]:
    """Store the lines under their source in one transaction: (added, replaced)."""
    source = source.strip()
    if not source:
        raise TradeFileRefused(
            N_("Name the source of the figures, e.g. the statistics bureau's trade tables and their year.")
        )
    with one_act():
        stored = {(t.hs_code, t.year): t for t in db.session.scalars(select(TradeImport))}
        added = replaced = 0
        for line in lines:
            row = stored.get((line.hs_code, line.year))
            if row is None:
                row = TradeImport(hs_code=line.hs_code, year=line.year)
                db.session.add(row)
                added += 1
            else:
                replaced += 1
            row.value_usd, row.quantity, row.unit, row.source = line.value_usd, line.quantity, line.unit, source[:200]
        db.session.flush()
        audit.record(
            "trade.imports_loaded", None, actor=by, after={"source": source, "added": added, "replaced": replaced}
        )
    return added, replaced


def latest_by_hs_code() -> dict[str, TradeImport]:
    """The latest year loaded for each HS code."""
    latest: dict[str, TradeImport] = {}
    for row in db.session.scalars(select(TradeImport).order_by(TradeImport.hs_code, TradeImport.year)):
        latest[row.hs_code] = row
    return latest
