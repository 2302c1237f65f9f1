"""Dates, numbers and money as the reader's language writes them (Babel, CLDR data).

English keeps the portal's ISO dates (2026-12-02); Urdu names the month (2 دسمبر 2026). Digits
are Latin by default, which EDB prefers for figures; `PORTAL_DIGITS=urdu` writes Urdu digits
(۰۱۲۳۴۵۶۷۸۹) on Urdu pages instead.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_currency, format_decimal
from flask import current_app, has_app_context
from flask_babel import get_locale

# Per language: (date pattern, date-and-time pattern); languages not named use CLDR's long form.
PATTERNS = {
    "en": ("yyyy-MM-dd", "yyyy-MM-dd HH:mm 'UTC'"),
    "ur": ("d MMMM y", "d MMMM y، HH:mm 'UTC'"),
}
URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _language() -> str:
    locale = get_locale() if has_app_context() else None
    return locale.language if locale is not None else "en"


def _digits(text: str, language: str) -> str:
    """Urdu digits when the setting asks for them on an Urdu page; Latin ones otherwise. On a
    right-to-left page the figure is isolated (FSI … PDI), so "1,234" or "2026-12-02" never
    reorders with the Urdu words around it."""
    if language != "ur":
        return text
    if has_app_context() and current_app.config.get("PORTAL_DIGITS") == "urdu":
        text = text.translate(URDU_DIGITS)
    return f"\u2068{text}\u2069"


def format_date(value) -> str:
    """A date (or the day of a date-time) in the reader's language; empty for no date."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return ""
    language = _language()
    pattern = PATTERNS.get(language, ("long", "long"))[0]
    return _digits(babel_date(value, pattern, locale=language), language)


def format_datetime(value) -> str:
    """A moment (stored in UTC) in the reader's language, to the minute, marked UTC."""
    if not isinstance(value, datetime):
        return format_date(value)
    language = _language()
    pattern = PATTERNS.get(language, ("long", "long"))[1]
    return _digits(babel_datetime(value, pattern, tzinfo=UTC, locale=language), language)


def format_number(value) -> str:
    """A count or amount with the reader's grouping (1,234,567); empty for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return ""
    language = _language()
    if isinstance(value, int):
        return _digits(_grouped(value, language), language)
    return _digits(format_decimal(value, locale=language), language)


@lru_cache(maxsize=4096)
def _grouped(value: int, language: str) -> str:
    """Babel takes a tenth of a millisecond per number, and a results page shows a hundred
    (counts beside every filter); the same counts come back page after page."""
    return format_decimal(value, locale=language)


def format_amount(value, currency: str = "") -> str:
    """A unit cost or a part's value with up to four decimals (small parts cost fractions of a
    cent), then its currency code: 0.0006 USD, 1,250.5 PKR; empty for no value."""
    if value is None:
        return ""
    language = _language()
    number = _digits(format_decimal(Decimal(value), format="#,##0.####", locale=language), language)
    return f"{number} {currency}".strip()


def format_money(amount, currency: str = "USD") -> str:
    """An amount with its currency as the reader's language writes it ($250,000.00, Rs 1,500)."""
    if amount is None:
        return ""
    language = _language()
    whole = Decimal(amount) == Decimal(amount).to_integral_value()
    text = format_currency(amount, currency, locale=language, format_type="standard", currency_digits=not whole)
    if whole:
        text = format_currency(amount, currency, locale=language, format="¤#,##0", currency_digits=False)
    return _digits(text, language)
