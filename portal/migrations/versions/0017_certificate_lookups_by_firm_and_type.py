"""Certificates indexed by firm, type, status and expiry: matching asks for each candidate whether it
holds a certificate valid on the day, and the dashboard's index (type first) made SQLite scan every
valid certificate of the type for each one. The new index also serves every lookup by firm, so the
firm-only index goes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 00:39:59.703305

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(
            "ix_certificate_firm_valid", ["firm_id", "type_slug", "review_status", "expiry_date"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_certificate_firm_id"))


def downgrade():
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_firm_id"), ["firm_id"], unique=False)
        batch_op.drop_index("ix_certificate_firm_valid")
