"""`flask backup` and `flask restore`: progress bars on stderr, the outcome or the refusal in the
language asked for (`--language ur`)."""

import sys
from pathlib import Path

import click
from flask_babel import gettext as _

from portal.backup.layout import BackupError
from portal.backup.restoring import restore_backup
from portal.backup.writing import create_backup, default_target
from portal.formatting import format_number
from portal.i18n import language_option, translated


def _progressbar(label, length: int):
    return click.progressbar(length=length, label=translated(label), show_pos=True, file=sys.stderr)


def _say(message) -> None:
    click.echo(translated(message))


@click.command("backup")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@language_option
def backup_command(path: Path | None):
    """Write the database and the uploaded files to one .tar.gz at PATH.

    PATH defaults to instance/backups/portal-<UTC time>.tar.gz; a folder gets such a file inside
    it. Safe while the portal runs: the database copy is consistent.
    """
    target = default_target() if path is None else path
    if path is not None and path.is_dir():
        target = path / default_target().name
    manifest = _run(create_backup, target)
    size = format_number(round(target.stat().st_size / 1e6, 1))
    click.echo(
        _("Backed up %(contents)s to %(file)s (%(size)s MB).", contents=_contents(manifest), file=target, size=size)
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database and upload folder that already hold data.")
@language_option
def restore_command(path: Path, force: bool):
    """Restore a backup made with 'flask backup': database, uploaded files, then the search index.

    Refuses to overwrite a portal that holds data unless --force is given; exits 1 with the reason
    when the archive is damaged, incomplete or from another kind of database.
    """
    manifest = _run(restore_backup, path, force=force)
    click.echo(
        _(
            "Restored %(contents)s from the backup of %(date)s.",
            contents=_contents(manifest),
            date=manifest["created_at"],
        )
    )


def _run(step, path: Path, **options) -> dict:
    """Run a backup or restore with progress bars; a BackupError ends the command with exit status 1,
    its reason in the command's language."""
    try:
        return step(path, progress=_progressbar, say=_say, **options)
    except BackupError as error:
        raise click.ClickException(str(error)) from error


def _contents(manifest: dict) -> str:
    counts = manifest["database"]["counts"]
    files = len(manifest["uploads"]) + counts.get("stored_file", 0)
    return _(
        "%(rows)s rows in %(tables)s tables and %(files)s uploaded files",
        rows=format_number(sum(counts.values())),
        tables=format_number(len(counts)),
        files=format_number(files),
    )
