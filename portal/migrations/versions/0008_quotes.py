"""Sourcing needs, part two: invitations, sealed quotes, attachments, and when a need closed or was awarded.

Revision ID: 0008
Revises: 0010
Create Date: 2026-11-25 21:15:03.761863

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "need_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["firm_id"], ["firm.id"], name=op.f("fk_need_invitation_firm_id_firm"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_need_invitation_invited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["sourcing_need.id"], name=op.f("fk_need_invitation_need_id_sourcing_need"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_invitation")),
        sa.UniqueConstraint("need_id", "firm_id", name=op.f("uq_need_invitation_need_id")),
    )
    with op.batch_alter_table("need_invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_need_invitation_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "quote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("min_order_quantity", sa.Integer(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "sent",
                "revised",
                "withdrawn",
                "awarded",
                "not_selected",
                name="quotestatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_quote_firm_id_firm"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["need_id"], ["sourcing_need.id"], name=op.f("fk_quote_need_id_sourcing_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["user_account.id"], name=op.f("fk_quote_sent_by_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote")),
        sa.UniqueConstraint("need_id", "firm_id", name=op.f("uq_quote_need_id")),
    )
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quote_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "need_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mimetype", sa.String(length=60), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["sourcing_need.id"], name=op.f("fk_need_attachment_need_id_sourcing_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quote.id"], name=op.f("fk_need_attachment_quote_id_quote"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_need_attachment_uploaded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_attachment")),
    )
    with op.batch_alter_table("need_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_need_attachment_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_need_attachment_quote_id"), ["quote_id"], unique=False)

    with op.batch_alter_table("sourcing_need", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("awarded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("sourcing_need", schema=None) as batch_op:
        batch_op.drop_column("awarded_at")
        batch_op.drop_column("closed_at")

    with op.batch_alter_table("need_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_attachment_quote_id"))
        batch_op.drop_index(batch_op.f("ix_need_attachment_need_id"))

    op.drop_table("need_attachment")
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_firm_id"))

    op.drop_table("quote")
    with op.batch_alter_table("need_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_invitation_firm_id"))

    op.drop_table("need_invitation")
