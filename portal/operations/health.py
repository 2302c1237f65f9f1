"""What a host needs before it takes traffic: the database, its search index and file storage.

Each check returns None when the part is ready, or a sentence saying what is wrong.
"""

import logging

from flask import current_app, request
from sqlalchemy import text

from portal.extensions import db

log = logging.getLogger(__name__)


def is_operations_request() -> bool:
    """Probes and scrapes: they must not wait for work done for users (the first search sync),
    and liveness must not touch the database at all."""
    return request.blueprint == "operations"


def database_problem() -> str | None:
    try:
        db.session.execute(text("SELECT 1"))
        return None
    except Exception as error:  # any driver error means "not ready", never a 500
        db.session.rollback()
        log.warning("readiness: database unreachable: %s", error)
        return "the database cannot be reached"
    finally:
        db.session.remove()


def index_problem() -> str | None:
    from portal.search.indexing import replica_problem

    try:
        return replica_problem()
    except Exception as error:
        db.session.rollback()
        log.warning("readiness: search index unusable: %s", error)
        return "the search index cannot be opened"


def storage_problem() -> str | None:
    from portal.storage import active_storage

    try:
        return active_storage().problem()
    except Exception as error:
        db.session.rollback()
        log.warning("readiness: file storage unusable: %s", error)
        return "the file storage cannot be used"


CHECKS = {"database": database_problem, "search_index": index_problem, "file_storage": storage_problem}


def readiness() -> dict[str, str]:
    """Each part that is not ready, with why; an empty dict means the host can take traffic.
    A host whose database is down is not asked about the rest, which need it."""
    problems = {}
    for name, check in CHECKS.items():
        if name != "database" and "database" in problems:
            problems[name] = "waits for the database"
            continue
        problem = check()
        if problem:
            problems[name] = problem
    if problems:
        current_app.logger.info("readiness: not ready: %s", problems)
    return problems
