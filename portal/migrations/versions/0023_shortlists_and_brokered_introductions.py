"""Brands' shortlists of firms with a note on each; introductions to listings nobody runs, brokered by EDB staff.

Revision ID: 0023
Revises: 0026
Create Date: 2026-12-03 08:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shortlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_shortlist_owner_id"), "shortlist", ["owner_id"], unique=False)
    op.create_table(
        "shortlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortlist_id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shortlist_id"], ["shortlist.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("shortlist_id", "firm_id", name="uq_shortlist_entry_firm"),
    )
    op.create_index(op.f("ix_shortlist_entry_firm_id"), "shortlist_entry", ["firm_id"], unique=False)
    op.create_index(op.f("ix_shortlist_entry_shortlist_id"), "shortlist_entry", ["shortlist_id"], unique=False)
    # Plain ADD COLUMNs, not a batch copy: recreating `introduction` on SQLite would cascade-delete
    # its messages and stage history. Existing requests were not brokered.
    op.add_column("introduction", sa.Column("brokered", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("introduction", sa.Column("broker_outcome", sa.String(length=30), nullable=True))
    op.add_column("introduction", sa.Column("broker_note", sa.Text(), nullable=False, server_default=""))
    op.add_column("introduction", sa.Column("broker_answered_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for column in ("broker_answered_at", "broker_note", "broker_outcome", "brokered"):
        op.drop_column("introduction", column)
    op.drop_index(op.f("ix_shortlist_entry_shortlist_id"), table_name="shortlist_entry")
    op.drop_index(op.f("ix_shortlist_entry_firm_id"), table_name="shortlist_entry")
    op.drop_table("shortlist_entry")
    op.drop_index(op.f("ix_shortlist_owner_id"), table_name="shortlist")
    op.drop_table("shortlist")
