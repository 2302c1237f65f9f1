"""`flask snapshot-metrics`: store this month's localization figures (run monthly from cron)."""

from datetime import date, datetime

import click
from flask_babel import gettext as _

from portal.dashboard import snapshots, trade
from portal.formatting import format_number
from portal.i18n import language_option
from portal.jobs import runs_once
from portal.taxonomy.names import province_name
from portal.timeutil import today


def _month(value: str | None) -> date:
    if value is None:
        return snapshots.current_month()
    try:
        month = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter(
            _("'%(value)s' is not a month; write it as YYYY-MM, e.g. 2026-11.", value=value)
        ) from None
    if month > snapshots.current_month():
        raise click.BadParameter(
            _("%(month)s has not begun yet; snapshots record figures as they are today.", month=value)
        )
    return month


@click.command("snapshot-metrics")
@click.option(
    "--month", "month_text", metavar="YYYY-MM", help="File today's figures under this month (default: this month)."
)
@runs_once("snapshot-metrics")
@language_option
def snapshot_metrics(month_text):
    """Store each category's figures for the month, for the whole country and each province.

    Safe to run again: the month's rows are updated, never duplicated.
    """
    month = _month(month_text)
    scopes = snapshots.snapshot_scopes()
    done = iter(range(1, len(scopes) + 1))

    def report(province, rows):
        suppliers = sum(row.values["verified_suppliers"] for row in rows)
        unserved = sum(row.values["unserved_needs"] for row in rows)
        click.echo(
            _(
                "[%(done)s/%(scopes)s] %(scope)s: %(categories)s categories; %(suppliers)s verified supplier(s) "
                "summed over them; %(unserved)s open need(s) without a qualified supplier",
                done=next(done),
                scopes=len(scopes),
                scope=province_name(province) or _("whole country"),
                categories=format_number(len(rows)),
                suppliers=format_number(suppliers),
                unserved=format_number(unserved),
            )
        )

    result = snapshots.take_snapshot(month, progress=report)
    click.echo(
        _(
            "Snapshot for %(month)s: %(created)s row(s) added, %(updated)s updated "
            "(%(scopes)s scopes: the whole country and each province).",
            month=result.month.strftime("%Y-%m"),
            created=format_number(result.created),
            updated=format_number(result.updated),
            scopes=len(scopes),
        )
    )


@click.command("load-imports")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--source", required=True, help="Where the figures come from, e.g. 'PBS trade tables 2025'.")
@language_option
def load_trade_imports(file, source):
    """Load yearly imports per HS code (columns hs_code, year, value_usd, quantity, unit).

    A line for an HS code and year already loaded replaces it; a file with any bad line loads
    nothing and every bad line is named. The dashboard names the source and year beside the figures.
    """
    try:
        lines = trade.parse_trade_file(file.read(), today().year)
        added, replaced = trade.load_trade_imports(lines, source)
    except trade.TradeFileRefused as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    click.echo(
        _(
            "Loaded %(lines)s line(s) from %(source)s: %(added)s added, %(replaced)s replaced.",
            lines=format_number(added + replaced),
            source=source,
            added=format_number(added),
            replaced=format_number(replaced),
        )
    )
