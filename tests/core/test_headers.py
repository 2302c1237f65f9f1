from tests.factories import PDF_BYTES


def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_api_answers_carry_them_too(client):
    assert client.get("/api/v1/taxonomy").headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_in_production_over_https(app, client):
    app.config["PORTAL_ENV"] = "production"
    try:
        response = client.get("/", base_url="https://portal.example")
    finally:
        app.config["PORTAL_ENV"] = "testing"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_has_inline_script_or_style():
    import re
    from pathlib import Path

    for template in Path("templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {template}"
        assert " style=" not in text, f"inline style in {template}"
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {template}"


def test_uploaded_files_keep_their_stricter_policy(client, login, users, db, app):
    from portal.uploads import store
    from tests.factories import make_firm

    firm = make_firm(owner=users["supplier"])
    stored = store(PDF_BYTES, "iso.pdf")
    from portal.suppliers.models import Certificate

    db.session.add(
        Certificate(
            firm=firm,
            type_slug="iso-9001",
            evidence_path=stored.path,
            evidence_filename="iso.pdf",
            evidence_mimetype="application/pdf",
        )
    )
    db.session.commit()
    login("supplier")
    response = client.get(f"/firms/{firm.id}/certificates/{firm.certificates[0].id}/evidence")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
