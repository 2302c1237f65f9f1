"""Rules about firms that hold everywhere, written once as plain functions (no database), so the
models, the search index and the matching code all apply the same one."""

from datetime import date

from portal.timeutil import today


def certificate_can_count(verified: bool, expires_on: date | None) -> bool:
    """A certificate counts on some day: staff verified it and it states its expiry. The search
    index keeps only these, with their expiry, and asks `certificate_counts` on the search's day."""
    return verified and expires_on is not None


def certificate_counts(verified: bool, expires_on: date | None, day: date) -> bool:
    """A certificate counts once staff verified it and while its expiry date is after the day."""
    if expires_on is None:
        return False  # a certificate without a stated expiry never counts (`certificate_can_count`)
    return certificate_can_count(verified, expires_on) and expires_on > day


def days_until(expires_on: date | None, day: date | None = None) -> int | None:
    """Days from `day` (today by default) to a certificate's expiry; None when it states none."""
    if expires_on is None:
        return None
    return (expires_on - (day or today())).days
