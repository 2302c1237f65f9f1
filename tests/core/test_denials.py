"""A service says no without the request: `denials.NotFound` and `denials.NotAllowed` reach people as
the 404 and 403 pages (JSON under /api/), however deep in a service they were raised."""

import pytest

from portal import denials


@pytest.mark.parametrize(
    ("denial", "status", "code"),
    [(denials.NotFound, 404, "not_found"), (denials.NotAllowed, 403, "forbidden")],
    ids=["not-found", "not-allowed"],
)
def test_a_denial_is_answered_with_its_status_on_pages_and_in_the_api(app, denial, status, code):
    with app.test_request_context("/introductions/1"):
        response = app.make_response(app.handle_user_exception(denial()))
        assert response.status_code == status and "<html" in response.get_data(as_text=True)
    with app.test_request_context("/api/v1/needs/1"):
        response = app.make_response(app.handle_user_exception(denial()))
        assert response.status_code == status and response.get_json()["error"]["code"] == code
