"""One act, one transaction: the rule every service follows when it writes."""

from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from portal import uploads
from portal.extensions import db


@contextmanager
def one_act(conflict: type[Exception], stored_path: str | None = None):
    """Commit what the block did (its rows, audit entries, notices and mail) together, or nothing.

    A version column that moved under us (someone else committed first) raises `conflict`, which
    the page tells as "changed meanwhile"; any failure rolls back and drops a file stored for the act.
    """
    try:
        yield
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        uploads.discard(stored_path)
        if isinstance(error, StaleDataError):
            raise conflict() from error
        raise
