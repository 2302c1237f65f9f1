"""Initial schema: accounts, firms, capabilities, certificates, taxonomy, outgoing e-mail.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 18:41:25.565248

"""

import sqlalchemy as sa
from alembic import op

from portal.taxonomy import category_rows, certification_rows, process_rows

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certification_type",
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_certification_type")),
    )
    op.create_table(
        "component_category",
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("group", sa.String(length=60), nullable=False),
        sa.Column("hs_code", sa.String(length=20), nullable=True),
        sa.Column("synonyms", sa.Text(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_component_category")),
    )
    op.create_table(
        "firm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("trade_name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("year_founded", sa.Integer(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("export_markets", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("ntn", sa.String(length=20), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "changes_requested",
                "verified",
                "rejected",
                name="listingstatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("suspension_reason", sa.Text(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm")),
    )
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_province"), ["province"], unique=False)
        batch_op.create_index(batch_op.f("ix_firm_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_firm_suspended"), ["suspended"], unique=False)

    op.create_table(
        "outgoing_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_email")),
    )
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outgoing_email_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_outgoing_email_recipient"), ["recipient"], unique=False)

    op.create_table(
        "process",
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("synonyms", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_process")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column(
            "role",
            sa.Enum("supplier", "brand", "investor", "staff", name="role", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("is_active_account", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_api_token_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "capability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("category_slug", sa.String(length=60), nullable=False),
        sa.Column("monthly_capacity", sa.Integer(), nullable=False),
        sa.Column("capacity_unit", sa.String(length=30), nullable=False),
        sa.Column("min_order_quantity", sa.Integer(), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.Column("equipment", sa.Text(), nullable=False),
        sa.Column("materials", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("is_main_line", sa.Boolean(), nullable=False),
        sa.Column(
            "review_status",
            sa.Enum("pending", "verified", "rejected", name="reviewstatus", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_slug"], ["component_category.slug"], name=op.f("fk_capability_category_slug_component_category")
        ),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_capability_firm_id_firm"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capability")),
        sa.UniqueConstraint("firm_id", "category_slug", name=op.f("uq_capability_firm_id")),
    )
    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_capability_category_slug"), ["category_slug"], unique=False)
        batch_op.create_index(batch_op.f("ix_capability_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("type_slug", sa.String(length=60), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("issuing_body", sa.String(length=160), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("evidence_path", sa.String(length=200), nullable=True),
        sa.Column("evidence_filename", sa.String(length=200), nullable=True),
        sa.Column("evidence_mimetype", sa.String(length=60), nullable=True),
        sa.Column(
            "review_status",
            sa.Enum("pending", "verified", "rejected", name="reviewstatus", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_certificate_firm_id_firm"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["type_slug"], ["certification_type.slug"], name=op.f("fk_certificate_type_slug_certification_type")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_expiry_date"), ["expiry_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificate_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificate_type_slug"), ["type_slug"], unique=False)

    op.create_table(
        "firm_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Enum("owner", "editor", name="memberrole", native_enum=False, length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_firm_member_firm_id_firm"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_firm_member_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm_member")),
        sa.UniqueConstraint("firm_id", "user_id", name=op.f("uq_firm_member_firm_id")),
    )
    with op.batch_alter_table("firm_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_member_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_firm_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "capability_process",
        sa.Column("capability_id", sa.Integer(), nullable=False),
        sa.Column("process_slug", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["capability_id"],
            ["capability.id"],
            name=op.f("fk_capability_process_capability_id_capability"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["process_slug"], ["process.slug"], name=op.f("fk_capability_process_process_slug_process")
        ),
        sa.PrimaryKeyConstraint("capability_id", "process_slug", name=op.f("pk_capability_process")),
    )

    # The taxonomy is reference data every other table points at: load it with the schema,
    # through tables spelled out here so later model changes cannot break this step.
    category = sa.table(
        "component_category",
        *(sa.column(c) for c in ("slug", "name", "group", "hs_code", "synonyms")),
        sa.column("phase", sa.Integer),
    )
    op.bulk_insert(
        category,
        [
            {
                "slug": r["slug"],
                "name": r["name"],
                "group": r["group"],
                "hs_code": r["hs_code"] or None,
                "synonyms": r["synonyms"],
                "phase": int(r.get("phase") or 3),
            }
            for r in category_rows()
        ],
    )
    process = sa.table("process", *(sa.column(c) for c in ("slug", "name", "synonyms")))
    op.bulk_insert(process, [{k: r[k] for k in ("slug", "name", "synonyms")} for r in process_rows()])
    certification = sa.table("certification_type", *(sa.column(c) for c in ("slug", "name", "kind", "notes")))
    op.bulk_insert(certification, [{k: r[k] for k in ("slug", "name", "kind", "notes")} for r in certification_rows()])


def downgrade():
    op.drop_table("capability_process")
    with op.batch_alter_table("firm_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_firm_member_firm_id"))

    op.drop_table("firm_member")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_type_slug"))
        batch_op.drop_index(batch_op.f("ix_certificate_firm_id"))
        batch_op.drop_index(batch_op.f("ix_certificate_expiry_date"))

    op.drop_table("certificate")
    with op.batch_alter_table("capability", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capability_firm_id"))
        batch_op.drop_index(batch_op.f("ix_capability_category_slug"))

    op.drop_table("capability")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
    op.drop_table("user_account")
    op.drop_table("process")
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outgoing_email_recipient"))
        batch_op.drop_index(batch_op.f("ix_outgoing_email_kind"))

    op.drop_table("outgoing_email")
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_suspended"))
        batch_op.drop_index(batch_op.f("ix_firm_status"))
        batch_op.drop_index(batch_op.f("ix_firm_province"))

    op.drop_table("firm")
    op.drop_table("component_category")
    op.drop_table("certification_type")
