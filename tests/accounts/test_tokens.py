import re

from sqlalchemy import select

from portal.accounts.loaders import load_user_from_token
from portal.accounts.models import ApiToken


def _create(client, name="Crescent procurement bot") -> str:
    body = client.post("/account/tokens", data={"name": name}).get_data(as_text=True)
    return re.search(r'data-testid="new-token">.*?<code[^>]*>([^<]+)</code>', body, re.S).group(1)


def test_a_user_creates_a_token_shown_once_and_stored_hashed(client, login, db, users):
    login("brand")
    token = _create(client)
    row = db.session.scalar(select(ApiToken))
    assert (row.name, row.user_id, row.token_hash) == (
        "Crescent procurement bot",
        users["brand"].id,
        ApiToken.hash(token),
    )
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "Crescent procurement bot" in page
    assert token not in page, "the token is never shown again"
    assert row.prefix in page


def test_a_token_needs_a_name(client, login, db):
    login("brand")
    body = client.post("/account/tokens", data={"name": "  "}).get_data(as_text=True)
    assert "Name the token" in body
    assert db.session.scalar(select(ApiToken)) is None


def test_a_revoked_token_no_longer_signs_in(app, client, login, db):
    login("brand")
    token = _create(client)
    row = db.session.scalar(select(ApiToken))
    response = client.post(f"/account/tokens/{row.id}/revoke", follow_redirects=True)
    assert "Token revoked" in response.get_data(as_text=True)
    db.session.expire_all()
    with app.test_request_context("/api/v1/x", headers={"Authorization": f"Bearer {token}"}) as ctx:
        assert load_user_from_token(ctx.request) is None


def test_someone_elses_token_cannot_be_revoked(client, login, db, users):
    login("brand")
    _create(client)
    row = db.session.scalar(select(ApiToken))
    login("investor")
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert "Crescent procurement bot" not in client.get("/account/tokens").get_data(as_text=True)
    db.session.expire_all()
    assert row.revoked_at is None


def test_tokens_page_needs_sign_in(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]
