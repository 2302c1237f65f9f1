"""Merging duplicate firms: the merge record for undo, and the pointer from a duplicate to its kept record.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 21:04:10.795758

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "firm_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("kept_before", sa.JSON(), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("left_behind", sa.JSON(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["kept_id"], ["firm.id"], name=op.f("fk_firm_merge_kept_id_firm")),
        sa.ForeignKeyConstraint(
            ["merged_by_id"], ["user_account.id"], name=op.f("fk_firm_merge_merged_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["merged_id"], ["firm.id"], name=op.f("fk_firm_merge_merged_id_firm")),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["user_account.id"], name=op.f("fk_firm_merge_undone_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm_merge")),
    )
    with op.batch_alter_table("firm_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_merge_kept_id"), ["kept_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_firm_merge_merged_id"), ["merged_id"], unique=False)

    # A plain ADD COLUMN: a batch copy of `firm` would, with SQLite's foreign keys on, cascade-delete
    # every row that points at a firm. SQLite takes the reference only inline.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE firm ADD COLUMN merged_into_id INTEGER REFERENCES firm (id)")
    else:
        op.add_column("firm", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_firm_merged_into_id_firm"), "firm", "firm", ["merged_into_id"], ["id"])
    op.create_index(op.f("ix_firm_merged_into_id"), "firm", ["merged_into_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_firm_merged_into_id"), table_name="firm")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_firm_merged_into_id_firm"), "firm", type_="foreignkey")
    op.drop_column("firm", "merged_into_id")

    with op.batch_alter_table("firm_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_merge_merged_id"))
        batch_op.drop_index(batch_op.f("ix_firm_merge_kept_id"))

    op.drop_table("firm_merge")
