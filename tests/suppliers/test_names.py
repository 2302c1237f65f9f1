"""A name shown publicly goes through review, and a name a reader could not tell from another
public firm's is refused: at the form, at submission and when staff approve a proposed name."""

import html

import pytest

from portal.lookalikes import skeleton
from portal.suppliers import lifecycle
from portal.suppliers.models import ListingStatus
from tests.factories import make_firm
from tests.suppliers.test_editing import PROFILE, _firm


@pytest.mark.parametrize(
    "name",
    [
        "Indus Boards",
        "INDUS  BOARDS",
        "indus-boards",
        "Indus Boards (Pvt) Ltd",
        "Indus Boards Private Limited",
        "Indus Boards Pvt. Ltd.",
        "Indus Boards SMC-Private",
        "Indus Boards Ltd",
        "Іndus Вoards",  # Cyrillic І and В
        "Ιndus Bοards",  # Greek Ι and ο
        "1ndus B0ards",
        "lndus Boards",
        "Ｉｎｄｕｓ Ｂｏａｒｄｓ",  # fullwidth
        "Índus Boards",
    ],
    ids=lambda name: name.encode("unicode_escape").decode(),
)
def test_names_a_reader_cannot_tell_apart_share_a_skeleton(name):
    assert skeleton(name) == skeleton("Indus Boards")


@pytest.mark.parametrize("name", ["Indus Board Works", "Indus Cables", "Ravi Boards", "Ltd"])
def test_different_names_keep_different_skeletons(name):
    assert skeleton(name) != skeleton("Indus Boards")


def test_a_greek_capital_passes_for_the_latin_capital_it_is_drawn_like():
    assert skeleton("ΜΕΗRAN Boards") == skeleton("Mehran Boards")  # Greek Μ, Ε, Η


def test_urdu_legal_forms_and_letter_variants_are_not_part_of_the_name():
    assert skeleton("انڈس بورڈز (پرائیویٹ) لمیٹڈ") == skeleton("انڈس بورڈز")
    assert skeleton("كراچی") == skeleton("کراچی")  # Arabic and Urdu kaf


def _post(client, firm, **changes):
    return client.post(f"/firms/{firm.id}/profile", data={**PROFILE, **changes})


def test_a_verified_firms_new_trade_name_waits_for_review(client, login, users, db):
    firm = _firm(users, trade_name="Ravi Circuits")
    login("supplier")
    response = _post(client, firm, trade_name="Ravi Electronics")
    assert response.status_code == 302
    db.session.expire_all()
    assert firm.trade_name == "Ravi Circuits", "the public keeps the reviewed name"
    assert firm.proposed["trade_name"] == "Ravi Electronics"
    assert "Ravi Electronics" not in client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)


@pytest.mark.parametrize("field", ["trade_name", "legal_name"])
@pytest.mark.parametrize("status", [ListingStatus.VERIFIED, ListingStatus.DRAFT], ids=["verified", "draft"])
def test_another_public_firms_name_is_refused_next_to_the_field(client, login, users, db, field, status):
    make_firm("Indus Boards (Pvt) Ltd", trade_name="Indus PCB")
    firm = _firm(users, status=status, trade_name="Ravi Circuits")
    login("supplier")
    response = _post(client, firm, **{field: "Іndus Вoards Private Limited"})  # Cyrillic look-alikes
    assert response.status_code == 200
    body = html.unescape(response.get_data(as_text=True))
    assert "reads the same as the listed firm Indus PCB" in body
    assert "if you run that firm, claim its listing instead" in body
    db.session.expire_all()
    assert firm.proposed is None
    assert (firm.legal_name, firm.trade_name) == ("Ravi Circuits (Pvt) Ltd", "Ravi Circuits")


def test_a_name_held_by_a_firm_that_is_not_public_is_free(client, login, users, db):
    make_firm("Indus Boards", status=ListingStatus.DRAFT)
    make_firm("Indus Cables", suspended=True)
    firm = _firm(users, status=ListingStatus.DRAFT)
    login("supplier")
    assert _post(client, firm, trade_name="Indus Boards").status_code == 302
    assert _post(client, firm, trade_name="Indus Cables").status_code == 302


def test_a_firm_may_respell_its_own_name(client, login, users, db):
    firm = _firm(users, trade_name="Ravi Circuits")
    login("supplier")
    assert _post(client, firm, legal_name="Ravi Circuits Private Limited").status_code == 302


def test_staff_cannot_approve_a_name_another_firm_took_meanwhile(client, login, users, db):
    firm = _firm(users, trade_name="Ravi Circuits")
    login("supplier")
    _post(client, firm, trade_name="Lahore Boards")
    make_firm("Lahore Boards (Pvt) Ltd")  # listed while the proposal waited
    login("staff")
    body = html.unescape(
        client.post(
            f"/staff/firms/{firm.id}/profile-changes", data={"decision": "approve"}, follow_redirects=True
        ).get_data(as_text=True)
    )
    assert "reads the same as the listed firm Lahore Boards (Pvt) Ltd" in body
    db.session.expire_all()
    assert firm.trade_name == "Ravi Circuits"


def test_a_draft_named_like_a_public_firm_cannot_be_submitted(app, users, db):
    make_firm("Indus Boards (Pvt) Ltd")
    draft = make_firm("INDUS BOARDS", status=ListingStatus.DRAFT, owner=users["supplier"])
    problems = lifecycle.submission_problems(draft)
    assert any("reads the same as the listed firm Indus Boards (Pvt) Ltd" in p for p in problems)
