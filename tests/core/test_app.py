import secrets

import pytest

from portal import InsecureConfiguration, create_app
from portal.keys import MIN_KEY_BITS, estimated_bits


def test_unknown_page_shows_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "We could not find that page" in body
    assert "Go to the home page" in body


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_on_api_answers_json_405_with_allow(client):
    response = client.post("/api/v1/taxonomy")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_unexpected_error_shows_friendly_500_and_logs(app, caplog):
    broken = create_app(
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "PROPAGATE_EXCEPTIONS": False}
    )

    @broken.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = broken.test_client().get("/__boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)
    assert "unhandled error" in caplog.text


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app()


def _production_keys(monkeypatch, secret_key: str, audit_key: str | None) -> None:
    import config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secret_key)
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", secret_key)
    if audit_key is None:
        monkeypatch.delenv("AUDIT_KEY", raising=False)
        monkeypatch.setattr(config.ProductionConfig, "AUDIT_KEY", config.DEV_AUDIT_KEY)
    else:
        monkeypatch.setenv("AUDIT_KEY", audit_key)
        monkeypatch.setattr(config.ProductionConfig, "AUDIT_KEY", audit_key)


def test_production_starts_with_a_secret_key(monkeypatch, tmp_path):
    _production_keys(monkeypatch, secrets.token_hex(32), secrets.token_hex(32))
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_an_audit_key(monkeypatch):
    _production_keys(monkeypatch, secrets.token_hex(32), None)
    with pytest.raises(InsecureConfiguration, match="AUDIT_KEY is not set"):
        create_app()


def test_production_refuses_a_weak_audit_key(monkeypatch):
    _production_keys(monkeypatch, secrets.token_hex(32), "audit")
    with pytest.raises(InsecureConfiguration, match="AUDIT_KEY holds at most about"):
        create_app()


def test_production_refuses_an_audit_key_equal_to_the_secret_key(monkeypatch):
    key = secrets.token_hex(32)
    _production_keys(monkeypatch, key, key)
    with pytest.raises(InsecureConfiguration, match="AUDIT_KEY must differ from SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("key", ["x", "a" * 64, "secret" * 12, "64973c94102c508a7f46eb519c88c486", "change-me"])
def test_production_refuses_a_secret_key_under_32_random_bytes_saying_how_to_make_one(monkeypatch, key):
    import config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY holds at most about") as refused:
        create_app()
    assert "secrets.token_hex(32)" in str(refused.value)


def test_a_random_key_of_32_bytes_counts_as_enough_in_any_usual_spelling():
    assert all(estimated_bits(secrets.token_hex(32)) >= MIN_KEY_BITS for _ in range(200))
    assert all(estimated_bits(secrets.token_urlsafe(32)) >= MIN_KEY_BITS for _ in range(200))
    assert estimated_bits(secrets.token_hex(31)) < MIN_KEY_BITS


def test_home_page_lists_every_category_by_phase(client):
    body = client.get("/").get_data(as_text=True)
    assert "Phase 1: chargers, cables, housings and packaging" in body
    assert "Display modules" in body
    assert "HS 8534.00" in body


def test_taxonomy_api_lists_categories_processes_certifications(client):
    data = client.get("/api/v1/taxonomy").get_json()
    slugs = {c["slug"] for c in data["categories"]}
    assert {"pcb-bare", "display-module", "charger", "packaging"} <= slugs
    assert any(p["slug"] == "smt" for p in data["processes"])
    assert any(c["slug"] == "iso-9001" for c in data["certifications"])


def test_static_assets_are_served_locally(client):
    body = client.get("/").get_data(as_text=True)
    assert "/static/vendor/bootstrap-5.3.8/bootstrap.min.css" in body
    assert "cdn" not in body.lower()
    assert client.get("/static/vendor/bootstrap-5.3.8/bootstrap.min.css").status_code == 200


def test_navigation_changes_with_role(client, login):
    assert "Review queue" not in client.get("/").get_data(as_text=True)
    login("staff")
    assert "Review queue" in client.get("/").get_data(as_text=True)


def test_right_to_left_language_switches_layout_direction(client):
    body = client.get("/", headers={"Accept-Language": "ur"}).get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in body
    assert "bootstrap.rtl.min.css" in body


def test_english_pages_are_left_to_right(client):
    body = client.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in body


def test_home_page_counts_match_the_directory(client, app):
    from tests.factories import make_firm

    make_firm("Shown Boards Ltd", capabilities=[{"category": "pcba"}])
    make_firm("Hidden Boards Ltd", suspended=True, capabilities=[{"category": "pcba"}])
    body = client.get("/").get_data(as_text=True)
    assert 'data-testid="verified-firm-count">1<' in body
    directory = client.get("/suppliers/?category=pcba").get_data(as_text=True)
    assert "1 verified firm" in directory


def test_a_nul_character_in_a_form_or_query_is_a_bad_request_not_a_crash(client, login):
    login("brand")
    response = client.post("/needs/new", data={"title": "Cells\x00", "category": "battery"})
    assert response.status_code == 400 and "NUL character" in response.get_data(as_text=True)
    assert client.get("/suppliers/?q=pcb%00").status_code == 400


@pytest.mark.parametrize("path", ["/needs/99999999999999999999", "/suppliers/2147483648", "/investment/99999999999"])
def test_an_id_beyond_what_the_database_holds_is_not_found(client, login, path):
    login("staff")
    assert client.get(path).status_code == 404


def test_the_production_entry_serves_the_app_with_start_up_frozen_out_of_collection(tmp_path):
    """`gunicorn portal.wsgi:app` (in its own process: freezing is for the life of a process)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = "import gc, portal.wsgi as w; print(type(w.app).__name__, gc.get_freeze_count())"
    env = dict(
        os.environ,
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        AUDIT_KEY=secrets.token_hex(32),
        PORTAL_INSTANCE_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    name, frozen = done.stdout.split()
    assert name == "Flask" and int(frozen) > 50_000
