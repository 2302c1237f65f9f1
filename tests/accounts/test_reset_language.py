"""A password reset link is written in the account's language, not the page's."""

from portal.extensions import db


def test_a_reset_asked_from_an_english_page_reaches_an_urdu_reader_in_urdu(client, users, outbox):
    users["investor"].language = "ur"
    db.session.commit()
    client.post("/account/forgot-password", data={"email": users["investor"].email}, headers={"Accept-Language": "en"})
    [mail] = outbox("password_reset")
    assert mail.subject == "اپنا EDB سپلائر پورٹل پاس ورڈ ری سیٹ کریں"
    assert mail.body.startswith("السلام علیکم \u2068Test Investor\u2069،")
