"""`flask storage migrate`: move uploaded files between the upload folder and the database.

Each file is copied, checked and only then deleted from where it was, so a move killed midway
is resumed by running the command again: files already across are not copied twice. The portal
keeps serving meanwhile, since a file is read from whichever store holds it.
"""

import hashlib
import sys
from dataclasses import dataclass, field

import click
from flask import current_app
from flask_babel import gettext as _

from portal.formatting import format_number
from portal.i18n import language_option, translated
from portal.jobs import runs_once
from portal.storage import KINDS, StorageRefused, storage


@dataclass
class MoveReport:
    moved: int = 0
    already_there: int = 0
    refused: list[str] = field(default_factory=list)


def _digest(store, name: str) -> str:
    digest = hashlib.sha256()
    for chunk in store.chunks(name):
        digest.update(chunk)
    return digest.hexdigest()


def move_file(source, destination, name: str, report: MoveReport) -> None:
    """Copy one file across unless the destination already holds the same content, then delete the source's."""
    if destination.size(name) == source.size(name) and _digest(destination, name) == _digest(source, name):
        report.already_there += 1
    else:
        try:
            destination.save_from(name, lambda: source.chunks(name))
        except StorageRefused as error:
            report.refused.append(f"{name}: {error}")
            return
        if _digest(destination, name) != _digest(source, name):
            raise click.ClickException(_("%(name)s changed while it was copied; run the command again", name=name))
        report.moved += 1
    source.delete(name)


@click.group("storage")
def storage_cli():
    """Where uploaded files are kept (UPLOAD_STORAGE: disk or database)."""


@storage_cli.command("migrate")
@click.option("--to", "target", type=click.Choice(KINDS), required=True, help="Where the files should end up.")
@runs_once("storage migrate")
@language_option
def migrate(target: str):
    """Move every uploaded file into the database (--to database) or back to disk (--to disk).

    Resumable: run it again after an interruption. Set UPLOAD_STORAGE to the same place on every
    host, before or after; files are served from either place meanwhile.
    """
    source = storage("disk" if target == "database" else "database")
    destination = storage(target)
    names = source.names()
    report = MoveReport()
    there, here = translated(destination.label), translated(source.label)
    label = _("Moving %(count)s file(s) to %(store)s", count=format_number(len(names)), store=there)
    with click.progressbar(names, label=label, show_pos=True, file=sys.stderr) as bar:
        for name in bar:
            move_file(source, destination, name, report)
    click.echo(
        _(
            "Moved %(moved)s file(s) from %(source)s to %(destination)s; %(there)s were already there.",
            moved=format_number(report.moved),
            source=here,
            destination=there,
            there=format_number(report.already_there),
        )
    )
    if current_app.config["UPLOAD_STORAGE"] != target:
        click.echo(
            _(
                "New uploads still go to %(store)s: set UPLOAD_STORAGE=%(target)s on every host.",
                store=here,
                target=target,
            )
        )
    if report.refused:
        click.echo(
            _("%(count)s file(s) stay in %(store)s:", count=format_number(len(report.refused)), store=here), err=True
        )
        for line in report.refused:
            click.echo(f"  {line}", err=True)
        raise SystemExit(1)
