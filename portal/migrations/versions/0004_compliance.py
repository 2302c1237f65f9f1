"""Compliance cases against firms, their notes and documents, and each firm's incentive and licence standing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 19:38:19.988032

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "compliance_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "false_certificate",
                "misreported_capacity",
                "incentive_breach",
                "licence_breach",
                name="casekind",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("status", sa.Enum("open", "closed", name="casestatus", native_enum=False, length=30), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "no_violation",
                "warning_issued",
                "incentive_withdrawn",
                "licence_suspended",
                "listing_suspended",
                "other",
                name="caseoutcome",
                native_enum=False,
                length=30,
            ),
            nullable=True,
        ),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["user_account.id"],
            name=op.f("fk_compliance_case_closed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_compliance_case_firm_id_firm")),
        sa.ForeignKeyConstraint(
            ["opened_by_id"],
            ["user_account.id"],
            name=op.f("fk_compliance_case_opened_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_case")),
    )
    with op.batch_alter_table("compliance_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compliance_case_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_compliance_case_kind"), ["kind"], unique=False)
        batch_op.create_index("ix_compliance_case_status_opened", ["status", "opened_at"], unique=False)

    op.create_table(
        "compliance_case_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mimetype", sa.String(length=60), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["compliance_case.id"],
            name=op.f("fk_compliance_case_document_case_id_compliance_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_compliance_case_document_uploaded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_case_document")),
    )
    with op.batch_alter_table("compliance_case_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compliance_case_document_case_id"), ["case_id"], unique=False)

    op.create_table(
        "compliance_case_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_compliance_case_note_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["compliance_case.id"],
            name=op.f("fk_compliance_case_note_case_id_compliance_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_case_note")),
    )
    with op.batch_alter_table("compliance_case_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compliance_case_note_case_id"), ["case_id"], unique=False)

    op.create_table(
        "firm_standing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column(
            "incentive_status",
            sa.Enum("active", "under_review", "withdrawn", name="incentivestatus", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("incentive_since", sa.Date(), nullable=True),
        sa.Column("incentive_until", sa.Date(), nullable=True),
        sa.Column("incentive_case_id", sa.Integer(), nullable=True),
        sa.Column(
            "licence_status",
            sa.Enum("active", "under_review", "suspended", name="licencestatus", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("licence_since", sa.Date(), nullable=True),
        sa.Column("licence_until", sa.Date(), nullable=True),
        sa.Column("licence_case_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_firm_standing_firm_id_firm")),
        sa.ForeignKeyConstraint(
            ["incentive_case_id"],
            ["compliance_case.id"],
            name=op.f("fk_firm_standing_incentive_case_id_compliance_case"),
        ),
        sa.ForeignKeyConstraint(
            ["licence_case_id"], ["compliance_case.id"], name=op.f("fk_firm_standing_licence_case_id_compliance_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm_standing")),
        sa.UniqueConstraint("firm_id", name=op.f("uq_firm_standing_firm_id")),
    )


def downgrade():
    op.drop_table("firm_standing")
    with op.batch_alter_table("compliance_case_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compliance_case_note_case_id"))

    op.drop_table("compliance_case_note")
    with op.batch_alter_table("compliance_case_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compliance_case_document_case_id"))

    op.drop_table("compliance_case_document")
    with op.batch_alter_table("compliance_case", schema=None) as batch_op:
        batch_op.drop_index("ix_compliance_case_status_opened")
        batch_op.drop_index(batch_op.f("ix_compliance_case_kind"))
        batch_op.drop_index(batch_op.f("ix_compliance_case_firm_id"))

    op.drop_table("compliance_case")
