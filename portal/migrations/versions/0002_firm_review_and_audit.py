"""Firm review reasons, photos, certificate reminders, invitations and the audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:47:58.572081

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("firm_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_audit_entry_actor_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("sequence", name=op.f("uq_audit_entry_sequence")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "firm_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.Enum("owner", "editor", name="memberrole", native_enum=False, length=30), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["firm_id"], ["firm.id"], name=op.f("fk_firm_invitation_firm_id_firm"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_firm_invitation_invited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_firm_invitation_token_hash")),
    )
    with op.batch_alter_table("firm_invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_invitation_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "firm_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mimetype", sa.String(length=60), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_firm_photo_firm_id_firm"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm_photo")),
    )
    with op.batch_alter_table("firm_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_photo_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "certificate_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_certificate_reminder_certificate_id_certificate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_reminder")),
        sa.UniqueConstraint(
            "certificate_id", "expiry_date", "days_before", name=op.f("uq_certificate_reminder_certificate_id")
        ),
    )
    with op.batch_alter_table("certificate_reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_reminder_certificate_id"), ["certificate_id"], unique=False)

    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed", sa.JSON(), nullable=True))

    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_reasons", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column("proposed", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("logo_path", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_firm_public", ["status", "suspended"], unique=False)


def downgrade():
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.drop_index("ix_firm_public")
        batch_op.drop_column("logo_path")
        batch_op.drop_column("submitted_at")
        batch_op.drop_column("proposed")
        batch_op.drop_column("review_reasons")

    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.drop_column("proposed")

    with op.batch_alter_table("certificate_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_reminder_certificate_id"))

    op.drop_table("certificate_reminder")
    with op.batch_alter_table("firm_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_photo_firm_id"))

    op.drop_table("firm_photo")
    with op.batch_alter_table("firm_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_invitation_firm_id"))

    op.drop_table("firm_invitation")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_firm_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_action"))

    op.drop_table("audit_entry")
    op.drop_table("audit_head")
