"""`flask close-due-needs`: write down the close of needs whose deadline has passed (run daily
from cron). The rules already treat such needs as closed; this records it, unseals nothing
the rules had not, and tells each brand, once, how many quotes it can open."""

import sys

import click

from portal.jobs import runs_once
from portal.needs import service
from portal.timeutil import today


@click.command("close-due-needs")
@runs_once("close-due-needs")
def close_due_needs():
    """Close open needs whose quote deadline has passed and tell their brands (safe to run again)."""
    day = today()
    due = service.due_needs(day)
    closed = 0
    with click.progressbar(due, label="Closing needs past their deadline", show_pos=True, file=sys.stderr) as bar:
        for need_id in bar:
            closed += service.close_due_need(need_id, day)
    click.echo(f"Closed {closed} need(s) past their deadline ({len(due) - closed} closed meanwhile by their brand).")
