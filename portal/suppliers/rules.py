"""Rules about firms that hold everywhere, written once as plain functions (no database), so the
models, the search index and the matching code all apply the same one."""

from datetime import date


def certificate_counts(verified: bool, expires_on: date | None, day: date) -> bool:
    """A certificate counts once staff verified it and while its expiry date is after the day."""
    return verified and expires_on is not None and expires_on > day
