"""The dashboard's covering index of live firms includes the merge pointer, part of being public.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25 23:12:32.622760

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_public_province"))
        batch_op.create_index(
            "ix_firm_live_province", ["status", "suspended", "merged_into_id", "province"], unique=False
        )


def downgrade():
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.drop_index("ix_firm_live_province")
        batch_op.create_index(batch_op.f("ix_firm_public_province"), ["status", "suspended", "province"], unique=False)
