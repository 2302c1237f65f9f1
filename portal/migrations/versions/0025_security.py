"""Security: the audit chain keyed with AUDIT_KEY (existing entries re-keyed once); what each firm
name reads as, so a name confusable with another public firm's is found by index; and when each
account confirmed its address (accounts made before confirmation existed count as confirmed).

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-03 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

from portal.audit.keying import rekey
from portal.lookalikes import skeleton

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0022"
branch_labels = None
depends_on = None

firm = sa.table(
    "firm",
    sa.column("id", sa.Integer),
    sa.column("legal_name", sa.String),
    sa.column("trade_name", sa.String),
    sa.column("legal_name_skeleton", sa.String),
    sa.column("trade_name_skeleton", sa.String),
)


def upgrade():
    # Entries written so far carry plain SHA-256; checked under it, then re-keyed under AUDIT_KEY.
    # A trail that no longer verifies stops the upgrade, naming the entries (see SECURITY.md).
    rekey(op.get_bind(), current_app.config["AUDIT_KEY"].encode())

    for name in ("legal_name_skeleton", "trade_name_skeleton"):
        op.add_column("firm", sa.Column(name, sa.String(length=200), nullable=False, server_default=""))
    connection = op.get_bind()
    for row in connection.execute(sa.select(firm.c.id, firm.c.legal_name, firm.c.trade_name)).all():
        connection.execute(
            firm.update()
            .where(firm.c.id == row.id)
            .values(
                legal_name_skeleton=skeleton(row.legal_name or "")[:200],
                trade_name_skeleton=skeleton(row.trade_name or "")[:200],
            )
        )
    op.create_index(op.f("ix_firm_legal_name_skeleton"), "firm", ["legal_name_skeleton"], unique=False)
    op.create_index(op.f("ix_firm_trade_name_skeleton"), "firm", ["trade_name_skeleton"], unique=False)

    # A plain ADD COLUMN (nullable): no batch copy of `user_account`, which many tables reference.
    op.add_column("user_account", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE user_account SET email_verified_at = created_at")


def downgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("email_verified_at")
    op.drop_index(op.f("ix_firm_trade_name_skeleton"), table_name="firm")
    op.drop_index(op.f("ix_firm_legal_name_skeleton"), table_name="firm")
    with op.batch_alter_table("firm") as batch_op:
        batch_op.drop_column("trade_name_skeleton")
        batch_op.drop_column("legal_name_skeleton")
    rekey(op.get_bind(), None, current_app.config["AUDIT_KEY"].encode())
