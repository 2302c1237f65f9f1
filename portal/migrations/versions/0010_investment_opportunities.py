"""Investment opportunities with their data room, investors' profiles, and interests with their
private threads and deal-stage history.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 21:20:02.461191

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "investment_opportunity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "capacity_expansion",
                "new_component_line",
                "joint_venture",
                "technology_licence",
                "equipment_finance",
                name="purpose",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("amount_min", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("amount_max", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("instruments", sa.JSON(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum("idea", "pilot", "operating", "scaling", name="stage", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("use_of_funds", sa.Text(), nullable=False),
        sa.Column("show_amount", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "published",
                "changes_requested",
                "rejected",
                "closed",
                "withdrawn",
                name="opportunitystatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("review_reason", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_investment_opportunity_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["firm_id"], ["firm.id"], name=op.f("fk_investment_opportunity_firm_id_firm"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment_opportunity")),
    )
    with op.batch_alter_table("investment_opportunity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investment_opportunity_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_opportunity_status"), ["status"], unique=False)

    op.create_table(
        "investor_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("ticket_min", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("ticket_max", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("instruments", sa.JSON(), nullable=False),
        sa.Column("provinces", sa.JSON(), nullable=False),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_investor_profile_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investor_profile")),
        sa.UniqueConstraint("user_id", name=op.f("uq_investor_profile_user_id")),
    )
    op.create_table(
        "investment_interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("investor_id", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "interest",
                "nda",
                "due_diligence",
                "term_sheet",
                "closed",
                "declined",
                name="dealstage",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("committed_amount", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["investor_id"],
            ["user_account.id"],
            name=op.f("fk_investment_interest_investor_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["investment_opportunity.id"],
            name=op.f("fk_investment_interest_opportunity_id_investment_opportunity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment_interest")),
        sa.UniqueConstraint("opportunity_id", "investor_id", name=op.f("uq_investment_interest_opportunity_id")),
    )
    with op.batch_alter_table("investment_interest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investment_interest_investor_id"), ["investor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_interest_opportunity_id"), ["opportunity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_interest_stage"), ["stage"], unique=False)

    op.create_table(
        "opportunity_category",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("category_slug", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_slug"],
            ["component_category.slug"],
            name=op.f("fk_opportunity_category_category_slug_component_category"),
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["investment_opportunity.id"],
            name=op.f("fk_opportunity_category_opportunity_id_investment_opportunity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("opportunity_id", "category_slug", name=op.f("pk_opportunity_category")),
    )
    with op.batch_alter_table("opportunity_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opportunity_category_category_slug"), ["category_slug"], unique=False)

    op.create_table(
        "opportunity_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mimetype", sa.String(length=60), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["investment_opportunity.id"],
            name=op.f("fk_opportunity_document_opportunity_id_investment_opportunity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_document")),
    )
    with op.batch_alter_table("opportunity_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opportunity_document_opportunity_id"), ["opportunity_id"], unique=False)

    op.create_table(
        "interest_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interest_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_interest_message_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interest_id"],
            ["investment_interest.id"],
            name=op.f("fk_interest_message_interest_id_investment_interest"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest_message")),
    )
    with op.batch_alter_table("interest_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interest_message_interest_id"), ["interest_id"], unique=False)

    op.create_table(
        "interest_stage_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interest_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "interest",
                "nda",
                "due_diligence",
                "term_sheet",
                "closed",
                "declined",
                name="dealstage",
                native_enum=False,
                length=30,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_stage",
            sa.Enum(
                "interest",
                "nda",
                "due_diligence",
                "term_sheet",
                "closed",
                "declined",
                name="dealstage",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["user_account.id"],
            name=op.f("fk_interest_stage_change_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interest_id"],
            ["investment_interest.id"],
            name=op.f("fk_interest_stage_change_interest_id_investment_interest"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest_stage_change")),
    )
    with op.batch_alter_table("interest_stage_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interest_stage_change_interest_id"), ["interest_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interest_stage_change_to_stage"), ["to_stage"], unique=False)


def downgrade():
    with op.batch_alter_table("interest_stage_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interest_stage_change_to_stage"))
        batch_op.drop_index(batch_op.f("ix_interest_stage_change_interest_id"))

    op.drop_table("interest_stage_change")
    with op.batch_alter_table("interest_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interest_message_interest_id"))

    op.drop_table("interest_message")
    with op.batch_alter_table("opportunity_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_document_opportunity_id"))

    op.drop_table("opportunity_document")
    with op.batch_alter_table("opportunity_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_category_category_slug"))

    op.drop_table("opportunity_category")
    with op.batch_alter_table("investment_interest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_interest_stage"))
        batch_op.drop_index(batch_op.f("ix_investment_interest_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_investment_interest_investor_id"))

    op.drop_table("investment_interest")
    op.drop_table("investor_profile")
    with op.batch_alter_table("investment_opportunity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_opportunity_status"))
        batch_op.drop_index(batch_op.f("ix_investment_opportunity_firm_id"))

    op.drop_table("investment_opportunity")
