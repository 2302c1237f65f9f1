"""The dashboard pages: who sees what, the filters, the CSV files and moving a category's phase."""

import csv
import html
import io
import re
import time

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.taxonomy.models import ComponentCategory
from tests.factories import make_firm, make_need

SECRET_FIRM = "Hidden Margin Chargers (Pvt) Ltd"


@pytest.fixture
def data(app, users):
    make_firm(SECRET_FIRM, capabilities=[{"category": "charger", "capacity": 12_345}], certificates=[{"type": "ce"}])
    make_firm(capabilities=[{"category": "pcba", "capacity": 800}], province="Sindh", city="Karachi")
    make_need(users["brand"], "charger", quantity=6_000, certifications=("ce",), title="Fast chargers")
    make_need(users["brand"], "pcba", quantity=1_000, certifications=("ipc-a-610",), title="Boards for a 4G phone",
              delivery_province="Sindh")  # fmt: skip


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def row_values(page: str, category: str, table: str = "categories") -> list[str | None]:
    """The data-value of each number cell in the category's (first) row of a dashboard table."""
    table = page.split(f' id="table-{table}"')[1]
    row = table.split(f'<th scope="row">{category}</th>')[1].split("</tr>")[0]
    return [(re.search(r'data-value="([^"]*)"', cell) or [None, None])[1] for cell in row.split("</td>")[:-1]]


@pytest.mark.parametrize("role", [None, "supplier", "brand", "investor", "staff"])
def test_everyone_sees_the_public_summary_with_counts_only(client, login, data, role):
    if role:
        login(role)
    page = text(client.get("/localization"))
    assert "Local supply and open demand by category" in page
    assert "12,345" in page and "6,000" in page
    assert SECRET_FIRM not in page and "Fast chargers" not in page and "Crescent Mobile" not in page


@pytest.mark.parametrize("role", ["supplier", "brand", "investor"])
def test_only_staff_see_the_dashboard(client, login, data, role):
    assert client.get("/staff/dashboard").status_code == 302, "anonymous people are asked to sign in"
    login(role)
    for url in ("/staff/dashboard", "/staff/dashboard/categories.csv", "/staff/dashboard/phases"):
        assert client.get(url).status_code == 403, url
    assert client.post("/staff/dashboard/phases/charger", data={"charger-phase": "2"}).status_code == 403
    assert "Dashboard" not in text(client.get("/localization")).split("</nav>")[0]


def test_staff_see_every_figure_and_the_gaps(client, login, data):
    login("staff")
    response = client.get("/staff/dashboard")
    page = text(response)
    assert response.status_code == 200
    nav = page.split("</nav>")[0]
    assert 'href="/staff/dashboard"' in nav and ">Dashboard<" in nav
    assert "Boards for a 4G phone" in page, "the need no local firm qualifies for is listed"
    assert "Fast chargers" not in page.split("Open needs no local supplier qualifies for")[1].split("</table>")[0]
    # phase, unit, suppliers, capacity, of which converted, open needs, demand, coverage
    assert row_values(page, "Chargers and power adapters")[:8] == ["1", None, "1", "12345", "0", "1", "6000", "205.75"]
    # phase, suppliers, open needs, certified share, unserved
    assert row_values(page, "Chargers and power adapters", "category-figures")[:5] == ["1", "1", "1", "100.0", "0"]
    assert "206%" in page.split(' id="table-categories"')[1].split("Chargers and power adapters")[1].split("</tr>")[0]
    assert page.count("<canvas") == 3, "categories, provinces, the needs funnel; no snapshot, no introduction yet"
    assert page.count('class="chart-empty') == 4
    assert 'src="/static/vendor/chartjs-4.6.1/chart.umd.min.js"' in page


def test_province_filter_limits_firms_and_needs(client, login, data):
    login("staff")
    page = text(client.get("/staff/dashboard?province=Sindh"))
    assert row_values(page, "Chargers and power adapters")[2:7] == ["0", "0", "0", "0", "0"], "nobody in Sindh, no need"
    assert row_values(page, "PCB assembly (SMT and through-hole)")[2:7] == ["1", "800", "0", "1", "1000"]
    assert '<option value="Sindh" selected>' in page


def test_unknown_filters_fall_back_instead_of_failing(client, login, data):
    login("staff")
    response = client.get("/staff/dashboard?province=Atlantis&period=forever")
    assert response.status_code == 200
    page, default = text(response), text(client.get("/staff/dashboard"))
    for category in ("Chargers and power adapters", "PCB assembly (SMT and through-hole)"):
        assert row_values(page, category) == row_values(default, category), "the whole country, as by default"
    chosen = re.findall(r"<option [^>]*selected>", page)
    assert chosen and chosen == re.findall(r"<option [^>]*selected>", default), "the default filters are shown chosen"
    assert client.get("/staff/dashboard/nothing.csv").status_code == 404


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_each_chart_table_downloads_as_csv(client, login, data):
    login("staff")
    response = client.get("/staff/dashboard/categories.csv?province=&period=12")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:6] == ["Category", "Phase", "Unit", "Verified suppliers counting in this unit", "Monthly capacity",
                           "Of which converted with the firm's board area"]  # fmt: skip
    charger = next(r for r in rows if r[0] == "Chargers and power adapters")
    assert charger[1:9] == ["1", "pieces", "1", "12345", "0", "1", "6000", "205.8"]
    for name in ("category-figures", "progress", "gap-progress", "provinces", "funnel", "gaps", "unserved", "expiring"):
        assert client.get(f"/staff/dashboard/{name}.csv").status_code == 200, name
    unserved = read_csv(client.get("/staff/dashboard/unserved.csv?province=Sindh"))
    assert [r[0] for r in unserved[1:]] == ["Boards for a 4G phone"]
    funnel = read_csv(client.get("/staff/dashboard/funnel.csv"))
    assert funnel[0] == ["Stage", "Sourcing needs", "Share of published needs"]
    assert funnel[1][1:] == ["2", "100.0"]


def test_csv_cells_a_spreadsheet_would_run_are_defused(client, login, users):
    make_need(users["brand"], "pcba", title='=HYPERLINK("http://x")')
    login("staff")
    rows = read_csv(client.get("/staff/dashboard/unserved.csv"))
    assert rows[1][0].startswith("'=")


def test_public_summary_downloads_as_csv(client, data):
    rows = read_csv(client.get("/localization.csv"))
    assert rows[0] == ["Category", "Phase", "Unit", "Verified suppliers counting in this unit", "Monthly capacity",
                       "Open demand per month", "Capacity against demand", "Note"]  # fmt: skip
    assert ["Chargers and power adapters", "1", "pieces", "1", "12345", "6000", "205.8", ""] in rows
    assert "localization" in text(client.get("/")).split("<footer")[1]


def test_staff_move_a_category_to_another_phase_and_it_is_audited(client, login, db, data):
    login("staff")
    page = text(client.get("/staff/dashboard/phases"))
    assert "Phase of Antennas" in page
    response = client.post("/staff/dashboard/phases/antenna", data={"antenna-phase": "3"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ComponentCategory, "antenna").phase == 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "category.phase_changed"))
    assert (entry.before, entry.after) == ({"category": "antenna", "phase": 2}, {"category": "antenna", "phase": 3})
    assert "Antennas is now in phase 3." in text(client.get(response.headers["Location"]))

    again = text(client.post("/staff/dashboard/phases/antenna", data={"antenna-phase": "3"}, follow_redirects=True))
    assert "Antennas was already in phase 3." in again
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "category.phase_changed")).all()) == 1


def test_a_bad_phase_gets_a_message_next_to_the_field(client, login, db, data):
    login("staff")
    response = client.post("/staff/dashboard/phases/antenna", data={"antenna-phase": "7"})
    assert response.status_code == 400
    assert "Not a valid choice" in text(response)
    assert client.post("/staff/dashboard/phases/warp-drive", data={"warp-drive-phase": "1"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(ComponentCategory, "antenna").phase == 2


def test_the_page_says_which_phase_2_parts_lack_a_certified_supplier_and_whether_that_improves(
    app, client, login, users, db
):
    from portal.dashboard.snapshots import current_month, months_before, take_snapshot

    make_need(users["brand"], "pcba", certifications=("ipc-a-610",), title="Boards for a 4G phone")
    make_need(users["brand"], "pcba", certifications=("ipc-a-610", "qc-080000"), title="Boards for a tablet")
    make_need(users["brand"], "charger", certifications=("ul",), title="Chargers to UL")
    take_snapshot(months_before(current_month(), 2))
    make_firm(capabilities=[{"category": "pcba"}], certificates=[{"type": "ipc-a-610"}])
    take_snapshot(current_month())

    login("staff")
    page = text(client.get("/staff/dashboard?period=6"))
    gaps = page.split(' id="table-gaps"')[1].split("</table>")[0]
    rows = {re.search(r'<th scope="row">([^<]+)</th>', row)[1]: row for row in gaps.split("<tr>")[2:]}
    pcba = re.findall(r'data-value="([^"]*)"', rows["PCB assembly (SMT and through-hole)"])
    assert pcba == ["2", "1", "2", "-1"], "phase 2, one unserved need now, two at the start, one better"
    assert ">-1<" in rows["PCB assembly (SMT and through-hole)"]
    assert re.findall(r'data-value="([^"]*)"', rows["Chargers and power adapters"]) == ["1", "1", "1", "0"]
    progress = page.split(' id="table-gap-progress"')[1].split("</table>")[0]
    first, last = (months_before(current_month(), 2), current_month())
    assert f'<th scope="row">{first:%Y-%m}</th>' in progress and f'<th scope="row">{last:%Y-%m}</th>' in progress
    phase_2 = [re.findall(r'data-value="([^"]*)"', row)[1] for row in progress.split("<tr>")[2:]]
    assert phase_2 == ["2", "1"], "the phase-2 line falls"


def test_an_empty_dashboard_says_in_words_what_would_fill_each_chart(client, login):
    login("staff")
    page = text(client.get("/staff/dashboard"))
    assert "<canvas" not in page
    empties = dict(re.findall(r'data-testid="chart-empty-([a-z-]+)">([^<]*)<', page))
    assert set(empties) == {"categories", "progress", "gap-progress", "trend", "provinces", "funnel", "introductions"}
    assert "when EDB verifies a firm's capability" in empties["categories"]
    assert "`flask snapshot-metrics` stores one each month" in empties["progress"]
    assert "two monthly snapshots" in empties["trend"]
    assert "as brands publish needs" in empties["funnel"]


def test_month_over_month_trend_from_the_snapshots(client, login, db):
    """Three months by hand: suppliers 4, 7, 6 (changes +3, -1); unserved needs 5, 2, 2 (-3, 0)."""
    from portal.dashboard.models import MetricSnapshot
    from portal.dashboard.snapshots import current_month, months_before

    now = current_month()
    for back, (charger, cable, unserved) in {2: (3, 1, 5), 1: (5, 2, 2), 0: (4, 2, 2)}.items():
        month = months_before(now, back)
        db.session.add_all([
            MetricSnapshot(month=month, category_slug="charger", verified_suppliers=charger, unserved_needs=unserved),
            MetricSnapshot(month=month, category_slug="cable", verified_suppliers=cable, unserved_needs=0),
        ])  # fmt: skip
    db.session.commit()
    login("staff")

    rows = read_csv(client.get("/staff/dashboard/trend.csv"))
    assert rows[1:] == [
        [f"{months_before(now, 2):%Y-%m}", "4", "", "5", ""],
        [f"{months_before(now, 1):%Y-%m}", "7", "3", "2", "-3"],
        [f"{now:%Y-%m}", "6", "-1", "2", "0"],
    ]
    page = text(client.get("/staff/dashboard"))
    assert 'data-testid="chart-trend"' in page and 'data-axis="Change since the month before (firms, needs)"' in page


def test_figures_are_read_at_most_once_a_refresh_and_say_when(app, client, login, data, monkeypatch):
    from portal.dashboard import metrics

    monkeypatch.setattr(metrics, "_recent", metrics._Recent())
    monkeypatch.setitem(app.config, "DASHBOARD_REFRESH_SECONDS", 60)
    login("staff")
    first = text(client.get("/staff/dashboard"))
    assert "Figures as of" in first
    make_firm("Second Charger Works", capabilities=[{"category": "charger", "capacity": 1_000}])
    assert row_values(text(client.get("/staff/dashboard")), "Chargers and power adapters") == row_values(
        first, "Chargers and power adapters"
    )
    assert "Second" not in text(client.get("/localization"))  # counts only, as ever

    app.config["DASHBOARD_REFRESH_SECONDS"] = 0
    assert row_values(text(client.get("/staff/dashboard")), "Chargers and power adapters") != row_values(
        first, "Chargers and power adapters"
    )


def test_after_a_refresh_window_the_page_is_not_kept_waiting_and_the_next_shows_new_figures(
    app, client, login, data, monkeypatch
):
    from portal.dashboard import metrics

    clock = [1000.0]
    recent = metrics._Recent(clock=lambda: clock[0])
    monkeypatch.setattr(metrics, "_recent", recent)
    monkeypatch.setitem(app.config, "DASHBOARD_REFRESH_SECONDS", 60)
    login("staff")
    first = row_values(text(client.get("/staff/dashboard")), "Chargers and power adapters")
    make_firm("Second Charger Works", capabilities=[{"category": "charger", "capacity": 1_000}])

    clock[0] += 61  # a window later: the figures it has, while a thread reads the next
    assert row_values(text(client.get("/staff/dashboard")), "Chargers and power adapters") == first
    for _ in range(200):
        if not recent._reading:
            break
        time.sleep(0.05)
    second = row_values(text(client.get("/staff/dashboard")), "Chargers and power adapters")
    assert second != first

    clock[0] += 60 * metrics.STALE_AFTER_WINDOWS + 1  # after a long quiet spell: read in the request
    make_firm("Third Charger Works", capabilities=[{"category": "charger", "capacity": 1_000}])
    assert row_values(text(client.get("/staff/dashboard")), "Chargers and power adapters") != second
