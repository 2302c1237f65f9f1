"""Refusals are raised with their English message marked and read in the reader's language: the
sign-in prompt, an account rule, a refused import file, a refused upload."""

import html

import pytest
from flask_babel import force_locale

from portal.i18n import N_, Refusal
from portal.staff.imports import FileRefused, decode
from tests.conftest import PASSWORD


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True)).replace("\u2068", "").replace("\u2069", "")


def test_a_refusal_reads_in_the_language_of_whoever_reads_it(app):
    refusal = Refusal(N_("The file is larger than %(size)s MB."), size=5)
    with app.test_request_context():
        with force_locale("en"):
            assert str(refusal) == "The file is larger than 5 MB."
        with force_locale("ur"):
            assert str(refusal).replace("\u2068", "").replace("\u2069", "") == "فائل 5 MB سے بڑی ہے۔"


def test_the_sign_in_prompt_is_flashed_in_urdu(client):
    response = client.get("/account/", headers={"Accept-Language": "ur"}, follow_redirects=True)
    assert "وہ صفحہ دیکھنے کے لیے براہِ کرم سائن اِن کریں۔" in text_of(response)


def test_an_account_rule_is_shown_next_to_its_field_in_urdu(client, login, users, db):
    users["brand"].language = "ur"
    db.session.commit()
    login("brand")
    new = "a much longer new passphrase 42"
    response = client.post(
        "/account/password", data={"current_password": "not " + PASSWORD, "password": new, "confirm": new}
    )
    assert "موجودہ پاس ورڈ درست نہیں۔" in text_of(response)


def test_a_workbook_given_as_csv_is_refused_with_urdu_words_and_the_save_as_hint(app):
    with pytest.raises(FileRefused) as refused:
        decode(b"PK\x03\x04 a workbook")
    refusal = refused.value
    with app.test_request_context(), force_locale("ur"):
        words = str(refusal).replace("\u2068", "").replace("\u2069", "")
    assert words.startswith("یہ اسپریڈشیٹ ورک بک ہے، CSV فائل نہیں۔ اپنی اسپریڈشیٹ میں Save as")
    assert str(refusal).startswith("This is a spreadsheet workbook, not a CSV file. In your spreadsheet")
