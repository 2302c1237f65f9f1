"""Partial indexes for the review queue: only the rows that wait, so counting them reads no whole table.

Revision ID: 0014
Revises: 0011
Create Date: 2026-11-25 22:12:50.577984

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.create_index(
            "ix_capability_pending",
            ["firm_id"],
            unique=False,
            sqlite_where=sa.text("review_status = 'pending'"),
            postgresql_where=sa.text("review_status = 'pending'"),
        )
        batch_op.create_index(
            "ix_capability_proposed",
            ["firm_id"],
            unique=False,
            sqlite_where=sa.text("proposed IS NOT NULL"),
            postgresql_where=sa.text("proposed IS NOT NULL"),
        )

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(
            "ix_certificate_pending",
            ["firm_id"],
            unique=False,
            sqlite_where=sa.text("review_status = 'pending'"),
            postgresql_where=sa.text("review_status = 'pending'"),
        )

    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.create_index(
            "ix_firm_proposed",
            ["id"],
            unique=False,
            sqlite_where=sa.text("proposed IS NOT NULL"),
            postgresql_where=sa.text("proposed IS NOT NULL"),
        )


def downgrade():
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_firm_proposed",
            sqlite_where=sa.text("proposed IS NOT NULL"),
            postgresql_where=sa.text("proposed IS NOT NULL"),
        )

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_certificate_pending",
            sqlite_where=sa.text("review_status = 'pending'"),
            postgresql_where=sa.text("review_status = 'pending'"),
        )

    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_capability_proposed",
            sqlite_where=sa.text("proposed IS NOT NULL"),
            postgresql_where=sa.text("proposed IS NOT NULL"),
        )
        batch_op.drop_index(
            "ix_capability_pending",
            sqlite_where=sa.text("review_status = 'pending'"),
            postgresql_where=sa.text("review_status = 'pending'"),
        )
