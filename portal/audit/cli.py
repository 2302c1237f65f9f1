"""`flask audit verify`, `checkpoint` and `rekey`: the trail's checks from the command line (and cron)."""

import os
import sys

import click
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import audit
from portal.audit import checkpoints, keying
from portal.audit.models import AuditEntry, audit_key
from portal.extensions import db
from portal.formatting import format_number
from portal.i18n import language_option, translated
from portal.jobs import runs_once
from portal.transactions import one_act


@click.group("audit")
def audit_cli():
    """The append-only audit trail."""


@audit_cli.command("verify")
@click.option(
    "--checkpoints",
    "checkpoint_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Further checkpoint files (from other hosts or the sink); this host's folder is always read.",
)
@language_option
def audit_verify(checkpoint_files):
    """Check every entry's HMAC and link, and the trail against every signed checkpoint; exit 1
    and name each break (changed, missing, deleted from the end, all deleted), so tampering shows."""
    total = db.session.scalar(select(func.count(AuditEntry.id))) or 0
    with click.progressbar(length=total, label=_("Checking audit entries"), show_pos=True, file=sys.stderr) as bar:
        problems = audit.verify_chain(progress=bar.update, checkpoint_files=checkpoint_files)
    if not problems:
        known, _problems = checkpoints.read(checkpoint_files)
        click.echo(
            _(
                "Audit chain intact: %(entries)s entries, %(checkpoints)s checkpoints agree.",
                entries=format_number(total),
                checkpoints=format_number(len(known)),
            )
        )
        return
    for problem in problems:
        click.echo(translated(problem))
    raise SystemExit(1)


@audit_cli.command("checkpoint")
@runs_once("audit checkpoint")
@language_option
def audit_checkpoint():
    """Write a signed checkpoint of the trail's head to this host's file, the log and the sink
    (run from cron on every host; the job lock lets one start at a time write it)."""
    checkpoint = checkpoints.write_current()
    click.echo(
        _(
            "Checkpoint written: entry %(entry)s, %(count)s entries, host %(host)s.",
            entry=checkpoint.sequence,
            count=format_number(checkpoint.count),
            host=checkpoint.host,
        )
    )


@audit_cli.command("rekey")
@click.option(
    "--previous-key-env",
    metavar="NAME",
    help="The environment variable holding the key the trail carries now; without it, plain SHA-256.",
)
def audit_rekey(previous_key_env):
    """Re-key the chain under AUDIT_KEY after checking it under its current key; the checkpoints
    signed with the old key are set aside and a new one is written."""
    old_key = None
    if previous_key_env:
        value = os.environ.get(previous_key_env)
        if not value:
            raise click.UsageError(f"{previous_key_env} is not set.")
        old_key = value.encode()
    try:
        with one_act():
            count = keying.rekey(db.session.connection(), audit_key(), old_key)
    except keying.BrokenTrail as error:
        click.echo(str(error))
        raise SystemExit(1) from error
    checkpoints.start_afresh("before-rekey")
    click.echo(f"Re-keyed {count} audit entries under AUDIT_KEY; a new checkpoint is written.")
