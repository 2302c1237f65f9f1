"""Converting amounts between currencies with the rates staff keep, and loading those rates.

Rupees are the base: an amount in USD is worth `amount × PKR per USD` rupees, and in CNY that many
rupees divided by PKR per CNY. The rate of a day is the one published for it or, since banks
publish on working days only, the latest one of the `STALE_DAYS` before it; older than that, the
rate is missing and the conversion says so.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import func, select

from portal.extensions import db
from portal.i18n import N_, Phrase, Refusal
from portal.money.models import ExchangeRate
from portal.needs.models import CURRENCIES
from portal.transactions import one_act

BASE = "PKR"
STALE_DAYS = 7
MAX_RATE_ROWS = 10_000


@dataclass(frozen=True)
class Rate:
    currency: str
    rate_date: date
    pkr_per_unit: Decimal
    source: str


@dataclass(frozen=True)
class Converted:
    """An amount and what it is worth in another currency, with the rates that said so."""

    amount: Decimal
    currency: str
    value: Decimal
    target: str
    rates: tuple[Rate, ...]  # the one or two rates used (none between equal currencies)


@dataclass(frozen=True)
class RateBook:
    """The rates in force on one day, one per currency."""

    day: date
    rates: dict[str, Rate]

    def rate(self, currency: str) -> Rate | None:
        if currency == BASE:
            return Rate(BASE, self.day, Decimal(1), "")
        return self.rates.get(currency)

    def convert(self, amount: Decimal, currency: str, target: str) -> Converted | None:
        """`amount` of `currency` in `target`; None when a rate it needs is missing."""
        if currency == target:
            return Converted(amount, currency, amount, target, ())
        source, wanted = self.rate(currency), self.rate(target)
        if source is None or wanted is None:
            return None
        value = amount * source.pkr_per_unit / wanted.pkr_per_unit
        used = tuple(r for r in (source, wanted) if r.currency != BASE)
        return Converted(amount, currency, value, target, used)

    def missing(self, currencies) -> list[str]:
        """The currencies among `currencies` without a rate on the day."""
        return sorted({c for c in currencies if self.rate(c) is None})


def rates_on(day: date) -> RateBook:
    """Each currency's rate of the day, or its latest of the week before."""
    newest = (
        select(ExchangeRate.currency, func.max(ExchangeRate.rate_date).label("day"))
        .where(ExchangeRate.rate_date <= day, ExchangeRate.rate_date > day - timedelta(days=STALE_DAYS))
        .group_by(ExchangeRate.currency)
        .subquery()
    )
    rows = db.session.scalars(
        select(ExchangeRate).join(
            newest, (ExchangeRate.currency == newest.c.currency) & (ExchangeRate.rate_date == newest.c.day)
        )
    )
    return RateBook(day, {r.currency: Rate(r.currency, r.rate_date, r.pkr_per_unit, r.source) for r in rows})


def rounded(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class RatesRefused(Refusal):
    """The rates file as a whole cannot be loaded: nothing is saved."""


@dataclass
class RateLoad:
    loaded: int
    refused: list[tuple[int, Phrase]]


def load_rates(text: str, source: str, by=None) -> RateLoad:
    """Store the rates of a CSV (`date,currency,pkr_per_unit`, header first), each with `source`.

    A rate already kept for the same currency and day is replaced; bad lines are reported by
    number and the good ones kept, all in one transaction."""
    source = " ".join((source or "").split())
    if not source:
        raise RatesRefused(N_("Name the source of the rates (e.g. State Bank of Pakistan)."))
    if len(source) > 200:
        raise RatesRefused(N_("The source is longer than 200 characters."))
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().casefold() for name in reader.fieldnames or []]
    if not {"date", "currency"} <= set(header) or not ({"pkr_per_unit", "rate"} & set(header)):
        raise RatesRefused(N_("The first row must name the columns date, currency and pkr_per_unit."))
    reader.fieldnames = header
    result, by_id = RateLoad(0, []), getattr(by, "id", None)
    with one_act(RatesRefused):
        for line_number, row in enumerate(reader, start=2):
            if line_number > MAX_RATE_ROWS + 1:
                result.refused.append((line_number, Phrase("at most %(rows)s rates at once", rows=MAX_RATE_ROWS)))
                break
            parsed = _rate_row(row)
            if isinstance(parsed, Phrase):
                result.refused.append((line_number, parsed))
                continue
            currency, day, value = parsed
            kept = db.session.scalar(
                select(ExchangeRate).where(ExchangeRate.currency == currency, ExchangeRate.rate_date == day)
            )
            if kept is None:
                kept = ExchangeRate(currency=currency, rate_date=day, pkr_per_unit=value, source=source)
                db.session.add(kept)
            kept.pkr_per_unit, kept.source, kept.loaded_by_id = value, source, by_id
            db.session.flush()
            result.loaded += 1
    return result


def _rate_row(row: dict):
    currency = (row.get("currency") or "").strip().upper()
    if currency not in CURRENCIES or currency == BASE:
        others = ", ".join(c for c in CURRENCIES if c != BASE)
        return Phrase("the currency must be one of %(currencies)s", currencies=others)
    try:
        day = date.fromisoformat((row.get("date") or "").strip())
    except ValueError:
        return Phrase("the date must be written YYYY-MM-DD")
    try:
        value = Decimal((row.get("pkr_per_unit") or row.get("rate") or "").replace(",", "").strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value <= 0 or value >= Decimal("1000000000"):
        return Phrase("the rate must be a number of rupees above 0")
    return currency, day, value


def recent_rates(limit: int = 200) -> list[ExchangeRate]:
    """The newest rates first, as the staff page lists them."""
    return list(
        db.session.scalars(
            select(ExchangeRate).order_by(ExchangeRate.rate_date.desc(), ExchangeRate.currency).limit(limit)
        )
    )
