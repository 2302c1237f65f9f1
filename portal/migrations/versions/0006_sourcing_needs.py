"""Sourcing needs: what brands want made, with required certifications and processes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 20:26:48.421372

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sourcing_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category_slug", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("features", sa.Text(), nullable=False),
        sa.Column("quantity_per_month", sa.Integer(), nullable=False),
        sa.Column("target_unit_price", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("delivery_province", sa.String(length=60), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column(
            "visibility",
            sa.Enum("open", "invited", name="needvisibility", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("draft", "open", "closed", "awarded", "cancelled", name="needstatus", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_slug"],
            ["component_category.slug"],
            name=op.f("fk_sourcing_need_category_slug_component_category"),
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"], name=op.f("fk_sourcing_need_owner_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sourcing_need")),
    )
    with op.batch_alter_table("sourcing_need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sourcing_need_category_slug"), ["category_slug"], unique=False)
        batch_op.create_index(batch_op.f("ix_sourcing_need_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sourcing_need_status"), ["status"], unique=False)

    op.create_table(
        "need_certification",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("certification_slug", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["certification_slug"],
            ["certification_type.slug"],
            name=op.f("fk_need_certification_certification_slug_certification_type"),
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["sourcing_need.id"],
            name=op.f("fk_need_certification_need_id_sourcing_need"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("need_id", "certification_slug", name=op.f("pk_need_certification")),
    )
    op.create_table(
        "need_process",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("process_slug", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["sourcing_need.id"], name=op.f("fk_need_process_need_id_sourcing_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["process_slug"], ["process.slug"], name=op.f("fk_need_process_process_slug_process")),
        sa.PrimaryKeyConstraint("need_id", "process_slug", name=op.f("pk_need_process")),
    )


def downgrade():
    op.drop_table("need_process")
    op.drop_table("need_certification")
    with op.batch_alter_table("sourcing_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sourcing_need_status"))
        batch_op.drop_index(batch_op.f("ix_sourcing_need_owner_id"))
        batch_op.drop_index(batch_op.f("ix_sourcing_need_category_slug"))

    op.drop_table("sourcing_need")
