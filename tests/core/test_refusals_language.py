"""Refusals are raised with their English message marked and read in the reader's language: the
sign-in prompt, an account rule, a refused import file, a refused upload, a listing or an
opportunity not ready to submit (each problem in Urdu), a claim, a merge, an introduction, a
compliance case and a trade file."""

import html

import pytest
from flask_babel import force_locale

from portal.compliance import service as compliance
from portal.compliance.models import CaseKind, CaseStatus
from portal.i18n import N_, Refusal
from portal.introductions import service as introductions
from portal.investment.models import OpportunityStatus
from portal.needs.models import NeedStatus
from portal.staff.imports import FileRefused, decode
from portal.suppliers.models import ListingStatus
from tests.factories import PASSWORD, make_firm, make_need
from tests.introductions.builders import make_introduction
from tests.investment.builders import make_opportunity


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


@pytest.fixture
def urdu(db, users):
    """Every person of the users fixture reads the portal in Urdu."""
    for user in users.values():
        user.language = "ur"
    db.session.commit()


def test_an_opportunity_not_ready_names_each_problem_in_urdu(client, login, users, urdu):
    firm = make_firm("Waiting Displays", owner=users["supplier"], status=ListingStatus.SUBMITTED, suspended=True)
    opportunity = make_opportunity(firm, status=OpportunityStatus.DRAFT)
    login("supplier")
    body = text_of(client.post(f"/investment/{opportunity.id}/submit", follow_redirects=True))
    assert (
        "سرمایہ کاری کا موقع پیش کرنے سے پہلے فرم کی لسٹنگ کی EDB سے تصدیق ضروری ہے۔ "
        "فرم کی لسٹنگ معطل ہے؛ EDB کی بحالی تک مواقع رکے رہیں گے۔"
    ) in body
    assert "must be verified" not in body


def test_a_listing_not_ready_to_submit_says_what_is_missing_in_urdu(client, login, users, urdu):
    firm = make_firm(status=ListingStatus.DRAFT, owner=users["supplier"])
    login("supplier")
    body = text_of(client.post(f"/firms/{firm.id}/submit", follow_redirects=True))
    assert body.count("کم از کم ایک صلاحیت شامل کریں: آپ کیا بناتے ہیں اور ماہانہ کتنا۔") == 2  # notice and list
    assert "Add at least one capability" not in body


def test_a_claim_on_a_run_listing_is_refused_in_urdu(client, login, users, urdu):
    firm = make_firm(owner=users["staff"])
    login("supplier")
    body = text_of(client.get(f"/suppliers/{firm.id}/claim"))
    assert "یہ لسٹنگ پہلے ہی ایک اکاؤنٹ ہولڈر چلاتا ہے؛ ان سے کہیں کہ آپ کو بطور ساتھی دعوت دیں۔" in body


def test_a_merge_of_a_record_with_itself_is_refused_in_urdu(client, login, urdu):
    firm = make_firm()
    login("staff")
    body = text_of(client.get(f"/staff/firms/{firm.id}/merge/{firm.id}", follow_redirects=True))
    assert "دو مختلف ریکارڈ منتخب کریں۔" in body


def test_a_firm_answering_a_closed_case_is_told_in_urdu(client, login, users, urdu, db):
    firm = make_firm(owner=users["supplier"])
    case = compliance.open_case(firm, CaseKind.LICENCE_BREACH, "Imports beyond licence.", users["staff"])
    case.status = CaseStatus.CLOSED
    db.session.commit()
    login("supplier")
    response = client.post(f"/firms/{firm.id}/standing/cases/{case.id}/respond", data={"text": "We fixed it."})
    body = text_of(client.get(response.headers["Location"]))
    assert "یہ کیس بند ہے یا آپ کی فرم سے متعلق نہیں؛ اس پر جواب نہیں دیا جا سکتا۔" in body


def test_a_trade_file_names_each_bad_line_in_urdu(app, tmp_path):
    path = tmp_path / "imports.csv"
    path.write_text("hs_code,year,value_usd,quantity,unit\n85,2024,100,,\n8507.60,2024,100,5,\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["load-imports", str(path), "--source", "PBS", "--language", "ur"])
    words = result.output.replace("\u2068", "").replace("\u2069", "")
    assert result.exit_code == 1
    assert words.startswith("کچھ بھی لوڈ نہیں کیا گیا۔ لائن 2: hs_code '85' کوئی HS کوڈ نہیں، جیسے 8507.60")
    assert "لائن 3: مقدار اور اکائی ساتھ ساتھ ہیں: دونوں دیں یا کوئی بھی نہیں" in words


def test_writing_on_an_ended_introduction_is_refused_in_urdu(client, login, users, urdu):
    intro = make_introduction(users["brand"], make_firm(owner=users["supplier"]))
    introductions.withdraw(intro, users["brand"])
    login("brand")
    response = client.post(f"/introductions/{intro.id}/messages", data={"message-text": "Still there?"})
    body = text_of(client.get(response.headers["Location"]))
    assert "یہ تعارف ختم ہو گیا؛ اس کی گفتگو جوں کی توں محفوظ ہے۔" in body


def test_a_need_refused_a_move_names_its_statuses_in_urdu(client, login, users, urdu):
    need = make_need(users["brand"], status=NeedStatus.CLOSED)
    login("brand")
    body = text_of(client.post(f"/needs/{need.id}/publish", data={"version": need.version}, follow_redirects=True))
    assert "یہ ضرورت “بند” ہے؛ اسے “کھلا” نہیں کیا جا سکتا۔" in body
    assert "Closed" not in body and "“closed”" not in body
