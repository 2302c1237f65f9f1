"""Bulk import and export of supplier firms in the supplier CSV format of CONTRACT.md.

`parse_rows()` turns a file into valid rows and refused rows (needing only the taxonomy);
`import_firms()` applies the valid rows; `export_firms()` writes the same format back.

What a row means, so that importing an export changes nothing and importing it into an empty
database gives the same public listings:

- A firm is the same firm when name and city match case-insensitively; they are never changed.
- Profile cells (province, description, employees, export markets, e-mail, website) replace the
  firm's values; an empty cell clears the value.
- Imports add and update, never delete: a category not yet listed becomes a capability (the first
  category is the main line) with the row's capacity and processes. The capacity updates the
  first category's capability; processes the firm lacks are added to it. The format counts
  capacity in "units": that is the category's unit that spelling stands for (pieces for chargers,
  boards for PCB assembly); where it could be several (cells or packs of batteries) the capability
  gets no unit, is named in the report's warnings and counted apart until one is chosen.
- A certification is matched by type (the one with that expiry date, else the newest one not
  rejected): its expiry date is updated, or a new certificate is added.
- Only a staff import honours `verified=yes`: the listing is verified, its certificates in the row
  and its pending capabilities in the row too. `no` leaves an existing firm's status alone; new
  firms start as drafts.
- The export says `verified=yes` only for public listings (verified, not suspended) and then
  carries only what staff verified; other listings carry what is not rejected. So re-importing
  an export never publishes or verifies anything staff have not.
- Cells that a spreadsheet would run as a formula (starting with = + - @) are exported with a
  leading apostrophe, which the import removes again.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, null, select, text
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal import audit
from portal.extensions import db
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus, slugify
from portal.taxonomy import PROVINCES
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.taxonomy.units import unit_of_spelling, units_of
from portal.timeutil import utcnow

COLUMNS = (
    "name",
    "city",
    "province",
    "description",
    "categories",
    "processes",
    "certifications",
    "capacity_units_per_month",
    "employees",
    "export_markets",
    "contact_email",
    "website",
    "verified",
)
SEPARATOR = ";"  # between items inside one cell
BATCH_SIZE = 200  # rows per transaction
IMPORT_LOCK = 2026_0001  # PostgreSQL advisory lock key held by each import batch until it commits
MAX_LENGTHS = {"name": 200, "city": 80, "contact_email": 254, "website": 200}
MAX_NUMBERS = {"capacity_units_per_month": 2_147_483_647, "employees": 500_000}  # int4 columns; the form's limit
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROFILE_FIELDS = ("province", "description", "employees", "export_markets", "contact_email", "website")
SNAPSHOT_FIELDS = ("legal_name", "city", *PROFILE_FIELDS, "status")
WEBSITE = re.compile(r"https?://[^\s/.]+(\.[^\s/.]+)+(/\S*)?", re.IGNORECASE)
WHOLE_NUMBER = re.compile(r"-?\d+(\.0*)?")


class FileRefused(ValueError):
    """The file as a whole cannot be read (binary, not UTF-8, header without the columns): nothing is imported."""


@dataclass(frozen=True)
class SupplierRow:
    """One valid row; `line` is its row number in a spreadsheet (the header is line 1)."""

    line: int
    name: str
    city: str
    province: str
    description: str
    categories: tuple[str, ...]
    processes: tuple[str, ...]
    certifications: tuple[tuple[str, date], ...]  # (type slug, expiry date)
    capacity: int | None
    employees: int | None
    export_markets: tuple[str, ...]
    contact_email: str
    website: str
    verified: bool

    @property
    def key(self) -> tuple[str, str]:
        return firm_key(self.name, self.city)


@dataclass(frozen=True)
class RowProblem:
    line: int
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"line {self.line}: {'; '.join(self.reasons)}"


@dataclass(frozen=True)
class RowOutcome:
    line: int
    name: str
    city: str
    firm_id: int | None  # None for a firm a dry run would create


@dataclass
class ParsedFile:
    rows: list[SupplierRow]
    refused: list[RowProblem]
    warnings: list[str]


@dataclass
class ImportReport:
    dry_run: bool
    created: list[RowOutcome] = field(default_factory=list)
    updated: list[RowOutcome] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.refused)


@dataclass(frozen=True)
class Taxonomy:
    """The slugs a row may name, loaded once per file rather than queried per row."""

    categories: frozenset[str]
    processes: frozenset[str]
    certifications: frozenset[str]

    @classmethod
    def load(cls) -> "Taxonomy":
        def slugs(model):
            return frozenset(db.session.scalars(select(model.slug)))

        return cls(slugs(ComponentCategory), slugs(Process), slugs(CertificationType))


def firm_key(name: str, city: str) -> tuple[str, str]:
    return name.strip().casefold(), city.strip().casefold()


# --- reading a file ------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text; FileRefused if it is a workbook, binary or not UTF-8 (naming the first bad line)."""
    save_as = "In your spreadsheet choose Save as → 'CSV UTF-8 (comma delimited)' and upload that file."
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FileRefused(f"This is a spreadsheet workbook, not a CSV file. {save_as}")
    if b"\x00" in data:
        raise FileRefused(f"This is not a CSV text file (it holds binary data). {save_as}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileRefused(
            f"The file is not UTF-8 text: line {line} holds the byte 0x{data[error.start]:02X}, "
            f"which UTF-8 does not allow. {save_as}"
        ) from None


def parse_rows(source, taxonomy: Taxonomy | None = None) -> ParsedFile:
    """Read a CSV (bytes, text or a file object) into valid rows and refused rows with their reasons.

    Raises FileRefused when the file itself is unusable; row problems never stop the other rows.
    """
    if hasattr(source, "read"):
        source = source.read()
    text = source if isinstance(source, str) else decode(bytes(source))
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FileRefused("The file is empty.")
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(records)
        positions, warnings = _read_header(header)
        taxonomy = taxonomy or Taxonomy.load()
        parsed = ParsedFile(rows=[], refused=[], warnings=warnings)
        first_line: dict[tuple[str, str], int] = {}
        # Spreadsheet row numbers: one per record, even when a quoted cell spans several text lines.
        for line, cells in enumerate(records, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row = _parse_row(line, cells, positions, len(header), taxonomy)
            if isinstance(row, SupplierRow):
                earlier = first_line.setdefault(row.key, line)
                if earlier != line:
                    row = RowProblem(line, (f"the same firm (name and city) as line {earlier}; keep one of the lines",))
                else:
                    parsed.warnings += _units_to_choose(line, row)
            (parsed.rows if isinstance(row, SupplierRow) else parsed.refused).append(row)
    except csv.Error as error:
        raise FileRefused(f"The file is not valid CSV near line {records.line_num}: {error}.") from None
    return parsed


OLD_FORMAT_UNIT = "units"  # what capacity_units_per_month counts in


def _units_to_choose(line: int, row: SupplierRow) -> list[str]:
    """A warning for each category of the row in which "units" could mean more than one unit."""
    return [
        f"line {line}: {slug} is counted in {' or '.join(u.slug for u in units_of(slug))}, and 'units' could be any "
        "of them; a new capability gets no unit and is counted apart until one is chosen "
        "(flask taxonomy check-units lists it)"
        for slug in row.categories
        if unit_of_spelling(slug, OLD_FORMAT_UNIT) is None
    ]


def _read_header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    names = [cell.strip().lower() for cell in cells]
    if len(names) == 1 and SEPARATOR in names[0]:
        raise FileRefused(
            "The columns are separated by ';' but this format separates them by commas "
            "(';' separates items inside a cell). Save the file as 'CSV UTF-8 (comma delimited)'."
        )
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise FileRefused(
            f"The header (line 1) lacks the column(s) {', '.join(missing)}. "
            f"The first line must name these columns: {', '.join(COLUMNS)}."
        )
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if repeated:
        raise FileRefused(f"The header (line 1) names the column(s) {', '.join(repeated)} more than once.")
    warnings = [
        f"Column {number} ({repr(cells[number - 1].strip()) if name else 'without a name'}) "
        "is not part of the format and was ignored."
        for number, name in enumerate(names, start=1)
        if name not in COLUMNS
    ]
    return {column: names.index(column) for column in COLUMNS}, warnings


def _parse_row(line: int, cells: list[str], positions: dict[str, int], width: int, taxonomy: Taxonomy):
    """A SupplierRow, or a RowProblem listing every reason the row is refused."""
    if len(cells) != width:
        return RowProblem(
            line, (f"the row has {len(cells)} cells but the header has {width}; is a cell quoted wrongly?",)
        )
    cell = {column: _unescape(cells[index].strip()) for column, index in positions.items()}
    problems: list[str] = []
    for column in ("name", "city"):
        if not cell[column]:
            problems.append(f"{column} is missing")
    for column, limit in MAX_LENGTHS.items():
        if len(cell[column]) > limit:
            problems.append(f"{column} is longer than {limit} characters")
    row = SupplierRow(
        line=line,
        name=cell["name"],
        city=cell["city"],
        province=_province(cell["province"], problems),
        description=cell["description"],
        categories=_slugs(cell["categories"], taxonomy.categories, "category", problems),
        processes=_slugs(cell["processes"], taxonomy.processes, "process", problems),
        certifications=_certifications(cell["certifications"], taxonomy.certifications, problems),
        capacity=_whole_number(cell, "capacity_units_per_month", problems),
        employees=_whole_number(cell, "employees", problems),
        export_markets=tuple(_items(cell["export_markets"])),
        contact_email=_email(cell["contact_email"], problems),
        website=_website(cell["website"], problems),
        verified=_yes_no(cell["verified"], problems),
    )
    return RowProblem(line, tuple(problems)) if problems else row


def _items(text: str) -> list[str]:
    """'a; b ;a;' -> ['a', 'b']: order kept, blanks and repeats dropped."""
    return list(dict.fromkeys(item.strip() for item in text.split(SEPARATOR) if item.strip()))


_PROVINCES = {province.casefold(): province for province in PROVINCES}


def _province(text: str, problems: list[str]) -> str:
    province = _PROVINCES.get(text.casefold())
    if province is None:
        what = f"unknown province '{text}'" if text else "province is missing"
        problems.append(f"{what} (use one of: {', '.join(PROVINCES)})")
    return province or ""


def _slugs(text: str, known: frozenset[str], kind: str, problems: list[str]) -> tuple[str, ...]:
    slugs = _items(text.lower())
    problems += [f"unknown {kind} '{slug}' (see the taxonomy)" for slug in slugs if slug not in known]
    return tuple(slugs)


def _certifications(text: str, known: frozenset[str], problems: list[str]) -> tuple[tuple[str, date], ...]:
    expiries: dict[str, date] = {}
    for item in _items(text):
        slug, _, when = (part.strip() for part in item.partition(":"))
        slug = slug.lower()
        if slug not in known:
            problems.append(f"unknown certification '{slug}' (see the taxonomy)")
        elif not when:
            problems.append(f"certification '{slug}' has no expiry date (write {slug}:YYYY-MM-DD)")
        elif (expiry := _date(when)) is None:
            problems.append(f"certification '{slug}': '{when}' is not a date (write YYYY-MM-DD)")
        elif expiries.setdefault(slug, expiry) != expiry:
            problems.append(f"certification '{slug}' is listed twice with different dates")
    return tuple(expiries.items())


def _date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _whole_number(cell: dict[str, str], column: str, problems: list[str]) -> int | None:
    text = cell[column]
    if not text:
        return None
    plain = re.sub(r"[\s,_]", "", text)  # "10,000" and "10 000" as spreadsheets show them
    if not WHOLE_NUMBER.fullmatch(plain):
        problems.append(f"{column} '{text}' is not a whole number")
        return None
    number = int(plain.partition(".")[0])
    if number < 0:
        problems.append(f"{column} '{text}' is negative")
    elif number > MAX_NUMBERS[column]:
        problems.append(f"{column} '{text}' is larger than {MAX_NUMBERS[column]:,}")
    return number


def _email(text: str, problems: list[str]) -> str:
    if text:
        try:
            validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            problems.append(f"contact_email '{text}' is not a valid e-mail address")
    return text


def _website(text: str, problems: list[str]) -> str:
    if text and not WEBSITE.fullmatch(text):
        problems.append(f"website '{text}' is not a web address (write it like https://example.pk)")
    return text


def _yes_no(text: str, problems: list[str]) -> bool:
    answer = text.lower()
    if answer not in ("yes", "no", ""):
        problems.append(f"verified '{text}' must be yes or no")
    return answer == "yes"


def _unescape(text: str) -> str:
    """Undo the export's guard against spreadsheet formulas ("'=..." back to "=...")."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _escape(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# --- importing -----------------------------------------------------------------------------------


def import_firms(
    parsed: ParsedFile,
    *,
    actor=None,
    as_staff: bool,
    dry_run: bool,
    progress: Callable[[int], object] | None = None,
    source: str = "",
) -> ImportReport:
    """Create or update a firm per valid row; the report also carries the rows parse_rows refused.

    Rows are saved in batches, one transaction each (with their audit entries). If the database
    refuses a batch, its rows are saved again one per transaction, so a bad row costs only itself.
    A dry run does the same work in memory, never flushes (so it takes no write lock) and rolls
    it back.
    """
    importer = _Importer(actor=actor, as_staff=as_staff, dry_run=dry_run, source=source)
    importer.report.refused += parsed.refused
    importer.report.warnings += parsed.warnings
    try:
        for start in range(0, len(parsed.rows), BATCH_SIZE):
            batch = parsed.rows[start : start + BATCH_SIZE]
            importer.import_batch(batch)
            if progress is not None:
                progress(len(batch))
    finally:
        if dry_run:
            db.session.rollback()
    importer.report.refused.sort(key=lambda problem: problem.line)
    return importer.report


# The row's own doing (a value the database refuses, a firm changed meanwhile): worth retrying the
# batch's rows one by one. Other errors (a locked or lost database) would only repeat per row.
ROW_ERRORS = (IntegrityError, DataError, StaleDataError)


@dataclass
class _Change:
    kind: str  # "created", "updated" or "unchanged"
    row: SupplierRow
    firm: Firm
    before: dict | None
    after: dict


class _Importer:
    def __init__(self, *, actor, as_staff: bool, dry_run: bool, source: str):
        self.actor, self.as_staff, self.dry_run, self.source = actor, as_staff, dry_run, source
        self.report = ImportReport(dry_run=dry_run)
        self.now = utcnow()
        self.failure: str | None = None  # set when the database fails: the remaining rows are not tried
        self.firm_ids: dict[tuple[str, str], list[int]] = {}
        self.newest_firm_id = 0
        self._learn_new_firms()
        self.processes: dict[str, Process] = {}

    def _learn_new_firms(self) -> None:
        """Add the firms created since the importer last looked (by another import, say) to `firm_ids`."""
        query = select(Firm.id, Firm.legal_name, Firm.city).where(Firm.id > self.newest_firm_id).order_by(Firm.id)
        for firm_id, name, city in db.session.execute(query):
            known = self.firm_ids.setdefault(firm_key(name, city), [])
            if firm_id not in known:
                known.append(firm_id)
            self.newest_firm_id = firm_id

    def _serialise_with_other_imports(self) -> None:
        """Two imports of one file at once would each create the same new firms. Each batch holds a
        lock from looking up which firms exist until it commits, and looks again under it."""
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(select(func.pg_advisory_xact_lock(IMPORT_LOCK)))
        else:  # SQLite: a write, even of no row, takes the database's write lock for the transaction
            db.session.execute(text("UPDATE firm SET id = id WHERE 1 = 0"))
        self._learn_new_firms()

    def refuse(self, rows: Iterable[SupplierRow], reason: str) -> None:
        self.report.refused += [RowProblem(row.line, (reason,)) for row in rows]

    def import_batch(self, rows: list[SupplierRow]) -> None:
        if self.failure:
            self.refuse(rows, self.failure)
            return
        if not self.dry_run:
            try:
                self._serialise_with_other_imports()
            except SQLAlchemyError as error:
                db.session.rollback()
                self.failure = f"not imported: the database failed ({_error_name(error)}); import the file again"
                self.refuse(rows, self.failure)
                return
        changes = self._apply_rows(rows)
        if self.dry_run:
            outcomes = _outcomes(changes)
            db.session.rollback()
        else:
            try:
                outcomes = self._save(changes)
            except ROW_ERRORS as error:
                db.session.rollback()
                if len(changes) > 1:
                    for change in changes:
                        self.import_batch([change.row])
                else:
                    self.refuse([c.row for c in changes], _refused_by_database(error))
                return
            except SQLAlchemyError as error:
                db.session.rollback()
                self.failure = (
                    f"not imported: the database failed ({_error_name(error)}) at this batch of rows; "
                    "the rows before it were saved, so import the file again"
                )
                self.refuse([c.row for c in changes], self.failure)
                return
        for kind, outcome in outcomes:
            getattr(self.report, kind).append(outcome)

    def _apply_rows(self, rows: list[SupplierRow]) -> list[_Change]:
        """Apply each row the importer may apply to its firm, in memory; refuse the others."""
        # Loaded per batch: each commit expires what the session held.
        self.processes = {p.slug: p for p in db.session.scalars(select(Process))}
        ids = [ids[0] for row in rows if len(ids := self.firm_ids.get(row.key, ())) == 1]
        firms = {firm.id: firm for firm in db.session.scalars(_firms_with_listing().where(Firm.id.in_(ids)))}
        changes = []
        with db.session.no_autoflush:  # flushed together by _save, or never in a dry run
            for row in rows:
                ids = self.firm_ids.get(row.key, [])
                firm = firms.get(ids[0]) if len(ids) == 1 else None
                problem = self._refusal(row, ids, firm)
                if problem:
                    self.refuse([row], problem)
                else:
                    changes.append(self._apply(row, firm))
        return changes

    def _save(self, changes: list[_Change]) -> list[tuple[str, RowOutcome]]:
        """Flush the batch, audit each change and commit; returns the outcomes with the new firms' ids."""
        db.session.flush()
        for change in changes:
            if change.kind != "unchanged":
                audit.record(
                    f"firm.imported_{change.kind}",
                    change.firm,
                    actor=self.actor,
                    before=change.before,
                    after=change.after,
                    note=f"{self.source} line {change.row.line}".strip(),
                    firm_id=change.firm.id,
                )
        outcomes = _outcomes(changes)
        db.session.commit()
        for kind, outcome in outcomes:
            if kind == "created":
                self.firm_ids[firm_key(outcome.name, outcome.city)] = [outcome.firm_id]
        return outcomes

    def _refusal(self, row: SupplierRow, ids: list[int], firm: Firm | None) -> str | None:
        if row.verified and not self.as_staff:
            return "only EDB staff imports may set verified=yes; write no"
        if len(ids) > 1:
            return f"{len(ids)} firms named '{row.name}' in {row.city} already exist; merge them before importing"
        if firm is not None and not self.as_staff and firm.status in (ListingStatus.VERIFIED, ListingStatus.REJECTED):
            return f"'{firm.legal_name}' is a {firm.status.value} listing; only EDB staff imports may change it"
        return None

    def _apply(self, row: SupplierRow, firm: Firm | None) -> _Change:
        """Bring the firm in line with the row, in memory (the session is not flushed)."""
        created = firm is None
        before = None if created else listing_facts(firm)
        if created:
            firm = Firm(
                legal_name=row.name,
                city=row.city,
                slug=slugify(row.name),
                status=ListingStatus.DRAFT,
                suspended=False,
                capabilities=[],
                certificates=[],
            )
            if not self.dry_run:
                db.session.add(firm)
        for name in PROFILE_FIELDS:
            value = getattr(row, name)
            value = list(value) if isinstance(value, tuple) else value
            if getattr(firm, name) != value:
                setattr(firm, name, value)
        if row.verified and firm.status != ListingStatus.VERIFIED:
            firm.status, firm.verified_at, firm.review_reasons = ListingStatus.VERIFIED, self.now, {}
        self._apply_capabilities(firm, row)
        self._apply_certificates(firm, row)
        after = listing_facts(firm)
        kind = "created" if created else "unchanged" if after == before else "updated"
        return _Change(kind, row, firm, before, after)

    def _apply_capabilities(self, firm: Firm, row: SupplierRow) -> None:
        existing = {c.category_slug: c for c in firm.capabilities}
        verified_row = self.as_staff and row.verified
        new_status = (
            ReviewStatus.VERIFIED if self.as_staff and firm.status == ListingStatus.VERIFIED else ReviewStatus.PENDING
        )
        processes = [self.processes[slug] for slug in row.processes]
        for position, slug in enumerate(row.categories):
            capability = existing.get(slug)
            if capability is None:
                capability = existing[slug] = Capability(
                    category_slug=slug,
                    monthly_capacity=row.capacity or 0,
                    capacity_unit=unit_of_spelling(slug, OLD_FORMAT_UNIT) or null(),
                    is_main_line=position == 0,
                    review_status=new_status,
                    processes=list(processes),
                )
                firm.capabilities.append(capability)
            elif verified_row and capability.review_status == ReviewStatus.PENDING:
                capability.review_status = ReviewStatus.VERIFIED
        if not row.categories:
            return
        main = existing[row.categories[0]]
        if row.capacity is not None and main.monthly_capacity != row.capacity:
            main.monthly_capacity = row.capacity
        held = {p.slug for c in firm.capabilities for p in c.processes}
        missing = [self.processes[slug] for slug in row.processes if slug not in held]
        if missing:
            main.processes.extend(missing)

    def _apply_certificates(self, firm: Firm, row: SupplierRow) -> None:
        status = ReviewStatus.VERIFIED if self.as_staff and row.verified else ReviewStatus.PENDING
        verified_at = self.now if status == ReviewStatus.VERIFIED else None
        for slug, expiry in row.certifications:
            same_type = [c for c in firm.certificates if c.type_slug == slug]
            certificate = next((c for c in same_type if c.expiry_date == expiry), None) or max(
                (c for c in same_type if c.review_status != ReviewStatus.REJECTED),
                key=lambda c: (c.expiry_date or date.min, c.id or 0),
                default=None,
            )
            if certificate is None:
                firm.certificates.append(
                    Certificate(type_slug=slug, expiry_date=expiry, review_status=status, verified_at=verified_at)
                )
            elif certificate.expiry_date != expiry or (
                status == ReviewStatus.VERIFIED and certificate.review_status == ReviewStatus.PENDING
            ):
                certificate.expiry_date, certificate.review_status, certificate.verified_at = (
                    expiry,
                    status,
                    verified_at,
                )


def listing_facts(firm: Firm) -> dict:
    """What an import can change, as JSON-ready values: the audit's before/after, and "did it change?"."""
    capabilities = {
        c.category_slug: {
            "monthly_capacity": c.monthly_capacity,
            "is_main_line": c.is_main_line,
            "review_status": c.review_status.value,
            "processes": sorted(p.slug for p in c.processes),
        }
        for c in firm.capabilities
    }
    certificates = sorted(
        (audit.snapshot(c, ("type_slug", "expiry_date", "review_status")) for c in firm.certificates),
        key=lambda c: (c["type_slug"], c["expiry_date"] or "", c["review_status"]),
    )
    return {**audit.snapshot(firm, SNAPSHOT_FIELDS), "capabilities": capabilities, "certificates": certificates}


def _outcomes(changes: list[_Change]) -> list[tuple[str, RowOutcome]]:
    return [(c.kind, RowOutcome(c.row.line, c.row.name, c.row.city, c.firm.id)) for c in changes]


def _refused_by_database(error: Exception) -> str:
    if isinstance(error, StaleDataError):
        return "someone changed this firm during the import; import the file again to apply this line"
    return f"the database refused it ({_error_name(error)}); nothing was saved"


def _error_name(error: Exception) -> str:
    """The driver's error class (e.g. "UniqueViolation"), which says more than SQLAlchemy's wrapper."""
    return type(getattr(error, "orig", None) or error).__name__


def _firms_with_listing():
    return select(Firm).options(
        selectinload(Firm.capabilities).selectinload(Capability.processes), selectinload(Firm.certificates)
    )


# --- exporting -----------------------------------------------------------------------------------


def export_rows() -> Iterator[list[str]]:
    """The header, then one row per firm (every status, suspended too), sorted by name."""
    yield list(COLUMNS)
    order = (func.lower(Firm.legal_name), Firm.legal_name, Firm.city, Firm.id)
    query = _firms_with_listing().order_by(*order).execution_options(yield_per=500)
    for firm in db.session.scalars(query):
        yield [_escape(cell) for cell in _export_row(firm)]


def _export_row(firm: Firm) -> list[str]:
    public = firm.is_public
    # A verified row verifies what it lists on import, so it lists only what staff verified.
    wanted = {ReviewStatus.VERIFIED} if public else {ReviewStatus.VERIFIED, ReviewStatus.PENDING}
    capabilities = sorted(
        (c for c in firm.capabilities if c.review_status in wanted), key=lambda c: (not c.is_main_line, c.id)
    )
    expiries: dict[str, date] = {}
    for c in firm.certificates:
        if c.review_status in wanted and c.expiry_date and c.expiry_date > expiries.get(c.type_slug, date.min):
            expiries[c.type_slug] = c.expiry_date
    return [
        firm.legal_name,
        firm.city,
        firm.province,
        firm.description or "",
        _join(c.category_slug for c in capabilities),
        _join(sorted({p.slug for c in capabilities for p in c.processes})),
        _join(f"{slug}:{expiry.isoformat()}" for slug, expiry in sorted(expiries.items())),
        str(capabilities[0].monthly_capacity) if capabilities else "",
        "" if firm.employees is None else str(firm.employees),
        _join(firm.export_markets or []),
        firm.contact_email or "",
        firm.website or "",
        "yes" if public else "no",
    ]


def _join(items: Iterable[str]) -> str:
    return SEPARATOR.join(items)


def export_chunks(rows_per_chunk: int = 500) -> Iterator[str]:
    """The export as pieces of CSV text, for streaming a download without holding it all in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, row in enumerate(export_rows()):
        writer.writerow(row)
        if number % rows_per_chunk == rows_per_chunk - 1:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_firms(stream) -> int:
    """Write every firm to a text stream (opened with newline=""); returns how many firms were written."""
    writer = csv.writer(stream)
    count = -1  # the header is not a firm
    for row in export_rows():
        writer.writerow(row)
        count += 1
    return count
