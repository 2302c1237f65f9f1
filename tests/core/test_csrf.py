import pytest


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("path", ["/account/sign-in", "/account/sign-up", "/account/forgot-password"])
def test_forms_without_csrf_token_are_refused(client, csrf_on, path):
    response = client.post(path, data={"email": "brand@example.com", "password": "x" * 14})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_sign_in_form_carries_a_csrf_token(client, csrf_on):
    assert 'name="csrf_token"' in client.get("/account/sign-in").get_data(as_text=True)
