"""Staff tests. `supplier_csv()` builds a supplier CSV from rows given as dicts (defaults filled in)."""

import csv
import io

from portal.staff.imports import COLUMNS

GOOD_ROW = {
    "name": "Indus Circuits (Pvt) Ltd",
    "city": "Lahore",
    "province": "Punjab",
    "description": "Four-layer FR-4 boards and SMT assembly for phone makers in Lahore.",
    "categories": "pcba;pcb-bare",
    "processes": "smt;testing",
    "certifications": "iso-9001:2027-06-30;rohs:2026-12-31",
    "capacity_units_per_month": "20000",
    "employees": "140",
    "export_markets": "UAE;China",
    "contact_email": "sales@indus.example.pk",
    "website": "https://indus.example.pk",
    "verified": "no",
}


def row(**cells) -> dict:
    return {**GOOD_ROW, **cells}


def supplier_csv(*rows: dict, columns=COLUMNS, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
