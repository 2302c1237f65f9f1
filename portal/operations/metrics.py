"""Prometheus figures at `/metrics` (prometheus-client): requests by route, search and matching
latency, and, read at each scrape, this host's outbox lag and the e-mail queue.

Closed unless configured open: METRICS_ALLOW lists the addresses or networks of the monitoring
hosts, METRICS_TOKEN a bearer token; anyone else gets 404. Under gunicorn, set
PROMETHEUS_MULTIPROC_DIR to an empty folder per host so a scrape sums every worker.
"""

import functools
import hmac
import ipaddress
import os
import time

from flask import current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "portal_http_requests_total",
    "Requests answered, by route (URL rule), method and status.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds", "Time to answer a request, by route and method.", ["route", "method"]
)
SEARCH_SECONDS = Histogram("portal_search_duration_seconds", "Time to run one directory or API search.")
MATCHING_SECONDS = Histogram("portal_matching_duration_seconds", "Time to rank the firms matching one need.")


def timed(histogram: Histogram):
    """Observe how long each call of the function takes."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                histogram.observe(time.perf_counter() - started)

        return run

    return decorate


def metrics_open() -> bool:
    """Whether this request may read the figures (the monitoring host's address or token)."""
    config = current_app.config
    token = config.get("METRICS_TOKEN") or ""
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in allowed_networks(config.get("METRICS_ALLOW") or ""))


@functools.lru_cache(maxsize=8)
def allowed_networks(setting: str) -> tuple:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in setting.split(",") if item.strip())


class LiveFigures:
    """Figures read from the database at each scrape: this host's outbox lag, the e-mail queue."""

    def collect(self):
        from sqlalchemy import func, select

        from portal.extensions import db
        from portal.mail import OutgoingEmail
        from portal.search.replicas import lag

        rows, seconds = lag()
        yield GaugeMetricFamily(
            "portal_search_outbox_lag_rows", "Index changes in the outbox this host has not applied yet.", value=rows
        )
        yield GaugeMetricFamily(
            "portal_search_outbox_lag_seconds",
            "Age of the oldest index change this host has not applied yet (0 when none waits).",
            value=seconds,
        )
        queued = db.session.scalar(select(func.count(OutgoingEmail.id)).where(OutgoingEmail.sent_at.is_(None)))
        yield GaugeMetricFamily("portal_email_queue_length", "E-mails written but not sent.", value=queued)


def exposition() -> tuple[bytes, str]:
    """The text a scrape gets: this process's figures, or every worker's under gunicorn."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, REQUEST_SECONDS, SEARCH_SECONDS, MATCHING_SECONDS):
            registry.register(collector)
    registry.register(LiveFigures())
    return generate_latest(registry), CONTENT_TYPE_LATEST


def register(app) -> None:
    """Count and time every request by its route."""

    @app.before_request
    def _start_clock():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        started = g.pop("metrics_started", None)
        route = request.url_rule.rule if request.url_rule is not None else "(no route)"
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        if started is not None:
            REQUEST_SECONDS.labels(route, request.method).observe(time.perf_counter() - started)
        return response
