"""`flask rates load FILE --source TEXT`: exchange rates from a CSV, each named with its source."""

import click
from flask.cli import with_appcontext

from portal.money import rates


@click.group("rates", help="Exchange rates staff keep for comparing money in several currencies.")
def rates_cli():
    pass


@rates_cli.command("load")
# Opened when read, so a call refused for a missing option leaves no file open.
@click.argument("file", type=click.File("r", encoding="utf-8-sig", lazy=True))
@click.option("--source", required=True, help="Who published the rates, e.g. 'State Bank of Pakistan'.")
@with_appcontext
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
        click.echo(f"line {line_number}: {reason}", err=True)
    click.echo(f"Loaded {result.loaded} rate(s) from {source}; {len(result.refused)} line(s) refused.")
    if result.refused:
        raise SystemExit(1)
