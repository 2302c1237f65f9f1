"""EDB staff confirm (or decline) an account's address when no e-mail reaches its person.

Revision ID: 0027
Revises: 0024
Create Date: 2026-12-03 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("email_confirmed_by_staff", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("email_declined_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("email_decline_reason", sa.Text(), nullable=False, server_default=""))
        batch.create_index(
            "ix_user_account_unconfirmed",
            ["created_at"],
            unique=False,
            sqlite_where=sa.text("email_verified_at IS NULL"),
            postgresql_where=sa.text("email_verified_at IS NULL"),
        )
        batch.create_index(
            "ix_user_account_confirmed_by_staff",
            ["email_verified_at"],
            unique=False,
            sqlite_where=sa.text("email_confirmed_by_staff = 1"),
            postgresql_where=sa.text("email_confirmed_by_staff = true"),
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_index("ix_user_account_confirmed_by_staff")
        batch.drop_index("ix_user_account_unconfirmed")
        batch.drop_column("email_decline_reason")
        batch.drop_column("email_declined_at")
        batch.drop_column("email_confirmed_by_staff")
