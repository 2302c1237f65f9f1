"""Jobs and exports per category, from a small world whose answers are worked out by hand.

- Ravi Power (120 people, exports to UAE and Kenya): chargers (main line, 80 reported) and cables
  (not split: its main line is chargers, so cables get nothing of the whole).
- Indus Plugs (50 people, exports to UAE): chargers, main line, nothing reported: all 50 count.
- Draft Chargers (900 people, exports to China) is not verified: it counts nowhere.
- Sindh Cables (30 people, no exports): cables, main line.
Chargers: 80 + 50 = 130 people; 2 firms, both exporting; markets Kenya, UAE (2).
Cables: 0 + 30 = 30 people; 2 firms, 1 exporting (Ravi); markets Kenya, UAE.
A snapshot taken with only Ravi and Indus (chargers 130, cables 0) makes the change +0 and +30.
"""

import csv
import io

from portal.dashboard.snapshots import current_month, take_snapshot
from portal.suppliers.models import ListingStatus
from tests.factories import make_firm


def test_jobs_exports_and_markets_by_category(client, login, db):
    make_firm(
        "Ravi Power (Pvt) Ltd",
        employees=120,
        export_markets=["UAE", "Kenya"],
        capabilities=[
            {"category": "charger", "is_main_line": True, "employees": 80},
            {"category": "cable"},
        ],
    )
    make_firm("Indus Plugs (Pvt) Ltd", employees=50, export_markets=["UAE"],
              capabilities=[{"category": "charger", "is_main_line": True}])  # fmt: skip
    make_firm("Draft Chargers (Pvt) Ltd", employees=900, export_markets=["China"], status=ListingStatus.DRAFT,
              capabilities=[{"category": "charger", "is_main_line": True}])  # fmt: skip
    take_snapshot(current_month())
    make_firm("Sindh Cables (Pvt) Ltd", employees=30, province="Sindh", city="Karachi",
              capabilities=[{"category": "cable", "is_main_line": True}])  # fmt: skip
    login("staff")

    rows = csv.DictReader(io.StringIO(client.get("/staff/dashboard/jobs-exports.csv").get_data(as_text=True)))
    found = {r["Category"]: r for r in rows}
    since = f"Change since {current_month():%Y-%m}"
    charger, cable = found["Chargers and power adapters"], found["USB and data cables"]
    assert (charger["People working on the category"], charger[since], charger["Verified suppliers"]) == (
        "130",
        "0",
        "2",
    )
    assert (charger["Of which exporting"], charger["Markets served"], charger["Markets"]) == ("2", "2", "Kenya, UAE")
    assert (cable["People working on the category"], cable[since], cable["Verified suppliers"]) == ("30", "30", "2")
    assert (cable["Of which exporting"], cable["Markets served"], cable["Markets"]) == ("1", "2", "Kenya, UAE")
    assert found["Lithium-ion cells and battery packs"]["People working on the category"] == "0"

    sindh = {r["Category"]: r for r in csv.DictReader(io.StringIO(
        client.get("/staff/dashboard/jobs-exports.csv?province=Sindh").get_data(as_text=True)))}  # fmt: skip
    assert (
        sindh["USB and data cables"]["People working on the category"],
        sindh["USB and data cables"]["Markets"],
    ) == (
        "30",
        "",
    )
