"""Claims on unowned firms: who claims, with which evidence, and the staff decision.

Revision ID: 0012
Revises: 0007
Create Date: 2026-11-25 21:01:03.255764

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "firm_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "method", sa.Enum("email", "document", name="claimmethod", native_enum=False, length=30), nullable=False
        ),
        sa.Column("position", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("email_token_hash", sa.String(length=64), nullable=True),
        sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document_path", sa.String(length=200), nullable=True),
        sa.Column("document_name", sa.String(length=200), nullable=True),
        sa.Column("document_mime", sa.String(length=100), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "awaiting_email",
                "pending",
                "approved",
                "rejected",
                "withdrawn",
                name="claimstatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["user_account.id"], name=op.f("fk_firm_claim_decided_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_firm_claim_firm_id_firm"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_firm_claim_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm_claim")),
        sa.UniqueConstraint("email_token_hash", name=op.f("uq_firm_claim_email_token_hash")),
    )
    with op.batch_alter_table("firm_claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_claim_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_firm_claim_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_firm_claim_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("firm_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_claim_user_id"))
        batch_op.drop_index(batch_op.f("ix_firm_claim_status"))
        batch_op.drop_index(batch_op.f("ix_firm_claim_firm_id"))

    op.drop_table("firm_claim")
