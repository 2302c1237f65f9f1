"""Staff open the localization dashboard: every chart is drawn from its table, with no console error."""

import re
import tempfile
from pathlib import Path

from playwright.sync_api import expect

from portal.dashboard.snapshots import current_month, take_snapshot
from portal.dashboard.views import CHARTED
from tests.browser.test_firm_journey import sign_in
from tests.conftest import make_user
from tests.factories import make_firm, make_need

CHARTS = """
Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = Chart.getChart(canvas);
  return chart ? {table: canvas.dataset.table, type: chart.config.type, data: chart.data.datasets.map((d) => d.data)} : null;
})
"""


DRAWN = """() => window.Chart !== undefined
  && Array.from(document.querySelectorAll("canvas[data-chart]")).every((canvas) => Chart.getChart(canvas))"""


def drawn_charts(page):
    """The page's scripts come last: after a navigation, wait until each canvas holds its chart."""
    page.wait_for_function(DRAWN)
    return page.evaluate(CHARTS)


AXES = """
Object.fromEntries(Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const scales = Chart.getChart(canvas).options.scales;
  const axis = scales.x && scales.x.title && scales.x.title.display ? scales.x : scales.y;
  return [canvas.dataset.table, axis.title.text];
}))
"""
SCREENSHOT = Path(tempfile.gettempdir()) / "portal-dashboard.png"


def test_staff_see_each_chart_drawn_and_filter_by_province(page, users):
    make_firm("Indus Chargers (Pvt) Ltd", capabilities=[{"category": "charger", "capacity": 40_000}])
    make_firm("Mehran Boards (Pvt) Ltd", capabilities=[{"category": "pcba", "capacity": 900}], province="Sindh",
              city="Karachi")  # fmt: skip
    make_need(users["brand"], "charger", quantity=10_000)
    make_need(users["brand"], "pcba", quantity=2_000, certifications=("ipc-a-610",), title="4G mainboard assembly")
    take_snapshot(current_month())
    make_user("staff", email="analyst@edb.example", full_name="Sana Analyst")
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, "analyst@edb.example")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Localization dashboard")).to_be_visible()
    expect(page.get_by_test_id("table-unserved")).to_contain_text("4G mainboard assembly")

    charts = drawn_charts(page)
    by_table = {chart["table"]: chart for chart in charts}
    for name in CHARTED:  # each chart is drawn, or says in words why not and what would fill it
        if f"table-{name}" not in by_table:
            expect(page.get_by_test_id(f"chart-empty-{name}")).to_be_visible()
    assert set(by_table) == {
        f"table-{name}" for name in ("categories", "progress", "gap-progress", "provinces", "funnel")
    }
    expect(page.get_by_test_id("chart-empty-trend")).to_contain_text("two monthly snapshots")
    expect(page.get_by_test_id("chart-empty-introductions")).to_contain_text("No introduction asked yet")
    assert by_table["table-categories"]["type"] == "bar"
    capacity, demand = by_table["table-categories"]["data"]
    assert 40_000 in capacity and 10_000 in demand
    assert by_table["table-gap-progress"]["type"] == "line"
    assert by_table["table-funnel"]["data"] == [[2, 0, 0]]
    axes = page.evaluate(AXES)
    assert axes["table-categories"] == "Per month, each bar in its own category's unit (in brackets)"
    assert axes["table-provinces"] == "Verified suppliers (firms)"
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_label("Province", exact=True).select_option("Sindh")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"province=Sindh"))
    charts = drawn_charts(page)
    assert {"table": "table-provinces", "type": "bar", "data": [[1]]} in charts
    assert problems == []
