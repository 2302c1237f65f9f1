"""API errors speak the caller's language (Accept-Language, else the token owner's choice) while
their machine-readable codes stay the same in every language."""

import re

import pytest

from portal.extensions import db
from tests.api.conftest import error_of

URDU_LETTERS = re.compile(r"[\u0600-\u06ff]")


def message_of(response) -> str:
    return response.get_json()["error"]["message"]


def reads_urdu(text: str) -> bool:
    """Mostly Urdu letters: Latin ones are left only for terms such as API or CSV."""
    letters = [c for c in text if c.isalpha()]
    return sum(bool(URDU_LETTERS.match(c)) for c in letters) > len(letters) / 2


@pytest.mark.parametrize(
    ("method", "path", "who", "code"),
    [
        ("GET", "/api/v1/suppliers/99999", "anonymous", "not_found"),
        ("GET", "/api/v1/needs/99999", "brand", "not_found"),
        ("GET", "/api/v1/no-such-thing", "anonymous", "not_found"),
        ("DELETE", "/api/v1/needs", "brand", "method_not_allowed"),
        ("POST", "/api/v1/needs", "anonymous", "unauthorized"),
        ("POST", "/api/v1/needs", "supplier", "forbidden"),
        ("GET", "/api/v1/suppliers?per_page=5000", "anonymous", "invalid"),
    ],
    ids=["missing-firm", "missing-need", "unknown-address", "wrong-method", "no-token", "wrong-role", "bad-query"],
)
def test_errors_answer_in_the_accept_language_with_the_same_code(client, cast, method, path, who, code):
    answers = {}
    for language in ("en", "ur"):
        headers = {"Accept-Language": language}
        if who != "anonymous":
            headers["Authorization"] = f"Bearer {cast.token(who)}"
        answers[language] = client.open(path, method=method, headers=headers)
    english, urdu = answers["en"], answers["ur"]
    assert error_of(english) == error_of(urdu) == (english.status_code, code)
    assert not reads_urdu(message_of(english))
    assert reads_urdu(message_of(urdu)), message_of(urdu)


def test_a_token_owner_who_chose_urdu_reads_errors_in_urdu_unless_the_call_asks_otherwise(client, cast):
    cast.brand.language = "ur"
    db.session.commit()
    bearer = {"Authorization": f"Bearer {cast.token('brand')}"}

    stored = client.get("/api/v1/needs/99999", headers=bearer)
    asked = client.get("/api/v1/needs/99999", headers={**bearer, "Accept-Language": "en"})

    assert error_of(stored) == error_of(asked) == (404, "not_found")
    assert (
        message_of(stored)
        == "اس پتے پر کچھ نہیں ملا؛ ہو سکتا ہے پتا غلط لکھا گیا ہو، بدل گیا ہو، یا آپ کے دیکھنے کا نہ ہو۔"
    )
    assert message_of(asked) == ("Nothing is found at this address; it may be mistyped, moved, or not yours to see.")


def test_field_messages_of_a_refused_need_follow_the_language_too(client, cast):
    bearer = {"Authorization": f"Bearer {cast.token('brand')}", "Accept-Language": "ur"}

    response = client.post("/api/v1/needs", json={"title": "Chargers"}, headers=bearer)

    assert error_of(response) == (422, "invalid")
    fields = response.get_json()["error"]["fields"]
    assert {"category", "deadline"} <= set(fields)
    assert all(reads_urdu(text) for text in fields.values()), fields


def test_a_page_error_names_the_status_in_the_readers_language(client):
    page = client.delete("/", headers={"Accept-Language": "ur"})

    assert page.status_code == 405
    text = page.get_data(as_text=True)
    assert "یہ پتا اس طرح کی درخواست نہیں لیتا۔" in text
    assert "The method is not allowed" not in text


def test_a_refused_role_names_the_accounts_it_is_for_in_the_callers_language(client, cast):
    bearer = {"Authorization": f"Bearer {cast.token('supplier')}"}
    english = message_of(client.post("/api/v1/needs", headers={**bearer, "Accept-Language": "en"}))
    urdu = message_of(client.post("/api/v1/needs", headers={**bearer, "Accept-Language": "ur"}))
    assert "Global brand / sourcing manager" in english
    assert "brand" not in urdu.lower() and "عالمی برانڈ" in urdu
