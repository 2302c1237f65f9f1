"""`flask rates load FILE --source TEXT`: exchange rates from a CSV, each named with its source."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from portal.formatting import format_number
from portal.i18n import language_option, translated
from portal.money import rates


@click.group("rates", help="Exchange rates staff keep for comparing money in several currencies.")
def rates_cli():
    pass


@rates_cli.command("load")
# Opened when read, so a call refused for a missing option leaves no file open.
@click.argument("file", type=click.File("r", encoding="utf-8-sig", lazy=True))
@click.option("--source", required=True, help="Who published the rates, e.g. 'State Bank of Pakistan'.")
@with_appcontext
@language_option
def load(file, source):
    """Load rates from a CSV with columns date, currency, pkr_per_unit (rupees for one unit).

    A rate already kept for that currency and day is replaced; each bad line is named by number
    and the others are kept. Exits 1 when any line was refused.
    """
    try:
        result = rates.load_rates(file.read(), source)
    except rates.RatesRefused as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    for line_number, reason in result.refused:
        click.echo(_("line %(line)s: %(reason)s", line=line_number, reason=translated(reason)), err=True)
    click.echo(
        _(
            "Loaded %(loaded)s rate(s) from %(source)s; %(refused)s line(s) refused.",
            loaded=format_number(result.loaded),
            source=source,
            refused=format_number(len(result.refused)),
        )
    )
    if result.refused:
        raise SystemExit(1)
