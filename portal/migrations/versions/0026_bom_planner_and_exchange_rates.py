"""The BOM planner (plans, versions, lines, a brand's remembered mappings) and exchange rates.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 08:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

MAPPING_SOURCES = ("given", "remembered", "understood", "confirmed", "corrected", "none")


def upgrade():
    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("pkr_per_unit", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["loaded_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("currency", "rate_date"),
    )
    op.create_index(op.f("ix_exchange_rate_rate_date"), "exchange_rate", ["rate_date"], unique=False)
    op.create_table(
        "bom_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_bom_plan_owner_id"), "bom_plan", ["owner_id"], unique=False)
    op.create_table(
        "bom_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("value_share", sa.Float(), nullable=True),
        sa.Column("line_share", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["bom_plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "number"),
    )
    op.create_table(
        "bom_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("specification", sa.Text(), nullable=False),
        sa.Column("given_category", sa.String(length=120), nullable=False),
        sa.Column("quantity_per_device", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=6), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("devices_per_month", sa.Integer(), nullable=False),
        sa.Column("category_slug", sa.String(length=60), nullable=True),
        sa.Column(
            "mapping_source",
            sa.Enum(*MAPPING_SOURCES, name="mappingsource", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence", sa.String(length=300), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["category_slug"], ["component_category.slug"]),
        sa.ForeignKeyConstraint(["need_id"], ["sourcing_need.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["version_id"], ["bom_version.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_bom_line_version_id"), "bom_line", ["version_id"], unique=False)
    op.create_table(
        "bom_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("description_key", sa.String(length=300), nullable=False),
        sa.Column("category_slug", sa.String(length=60), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["category_slug"], ["component_category.slug"]),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "description_key"),
    )


def downgrade():
    op.drop_table("bom_mapping")
    op.drop_index(op.f("ix_bom_line_version_id"), table_name="bom_line")
    op.drop_table("bom_line")
    op.drop_table("bom_version")
    op.drop_index(op.f("ix_bom_plan_owner_id"), table_name="bom_plan")
    op.drop_table("bom_plan")
    op.drop_index(op.f("ix_exchange_rate_rate_date"), table_name="exchange_rate")
    op.drop_table("exchange_rate")
