"""Result cards: what a list of firms shows of each, read as rows."""

from portal.search.cards import cards_in_order, public_cards
from portal.search.documents import firm_texts
from portal.search.indexed_firms import load_firms
from portal.suppliers.models import ReviewStatus
from tests.factories import make_firm


def test_a_card_shows_verified_capabilities_and_valid_certificates_only(app):
    firm = make_firm(
        "Ravi Flex Circuits",
        trade_name="RaviFlex",
        city="Lahore",
        capabilities=[
            {"category": "pcb-flex", "capacity": 40000, "capacity_unit": "panels"},
            {"category": "pcba", "capacity": 9000, "review": ReviewStatus.PENDING},
        ],
        certificates=[
            {"type": "iso-9001"},
            {"type": "iso-14001", "days_valid": -1},
            {"type": "rohs", "review": ReviewStatus.PENDING},
        ],
    )
    card = public_cards([firm.id])[firm.id]
    assert (card.display_name, card.legal_name, card.city, card.slug) == (
        "RaviFlex",
        "Ravi Flex Circuits",
        "Lahore",
        firm.slug,
    )
    assert [(c.category, c.monthly_capacity, c.capacity_unit) for c in card.capabilities] == [
        ("Flexible printed circuits", 40000, "panels")
    ]
    assert card.certificates == ("ISO 9001",)


def test_card_texts_are_the_texts_the_index_holds(app):
    firm = make_firm(
        "Sialkot Moulders",
        trade_name="SM Plastics",
        description="Back covers in any colour.",
        capabilities=[
            {"category": "housing-plastic", "processes": ["injection-molding"], "equipment": "Haitian 250 t"},
            {"category": "packaging", "materials": "Kraft board"},
            {"category": "pcba", "review": ReviewStatus.REJECTED, "notes": "not shown"},
        ],
    )
    assert public_cards([firm.id])[firm.id].texts == firm_texts(load_firms([firm.id])[firm.id])


def test_cards_keep_the_order_asked_and_leave_out_firms_no_longer_public(app):
    first, hidden, last = make_firm("Alpha Parts"), make_firm("Hidden Parts", suspended=True), make_firm("Zeta Parts")
    cards = cards_in_order([last.id, hidden.id, first.id, 999_999])
    assert [card.legal_name for card in cards] == ["Zeta Parts", "Alpha Parts"]
    assert public_cards([]) == {} and public_cards([hidden.id]) == {}
