"""What the other side is told arrives in the recipient's language, whatever the sender reads."""

from portal.extensions import db
from tests.introductions.builders import make_introduction


def test_an_urdu_reader_hears_of_a_request_made_from_an_english_page_in_urdu(
    client, login, users, firm, colleague, outbox
):
    colleague.language = "ur"
    db.session.commit()
    login("brand")
    response = client.post(
        f"/introductions/ask/{firm.id}",
        data={"message": "We assemble phones in Lahore."},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 302
    mails = {mail.recipient: mail for mail in outbox("intro_request")}
    assert mails["supplier@example.com"].subject == "Brand Org asks to be introduced to Lahore Boards (Pvt) Ltd"
    urdu = mails[colleague.email].subject
    assert urdu == "\u2068Brand Org\u2069، \u2068Lahore Boards (Pvt) Ltd\u2069 سے تعارف چاہتا ہے"


def test_the_answer_reaches_the_brand_in_its_language_though_the_firm_reads_english(client, login, users, firm, outbox):
    users["brand"].language = "ur"
    db.session.commit()
    intro = make_introduction(users["brand"], firm)
    login("supplier")
    client.post(f"/introductions/{intro.id}/accept", data={"accept-version": intro.version})
    [mail] = outbox("intro_answer")
    assert "آپ کی تعارف کی درخواست قبول کر لی" in mail.subject
    assert "تعارف کے صفحے پر" in mail.body
