"""The Alembic migrations, not create_all, build the production schema: they must match the models."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text

from portal import create_app
from portal.extensions import db


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs on a throw-away SQLite file")
def test_upgrade_builds_schema_matching_models_and_loads_taxonomy(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            categories = connection.execute(text("select count(*) from component_category")).scalar()
        assert diff == []
        assert categories == 23
        assert "alembic_version" in inspect(engine).get_table_names()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs on a throw-away SQLite file")
def test_units_typed_before_units_were_a_list_are_mapped_or_kept_for_staff(tmp_path):
    url = f"sqlite:///{tmp_path / 'units.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0017")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "insert into firm (id, legal_name, trade_name, slug, city, province, address, website, contact_email,"
                    " phone, export_markets, description, status, suspended, review_reasons, created_at, updated_at,"
                    " version) values (1, 'Indus Boards', '', 'indus-boards', 'Lahore', 'Punjab', '', '', '', '', '[]',"
                    " '', 'verified', 0, '{}', '2026-01-01', '2026-01-01', 1)"
                )
            )
            typed = [
                (1, "pcb-bare", "Sq M", None),
                (2, "charger", "units", None),
                (3, "battery", "pcs", None),  # cells or packs: nobody can tell
                (4, "testing-lab", "samples", None),
                (5, "cable", "metres", '{"capacity_unit": "pcs", "category_slug": "cable"}'),
            ]
            for capability_id, category, unit, proposed in typed:
                connection.execute(
                    text(
                        "insert into capability (id, firm_id, category_slug, monthly_capacity, capacity_unit, equipment,"
                        " materials, notes, is_main_line, review_status, proposed, created_at) values (:id, 1, :category,"
                        " 100, :unit, '', '', '', 0, 'verified', :proposed, '2026-01-01')"
                    ),
                    {"id": capability_id, "category": category, "unit": unit, "proposed": proposed},
                )
        upgrade()
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "select category_slug, capacity_unit, capacity_unit_as_typed, proposed from capability order by id"
                )
            ).all()
    assert [tuple(row[:3]) for row in rows] == [
        ("pcb-bare", "m2", None),
        ("charger", "pieces", None),
        ("battery", None, "pcs"),
        ("testing-lab", "tests", None),
        ("cable", None, "metres"),
    ]
    assert '"capacity_unit": "pieces"' in rows[4][3]


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs on a throw-away SQLite file")
def test_the_upgrade_rekeys_a_plain_sha256_audit_trail_under_the_audit_key(tmp_path):
    from portal import audit
    from portal.audit.keying import rekey
    from portal.audit.models import AuditEntry, legacy_hash

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints")})
    with app.app_context():
        upgrade(revision="0022")
        for n in range(3):
            audit.record("firm.note", None, after={"n": n}, firm_id=1)
        rekey(db.session.connection(), None, app.config["AUDIT_KEY"].encode())  # as version 0022 wrote them
        db.session.commit()
        first = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.sequence)).first()
        assert first.entry_hash == legacy_hash(first.canonical())
        db.session.remove()
        upgrade()
        assert audit.verify_chain() == []


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs on a throw-away SQLite file")
def test_the_upgrade_confirms_existing_accounts_and_reads_existing_names(tmp_path):
    url = f"sqlite:///{tmp_path / 'names.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0022")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "insert into firm (id, legal_name, trade_name, slug, city, province, address, website, contact_email,"
                    " phone, export_markets, description, status, suspended, review_reasons, created_at, updated_at,"
                    " version) values (1, 'Indus Boards (Pvt) Ltd', 'INDUS PCB', 'indus-boards', 'Lahore', 'Punjab', '',"
                    " '', '', '', '[]', '', 'verified', 0, '{}', '2026-01-01', '2026-01-01', 1)"
                )
            )
            connection.execute(
                text(
                    "insert into user_account (id, email, password_hash, full_name, organisation, role,"
                    " is_active_account, created_at, password_changed_at, session_generation) values (1,"
                    " 'old@example.com', 'x', 'Old Hand', '', 'brand', 1, '2026-01-01', '2026-01-01', 0)"
                )
            )
        upgrade()
        with engine.connect() as connection:
            names = connection.execute(text("select legal_name_skeleton, trade_name_skeleton from firm")).one()
            confirmed = connection.scalar(text("select email_verified_at from user_account"))
    assert tuple(names) == ("indusboards", "induspcb")
    assert confirmed is not None
