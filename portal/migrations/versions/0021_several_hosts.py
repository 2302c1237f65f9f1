"""Several hosts on one database: uploaded files in the database (a blob per distinct content,
by SHA-256, its chunks, and the file names the portal's rows point at), and how far each host's
search index has applied the outbox.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 18:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_blob")),
    )
    op.create_table(
        "stored_blob_chunk",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["stored_blob.sha256"], name=op.f("fk_stored_blob_chunk_sha256_stored_blob")
        ),
        sa.PrimaryKeyConstraint("sha256", "seq", name=op.f("pk_stored_blob_chunk")),
    )
    op.create_table(
        "stored_file",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["stored_blob.sha256"], name=op.f("fk_stored_file_sha256_stored_blob")),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_stored_file")),
    )
    with op.batch_alter_table("stored_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_file_sha256"), ["sha256"], unique=False)
    op.create_table(
        "search_replica",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("applied_upto", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_replica")),
    )


def downgrade():
    op.drop_table("search_replica")
    with op.batch_alter_table("stored_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_file_sha256"))
    op.drop_table("stored_file")
    op.drop_table("stored_blob_chunk")
    op.drop_table("stored_blob")
