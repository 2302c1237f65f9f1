"""One act, one transaction: the rule every service follows when it writes."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy.orm.exc import StaleDataError

from portal import uploads
from portal.extensions import db


@contextmanager
def one_act(conflict: type[Exception] | None = None, stored_path: str | None = None) -> Iterator[None]:
    """Commit what the block did (its rows, audit entries, notices and mail) together, or nothing.

    A version column that moved under us (someone else committed first) raises `conflict`, which
    the page tells as "changed meanwhile"; any failure rolls back and drops a file stored for the act.
    An act that writes no versioned row names no `conflict`.
    """
    try:
        yield
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        uploads.discard(stored_path)
        if conflict is not None and isinstance(error, StaleDataError):
            raise conflict() from error
        raise


class Versioned(Protocol):
    """A row with a version column (`version_id_col`): it moves by one at each save."""

    version: int


def check_version(row: Versioned, seen_version: int | None, conflict: type[Exception]) -> None:
    """Refuse an act taken on a page older than `row`: someone else changed it since it was shown.

    `seen_version` is the version the page carried; None (a caller that names no version: the CLI,
    an import, an API call without one) skips this check, and `one_act` still catches a change
    committed between loading the row and saving it.
    """
    if seen_version is not None and row.version != seen_version:
        raise conflict()
