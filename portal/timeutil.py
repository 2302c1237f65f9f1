"""One notion of "now" and "today" for the whole portal (UTC, timezone-aware)."""

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return utcnow().date()
