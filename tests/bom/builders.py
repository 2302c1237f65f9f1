"""The test BOM as a file a brand would upload, and a small world of local firms for it."""

import csv
import io

from tests.bom.phone_bom import DEVICES_PER_MONTH, LINES
from tests.factories import make_firm

HEADER = ["line", "part description", "specification", "quantity per device", "unit cost", "currency", "planned devices per month"]  # fmt: skip


def bom_csv(lines=LINES, devices: int = DEVICES_PER_MONTH) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for ref, description, spec, quantity, cost, currency, _expected in lines:
        writer.writerow([ref, description, spec, quantity, cost, currency, devices])
    return buffer.getvalue()


def local_firms():
    """Firms in Pakistan for a few of the BOM's categories: enough capacity for chargers, cables and
    packaging; batteries only under the BOM's monthly quantity; a suspended housing maker."""
    return {
        "charger": make_firm("Ravi Power Adapters", capabilities=[{"category": "charger", "capacity": 100_000}]),
        "cable": make_firm("Indus Cables", capabilities=[{"category": "cable", "capacity": 500_000}]),
        "packaging": make_firm(
            "Lahore Print & Pack", capabilities=[{"category": "packaging", "capacity": 1_000_000}], city="Lahore"
        ),
        "battery": make_firm("Small Cells", capabilities=[{"category": "battery", "capacity": 5_000}]),
        "suspended": make_firm(
            "Banned Housings", suspended=True, capabilities=[{"category": "housing-plastic", "capacity": 1_000_000}]
        ),
    }
