"""The audit chain is keyed with AUDIT_KEY: existing entries are re-keyed once.

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-03 09:00:00.000000

"""

from alembic import op
from flask import current_app

from portal.audit.keying import rekey

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    # Entries written so far carry plain SHA-256; checked under it, then re-keyed under AUDIT_KEY.
    # A trail that no longer verifies stops the upgrade, naming the entries (see SECURITY.md).
    rekey(op.get_bind(), current_app.config["AUDIT_KEY"].encode())


def downgrade():
    rekey(op.get_bind(), None, current_app.config["AUDIT_KEY"].encode())
