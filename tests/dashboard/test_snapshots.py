"""`flask snapshot-metrics`: one row per category, province and month, updated when run again."""

from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.dashboard.models import WHOLE_COUNTRY, MetricSnapshot
from portal.dashboard.snapshots import current_month
from portal.taxonomy import PROVINCES
from portal.taxonomy.models import ComponentCategory
from tests.dashboard.builders import make_need
from tests.factories import make_firm


def run(app, *args):
    return app.test_cli_runner().invoke(args=["snapshot-metrics", *args])


def stored(db, month=None, province=WHOLE_COUNTRY, category="charger"):
    return db.session.scalar(
        select(MetricSnapshot).where(
            MetricSnapshot.month == (month or current_month()),
            MetricSnapshot.province == province,
            MetricSnapshot.category_slug == category,
        )
    )


def test_snapshot_stores_every_category_for_the_country_and_each_province(app, db, users):
    make_firm(capabilities=[{"category": "charger", "capacity": 5_000}], province="Sindh", city="Karachi")
    make_need(users["brand"], "charger", quantity=2_000, certifications=("ul",))

    result = run(app)

    categories = db.session.scalar(select(func.count()).select_from(ComponentCategory))
    rows = categories * (1 + len(PROVINCES))
    assert result.exit_code == 0, result.output
    assert f"Snapshot for {current_month():%Y-%m}: {rows} row(s) added, 0 updated" in result.output
    progress = result.output.splitlines()
    assert (
        progress[0]
        == "[1/8] whole country: 23 categories; 1 verified supplier(s) summed over them; 1 open need(s) without a qualified supplier"
    )
    assert progress[7].startswith("[8/8] Azad Jammu and Kashmir: 23 categories; 0 verified supplier(s)")
    country = stored(db)
    assert (country.verified_suppliers, country.monthly_capacity, country.open_demand) == (1, 5_000, 2_000)
    assert (country.unserved_needs, country.certified_suppliers) == (1, 0)
    assert stored(db, province="Sindh").verified_suppliers == 1
    assert stored(db, province="Punjab").verified_suppliers == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "dashboard.snapshot_taken"))
    assert entry.after["rows_created"] == rows


def test_running_again_in_the_same_month_updates_instead_of_adding(app, db, users):
    assert run(app).exit_code == 0
    before = db.session.scalar(select(func.count()).select_from(MetricSnapshot))
    make_firm(capabilities=[{"category": "charger", "capacity": 7_000}])

    result = run(app)

    assert result.exit_code == 0, result.output
    assert f"0 row(s) added, {before} updated" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(MetricSnapshot)) == before
    assert stored(db).monthly_capacity == 7_000


def test_month_option_files_the_figures_under_that_month(app, db):
    result = run(app, "--month", "2026-01")
    assert result.exit_code == 0, result.output
    assert "Snapshot for 2026-01" in result.output
    assert stored(db, month=current_month().replace(year=2026, month=1)) is not None


def test_a_bad_or_future_month_is_refused_and_nothing_is_stored(app, db):
    for value, message in (
        ("January", "write it as YYYY-MM"),
        ("2026-13", "write it as YYYY-MM"),
        ("2999-01", "has not begun"),
    ):
        result = run(app, "--month", value)
        assert result.exit_code == 2 and message in result.output, result.output
    assert db.session.scalar(select(func.count()).select_from(MetricSnapshot)) == 0
