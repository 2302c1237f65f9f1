"""Each account keeps the language its person chose, for pages and for what is sent to them.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (nullable, no default): no batch copy of `user_account`, whose rows many
    # tables reference with cascading foreign keys.
    op.add_column("user_account", sa.Column("language", sa.String(length=10), nullable=True))


def downgrade():
    op.drop_column("user_account", "language")
