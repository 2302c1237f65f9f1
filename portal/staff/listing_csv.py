"""The listing CSV: the supplier CSV that loses nothing, one row per firm, capability and certificate.

The `record` column says what a row is (`firm`, `capability` or `certificate`); every row carries
its firm's `name` and `city`, the firm's key, so a spreadsheet can sort and filter the file. A
firm row carries the listing's profile, a capability row one component category with its
capacity, unit and the rest, a certificate row one certificate. `imports.parse_rows` reads this
format when the header has a `record` column and the supplier format otherwise; both share the
importer (batches, refusals, dry runs, audit) and the report.

What a row means, beyond the supplier format's rules (imports.py):

- A firm's capability and certificate rows need the firm's own row in the file; they apply with it.
- A capability is the firm's one of that category: its cells replace the stored values (an empty
  cell clears an optional one) and its processes become the row's.
- A certificate is the firm's one of that type and number (without a number: of that type and
  expiry date); its cells replace the stored values, or a new certificate is added.
- Each row's `verified` speaks for that row: a staff import of `yes` verifies the listing, the
  capability or the certificate; `no` leaves verified items alone while their values stay the
  same, and puts changed ones back to pending, for staff to look at again.
- The export says `yes` only on a public listing (verified, not suspended) and on the items staff
  verified in it, and leaves out what staff rejected: so re-importing an export never verifies
  anything staff have not, and importing it into an empty database gives the same listings.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import null

from portal.i18n import Phrase
from portal.staff.imports import MAX_LENGTHS as SUPPLIER_MAX_LENGTHS
from portal.staff.imports import (
    MAX_NUMBERS,
    RECORD_COLUMN,
    Importer,
    ParsedFile,
    RowProblem,
    Taxonomy,
    as_whole_number,
    escape_formula,
    export_rows,
    exported_firms,
    firm_key,
    join_items,
    key_and_length_problems,
    not_a_whole_number,
    read_date,
    read_email,
    read_header,
    read_items,
    read_province,
    read_website,
    read_yes_no,
    same_firm_as,
    unescape,
    unknown_slug,
    wrong_width,
)
from portal.suppliers.forms import MAX_QUANTITY, NTN_PATTERN
from portal.suppliers.models import Capability, Certificate, Firm, ReviewStatus
from portal.taxonomy.units import MAX_BOARD_AREA_MM2, is_unit_of, takes_board_area
from portal.timeutil import today

FIRM, CAPABILITY, CERTIFICATE = "firm", "capability", "certificate"
KEY_COLUMNS = (RECORD_COLUMN, "name", "city")
# Each record's own columns, besides the key; `verified` is every record's.
FIRM_COLUMNS = (
    "trade_name",
    "province",
    "address",
    "description",
    "employees",
    "year_founded",
    "ntn",
    "export_markets",
    "contact_email",
    "phone",
    "website",
)
CAPABILITY_COLUMNS = (
    "category",
    "capacity",
    "unit",
    "board_area_mm2",
    "employees",
    "processes",
    "min_order_quantity",
    "lead_time_days",
    "main_line",
    "equipment",
    "materials",
    "notes",
)
CERTIFICATE_COLUMNS = ("certification", "number", "issuing_body", "issue_date", "expiry_date", "scope")
RECORD_COLUMNS = {
    FIRM: FIRM_COLUMNS,
    CAPABILITY: CAPABILITY_COLUMNS,
    CERTIFICATE: CERTIFICATE_COLUMNS,
}
LISTING_COLUMNS = tuple(
    dict.fromkeys((*KEY_COLUMNS, *FIRM_COLUMNS, *CAPABILITY_COLUMNS, *CERTIFICATE_COLUMNS, "verified"))
)
# Longer text than its column holds is refused, as the forms refuse it.
MAX_LENGTHS = {**SUPPLIER_MAX_LENGTHS, "trade_name": 200, "phone": 40, "number": 80, "issuing_body": 160, "scope": 200}
NUMBER_LIMITS = {  # (least, most), as the profile and capability forms allow
    "employees": (1, MAX_NUMBERS["employees"]),
    "year_founded": (1900, 9999),
    "capacity": (0, MAX_QUANTITY),
    "board_area_mm2": (1, MAX_BOARD_AREA_MM2),
    "min_order_quantity": (1, MAX_QUANTITY),
    "lead_time_days": (1, 730),
}


@dataclass(frozen=True)
class FirmRecord:
    line: int
    name: str
    city: str
    profile: dict  # Firm attribute -> value
    verified: bool


@dataclass(frozen=True)
class CapabilityRecord:
    line: int
    category: str
    facts: dict  # Capability attribute -> value
    processes: tuple[str, ...]
    verified: bool


@dataclass(frozen=True)
class CertificateRecord:
    line: int
    certification: str
    facts: dict  # Certificate attribute -> value
    verified: bool

    @property
    def key(self) -> tuple:
        return certificate_key(self.certification, self.facts["number"], self.facts["expiry_date"])


@dataclass
class ListingRows:
    """One firm's rows: imported together, in one transaction, as the supplier format's one row is."""

    firm: FirmRecord
    capabilities: list[CapabilityRecord] = field(default_factory=list)
    certificates: list[CertificateRecord] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.firm.line

    @property
    def name(self) -> str:
        return self.firm.name

    @property
    def city(self) -> str:
        return self.firm.city

    @property
    def key(self) -> tuple[str, str]:
        return firm_key(self.name, self.city)

    @property
    def lines(self) -> tuple[int, ...]:
        return (self.firm.line, *(r.line for r in self.capabilities), *(r.line for r in self.certificates))

    @property
    def verified(self) -> bool:
        """Whether any of the rows says verified=yes (which only staff imports may)."""
        return any(r.verified for r in (self.firm, *self.capabilities, *self.certificates))


def certificate_key(certification: str, number: str, expiry: date | None) -> tuple:
    """A certificate is the firm's one of that type and number; without a number, of that type and expiry."""
    return (certification, number.casefold(), None if number else expiry)


# --- reading -------------------------------------------------------------------------------------


def parse_listing_rows(header: list[str], records: Iterator[list[str]], taxonomy: Taxonomy) -> ParsedFile:
    """The listing format's rows (after its header) as one ListingRows per firm, and refused rows."""
    positions, warnings = read_header(header, LISTING_COLUMNS)
    parsed = ParsedFile(rows=[], refused=[], warnings=warnings, importer=ListingImporter)
    listings: dict[tuple[str, str], ListingRows] = {}
    refused_firms: dict[tuple[str, str], int] = {}  # firm key -> line of its refused firm row
    items: list[tuple[tuple[str, str], CapabilityRecord | CertificateRecord]] = []
    # Spreadsheet row numbers: one per record, even when a quoted cell spans several text lines.
    for line, cells in enumerate(records, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        kind, key, record = _parse_record(line, cells, positions, len(header), taxonomy)
        if kind == FIRM and key in listings:
            record = same_firm_as(line, listings[key].line)
        if isinstance(record, RowProblem):
            parsed.refused.append(record)
            if kind == FIRM:
                refused_firms.setdefault(key, line)
        elif isinstance(record, FirmRecord):
            listings[key] = ListingRows(record)
        else:
            items.append((key, record))
    for key, record in items:
        problem = _item_problem(key, record, listings, refused_firms)
        if problem:
            parsed.refused.append(RowProblem(record.line, (problem,)))
        elif isinstance(record, CapabilityRecord):
            listings[key].capabilities.append(record)
        else:
            listings[key].certificates.append(record)
    parsed.rows = sorted(listings.values(), key=lambda rows: rows.line)
    return parsed


def _parse_record(line: int, cells: list[str], positions: dict[str, int], width: int, taxonomy: Taxonomy):
    """(record kind, firm key, the record or a RowProblem listing every reason the row is refused)."""
    if problem := wrong_width(line, cells, width):
        return None, None, problem
    cell = {column: unescape(cells[index].strip()) for column, index in positions.items()}
    kind, key = cell[RECORD_COLUMN].lower(), firm_key(cell["name"], cell["city"])
    if kind not in RECORD_COLUMNS:
        reason = Phrase(
            "unknown record '%(record)s' (write firm, capability or certificate)", record=cell[RECORD_COLUMN]
        )
        return kind, key, RowProblem(line, (reason,))
    problems = key_and_length_problems(cell, MAX_LENGTHS)
    foreign = [c for c in LISTING_COLUMNS if cell[c] and c not in (*KEY_COLUMNS, *RECORD_COLUMNS[kind], "verified")]
    if foreign:
        problems.append(Phrase("a %(record)s row leaves %(columns)s empty", record=kind, columns=", ".join(foreign)))
    record = _READERS[kind](line, cell, taxonomy, problems)
    return kind, key, RowProblem(line, tuple(problems)) if problems else record


def _number(cell: dict[str, str], column: str, problems: list[str]) -> int | None:
    """A whole number within the column's limits, or None for an empty cell."""
    text = cell[column]
    if not text:
        return None
    number = as_whole_number(text)
    least, most = NUMBER_LIMITS[column]
    if number is None:
        problems.append(not_a_whole_number(column, text))
    elif not least <= number <= most:
        problems.append(
            Phrase(
                "%(column)s '%(text)s' is not from %(least)s to %(most)s",
                column=column,
                text=text,
                least=format(least, ","),
                most=format(most, ","),
            )
        )
    return number


def _read_firm(line: int, cell: dict[str, str], taxonomy: Taxonomy, problems: list[str]) -> FirmRecord:
    year = _number(cell, "year_founded", problems)
    if year is not None and year > today().year:
        problems.append(Phrase("year_founded '%(text)s' is in the future", text=cell["year_founded"]))
    if cell["ntn"] and not re.fullmatch(NTN_PATTERN, cell["ntn"]):
        problems.append(
            Phrase("ntn '%(text)s' is not an NTN (7 digits and a check digit, like 1234567-8)", text=cell["ntn"])
        )
    profile = {
        "trade_name": cell["trade_name"],
        "province": read_province(cell["province"], problems),
        "address": cell["address"],
        "description": cell["description"],
        "employees": _number(cell, "employees", problems),
        "year_founded": year,
        "ntn": re.sub(NTN_PATTERN, r"\1-\2", cell["ntn"]) if cell["ntn"] else None,  # as the profile form keeps it
        "export_markets": read_items(cell["export_markets"]),
        "contact_email": read_email(cell["contact_email"], problems),
        "phone": cell["phone"],
        "website": read_website(cell["website"], problems),
    }
    return FirmRecord(line, cell["name"], cell["city"], profile, read_yes_no(cell["verified"], problems))


def _read_capability(line: int, cell: dict[str, str], taxonomy: Taxonomy, problems: list[str]) -> CapabilityRecord:
    category = cell["category"].lower()
    if not category:
        problems.append(Phrase("category is missing"))
    elif category not in taxonomy.categories:
        problems.append(unknown_slug("category", category))
    unit = cell["unit"].lower() or None
    if unit is not None and category in taxonomy.categories and not is_unit_of(category, unit):
        problems.append(
            Phrase("unit '%(unit)s' is not one of the units of %(category)s", unit=cell["unit"], category=category)
        )
    board_area = _number(cell, "board_area_mm2", problems)
    if board_area is not None and category in taxonomy.categories and not takes_board_area(category):
        problems.append(
            Phrase("board_area_mm2: %(category)s is not counted both in boards and in m² of panel", category=category)
        )
    if not cell["capacity"]:
        problems.append(Phrase("capacity is missing"))
    processes = tuple(read_items(cell["processes"].lower()))
    problems += [unknown_slug("process", slug) for slug in processes if slug not in taxonomy.processes]
    facts = {
        "monthly_capacity": _number(cell, "capacity", problems),
        "capacity_unit": unit,
        "board_area_mm2": board_area,
        "employees": _number(cell, "employees", problems),
        "min_order_quantity": _number(cell, "min_order_quantity", problems),
        "lead_time_days": _number(cell, "lead_time_days", problems),
        "is_main_line": read_yes_no(cell["main_line"], problems, "main_line"),
        "equipment": cell["equipment"],
        "materials": cell["materials"],
        "notes": cell["notes"],
    }
    return CapabilityRecord(line, category, facts, processes, read_yes_no(cell["verified"], problems))


def _read_certificate(line: int, cell: dict[str, str], taxonomy: Taxonomy, problems: list[str]) -> CertificateRecord:
    certification = cell["certification"].lower()
    if not certification:
        problems.append(Phrase("certification is missing"))
    elif certification not in taxonomy.certifications:
        problems.append(unknown_slug("certification", certification))
    dates = {}
    for column in ("issue_date", "expiry_date"):
        dates[column] = read_date(cell[column]) if cell[column] else None
        if cell[column] and dates[column] is None:
            problems.append(
                Phrase("%(column)s '%(text)s' is not a date (write YYYY-MM-DD)", column=column, text=cell[column])
            )
    issued, expires = dates["issue_date"], dates["expiry_date"]
    if issued and issued > today():
        problems.append(Phrase("issue_date %(date)s is in the future", date=issued.isoformat()))
    if issued and expires and expires <= issued:
        problems.append(
            Phrase(
                "expiry_date %(expiry)s is not after issue_date %(issue)s",
                expiry=expires.isoformat(),
                issue=issued.isoformat(),
            )
        )
    facts = {
        "number": cell["number"],
        "issuing_body": cell["issuing_body"],
        "issue_date": issued,
        "expiry_date": expires,
        "scope": cell["scope"],
    }
    return CertificateRecord(line, certification, facts, read_yes_no(cell["verified"], problems))


_READERS: dict[str, Callable] = {FIRM: _read_firm, CAPABILITY: _read_capability, CERTIFICATE: _read_certificate}


def _item_problem(key, record, listings: dict[tuple[str, str], ListingRows], refused_firms: dict) -> str | None:
    """Why a capability or certificate row cannot join its firm's rows, if it cannot."""
    listing = listings.get(key)
    if listing is None and key in refused_firms:
        return Phrase(
            "the firm's row (line %(line)s) was refused; correct it and import both again", line=refused_firms[key]
        )
    if listing is None:
        return Phrase("the file has no firm row with this name and city; a firm's rows need its firm row")
    if isinstance(record, CapabilityRecord):
        earlier = next((r.line for r in listing.capabilities if r.category == record.category), None)
        if earlier:
            return Phrase("the same firm and category as line %(line)s; keep one of the lines", line=earlier)
    else:
        earlier = next((r.line for r in listing.certificates if r.key == record.key), None)
        if earlier:
            return Phrase("the same firm and certificate as line %(line)s; keep one of the lines", line=earlier)
    return None


# --- importing -----------------------------------------------------------------------------------


class ListingImporter(Importer):
    """The supplier importer (batches, refusals, dry runs, audit), applying a firm's listing rows."""

    def _apply_row(self, rows: ListingRows, firm: Firm) -> None:
        self.apply_profile(firm, rows.firm.profile, verified=rows.firm.verified)
        for record in rows.capabilities:
            self._apply_capability(firm, record)
        for record in rows.certificates:
            self._apply_certificate(firm, record)

    def _status(self, verified: bool) -> ReviewStatus:
        return ReviewStatus.VERIFIED if self.as_staff and verified else ReviewStatus.PENDING

    def _apply_capability(self, firm: Firm, record: CapabilityRecord) -> None:
        facts = {**record.facts, "capacity_unit": record.facts["capacity_unit"] or null()}
        processes = [self.processes[slug] for slug in record.processes]
        status = self._status(record.verified)
        capability = next((c for c in firm.capabilities if c.category_slug == record.category), None)
        if capability is None:
            firm.capabilities.append(
                Capability(category_slug=record.category, **facts, processes=processes, review_status=status)
            )
        elif _differs(capability, record.facts) or {p.slug for p in capability.processes} != set(record.processes):
            for name, value in facts.items():
                setattr(capability, name, value)
            capability.processes, capability.review_status = processes, status
        elif status == ReviewStatus.VERIFIED and capability.review_status == ReviewStatus.PENDING:
            capability.review_status = status

    def _apply_certificate(self, firm: Firm, record: CertificateRecord) -> None:
        status = self._status(record.verified)
        verified_at = self.now if status == ReviewStatus.VERIFIED else None
        same = [c for c in firm.certificates if certificate_key(c.type_slug, c.number, c.expiry_date) == record.key]
        certificate = max(same, key=lambda c: (c.review_status != ReviewStatus.REJECTED, c.id or 0), default=None)
        if certificate is None:
            firm.certificates.append(
                Certificate(
                    type_slug=record.certification, **record.facts, review_status=status, verified_at=verified_at
                )
            )
        elif _differs(certificate, record.facts) or (
            status == ReviewStatus.VERIFIED and certificate.review_status == ReviewStatus.PENDING
        ):
            for name, value in record.facts.items():
                setattr(certificate, name, value)
            certificate.review_status, certificate.verified_at = status, verified_at


def _differs(item, facts: dict) -> bool:
    return any(getattr(item, name) != value for name, value in facts.items())


# --- exporting -----------------------------------------------------------------------------------


def listing_rows(on_firm: Callable[[], object] | None = None) -> Iterator[list[str]]:
    """The header, then each firm's row followed by its capabilities' and certificates' rows;
    `on_firm` is called after each firm (a progress bar)."""
    yield list(LISTING_COLUMNS)
    for firm in exported_firms():
        for cells in _firm_rows(firm):
            yield [escape_formula(cells.get(column, "")) for column in LISTING_COLUMNS]
        if on_firm is not None:
            on_firm()


def _firm_rows(firm: Firm) -> Iterator[dict[str, str]]:
    public = firm.is_public
    key = {"name": firm.legal_name, "city": firm.city}

    def verified(item) -> str:
        return _yes(public and item.review_status == ReviewStatus.VERIFIED)

    yield {
        RECORD_COLUMN: FIRM,
        **key,
        "trade_name": firm.trade_name,
        "province": firm.province,
        "address": firm.address,
        "description": firm.description,
        "employees": _text(firm.employees),
        "year_founded": _text(firm.year_founded),
        "ntn": firm.ntn or "",
        "export_markets": join_items(firm.export_markets or []),
        "contact_email": firm.contact_email,
        "phone": firm.phone,
        "website": firm.website,
        "verified": _yes(public),
    }
    for c in _not_rejected(firm.capabilities):
        yield {
            RECORD_COLUMN: CAPABILITY,
            **key,
            "category": c.category_slug,
            "capacity": _text(c.monthly_capacity),
            "unit": c.capacity_unit or "",
            "board_area_mm2": _text(c.board_area_mm2),
            "employees": _text(c.employees),
            "processes": join_items(sorted(p.slug for p in c.processes)),
            "min_order_quantity": _text(c.min_order_quantity),
            "lead_time_days": _text(c.lead_time_days),
            "main_line": _yes(c.is_main_line),
            "equipment": c.equipment,
            "materials": c.materials,
            "notes": c.notes,
            "verified": verified(c),
        }
    for c in _not_rejected(firm.certificates):
        yield {
            RECORD_COLUMN: CERTIFICATE,
            **key,
            "certification": c.type_slug,
            "number": c.number,
            "issuing_body": c.issuing_body,
            "issue_date": _text(c.issue_date),
            "expiry_date": _text(c.expiry_date),
            "scope": c.scope,
            "verified": verified(c),
        }


# The import formats by name (`export-suppliers --format`, the staff page's download): the rows each writes.
EXPORT_FORMATS: dict[str, Callable[..., Iterator[list[str]]]] = {"supplier": export_rows, "listing": listing_rows}


def _not_rejected(items: list) -> list:
    """What staff rejected is no part of the listing, so the export leaves it out."""
    return [item for item in items if item.review_status != ReviewStatus.REJECTED]


def _text(value) -> str:
    """A cell for a number or a date; empty for none."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
