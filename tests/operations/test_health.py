"""Liveness and readiness, as a load balancer asks them."""

from portal import create_app


def test_liveness_answers_without_asking_the_database(app, client, statements):
    app.extensions.pop("search_started", None)  # even as the process's first request
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "alive"}
    assert statements == []


def test_ready_host_names_each_part_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "search_index": "ok", "file_storage": "ok"},
    }


def test_upload_folder_that_cannot_be_written_is_not_ready(app, client, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    app.config["UPLOAD_DIR"] = str(tmp_path / "a-file" / "uploads")
    try:
        response = client.get("/readyz")
    finally:
        app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert set(body["not_ready"]) == {"file_storage"}
    assert "upload folder cannot be written" in body["not_ready"]["file_storage"]


def test_index_that_cannot_be_opened_is_not_ready(app, client, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    app.config["PORTAL_INDEX_DIR"] = str(tmp_path / "a-file" / "index")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["not_ready"] == {"search_index": "the search index cannot be opened"}


def test_host_whose_database_is_down_is_alive_but_not_ready(tmp_path):
    unreachable = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/portal?connect_timeout=2",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "PORTAL_INDEX_DIR": str(tmp_path / "index"),
        }
    )
    client = unreachable.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["not_ready"] == {
        "database": "the database cannot be reached",
        "search_index": "waits for the database",
        "file_storage": "waits for the database",
    }
