"""Staff's note with each decision on a capability or certificate (the reason for a rejection, how a
certificate without a document was checked), and the reason for a firm's incentive or licence status,
so the firm reads them on its own pages and in its notices.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 18:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("capability", "certificate"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("review_note", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("firm_standing", schema=None) as batch_op:
        for measure in ("incentive", "licence"):
            batch_op.add_column(sa.Column(f"{measure}_reason", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("firm_standing", schema=None) as batch_op:
        for measure in ("incentive", "licence"):
            batch_op.drop_column(f"{measure}_reason")
    for table in ("capability", "certificate"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("review_note")
