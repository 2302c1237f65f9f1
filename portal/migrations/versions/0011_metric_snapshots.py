"""Localization dashboard: monthly metric snapshots per category and province, and covering indexes
for the dashboard's aggregates over firms, capabilities and certificates.

The categories' localization phase needs no change here: `component_category.phase` exists since
0001, which set each category's phase from the taxonomy CSV (chargers, cables, housings, packaging
and other simple parts 1; boards, assemblies, connectors and antennas 2; displays, cameras,
batteries and other electronics 3).

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-25 21:28:49.798865

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "metric_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("category_slug", sa.String(length=60), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("verified_suppliers", sa.Integer(), nullable=False),
        sa.Column("monthly_capacity", sa.BigInteger(), nullable=False),
        sa.Column("open_demand", sa.BigInteger(), nullable=False),
        sa.Column("open_needs", sa.Integer(), nullable=False),
        sa.Column("unserved_needs", sa.Integer(), nullable=False),
        sa.Column("certified_suppliers", sa.Integer(), nullable=True),
        sa.Column("awarded_needs", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_slug"],
            ["component_category.slug"],
            name=op.f("fk_metric_snapshot_category_slug_component_category"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_snapshot")),
        sa.UniqueConstraint("month", "category_slug", "province", name=op.f("uq_metric_snapshot_month")),
    )
    with op.batch_alter_table("metric_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_snapshot_category_slug"), ["category_slug"], unique=False)

    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.create_index(
            "ix_capability_supply", ["firm_id", "review_status", "category_slug", "monthly_capacity"], unique=False
        )

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(
            "ix_certificate_holding", ["type_slug", "review_status", "expiry_date", "firm_id"], unique=False
        )

    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.create_index("ix_firm_public_province", ["status", "suspended", "province"], unique=False)


def downgrade():
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.drop_index("ix_firm_public_province")

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index("ix_certificate_holding")

    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.drop_index("ix_capability_supply")

    with op.batch_alter_table("metric_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_snapshot_category_slug"))

    op.drop_table("metric_snapshot")
