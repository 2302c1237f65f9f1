"""`/healthz` (the process serves) and `/readyz` (the host can serve users)."""

from flask import Blueprint, Response, abort, jsonify

from portal.operations.health import readiness
from portal.operations.metrics import exposition, metrics_open

bp = Blueprint("operations", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness: answers while the process serves, without asking the database anything."""
    return jsonify(status="alive")


@bp.get("/readyz")
def readyz():
    """Readiness: 200 when database, search index and file storage are ready, else 503 naming each."""
    problems = readiness()
    if problems:
        return jsonify(status="not ready", not_ready=problems), 503
    return jsonify(status="ready", checks=dict.fromkeys(("database", "search_index", "file_storage"), "ok"))


@bp.get("/metrics")
def metrics():
    """Prometheus figures for the monitoring hosts (METRICS_ALLOW, METRICS_TOKEN); 404 for anyone else."""
    if not metrics_open():
        abort(404)
    body, content_type = exposition()
    return Response(body, content_type=content_type)
