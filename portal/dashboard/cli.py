"""`flask snapshot-metrics`: store this month's localization figures (run monthly from cron)."""

from datetime import date, datetime

import click

from portal.dashboard import snapshots, trade
from portal.jobs import runs_once
from portal.timeutil import today


def _month(value: str | None) -> date:
    if value is None:
        return snapshots.current_month()
    try:
        month = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a month; write it as YYYY-MM, e.g. 2026-11.") from None
    if month > snapshots.current_month():
        raise click.BadParameter(f"{value} has not begun yet; snapshots record figures as they are today.")
    return month


@click.command("snapshot-metrics")
@click.option(
    "--month", "month_text", metavar="YYYY-MM", help="File today's figures under this month (default: this month)."
)
@runs_once("snapshot-metrics")
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
            f"[{next(done)}/{len(scopes)}] {province or 'whole country'}: {len(rows)} categories; "
            f"{suppliers} verified supplier(s) summed over them; {unserved} open need(s) without a qualified supplier"
        )

    result = snapshots.take_snapshot(month, progress=report)
    click.echo(
        f"Snapshot for {result.month:%Y-%m}: {result.created} row(s) added, {result.updated} updated "
        f"({len(scopes)} scopes: the whole country and each province)."
    )


@click.command("load-imports")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--source", required=True, help="Where the figures come from, e.g. 'PBS trade tables 2025'.")
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
    click.echo(f"Loaded {added + replaced} line(s) from {source}: {added} added, {replaced} replaced.")
