"""The taxonomy in Urdu: every category, process, certification and province has its Urdu name
and search words, shown on Urdu pages; English pages keep the English names."""

from flask_babel import force_locale

from portal.taxonomy import PROVINCES, category_rows, certification_rows, process_rows
from portal.taxonomy.names import country_name, local_name, name_from_english, search_words, urdu_names


def test_every_taxonomy_row_and_province_has_an_urdu_name():
    names = urdu_names()
    for kind, rows in (
        ("category", category_rows()),
        ("process", process_rows()),
        ("certification", certification_rows()),
    ):
        missing = [row["slug"] for row in rows if (kind, row["slug"]) not in names]
        assert not missing, f"{kind} rows without an Urdu name in names_ur.csv: {missing}"
    assert all(("province", province) in names for province in PROVINCES)


def test_urdu_script_and_roman_urdu_words_name_the_category():
    assert "بیٹری" in search_words("category", "battery") and "betri" in search_words("category", "battery")
    assert "چارجر" in search_words("category", "charger")
    assert "mobile ka dabba" in search_words("category", "packaging")


def test_names_follow_the_readers_language(app):
    with force_locale("ur"):
        assert local_name("category", "charger", "Chargers and power adapters") == "چارجر اور پاور اڈاپٹر"
        assert name_from_english("category", "Chargers and power adapters") == "چارجر اور پاور اڈاپٹر"
        assert local_name("certification", "iso-9001", "ISO 9001") == "ISO 9001"  # stays in Latin script
        assert country_name("Turkey") == "ترکیہ" and country_name("United Arab Emirates") == "متحدہ عرب امارات"
    with force_locale("en"):
        assert local_name("category", "charger", "Chargers and power adapters") == "Chargers and power adapters"
        assert country_name("Turkey") == "Turkey"


def test_urdu_pages_show_category_and_province_names_in_urdu(client, db):
    from tests.factories import make_firm

    firm = make_firm(
        "Karachi Chargers (Pvt) Ltd",
        city="Karachi",
        province="Sindh",
        capabilities=[{"category": "charger", "capacity": 1000}],
    )
    page = client.get(f"/suppliers/{firm.id}-{firm.slug}", headers={"Accept-Language": "ur"}).get_data(as_text=True)
    assert "چارجر اور پاور اڈاپٹر" in page and "سندھ" in page
    english = client.get(f"/suppliers/{firm.id}-{firm.slug}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Chargers and power adapters" in english and "Sindh" in english
