"""Reading a BOM: CSV, a pasted table, Excel workbooks, and the lines refused with why."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from portal.bom import reading
from tests.bom.builders import bom_csv
from tests.bom.phone_bom import LINES


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ["line", "part description", "specification", "quantity per device", "unit cost", "currency"]


def test_the_test_bom_reads_whole_as_csv():
    result = reading.read_upload(bom_csv().encode(), "phone.csv", None)
    assert len(result.rows) == 120 and result.refused == []
    first = result.rows[0]
    assert (first.reference, first.description, first.quantity_per_device, first.unit_cost, first.currency) == (
        "1", "6L HDI mainboard", Decimal("1"), Decimal("14.20"), "USD"
    )  # fmt: skip
    assert first.devices_per_month == 20000 and first.line_number == 2


def test_a_table_pasted_from_a_spreadsheet_is_tab_separated():
    text = (
        "part description\tqty per device\tunit cost\nLi-Po 4000mAh 3.85V\t1\tUSD 3.40\nScrews M1.4x3\t12\t0.004 CNY\n"
    )
    result = reading.read_text(text, devices_per_month=5000)
    assert [(r.description, r.unit_cost, r.currency, r.devices_per_month) for r in result.rows] == [
        ("Li-Po 4000mAh 3.85V", Decimal("3.40"), "USD", 5000),
        ("Screws M1.4x3", Decimal("0.004"), "CNY", 5000),
    ]


def test_bad_lines_are_refused_with_their_line_numbers_and_the_good_ones_kept():
    text = (
        "line,part description,quantity per device,unit cost,currency,planned devices per month\n"
        "1,Cover glass,1,0.95,USD,20000\n"
        "2,,1,0.10,USD,20000\n"
        "3,Back cover,zero,1.25,USD,20000\n"
        "4,Receiver,1,0.18,GBP,20000\n"
        "5,SIM tray,1,-2,USD,20000\n"
        "6,Shield can,2,0.06,USD,\n"
        "7,Speaker,1,0.52,USD,20000\n"
        "8,Frame,1,1e20,USD,20000\n"
    )
    result = reading.read_text(text, devices_per_month=None)
    assert [r.reference for r in result.rows] == ["1", "7"]
    refused = {r.line_number: str(r.reason) for r in result.refused}
    assert refused == {
        3: "the part description is empty",
        4: "the quantity per device must be a number above 0 and at most 100,000",
        5: "the currency must be one of USD, PKR, EUR, CNY",
        6: "the unit cost must be a number from 0 to 99,999,999",
        7: "the planned devices per month must be a whole number from 1 to 10,000,000",
        9: "the unit cost must be a number from 0 to 99,999,999",
    }


def test_a_workbook_is_read_and_a_formula_refuses_its_line():
    data = _xlsx(
        [HEADER, ["1", "Li-Po 4000mAh 3.85V", "pouch", 1, 3.4, "USD"], ["2", "Screws", "", "=6*2", 0.004, "USD"]]
    )
    result = reading.read_upload(data, "bom.xlsx", 20000)
    assert [r.description for r in result.rows] == ["Li-Po 4000mAh 3.85V"]
    assert result.rows[0].unit_cost == Decimal("3.4")
    assert [(r.line_number, str(r.reason)) for r in result.refused] == [
        (3, "a cell holds a formula; formulas are not read, paste the values instead")
    ]


def test_a_workbook_with_macros_is_refused_whole():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(reading.BomUnreadable, match="macros"):
        reading.read_upload(buffer.getvalue(), "bom.xlsm", 20000)


def test_a_damaged_workbook_and_an_oversized_file_are_refused():
    with pytest.raises(reading.BomUnreadable, match="damaged"):
        reading.read_upload(b"PK\x03\x04not really a zip", "bom.xlsx", 1)
    with pytest.raises(reading.BomUnreadable, match="larger than 2 MB"):
        reading.read_upload(b"a" * (reading.MAX_BYTES + 1), "bom.csv", 1)


def test_lines_past_the_limit_are_reported_not_read(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    text = "part description,quantity per device\n" + "".join(f"Part {n},1\n" for n in range(5))
    result = reading.read_text(text, 100)
    assert len(result.rows) == 3
    assert [(r.line_number, str(r.reason)) for r in result.refused] == [
        (5, "a BOM holds at most 3 lines: the rest was not read")
    ]


def test_a_file_without_the_needed_columns_says_which():
    with pytest.raises(reading.BomUnreadable, match="part description"):
        reading.read_text("name,amount\nCover,1\n", 100)


def test_both_templates_read_back_as_their_example_lines():
    from_csv = reading.read_upload(reading.template_csv().encode(), "bom-template.csv", None)
    from_xlsx = reading.read_upload(reading.template_xlsx(), "bom-template.xlsx", None)
    assert [r.description for r in from_csv.rows] == [r.description for r in from_xlsx.rows]
    assert len(from_csv.rows) == 3 and from_csv.refused == [] and from_xlsx.refused == []
    assert load_workbook(io.BytesIO(reading.template_xlsx())).active["B1"].value == "part description"


def test_the_template_pages_download_for_a_brand(client, login):
    login("brand")
    csv_page = client.get("/bom/template.csv")
    assert csv_page.status_code == 200 and "attachment" in csv_page.headers["Content-Disposition"]
    assert csv_page.get_data(as_text=True).startswith("line,part description,category")
    assert client.get("/bom/template.xlsx").data[:2] == b"PK"


def test_the_test_bom_has_120_lines():
    assert len(LINES) == 120
