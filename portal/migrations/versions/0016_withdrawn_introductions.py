"""A brand may withdraw an introduction request the firm has not answered: the reason it gives.

The new stage "withdrawn" needs no schema change: stages are stored by `enum_type` as a plain
VARCHAR(30) without a CHECK constraint or a native ENUM type, on SQLite and PostgreSQL alike.
Downgrading turns withdrawn requests into declined ones, the nearest stage the older code knows.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 00:06:50.530267

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, not a batch copy: with SQLite's foreign keys on, recreating `introduction`
    # would cascade-delete its messages and stage history. Existing rows get an empty reason.
    op.add_column("introduction", sa.Column("withdraw_reason", sa.Text(), nullable=False, server_default=""))


def downgrade():
    op.execute("UPDATE introduction SET stage = 'declined', decline_reason = withdraw_reason WHERE stage = 'withdrawn'")
    for column in ("from_stage", "to_stage"):
        op.execute(f"UPDATE introduction_stage_change SET {column} = 'declined' WHERE {column} = 'withdrawn'")
    op.drop_column("introduction", "withdraw_reason")
