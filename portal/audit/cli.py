"""`flask audit verify`: check the hash chain from the command line (and from cron)."""

import sys

import click
from sqlalchemy import func, select

from portal import audit
from portal.audit.models import AuditEntry
from portal.extensions import db


@click.group("audit")
def audit_cli():
    """The append-only audit trail."""


@audit_cli.command("verify")
def audit_verify():
    """Check every entry's hash and link; exit 1 and name each break, so tampering shows."""
    total = db.session.scalar(select(func.count(AuditEntry.id))) or 0
    with click.progressbar(length=total, label="Checking audit entries", show_pos=True, file=sys.stderr) as bar:
        problems = audit.verify_chain(progress=bar.update)
    if not problems:
        click.echo(f"Audit chain intact: {total} entries.")
        return
    for problem in problems:
        click.echo(problem)
    raise SystemExit(1)
