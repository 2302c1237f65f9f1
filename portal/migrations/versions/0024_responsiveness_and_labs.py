"""How fast each firm answers brands (kept apart from `firm`), the certifications and tests a
testing laboratory performs, and a firm's "no quote" answer to an invitation.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 08:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "firm_responsiveness",
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("median_days", sa.Float(), nullable=True),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("unanswered_mostly", sa.Boolean(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("firm_id"),
    )
    op.create_table(
        "capability_test",
        sa.Column("capability_id", sa.Integer(), nullable=False),
        sa.Column("certification_slug", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["capability_id"], ["capability.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["certification_slug"], ["certification_type.slug"]),
        sa.PrimaryKeyConstraint("capability_id", "certification_slug"),
    )
    op.create_index("ix_capability_test_certification_slug", "capability_test", ["certification_slug"])
    # A plain ADD COLUMN (nullable, no default): no batch copy of the table.
    op.add_column("need_invitation", sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("need_invitation", schema=None) as batch_op:
        batch_op.drop_column("declined_at")
    op.drop_index("ix_capability_test_certification_slug", table_name="capability_test")
    op.drop_table("capability_test")
    op.drop_table("firm_responsiveness")
