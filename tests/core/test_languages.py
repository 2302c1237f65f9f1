"""Choosing a language: the browser's on a first visit, a switch on every page, the account's
choice for pages and for everything sent to the person, whoever sends it."""

import re

from portal.accounts.models import User
from portal.extensions import db


def stored_language(user) -> str | None:
    return db.session.scalar(db.select(User.language).where(User.id == user.id))


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_first_visit_follows_accept_language(client):
    assert 'lang="ur" dir="rtl"' in html_tag(client.get("/", headers={"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.5"}))
    assert 'lang="en" dir="ltr"' in html_tag(client.get("/", headers={"Accept-Language": "de,en;q=0.5"}))
    assert 'lang="en" dir="ltr"' in html_tag(client.get("/"))


def test_every_page_offers_the_other_language_as_a_form_button(client):
    page = client.get("/about").get_data(as_text=True)
    switch = re.search(r'<form[^>]*data-testid="language-switch".*?</form>', page, re.S).group(0)
    assert 'action="/language"' in switch and 'name="csrf_token"' in switch
    assert 'name="language" value="ur"' in switch and 'name="next" value="/about"' in switch
    assert 'value="en"' not in switch  # the language in use is not offered


def test_switching_without_an_account_lasts_for_the_browser_session(client):
    response = client.post("/language", data={"language": "ur", "next": "/about?x=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/about?x=1"
    assert 'lang="ur"' in html_tag(client.get("/", headers={"Accept-Language": "en"}))
    client.post("/language", data={"language": "en", "next": "/"})
    assert 'lang="en"' in html_tag(client.get("/", headers={"Accept-Language": "ur"}))


def test_switch_refuses_unknown_languages_and_other_sites(client):
    assert client.post("/language", data={"language": "xx"}).status_code == 400
    assert client.post("/language", data={}).status_code == 400
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/language", data={"language": "ur", "next": target})
        assert response.headers["Location"] == "/"


def test_signed_in_choice_is_stored_on_the_account_and_beats_the_browser(client, login, users):
    login("brand")
    client.post("/language", data={"language": "ur", "next": "/"})
    assert stored_language(users["brand"]) == "ur"
    with client.session_transaction() as session:
        session.pop("language")
    assert 'lang="ur"' in html_tag(client.get("/account/", headers={"Accept-Language": "en"}))


def test_a_choice_made_before_signing_in_goes_to_the_account(client, users):
    client.post("/language", data={"language": "ur", "next": "/"})
    client.post("/account/sign-in", data={"email": users["investor"].email, "password": "correct horse battery staple"})
    assert stored_language(users["investor"]) == "ur"


def test_sign_up_keeps_the_language_the_person_signed_up_in(client):
    client.post(
        "/account/sign-up",
        data={
            "email": "new@brand.example",
            "password": "a long enough password",
            "confirm": "a long enough password",
            "full_name": "Sana Malik",
            "organisation": "Brand Co",
            "role": "brand",
        },
        headers={"Accept-Language": "ur"},
    )
    assert db.session.scalar(db.select(User.language).where(User.email == "new@brand.example")) == "ur"


def test_templates_speak_the_language_of_their_rendering(app):
    """A page finds its catalogue once; a message written inside it in another language (an
    e-mail in the recipient's) and macros imported without the page's variables still speak theirs."""
    from flask import render_template_string
    from flask_babel import force_locale

    macro = app.jinja_env.from_string("{% macro about() %}{{ _('About') }}{% endmacro %}")
    page = "{{ _('Suppliers') }}|{{ ngettext('%(num)d day', '%(num)d days', 3) }}|{{ _('confidence %(n)s%%', n=80) }}"
    with app.test_request_context("/", headers={"Accept-Language": "ur"}):
        assert render_template_string(page) == "سپلائرز|⁨3⁩ دن|اعتماد ⁨80⁩%"
        assert str(macro.module.about()) == "تعارف"
        with force_locale("en"):
            assert render_template_string(page) == "Suppliers|3 days|confidence 80%"
            assert str(macro.module.about()) == "About"
        assert render_template_string("{{ _('<b>%(name)s</b>', name='<i>') }}") == "<b>&lt;i&gt;</b>"
