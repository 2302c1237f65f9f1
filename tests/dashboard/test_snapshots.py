"""`flask snapshot-metrics`: one row per category, province and month, updated when run again."""

from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.dashboard.models import WHOLE_COUNTRY, MetricSnapshot, MetricSnapshotUnit
from portal.dashboard.snapshots import current_month
from portal.suppliers.models import Capability
from portal.taxonomy import PROVINCES
from portal.taxonomy.models import ComponentCategory
from tests.factories import make_firm, make_need


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


def lines(db, province=WHOLE_COUNTRY, category="charger"):
    """A category's stored capacity and demand, unit by unit: (unit, suppliers, capacity, needs, demand)."""
    rows = db.session.scalars(
        select(MetricSnapshotUnit)
        .where(MetricSnapshotUnit.province == province, MetricSnapshotUnit.category_slug == category)
        .order_by(MetricSnapshotUnit.unit)
    )
    return [(r.unit, r.suppliers, r.monthly_capacity, r.open_needs, r.open_demand) for r in rows]


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
    assert country.verified_suppliers == 1
    assert lines(db) == [("pieces", 1, 5_000, 1, 2_000)]
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
    assert lines(db) == [("pieces", 1, 7_000, 0, 0)]


def test_a_category_in_two_units_keeps_a_line_for_each_and_a_unit_gone_is_zeroed(app, db, users):
    make_firm(capabilities=[{"category": "pcb-bare", "capacity": 6_100, "capacity_unit": "m2"}])
    make_firm(capabilities=[{"category": "pcb-bare", "capacity": 40_000, "capacity_unit": "boards"}])
    make_need(users["brand"], "pcb-bare", quantity=60_000, quantity_unit="boards")
    assert run(app).exit_code == 0
    assert lines(db, category="pcb-bare") == [("boards", 1, 40_000, 1, 60_000), ("m2", 1, 6_100, 0, 0)]

    db.session.execute(Capability.__table__.delete().where(Capability.capacity_unit == "m2"))
    db.session.commit()
    assert run(app).exit_code == 0
    db.session.expire_all()
    assert lines(db, category="pcb-bare") == [("boards", 1, 40_000, 1, 60_000), ("m2", 0, 0, 0, 0)]


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
