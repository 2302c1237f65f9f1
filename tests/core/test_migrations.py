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
