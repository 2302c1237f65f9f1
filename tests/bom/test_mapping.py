"""Lines mapped to categories by the search understanding: the accuracy on the test BOM, the
confidence, and the brand's corrections remembered for its next BOM."""

from portal.bom import mapping
from portal.bom.models import BomPlan, MappingSource
from portal.extensions import db
from portal.search.indexing import lexicon, thesaurus
from tests.bom.builders import bom_csv
from tests.bom.phone_bom import LINES

# Measured on the test BOM when the mapper was written: 98 of 120 lines (81.7%); 100 (83.3%) since
# "battery pack" reads as a battery. A change that maps fewer lines right than this floor is a
# regression.
ACCURACY_FLOOR = 0.825


def test_mapping_accuracy_on_the_120_line_phone_bom(app):
    vocabulary = thesaurus(), lexicon()
    wrong = []
    for ref, description, spec, _q, _cost, _currency, expected in LINES:
        found = mapping.read_line(description, spec, *vocabulary).category
        if found != expected:
            wrong.append(f"{ref} {description}: {expected} read as {found}")
    accuracy = 1 - len(wrong) / len(LINES)
    print(
        f"BOM mapping accuracy {accuracy:.1%} ({len(LINES) - len(wrong)} of {len(LINES)}); wrong:", *wrong, sep="\n  "
    )
    assert accuracy >= ACCURACY_FLOOR


def test_confidence_is_support_times_margin(app):
    vocabulary = thesaurus(), lexicon()
    battery = mapping.read_line("Li-Po 4000mAh 3.85V", "", *vocabulary)
    # "Li-Po" is the only naming part (quantities describe, they do not name): support 1, no runner-up.
    assert (battery.category, battery.support, battery.confidence, battery.runner_up) == ("battery", 1.0, 1.0, None)
    assert battery.words == ("Li-Po",)
    mainboard = mapping.read_line("6L HDI mainboard", "", *vocabulary)
    # Two naming words of the description, 2 each (4 in all); "mainboard" heads the phrase, so its
    # 2 count double: 4 votes against HDI's 2. Support 4 / 4 = 1, margin (4 - 2) / 4 = 0.5.
    assert mainboard.category == "motherboard" and mainboard.runner_up == "pcb-bare"
    assert mainboard.confidence == 0.5
    nothing = mapping.read_line("Graphite thermal sheet", "25 um", *vocabulary)
    assert (nothing.category, nothing.confidence) == (None, 0.0)


def test_a_category_named_in_the_file_is_taken_as_given(app):
    assert mapping.given_category("Chargers and power adapters") == "charger"
    assert mapping.given_category("motherboard") == "motherboard"
    assert mapping.given_category("widgets") is None


def test_description_keys_ignore_case_spacing_and_punctuation():
    assert mapping.description_key("Screws  M1.4x3") == mapping.description_key("screws m1 4x3")


def _upload(client, title: str, text: str):
    response = client.post("/bom/new", data={"title": title, "pasted": text, "currency": "USD"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(db.select(BomPlan).where(BomPlan.title == title))


def test_a_correction_is_remembered_for_the_brands_next_bom_but_not_for_another_brand(client, login, users):
    login("brand")
    plan = _upload(client, "Model A", bom_csv(LINES[:40]))
    screws = next(line for line in plan.working.lines if line.reference == "36")
    assert screws.category_slug is None and screws.mapping_source == MappingSource.NONE
    response = client.post(f"/bom/{plan.id}/lines/{screws.id}/category", data={"category": "housing-metal"})
    assert response.status_code == 302
    db.session.refresh(screws)
    assert (screws.category_slug, screws.mapping_source) == ("housing-metal", MappingSource.CORRECTED)

    again = _upload(
        client, "Model B", "part description,quantity per device,planned devices per month\nscrews m1.4x3,10,5000\n"
    )
    line = again.working.lines[0]
    assert (line.category_slug, line.mapping_source, line.confidence) == (
        "housing-metal",
        MappingSource.REMEMBERED,
        1.0,
    )
    page = client.get(f"/bom/{again.id}").get_data(as_text=True)
    assert "as you chose before" in page

    login("other_brand")
    rival = _upload(
        client, "Rival", "part description,quantity per device,planned devices per month\nScrews M1.4x3,10,5000\n"
    )
    assert rival.working.lines[0].category_slug is None


def test_confirming_a_line_settles_it_in_one_click(client, login):
    login("brand")
    plan = _upload(client, "Model C", bom_csv(LINES[8:9]))
    line = plan.working.lines[0]
    assert line.mapping_source == MappingSource.UNDERSTOOD
    page = client.get(f"/bom/{plan.id}").get_data(as_text=True)
    assert "confidence 100%" in page and "from: Li-Po" in page
    client.post(f"/bom/{plan.id}/lines/{line.id}/confirm")
    db.session.refresh(line)
    assert line.mapping_source == MappingSource.CONFIRMED
    assert 'data-testid="confirm-line"' not in client.get(f"/bom/{plan.id}").get_data(as_text=True)
