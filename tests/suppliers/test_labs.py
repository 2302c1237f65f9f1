"""Near misses lead to help: laboratories listed in the portal that test for a missing certificate,
nearest first, linked from near misses, the completeness panel and expiry reminders; staff see the
certifications brands demand that no listed laboratory tests for."""

import html

import pytest

from portal.extensions import db
from portal.suppliers.labs import ELSEWHERE, SAME_CITY, SAME_PROVINCE, labs_for, untested_demand
from portal.suppliers.models import ListingStatus, ReviewStatus
from portal.suppliers.reminders import send_reminders
from portal.taxonomy.models import CertificationType
from portal.timeutil import today
from tests.factories import make_capability, make_certificate, make_firm, make_need
from tests.needs.conftest import battery_firm


def lab(name, city, province, tests=("iec-62133",), review=ReviewStatus.VERIFIED, **fields):
    firm = make_firm(name, city=city, province=province, **fields)
    capability = make_capability(firm, "testing-lab", capacity=200, capacity_unit="tests", review=review)
    capability.tests_for = [db.session.get(CertificationType, slug) for slug in tests]
    db.session.commit()
    return firm


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def labs(app):
    """Laboratories testing for IEC 62133 around Lahore, and some that do not count."""
    return {
        "karachi": lab("Karachi Battery Lab", "Karachi", "Sindh"),
        "faisalabad": lab("Faisalabad Test House", "Faisalabad", "Punjab"),
        "lahore": lab("Lahore Cell Testing", "lahore ", "Punjab"),
        "unchecked": lab("Unchecked Lab", "Lahore", "Punjab", review=ReviewStatus.PENDING),
        "draft": lab("Draft Lab", "Lahore", "Punjab", status=ListingStatus.DRAFT),
        "other_tests": lab("EMC Only Lab", "Lahore", "Punjab", tests=("ce", "fcc")),
    }


def test_laboratories_come_nearest_first_same_city_then_province_then_the_rest(labs):
    ravi = battery_firm("Ravi Cells", city="Lahore", province="Punjab")
    found = labs_for(["iec-62133"], ravi)["iec-62133"]
    assert [(lab.firm.display_name, lab.nearness) for lab in found] == [
        ("Lahore Cell Testing", SAME_CITY),
        ("Faisalabad Test House", SAME_PROVINCE),
        ("Karachi Battery Lab", ELSEWHERE),
    ]
    assert labs_for(["un-38-3"], ravi) == {}


def test_the_labs_page_names_the_nearest_first_and_says_when_there_is_none(client, labs):
    ravi = battery_firm("Ravi Cells", city="Karachi", province="Sindh")
    page = text(client.get(f"/labs/iec-62133?near={ravi.id}"))
    assert page.index("Karachi Battery Lab") < page.index("Faisalabad Test House") < page.index("Lahore Cell Testing")
    assert "In the same city" in page and "Unchecked Lab" not in page and "Draft Lab" not in page
    assert "No laboratory listed in the portal tests for UN 38.3 yet." in text(client.get("/labs/un-38-3"))
    assert client.get("/labs/no-such-certificate").status_code == 404


def test_a_lab_names_what_it_tests_for_and_only_a_lab_may(client, login, users):
    firm = make_firm(
        "Margalla Test Lab", owner=users["supplier"], city="Islamabad", province="Islamabad Capital Territory"
    )
    login("supplier")
    form = {"category": "testing-lab", "monthly_capacity": 150, "capacity_unit": "tests"}
    refused = text(client.post(f"/firms/{firm.id}/capabilities/new", data=form))
    assert "Name at least one certification the laboratory tests for." in refused
    client.post(f"/firms/{firm.id}/capabilities/new", data={**form, "tests_for": ["iec-62133", "un-38-3"]})
    db.session.expire_all()
    assert sorted(c.slug for c in firm.capabilities[0].tests_for) == ["iec-62133", "un-38-3"]
    not_a_lab = {"category": "pcba", "monthly_capacity": 10, "capacity_unit": "boards", "tests_for": ["ce"]}
    answer = text(client.post(f"/firms/{firm.id}/capabilities/new", data=not_a_lab))
    assert "Only a testing laboratory's capability names the certifications it tests for." in answer


def test_a_firm_a_certificate_away_from_a_need_sees_the_labs_that_test_for_it(client, login, users, labs):
    battery_firm("Ravi Cells", owner=users["supplier"], city="Lahore", province="Punjab")
    need = make_need(users["brand"], title="Power-bank packs", certifications=("iso-9001", "iec-62133"))
    login("supplier")
    page = text(client.get("/needs/opportunities"))
    near = page.split('data-testid="near-miss"')[1]
    assert "Power-bank packs" in near and "would qualify with a valid IEC 62133" in near
    assert "3 laboratories test for IEC 62133" in near
    assert f"/needs/{need.id}" in near


def test_the_brand_sees_the_lab_link_beside_each_near_miss(client, login, users, labs):
    ravi = battery_firm("Ravi Cells", city="Lahore", province="Punjab")
    need = make_need(users["brand"], title="Power-bank packs", certifications=("iso-9001", "iec-62133"))
    login("brand")
    near = text(client.get(f"/needs/{need.id}")).split('data-testid="near-misses"')[1].split("</ul>")[0]
    assert "Ravi Cells" in near and f"/labs/iec-62133?near={ravi.id}" in near


def test_the_completeness_panel_links_an_expired_certificate_to_its_labs(client, login, users, labs):
    firm = battery_firm("Ravi Cells", owner=users["supplier"])
    make_certificate(firm, "iec-62133", days_valid=-5)
    db.session.commit()
    login("supplier")
    panel = text(client.get(f"/firms/{firm.id}/")).split('data-testid="completeness"')[1]
    assert "Renew the IEC 62133 certificate" in panel
    assert f"/labs/iec-62133?near={firm.id}" in panel


def test_the_expiry_reminder_names_where_to_get_tested(app, users, outbox, labs):
    firm = battery_firm("Ravi Cells", owner=users["supplier"])
    make_certificate(firm, "iec-62133", days_valid=7)
    make_certificate(firm, "un-38-3", days_valid=7)
    db.session.commit()
    send_reminders(on=today())
    bodies = {mail.subject.split(" for ")[0]: mail.body for mail in outbox("certificate_expiry")}
    assert f"/labs/iec-62133?near={firm.id}" in bodies["IEC 62133"]
    assert "Laboratories listed in the portal that test for IEC 62133, nearest first" in bodies["IEC 62133"]
    assert "/labs/" not in bodies["UN 38.3"]  # no laboratory tests for it: no link to an empty page


def test_staff_see_the_certifications_brands_demand_that_no_lab_tests_for(client, login, users, labs):
    make_need(users["brand"], title="Packs", certifications=("iec-62133", "un-38-3"))
    make_need(users["brand"], title="More packs", certifications=("un-38-3",))
    make_need(users["brand"], title="Closed", certifications=("pta-type-approval",), days=-2)
    assert [(row.certification.slug, row.open_needs) for row in untested_demand()] == [("un-38-3", 2)]
    login("staff")
    table = text(client.get("/staff/dashboard")).split('data-testid="table-untested"')[1].split("</table>")[0]
    assert "UN 38.3" in table and "IEC 62133" not in table and "PTA" not in table
