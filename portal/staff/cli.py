"""`flask --app portal import-suppliers / export-suppliers`: the supplier CSV from the command line.

The command line acts with EDB staff rights (whoever can run it can reach the database anyway),
so `verified=yes` is honoured; audit entries name no person and say which file and line.
"""

import sys
from pathlib import Path

import click
from flask_babel import gettext as _

from portal.formatting import format_number
from portal.i18n import language_option, translated
from portal.staff import imports
from portal.staff.listing_csv import EXPORT_FORMATS


@click.command("import-suppliers")
@click.argument("path", metavar="FILE.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change, saving nothing.")
@language_option
def import_suppliers(path: Path, dry_run: bool):
    """Import supplier firms from FILE.csv, with staff rights.

    The file is in the supplier format (one row per firm) or, when its header has a `record`
    column, the listing format (one row per firm, capability and certificate; see the README).
    Each valid firm creates a firm or updates the one with the same name and city; a refused row
    is reported as "line N: reason" and never costs the other rows.

    Exit status: 1 when the file cannot be read at all (missing, not UTF-8 text, header without
    the required columns); 0 otherwise, even when some rows were refused: read the report.
    """
    try:
        parsed = imports.parse_rows(path.read_bytes())
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror or error}") from error
    except imports.FileRefused as error:
        raise click.ClickException(f"{path}: {error}") from error
    rows = sum(len(row.lines) for row in parsed.rows)
    count = format_number(rows)
    label = _("Checking %(rows)s row(s)", rows=count) if dry_run else _("Importing %(rows)s row(s)", rows=count)
    with click.progressbar(length=rows, label=label, file=sys.stderr) as bar:
        report = imports.import_firms(
            parsed, actor=None, as_staff=True, dry_run=dry_run, progress=bar.update, source=path.name
        )
    for line in report_lines(report):
        click.echo(line)
    if not dry_run:
        # As a page does after its commit: searches see the imported firms now, and
        # 'search-index check' agrees right after the import.
        from portal import search

        click.echo(_("Search index: %(count)s firm(s) re-indexed.", count=format_number(search.sync())))


def report_lines(report: imports.ImportReport) -> list[str]:
    """The import report in the command's language (`--language`)."""
    counts = {
        "created": format_number(len(report.created)),
        "updated": format_number(len(report.updated)),
        "unchanged": format_number(len(report.unchanged)),
        "refused": format_number(len(report.refused)),
    }
    # A listing file's firm is several rows: then the counts are firms, and the line says so.
    if report.rows != report.firms + len(report.refused):
        read = _(
            "%(rows)s row(s), %(firms)s firm(s)", rows=format_number(report.rows), firms=format_number(report.firms)
        )
    else:
        read = _("%(rows)s row(s)", rows=format_number(report.rows))
    if report.dry_run:
        lines = [_("Dry run: nothing was saved.")]
        lines.append(
            _(
                "%(read)s: %(created)s would be created, %(updated)s would be updated, %(unchanged)s unchanged, "
                "%(refused)s refused.",
                read=read,
                **counts,
            )
        )
    else:
        lines = [
            _(
                "%(read)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(refused)s refused.",
                read=read,
                **counts,
            )
        ]
    lines += [_("warning: %(warning)s", warning=translated(warning)) for warning in report.warnings]
    lines += [
        _("line %(line)s: %(reasons)s", line=problem.line, reasons="; ".join(map(translated, problem.reasons)))
        for problem in report.refused
    ]
    return lines


@click.command("export-suppliers")
@click.argument("path", metavar="FILE.csv", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="supplier",
    show_default=True,
    help="supplier: one row per firm (CONTRACT.md); listing: one row per firm, capability and certificate, "
    "losing nothing (README). import-suppliers reads both.",
)
@language_option
def export_suppliers(path: Path, format_name: str):
    """Write every supplier firm (all states, suspended too) to FILE.csv in an import format."""
    try:
        with (
            path.open("w", newline="", encoding="utf-8") as stream,
            click.progressbar(length=imports.firms_to_export(), label=_("Exporting firms"), file=sys.stderr) as bar,
        ):
            count = imports.export_firms(stream, progress=bar.update, rows=EXPORT_FORMATS[format_name])
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror or error}") from error
    click.echo(_("Exported %(count)s firm(s) to %(path)s.", count=format_number(count), path=path))
