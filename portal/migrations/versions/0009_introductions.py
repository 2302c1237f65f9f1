"""Introductions between brands and firms, their message threads and stage history.

Revision ID: 0009
Revises: 0013
Create Date: 2026-11-25 21:10:42.206037

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "introduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_user_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "requested",
                "introduced",
                "in_talks",
                "samples",
                "order_placed",
                "closed",
                "declined",
                name="stage",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome", sa.Enum("order_won", "no_deal", name="outcome", native_enum=False, length=30), nullable=True
        ),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("open_key", sa.String(length=60), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user_account.id"],
            name=op.f("fk_introduction_answered_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["brand_user_id"], ["user_account.id"], name=op.f("fk_introduction_brand_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_introduction_firm_id_firm")),
        sa.ForeignKeyConstraint(
            ["need_id"], ["sourcing_need.id"], name=op.f("fk_introduction_need_id_sourcing_need"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction")),
        sa.UniqueConstraint("open_key", name=op.f("uq_introduction_open_key")),
    )
    with op.batch_alter_table("introduction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_introduction_brand_user_id"), ["brand_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_introduction_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_introduction_need_id"), ["need_id"], unique=False)
        batch_op.create_index("ix_introduction_stage_requested", ["stage", "requested_at"], unique=False)

    op.create_table(
        "introduction_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_introduction_message_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introduction.id"],
            name=op.f("fk_introduction_message_introduction_id_introduction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction_message")),
    )
    with op.batch_alter_table("introduction_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_introduction_message_introduction_id"), ["introduction_id"], unique=False)

    op.create_table(
        "introduction_stage_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "requested",
                "introduced",
                "in_talks",
                "samples",
                "order_placed",
                "closed",
                "declined",
                name="stage",
                native_enum=False,
                length=30,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_stage",
            sa.Enum(
                "requested",
                "introduced",
                "in_talks",
                "samples",
                "order_placed",
                "closed",
                "declined",
                name="stage",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome", sa.Enum("order_won", "no_deal", name="outcome", native_enum=False, length=30), nullable=True
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_introduction_stage_change_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introduction.id"],
            name=op.f("fk_introduction_stage_change_introduction_id_introduction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction_stage_change")),
    )
    with op.batch_alter_table("introduction_stage_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_introduction_stage_change_introduction_id"), ["introduction_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("introduction_stage_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_stage_change_introduction_id"))

    op.drop_table("introduction_stage_change")
    with op.batch_alter_table("introduction_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_message_introduction_id"))

    op.drop_table("introduction_message")
    with op.batch_alter_table("introduction", schema=None) as batch_op:
        batch_op.drop_index("ix_introduction_stage_requested")
        batch_op.drop_index(batch_op.f("ix_introduction_need_id"))
        batch_op.drop_index(batch_op.f("ix_introduction_firm_id"))
        batch_op.drop_index(batch_op.f("ix_introduction_brand_user_id"))

    op.drop_table("introduction")
