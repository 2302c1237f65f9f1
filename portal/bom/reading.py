"""Reading a BOM the way brands keep one: a CSV file, an Excel workbook (.xlsx) or a table pasted
from a spreadsheet (tab- or comma-separated).

Workbooks are read with openpyxl in read-only mode, cell values as stored: formulas are never
evaluated (a formula cell refuses its row) and a workbook carrying macros is refused whole. Files
and rows are limited; every refused row is reported with its line number and why, and no good row
is lost because another was bad.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from portal.i18n import N_, Phrase
from portal.needs.models import CURRENCIES

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a workbook's XML, unzipped: stops a zip bomb
MAX_ROWS = 1000
MAX_DEVICES_PER_MONTH = 10_000_000
MAX_QUANTITY = Decimal("100000")
MAX_UNIT_COST = Decimal("99999999")  # what a need's target price (Numeric(12, 4)) holds

# The columns, in template order, with the header spellings brands use for each.
COLUMNS = {
    "line": ("line", "line no", "line number", "item", "no", "#", "ref"),
    "description": ("part description", "description", "part", "part name", "component"),
    "category": ("category", "component category"),
    "specification": ("specification", "spec", "specs", "details"),
    "quantity_per_device": ("quantity per device", "qty per device", "quantity", "qty", "qty/device", "usage"),
    "unit_cost": ("unit cost", "cost", "unit price", "price"),
    "currency": ("currency", "cur", "ccy"),
    "devices_per_month": ("planned devices per month", "devices per month", "devices/month", "monthly volume"),
}
TEMPLATE_HEADER = [
    "line", "part description", "category", "specification", "quantity per device", "unit cost", "currency",
    "planned devices per month",
]  # fmt: skip
TEMPLATE_ROWS = [
    ["1", "Li-Po 4000mAh 3.85V", "", "lithium polymer cell, pouch", "1", "3.40", "USD", "20000"],
    ["2", "6L HDI mainboard", "motherboard", "6-layer any-layer HDI, ENIG", "1", "14.20", "USD", "20000"],
    ["3", "Screws M1.4x3", "", "cross head, black zinc", "12", "0.004", "USD", "20000"],
]
_COST_WITH_CURRENCY = re.compile(r"^\s*([A-Za-z]{3})?\s*([-+]?[\d,]*\.?\d+)\s*([A-Za-z]{3})?\s*$")


class BomUnreadable(ValueError):
    """The file as a whole cannot be read; the message says why, for the person uploading."""

    def __init__(self, message: str, **values):
        super().__init__(message % values if values else message)
        self.phrase = Phrase(message, **values)


@dataclass(frozen=True)
class BomRow:
    line_number: int  # in the file, header being line 1
    reference: str
    description: str
    category: str
    specification: str
    quantity_per_device: Decimal
    unit_cost: Decimal | None
    currency: str
    devices_per_month: int


@dataclass(frozen=True)
class Refusal:
    line_number: int
    reason: Phrase


@dataclass
class Reading:
    rows: list[BomRow]
    refused: list[Refusal]


def read_upload(data: bytes, filename: str, devices_per_month: int | None, currency: str = "USD") -> Reading:
    """The rows of an uploaded CSV or .xlsx file."""
    if len(data) > MAX_BYTES:
        raise BomUnreadable(N_("The file is larger than %(mb)s MB."), mb=MAX_BYTES // (1024 * 1024))
    if data[:4] == b"PK\x03\x04":
        return _read_cells(_workbook_rows(data), devices_per_month, currency)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise BomUnreadable(N_("This is not an Excel workbook (.xlsx) the portal can read."))
    return read_text(_decoded(data), devices_per_month, currency)


def read_text(text: str, devices_per_month: int | None, currency: str = "USD") -> Reading:
    """The rows of CSV text or of a table pasted from a spreadsheet (tabs, commas or semicolons)."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise BomUnreadable(N_("The table is larger than %(mb)s MB."), mb=MAX_BYTES // (1024 * 1024))
    sample = text[:4096]
    delimiter = "\t" if "\t" in sample else (";" if sample.count(";") > sample.count(",") else ",")
    return _read_cells(csv.reader(io.StringIO(text), delimiter=delimiter), devices_per_month, currency)


def _decoded(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BomUnreadable(N_("The file is neither a CSV text file nor an Excel workbook."))


def _workbook_rows(data: bytes):
    """Cell values of the first sheet, row by row; a formula cell reads as the FORMULA marker."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise BomUnreadable(N_("The workbook is damaged and cannot be read.")) from error
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise BomUnreadable(N_("Workbooks with macros are not accepted: save it as .xlsx without macros."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise BomUnreadable(N_("The workbook holds too much data to read."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise BomUnreadable(N_("The workbook is damaged and cannot be read.")) from error
    try:
        sheet = workbook.worksheets[0]
        for count, row in enumerate(sheet.iter_rows(), start=1):
            if count > MAX_ROWS + 1:
                yield None  # tells _read_cells the limit was passed
                return
            yield [FORMULA if cell.data_type == "f" else cell.value for cell in row]
    finally:
        workbook.close()


FORMULA = object()


def _header_map(header: list) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(header):
        name = " ".join(str(cell or "").replace("_", " ").split()).casefold()
        for column, spellings in COLUMNS.items():
            if name in spellings and column not in found:
                found[column] = index
    return found


def _read_cells(rows, devices_per_month: int | None, currency: str) -> Reading:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise BomUnreadable(N_("The file is empty."))
    columns = _header_map(header)
    if "description" not in columns or "quantity_per_device" not in columns:
        raise BomUnreadable(
            N_(
                "The first row must name the columns; at least “part description” and “quantity per device” "
                "(download the template to see them all)."
            )
        )
    reading = Reading([], [])
    for line_number, cells in enumerate(iterator, start=2):
        if cells is None or line_number > MAX_ROWS + 1:
            reading.refused.append(
                Refusal(line_number, Phrase("a BOM holds at most %(rows)s lines: the rest was not read", rows=MAX_ROWS))
            )
            break
        cells = list(cells)
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        outcome = _row(line_number, cells, columns, devices_per_month, currency)
        (reading.rows if isinstance(outcome, BomRow) else reading.refused).append(outcome)
    return reading


def _cell(cells: list, columns: dict, name: str):
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else None


def _text(value, limit: int) -> str:
    return " ".join(str(value).split())[:limit] if value is not None else ""


def _decimal(value) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _row(line_number: int, cells: list, columns: dict, default_devices: int | None, default_currency: str):
    if any(cell is FORMULA for cell in cells):
        return Refusal(line_number, Phrase("a cell holds a formula; formulas are not read, paste the values instead"))
    description = _text(_cell(cells, columns, "description"), 300)
    if not description:
        return Refusal(line_number, Phrase("the part description is empty"))
    quantity = _decimal(_cell(cells, columns, "quantity_per_device"))
    if quantity is None or quantity <= 0 or quantity > MAX_QUANTITY:
        return Refusal(line_number, Phrase("the quantity per device must be a number above 0 and at most 100,000"))
    cost, currency = _cost(_cell(cells, columns, "unit_cost"), _cell(cells, columns, "currency"), default_currency)
    if cost is False:
        return Refusal(line_number, Phrase("the unit cost must be a number from 0 to 99,999,999"))
    if currency not in CURRENCIES:
        return Refusal(
            line_number, Phrase("the currency must be one of %(currencies)s", currencies=", ".join(CURRENCIES))
        )
    devices = _decimal(_cell(cells, columns, "devices_per_month"))
    if devices is None:
        devices = default_devices
    if devices is None or devices != int(devices) or not 0 < devices <= MAX_DEVICES_PER_MONTH:
        return Refusal(line_number, Phrase("the planned devices per month must be a whole number from 1 to 10,000,000"))
    return BomRow(
        line_number=line_number,
        reference=_text(_cell(cells, columns, "line"), 40),
        description=description,
        category=_text(_cell(cells, columns, "category"), 120),
        specification=_text(_cell(cells, columns, "specification"), 1000),
        quantity_per_device=quantity,
        unit_cost=cost,
        currency=currency,
        devices_per_month=int(devices),
    )


def _cost(value, currency_cell, default_currency: str):
    """(cost, currency): "2.35", "USD 2.35" or "2.35 USD"; (False, …) when the cost is not a number."""
    currency = _text(currency_cell, 3).upper() or default_currency
    if value is None or str(value).strip() == "":
        return None, currency
    match = _COST_WITH_CURRENCY.match(str(value))
    if not match:
        return False, currency
    number = _decimal(match.group(2))
    written = (match.group(1) or match.group(3) or "").upper()
    if number is None or not 0 <= number <= MAX_UNIT_COST:
        return False, currency
    return number, written or currency


def template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(TEMPLATE_ROWS)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("BOM")
    sheet.append(TEMPLATE_HEADER)
    for row in TEMPLATE_ROWS:
        sheet.append([_decimal(cell) if index in (4, 5, 7) else cell for index, cell in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
