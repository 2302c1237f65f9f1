"""Prometheus figures: closed unless opened to the monitoring host, then requests, latency and lag."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from portal.mail import send_mail
from tests.factories import make_firm


@pytest.fixture
def monitoring(app, monkeypatch):
    """Open /metrics to the test client's address, as to a monitoring host."""
    monkeypatch.setitem(app.config, "METRICS_ALLOW", "10.0.5.7, 127.0.0.0/8")


def figures(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_closed_unless_configured_open(client):
    assert client.get("/metrics").status_code == 404


def test_a_monitoring_host_with_the_token_reads_them_and_a_wrong_token_does_not(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "scrape-secret")
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"}).status_code == 200
    assert client.get("/metrics", headers={"Authorization": "Bearer guess"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404


def test_requests_are_counted_and_timed_by_route(client, monitoring):
    before = figures(client)
    client.get("/about")
    client.get("/suppliers/999999")
    after = figures(client)

    about = {"route": "/about", "method": "GET", "status": "200"}
    assert (
        value(after, "portal_http_requests_total", **about) == value(before, "portal_http_requests_total", **about) + 1
    )
    missing = {"route": "/suppliers/<int:firm_id>", "method": "GET", "status": "404"}
    assert value(after, "portal_http_requests_total", **missing) >= 1
    timed = {"route": "/about", "method": "GET"}
    assert value(after, "portal_http_request_duration_seconds_count", **timed) > value(
        before, "portal_http_request_duration_seconds_count", **timed
    )


def test_searches_are_timed(client, monitoring):
    before = value(figures(client), "portal_search_duration_seconds_count")
    client.get("/suppliers/?q=batteries")
    assert value(figures(client), "portal_search_duration_seconds_count") == before + 1


def test_outbox_lag_and_email_queue_are_read_at_each_scrape(client, db, monitoring):
    make_firm("Lagging Firm Ltd")  # committed, not yet applied to this host's index
    send_mail("someone@example.com", "Hello", "Body")
    db.session.commit()

    samples = figures(client)

    assert value(samples, "portal_search_outbox_lag_rows") == 1
    assert value(samples, "portal_search_outbox_lag_seconds") >= 0
    assert value(samples, "portal_email_queue_length") == 1
    client.get("/suppliers/?q=lagging")  # the search applies the waiting change first
    assert value(figures(client), "portal_search_outbox_lag_rows") == 0


def test_matching_a_need_is_timed(client, login, users, monitoring):
    from tests.factories import make_need

    need = make_need(users["brand"])
    before = value(figures(client), "portal_matching_duration_seconds_count")
    login("brand")
    assert client.get(f"/needs/{need.id}").status_code == 200
    assert value(figures(client), "portal_matching_duration_seconds_count") == before + 1
