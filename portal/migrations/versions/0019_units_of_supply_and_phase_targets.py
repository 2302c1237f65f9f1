"""Units of supply: capacity and demand are counted in one of their category's units.

A capability's unit was free text ("pcs", "m²", "units"); it becomes one of the category's units
from `portal/taxonomy/data/components.csv`. Known spellings are mapped; a spelling the category
does not know (or one that could mean two of its units, like "pcs" for cells or packs) is kept in
`capacity_unit_as_typed` with no unit, for `flask taxonomy check-units` to list until fixed. The
same mapping applies to edits waiting for review. Firms may give the area of one board, the
only way m² of panel and boards convert.

A need's quantity had no unit: the form asked for a "quantity per month" of the category, so it
takes the category's usual unit (boards for bare PCBs, pieces for chargers).

Monthly snapshots keep capacity and demand per unit in `metric_snapshot_unit`; the two columns
that added every unit of a category together are dropped, as their sums cannot be split again.

Staff set each localization phase's start, due date and targets in `phase_target`, and load
yearly imports per HS code into `trade_import` (`flask load-imports`). Firms may say
how many people work on each category (`capability.employees`); snapshots keep each category's
jobs, so the dashboard shows the change since the last one.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 18:05:00

"""

import json

import sqlalchemy as sa
from alembic import op

from portal.taxonomy import category_rows, unit_rows

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _category_units() -> dict[str, list[str]]:
    return {row["slug"]: [u for u in row["units"].split("|") if u] for row in category_rows()}


def _spellings() -> dict[str, set[str]]:
    return {
        row["slug"]: {s.strip().casefold() for s in row["spellings"].split("|")} | {row["slug"]} for row in unit_rows()
    }


def _mapped(units: list[str], spellings: dict[str, set[str]], text: str | None) -> str | None:
    """The category's unit a spelling stands for, when exactly one of its units knows it (as
    `portal.taxonomy.units.unit_of_spelling`, spelled out so later changes there cannot change this step)."""
    if text is None:
        return None
    spelled = " ".join(text.split()).casefold()
    found = [unit for unit in units if spelled in spellings.get(unit, set())]
    return found[0] if len(found) == 1 else None


def upgrade():
    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.alter_column("capacity_unit", existing_type=sa.String(length=30), nullable=True)
        batch_op.add_column(sa.Column("capacity_unit_as_typed", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("board_area_mm2", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("employees", sa.Integer(), nullable=True))
        batch_op.drop_index("ix_capability_supply")
        batch_op.create_index(
            "ix_capability_supply",
            ["firm_id", "review_status", "category_slug", "capacity_unit", "board_area_mm2", "monthly_capacity"],
            unique=False,
        )
    with op.batch_alter_table("sourcing_need", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quantity_unit", sa.String(length=30), nullable=True))

    op.create_table(
        "metric_snapshot_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("category_slug", sa.String(length=60), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("suppliers", sa.Integer(), nullable=False),
        sa.Column("monthly_capacity", sa.BigInteger(), nullable=False),
        sa.Column("open_needs", sa.Integer(), nullable=False),
        sa.Column("open_demand", sa.BigInteger(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_slug"],
            ["component_category.slug"],
            name=op.f("fk_metric_snapshot_unit_category_slug_component_category"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_snapshot_unit")),
        sa.UniqueConstraint("month", "category_slug", "province", "unit", name=op.f("uq_metric_snapshot_unit_month")),
    )
    with op.batch_alter_table("metric_snapshot_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_snapshot_unit_category_slug"), ["category_slug"], unique=False)
    with op.batch_alter_table("metric_snapshot", schema=None) as batch_op:
        batch_op.drop_column("monthly_capacity")
        batch_op.drop_column("open_demand")
        batch_op.add_column(sa.Column("jobs", sa.Integer(), nullable=False, server_default="0"))

    op.create_table(
        "phase_target",
        sa.Column("phase", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("local_share", sa.Integer(), nullable=True),
        sa.Column("verified_suppliers", sa.Integer(), nullable=True),
        sa.Column("certified_suppliers", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("phase", name=op.f("pk_phase_target")),
    )

    op.create_table(
        "trade_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hs_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value_usd", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=True),
        sa.Column("unit", sa.String(length=30), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_import")),
        sa.UniqueConstraint("hs_code", "year", name=op.f("uq_trade_import_hs_code")),
    )
    with op.batch_alter_table("trade_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trade_import_hs_code"), ["hs_code"], unique=False)

    _map_units(op.get_bind())


def _map_units(bind) -> None:
    category_units, spellings = _category_units(), _spellings()
    capability = sa.table(
        "capability",
        sa.column("id", sa.Integer),
        sa.column("category_slug", sa.String),
        sa.column("capacity_unit", sa.String),
        sa.column("capacity_unit_as_typed", sa.String),
        sa.column("proposed", sa.JSON),
    )
    pairs = bind.execute(sa.select(capability.c.category_slug, capability.c.capacity_unit).distinct()).all()
    for category, typed in pairs:
        unit = _mapped(category_units.get(category, []), spellings, typed)
        same = sa.and_(capability.c.category_slug == category, capability.c.capacity_unit == typed)
        if unit is None:
            bind.execute(capability.update().where(same).values(capacity_unit=None, capacity_unit_as_typed=typed))
        elif unit != typed:
            bind.execute(capability.update().where(same).values(capacity_unit=unit))
    waiting = bind.execute(
        sa.select(capability.c.id, capability.c.category_slug, capability.c.proposed).where(
            capability.c.proposed.is_not(None)
        )
    ).all()
    for capability_id, category, proposed in waiting:
        proposed = json.loads(proposed) if isinstance(proposed, str) else proposed
        if not isinstance(proposed, dict) or "capacity_unit" not in proposed:
            continue
        category = proposed.get("category_slug") or category
        proposed["capacity_unit"] = _mapped(category_units.get(category, []), spellings, proposed["capacity_unit"])
        bind.execute(capability.update().where(capability.c.id == capability_id).values(proposed=proposed))

    need = sa.table("sourcing_need", sa.column("category_slug", sa.String), sa.column("quantity_unit", sa.String))
    for category, units in category_units.items():
        if units:
            bind.execute(need.update().where(need.c.category_slug == category).values(quantity_unit=units[0]))


def downgrade():
    op.drop_table("trade_import")
    op.drop_table("phase_target")
    bind = op.get_bind()
    capability = sa.table(
        "capability", sa.column("capacity_unit", sa.String), sa.column("capacity_unit_as_typed", sa.String)
    )
    bind.execute(
        capability.update()
        .where(capability.c.capacity_unit.is_(None))
        .values(capacity_unit=sa.func.coalesce(capability.c.capacity_unit_as_typed, "units"))
    )
    with op.batch_alter_table("metric_snapshot", schema=None) as batch_op:
        batch_op.drop_column("jobs")
        batch_op.add_column(sa.Column("open_demand", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("monthly_capacity", sa.BigInteger(), nullable=False, server_default="0"))
    op.drop_table("metric_snapshot_unit")
    with op.batch_alter_table("sourcing_need", schema=None) as batch_op:
        batch_op.drop_column("quantity_unit")
    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.drop_index("ix_capability_supply")
        batch_op.create_index(
            "ix_capability_supply", ["firm_id", "review_status", "category_slug", "monthly_capacity"], unique=False
        )
        batch_op.drop_column("employees")
        batch_op.drop_column("board_area_mm2")
        batch_op.drop_column("capacity_unit_as_typed")
        batch_op.alter_column("capacity_unit", existing_type=sa.String(length=30), nullable=False)
