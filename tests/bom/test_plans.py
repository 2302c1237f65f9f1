"""A brand's plan, as the pages show it: local suppliers per line, the local-content figure worked
out by hand, lines turned into draft needs, suppliers invited, versions saved and compared."""

import re
from decimal import Decimal

import pytest

from portal import search
from portal.bom.models import BomPlan
from portal.extensions import db
from portal.money.rates import load_rates
from portal.needs.models import NeedInvitation, NeedStatus, SourcingNeed
from portal.notifications.models import Notification
from portal.timeutil import today
from tests.factories import make_firm

SMALL_BOM = (
    "line,part description,specification,quantity per device,unit cost,currency,planned devices per month\n"
    "1,USB-C PD 20W adapter,UK plug,1,2.00,USD,20000\n"
    "2,Li-Po 4000mAh 3.85V,pouch cell,1,3.00,USD,20000\n"
    "3,Back cover,polycarbonate,1,1.00,USD,20000\n"
    "4,Retail gift box,printed,1,280,PKR,20000\n"
)


@pytest.fixture
def firms(app):
    made = {
        "ravi": make_firm("Ravi Power Adapters", capabilities=[{"category": "charger", "capacity": 100_000}]),
        "small": make_firm("Small Cells", capabilities=[{"category": "battery", "capacity": 5_000}]),
        "packs": make_firm("Pack Counters", capabilities=[{"category": "battery", "capacity": 90_000, "capacity_unit": "packs"}]),
        "print": make_firm("Lahore Print & Pack", capabilities=[{"category": "packaging", "capacity": 1_000_000}]),
        "banned": make_firm(
            "Banned Housings", suspended=True, capabilities=[{"category": "housing-plastic", "capacity": 1_000_000}]
        ),
    }  # fmt: skip
    search.rebuild()
    load_rates(f"date,currency,pkr_per_unit\n{today().isoformat()},USD,280\n", "State Bank of Pakistan")
    return made


def _plan(client, text=SMALL_BOM, title="Model S1") -> BomPlan:
    response = client.post("/bom/new", data={"title": title, "pasted": text, "currency": "USD"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(db.select(BomPlan).where(BomPlan.title == title))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _row(page: str, reference: str) -> str:
    return page.split(f'data-reference="{reference}"', 1)[1].split("</tr>", 1)[0]


def test_each_line_counts_the_local_firms_whose_capacity_covers_it(client, login, firms):
    login("brand")
    plan = _plan(client)
    page = _text(client.get(f"/bom/{plan.id}"))
    charger = _row(page, "1")
    assert "1 covers it" in charger and "of 1 making it" in charger and "Ravi Power Adapters" in charger
    assert "20,000 pcs/month" in charger
    battery = _row(page, "2")
    # Small Cells makes 5,000 cells, under 20,000; Pack Counters counts packs, which do not convert
    assert "0 cover it" in battery and "of 2 making it" in battery
    assert "1 states capacity in another unit: not compared" in battery
    housing = _row(page, "3")
    assert "0 cover it" in housing and "of 0 making it" in housing and "Banned" not in page


def test_the_local_content_figure_is_the_one_worked_out_by_hand(client, login, firms):
    login("brand")
    plan = _plan(client)
    page = _text(client.get(f"/bom/{plan.id}"))
    # value per device: 2 + 3 + 1 + 280 PKR / 280 = 7 USD; local: charger 2 + box 1 = 3 -> 42.9%
    assert re.search(r'data-testid="local-value-share">42\.9%<', page)
    assert re.search(r'data-testid="local-line-share">50\.0%<', page)
    assert "3 USD of 7 USD per device" in page
    assert "≈ 1 USD" in _row(page, "4")
    # the lines that block the most value first: the battery (3) before the back cover (1)
    blocking = page.split('data-testid="blocking-lines"', 1)[1].split("</ol>", 1)[0]
    assert blocking.index("Li-Po") < blocking.index("Back cover")


def test_a_missing_rate_leaves_its_lines_out_of_the_value_share_and_says_so(client, login, firms):
    login("brand")
    plan = _plan(client, SMALL_BOM.replace("280,PKR", "9,CNY"))
    page = _text(client.get(f"/bom/{plan.id}"))
    assert "No exchange rate for CNY" in page
    # 2 of 6 USD valued are local
    assert re.search(r'data-testid="local-value-share">33\.3%<', page)
    assert "1 line has no value in USD and is counted by line only." in page


def test_a_line_page_ranks_and_explains_its_suppliers(client, login, firms):
    login("brand")
    plan = _plan(client)
    charger = plan.working.lines[0]
    page = _text(client.get(f"/bom/{plan.id}/lines/{charger.id}"))
    assert "Ravi Power Adapters" in page and "capacity 100,000/month covers 20,000" in page
    assert "1 local firm covers it on its own" in page


def test_chosen_lines_become_draft_needs_prefilled_from_them_and_no_firm_is_told(client, login, firms, users):
    login("brand")
    plan = _plan(client)
    lines = plan.working.lines
    response = client.post(f"/bom/{plan.id}/needs", data={"lines": [lines[0].id, lines[1].id, lines[3].id]})
    assert "3 draft needs made" in _text(client.get(response.headers["Location"]))
    needs = db.session.scalars(db.select(SourcingNeed).order_by(SourcingNeed.id)).all()
    assert [(n.title, n.category_slug, n.quantity_per_month, n.quantity_unit, n.status) for n in needs] == [
        ("USB-C PD 20W adapter", "charger", 20000, "pieces", NeedStatus.DRAFT),
        ("Li-Po 4000mAh 3.85V", "battery", 20000, "cells", NeedStatus.DRAFT),
        ("Retail gift box", "packaging", 20000, "pieces", NeedStatus.DRAFT),
    ]
    assert (needs[0].description, needs[0].target_unit_price, needs[0].currency) == (
        "UK plug",
        Decimal("2.0000"),
        "USD",
    )
    assert all(n.owner_id == users["brand"].id for n in needs)
    assert "Model S1" not in " ".join(n.title + n.description for n in needs)  # the plan is never named
    # a line with a need is not drafted twice
    client.post(f"/bom/{plan.id}/needs", data={"lines": [lines[0].id]})
    assert db.session.scalar(db.select(db.func.count(SourcingNeed.id))) == 3

    # the line's suppliers are invited to its need; they hear of it only when it is published
    response = client.post(f"/bom/{plan.id}/lines/{lines[0].id}/invite", data={"firms": [firms["ravi"].id]})
    assert response.status_code == 302
    assert (
        db.session.scalar(db.select(NeedInvitation.firm_id).where(NeedInvitation.need_id == needs[0].id))
        == firms["ravi"].id
    )
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_an_unmapped_line_cannot_be_drafted_until_its_category_is_chosen(client, login, firms):
    login("brand")
    plan = _plan(
        client, "part description,quantity per device,planned devices per month\nGraphite thermal sheet,1,1000\n"
    )
    line = plan.working.lines[0]
    response = client.post(f"/bom/{plan.id}/needs", data={"lines": [line.id]})
    assert "Choose a category first for line 1." in _text(client.get(response.headers["Location"]))
    assert db.session.scalar(db.select(db.func.count(SourcingNeed.id))) == 0


def test_a_line_asking_more_than_a_need_can_hold_is_not_drafted(client, login, firms):
    login("brand")
    plan = _plan(client, "part description,quantity per device,planned devices per month\nMLCC 0201,100000,10000000\n")
    response = client.post(f"/bom/{plan.id}/needs", data={"lines": [plan.working.lines[0].id]})
    assert "Line 1 asks more a month than a sourcing need can hold" in _text(client.get(response.headers["Location"]))
    assert db.session.scalar(db.select(db.func.count(SourcingNeed.id))) == 0


def test_versions_are_saved_and_compared_in_lines_mapping_and_local_share(client, login, firms):
    login("brand")
    plan = _plan(client)
    client.post(f"/bom/{plan.id}/versions", data={"note": "first quote round", "version": plan.version})
    db.session.expire_all()
    plan = db.session.get(BomPlan, plan.id)
    assert [v.number for v in plan.versions] == [1, 2] and plan.versions[0].value_share == pytest.approx(300 / 7)
    battery, cover = plan.working.lines[1], plan.working.lines[2]
    client.post(
        f"/bom/{plan.id}/lines/{battery.id}/edit",
        data={"description": "Li-Po 4000mAh 3.85V", "specification": "pouch cell", "quantity_per_device": "1",
              "unit_cost": "3.50", "currency": "USD", "devices_per_month": "4000"},
    )  # fmt: skip
    client.post(f"/bom/{plan.id}/lines/{cover.id}/category", data={"category": "housing-metal"})
    page = _text(client.get(f"/bom/{plan.id}/compare?version=1"))
    changes = page.split('data-testid="line-changes"', 1)[1]
    assert "unit cost 3 → 3.5" in changes and "devices per month 20000 → 4000" in changes
    assert "category Plastic housings and back covers → Metal frames and small metal parts" in changes
    # the battery is now 4,000 cells a month: Small Cells' 5,000 covers it. Local: charger 2 +
    # battery 3.5 + box 1 = 6.5 of 7.5 USD -> 86.7%; 3 of 4 lines
    shares = page.split('data-testid="share-change"', 1)[1].split("</table>", 1)[0]
    assert "42.9%" in shares and "86.7%" in shares and "75.0%" in shares


def test_a_revised_file_saves_the_plan_as_it_stood_and_reports_refused_lines(client, login, firms):
    login("brand")
    plan = _plan(client)
    revised = SMALL_BOM + "5,,1,1,USD,20000\n"
    page = _text(client.post(f"/bom/{plan.id}/revise", data={"pasted": revised}))
    assert "Lines refused" in page and "the part description is empty" in page
    db.session.expire_all()
    plan = db.session.get(BomPlan, plan.id)
    assert [(v.number, v.saved_at is not None) for v in plan.versions] == [(1, True), (2, False)]
    assert len(plan.working.lines) == 4


def test_bad_uploads_are_said_next_to_the_field(client, login):
    login("brand")
    page = _text(client.post("/bom/new", data={"title": "X", "currency": "USD"}))
    assert "Choose a file or paste the table." in page
    page = _text(client.post("/bom/new", data={"title": "X", "currency": "USD", "pasted": "name,amount\na,1\n"}))
    assert "The first row must name the columns" in page
    assert db.session.scalar(db.select(db.func.count(BomPlan.id))) == 0


def test_a_line_naming_a_certificate_counts_only_firms_holding_it_valid(client, login, firms):
    make_firm(
        "Certified Cells",
        capabilities=[{"category": "battery", "capacity": 50_000}],
        certificates=[{"type": "iec-62133"}],
    )
    make_firm("Uncertified Cells", capabilities=[{"category": "battery", "capacity": 50_000}])
    search.rebuild()
    login("brand")
    text = "part description,specification,quantity per device,planned devices per month\nLi-Po 4000mAh 3.85V,IEC 62133,1,20000\nLi-Po 5000mAh,pouch,1,20000\n"
    plan = _plan(client, text, "Model S2")
    page = _text(client.get(f"/bom/{plan.id}"))
    named = _row(page, "1")
    assert "1 covers it" in named and "Certified Cells" in named and "Uncertified" not in named
    plain = _row(page, "2")
    assert "2 cover it" in plain
    line = _text(client.get(f"/bom/{plan.id}/lines/{plan.working.lines[0].id}"))
    assert "Certificates the line names: IEC 62133." in line


def test_the_plan_reads_in_urdu_right_to_left(client, login, firms, users):
    users["brand"].language = "ur"
    db.session.commit()
    login("brand")
    plan = _plan(client)
    page = _text(client.get(f"/bom/{plan.id}"))
    assert 'dir="rtl"' in page
    assert "آج کا مقامی حصہ" in page and "BOM کی مالیت کا وہ حصہ جو مقامی طور پر حاصل ہو سکتا ہے" in page
    assert "Local content today" not in page
    assert "Ravi Power Adapters" in page  # firm names stay as written
