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
from portal.i18n import N_, Phrase, Refusal
from portal.suppliers.lifecycle import mark_verified
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus, slugify
from portal.suppliers.service import CAPABILITY_FIELDS, CERTIFICATE_FIELDS
from portal.taxonomy import PROVINCES
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.taxonomy.units import unit_of_spelling, units_of
from portal.timeutil import utcnow
from portal.transactions import one_act

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
RECORD_COLUMN = "record"  # names each row's kind in the listing format (portal.staff.listing_csv)
SEPARATOR = ";"  # between items inside one cell
BATCH_SIZE = 200  # rows per transaction
IMPORT_LOCK = 2026_0001  # PostgreSQL advisory lock key held by each import batch until it commits
MAX_LENGTHS = {"name": 200, "city": 80, "contact_email": 254, "website": 200}
MAX_NUMBERS = {"capacity_units_per_month": 2_147_483_647, "employees": 500_000}  # int4 columns; the form's limit
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROFILE_FIELDS = ("province", "description", "employees", "export_markets", "contact_email", "website")
# What either format can change, and so what the audit's before and after hold.
SNAPSHOT_FIELDS = (
    "legal_name",
    "city",
    *PROFILE_FIELDS,
    "trade_name",
    "address",
    "phone",
    "year_founded",
    "ntn",
    "status",
)
# capacity_unit apart: a new capability without one holds SQL NULL until it is flushed.
CAPABILITY_FACTS = (*(name for name in CAPABILITY_FIELDS if name != "capacity_unit"), "review_status")
CERTIFICATE_FACTS = (*CERTIFICATE_FIELDS, "review_status")
WEBSITE = re.compile(r"https?://[^\s/.]+(\.[^\s/.]+)+(/\S*)?", re.IGNORECASE)
WHOLE_NUMBER = re.compile(r"-?\d+(\.0*)?")


class FileRefused(Refusal):
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

    @property
    def lines(self) -> tuple[int, ...]:
        """The file's lines this row stands for (a listing's rows stand for several)."""
        return (self.line,)


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
    rows: int = 1  # the file's rows it stands for (a listing's firm, capability and certificate rows)


@dataclass
class ParsedFile:
    rows: list  # SupplierRow, or a listing's rows in the listing format
    refused: list[RowProblem]
    warnings: list[str]
    importer: type["Importer"] | None = None  # the format's importer, when not the supplier format's


@dataclass
class ImportReport:
    dry_run: bool
    created: list[RowOutcome] = field(default_factory=list)
    updated: list[RowOutcome] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def firms(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    @property
    def rows(self) -> int:
        outcomes = (*self.created, *self.updated, *self.unchanged)
        return sum(outcome.rows for outcome in outcomes) + len(self.refused)


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
    save_as = Phrase("In your spreadsheet choose Save as → 'CSV UTF-8 (comma delimited)' and upload that file.")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FileRefused(N_("This is a spreadsheet workbook, not a CSV file. %(save_as)s"), save_as=save_as)
    if b"\x00" in data:
        raise FileRefused(N_("This is not a CSV text file (it holds binary data). %(save_as)s"), save_as=save_as)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            N_(
                "The file is not UTF-8 text: line %(line)s holds the byte %(byte)s, which UTF-8 does not allow. %(save_as)s"
            ),
            line=data.count(b"\n", 0, error.start) + 1,
            byte=f"0x{data[error.start]:02X}",
            save_as=save_as,
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
        raise FileRefused(N_("The file is empty."))
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(records)
        taxonomy = taxonomy or Taxonomy.load()
        if RECORD_COLUMN in (cell.strip().lower() for cell in header):
            # The listing format builds on this module, so it is imported only when a file needs it.
            from portal.staff.listing_csv import parse_listing_rows

            return parse_listing_rows(header, records, taxonomy)
        positions, warnings = read_header(header, COLUMNS)
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
                    row = same_firm_as(line, earlier)
                else:
                    parsed.warnings += _units_to_choose(line, row)
            (parsed.rows if isinstance(row, SupplierRow) else parsed.refused).append(row)
    except csv.Error as error:
        raise FileRefused(
            N_("The file is not valid CSV near line %(line)s: %(problem)s."), line=records.line_num, problem=str(error)
        ) from None
    return parsed


OLD_FORMAT_UNIT = "units"  # what capacity_units_per_month counts in


def _units_to_choose(line: int, row: SupplierRow) -> list[str]:
    """A warning for each category of the row in which "units" could mean more than one unit."""
    return [
        Phrase(
            "line %(line)s: %(category)s is counted in %(units)s, and 'units' could be any of them; a new capability "
            "gets no unit and is counted apart until one is chosen (flask taxonomy check-units lists it)",
            line=line,
            category=slug,
            units=" or ".join(u.slug for u in units_of(slug)),
        )
        for slug in row.categories
        if unit_of_spelling(slug, OLD_FORMAT_UNIT) is None
    ]


def read_header(cells: list[str], columns: tuple[str, ...]) -> tuple[dict[str, int], list[str]]:
    """Where each of the format's `columns` is, and a warning for each other column; FileRefused
    when one is missing or named twice."""
    names = [cell.strip().lower() for cell in cells]
    if len(names) == 1 and SEPARATOR in names[0]:
        raise FileRefused(
            N_(
                "The columns are separated by ';' but this format separates them by commas "
                "(';' separates items inside a cell). Save the file as 'CSV UTF-8 (comma delimited)'."
            )
        )
    missing = [column for column in columns if column not in names]
    if missing:
        raise FileRefused(
            N_(
                "The header (line 1) lacks the column(s) %(missing)s. The first line must name these columns: %(columns)s."
            ),
            missing=", ".join(missing),
            columns=", ".join(columns),
        )
    repeated = sorted({name for name in names if name in columns and names.count(name) > 1})
    if repeated:
        raise FileRefused(
            N_("The header (line 1) names the column(s) %(columns)s more than once."), columns=", ".join(repeated)
        )
    warnings = [
        Phrase(
            "Column %(number)s (%(name)s) is not part of the format and was ignored.",
            number=number,
            name=repr(cells[number - 1].strip()),
        )
        if name
        else Phrase("Column %(number)s (without a name) is not part of the format and was ignored.", number=number)
        for number, name in enumerate(names, start=1)
        if name not in columns
    ]
    return {column: names.index(column) for column in columns}, warnings


def same_firm_as(line: int, earlier: int) -> "RowProblem":
    return RowProblem(
        line, (Phrase("the same firm (name and city) as line %(line)s; keep one of the lines", line=earlier),)
    )


def wrong_width(line: int, cells: list[str], width: int) -> "RowProblem | None":
    """The problem of a row whose cells do not match the header's columns, if they do not."""
    if len(cells) == width:
        return None
    reason = Phrase(
        "the row has %(cells)s cells but the header has %(width)s; is a cell quoted wrongly?",
        cells=len(cells),
        width=width,
    )
    return RowProblem(line, (reason,))


def key_and_length_problems(cell: dict[str, str], max_lengths: dict[str, int]) -> list[str]:
    """A missing name or city, and text longer than its column holds."""
    problems = [Phrase("%(column)s is missing", column=column) for column in ("name", "city") if not cell[column]]
    return problems + [
        Phrase("%(column)s is longer than %(limit)s characters", column=column, limit=limit)
        for column, limit in max_lengths.items()
        if len(cell.get(column, "")) > limit
    ]


def _parse_row(line: int, cells: list[str], positions: dict[str, int], width: int, taxonomy: Taxonomy):
    """A SupplierRow, or a RowProblem listing every reason the row is refused."""
    if problem := wrong_width(line, cells, width):
        return problem
    cell = {column: unescape(cells[index].strip()) for column, index in positions.items()}
    problems = key_and_length_problems(cell, MAX_LENGTHS)
    row = SupplierRow(
        line=line,
        name=cell["name"],
        city=cell["city"],
        province=read_province(cell["province"], problems),
        description=cell["description"],
        categories=_slugs(cell["categories"], taxonomy.categories, "category", problems),
        processes=_slugs(cell["processes"], taxonomy.processes, "process", problems),
        certifications=_certifications(cell["certifications"], taxonomy.certifications, problems),
        capacity=read_whole_number(cell, "capacity_units_per_month", problems),
        employees=read_whole_number(cell, "employees", problems),
        export_markets=tuple(read_items(cell["export_markets"])),
        contact_email=read_email(cell["contact_email"], problems),
        website=read_website(cell["website"], problems),
        verified=read_yes_no(cell["verified"], problems),
    )
    return RowProblem(line, tuple(problems)) if problems else row


def read_items(text: str) -> list[str]:
    """'a; b ;a;' -> ['a', 'b']: order kept, blanks and repeats dropped."""
    return list(dict.fromkeys(item.strip() for item in text.split(SEPARATOR) if item.strip()))


_PROVINCES = {province.casefold(): province for province in PROVINCES}


def read_province(text: str, problems: list[str]) -> str:
    province = _PROVINCES.get(text.casefold())
    if province is None and text:
        problems.append(
            Phrase("unknown province '%(text)s' (use one of: %(provinces)s)", text=text, provinces=", ".join(PROVINCES))
        )
    elif province is None:
        problems.append(Phrase("province is missing (use one of: %(provinces)s)", provinces=", ".join(PROVINCES)))
    return province or ""


UNKNOWN_SLUG = {
    "category": N_("unknown category '%(slug)s' (see the taxonomy)"),
    "process": N_("unknown process '%(slug)s' (see the taxonomy)"),
    "certification": N_("unknown certification '%(slug)s' (see the taxonomy)"),
}


def unknown_slug(kind: str, slug: str) -> Phrase:
    return Phrase(UNKNOWN_SLUG[kind], slug=slug)


def _slugs(text: str, known: frozenset[str], kind: str, problems: list[str]) -> tuple[str, ...]:
    slugs = read_items(text.lower())
    problems += [unknown_slug(kind, slug) for slug in slugs if slug not in known]
    return tuple(slugs)


def _certifications(text: str, known: frozenset[str], problems: list[str]) -> tuple[tuple[str, date], ...]:
    expiries: dict[str, date] = {}
    for item in read_items(text):
        slug, _, when = (part.strip() for part in item.partition(":"))
        slug = slug.lower()
        if slug not in known:
            problems.append(unknown_slug("certification", slug))
        elif not when:
            problems.append(
                Phrase("certification '%(slug)s' has no expiry date (write %(slug)s:YYYY-MM-DD)", slug=slug)
            )
        elif (expiry := read_date(when)) is None:
            problems.append(
                Phrase("certification '%(slug)s': '%(text)s' is not a date (write YYYY-MM-DD)", slug=slug, text=when)
            )
        elif expiries.setdefault(slug, expiry) != expiry:
            problems.append(Phrase("certification '%(slug)s' is listed twice with different dates", slug=slug))
    return tuple(expiries.items())


def read_date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def as_whole_number(text: str) -> int | None:
    """The number a cell holds ("10,000" and "10 000" as spreadsheets show them), or None if it is not whole."""
    plain = re.sub(r"[\s,_]", "", text)
    return int(plain.partition(".")[0]) if WHOLE_NUMBER.fullmatch(plain) else None


def not_a_whole_number(column: str, text: str) -> Phrase:
    return Phrase("%(column)s '%(text)s' is not a whole number", column=column, text=text)


def read_whole_number(cell: dict[str, str], column: str, problems: list[str]) -> int | None:
    text = cell[column]
    if not text:
        return None
    number = as_whole_number(text)
    if number is None:
        problems.append(not_a_whole_number(column, text))
        return None
    if number < 0:
        problems.append(Phrase("%(column)s '%(text)s' is negative", column=column, text=text))
    elif number > MAX_NUMBERS[column]:
        problems.append(
            Phrase(
                "%(column)s '%(text)s' is larger than %(most)s",
                column=column,
                text=text,
                most=format(MAX_NUMBERS[column], ","),
            )
        )
    return number


def read_email(text: str, problems: list[str]) -> str:
    if text:
        try:
            validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            problems.append(Phrase("contact_email '%(text)s' is not a valid e-mail address", text=text))
    return text


def read_website(text: str, problems: list[str]) -> str:
    if text and not WEBSITE.fullmatch(text):
        problems.append(Phrase("website '%(text)s' is not a web address (write it like https://example.pk)", text=text))
    return text


def read_yes_no(text: str, problems: list[str], column: str = "verified") -> bool:
    answer = text.lower()
    if answer not in ("yes", "no", ""):
        problems.append(Phrase("%(column)s '%(text)s' must be yes or no", column=column, text=text))
    return answer == "yes"


def unescape(text: str) -> str:
    """Undo the export's guard against spreadsheet formulas ("'=..." back to "=...")."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def escape_formula(text: str) -> str:
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
    importer = (parsed.importer or Importer)(actor=actor, as_staff=as_staff, dry_run=dry_run, source=source)
    importer.report.refused += parsed.refused
    importer.report.warnings += parsed.warnings
    try:
        for start in range(0, len(parsed.rows), BATCH_SIZE):
            batch = parsed.rows[start : start + BATCH_SIZE]
            importer.import_batch(batch)
            if progress is not None:
                progress(sum(len(row.lines) for row in batch))
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


class Importer:
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
        self.report.refused += [RowProblem(line, (reason,)) for row in rows for line in row.lines]

    def import_batch(self, rows: list[SupplierRow]) -> None:
        if self.failure:
            self.refuse(rows, self.failure)
            return
        if not self.dry_run:
            try:
                self._serialise_with_other_imports()
            except SQLAlchemyError as error:
                db.session.rollback()
                self.failure = Phrase(
                    "not imported: the database failed (%(error)s); import the file again", error=_error_name(error)
                )
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
                self.failure = Phrase(
                    "not imported: the database failed (%(error)s) at this batch of rows; "
                    "the rows before it were saved, so import the file again",
                    error=_error_name(error),
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
        with one_act():
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
        for kind, outcome in outcomes:
            if kind == "created":
                self.firm_ids[firm_key(outcome.name, outcome.city)] = [outcome.firm_id]
        return outcomes

    def _refusal(self, row: SupplierRow, ids: list[int], firm: Firm | None) -> str | None:
        if row.verified and not self.as_staff:
            return Phrase("only EDB staff imports may set verified=yes; write no")
        if len(ids) > 1:
            return Phrase(
                "%(count)s firms named '%(name)s' in %(city)s already exist; merge them before importing",
                count=len(ids),
                name=row.name,
                city=row.city,
            )
        if firm is not None and not self.as_staff and firm.status in (ListingStatus.VERIFIED, ListingStatus.REJECTED):
            return Phrase(
                "'%(firm)s' is a listing marked “%(status)s”; only EDB staff imports may change it",
                firm=firm.legal_name,
                status=firm.status.label,
            )
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
        self._apply_row(row, firm)
        after = listing_facts(firm)
        kind = "created" if created else "unchanged" if after == before else "updated"
        return _Change(kind, row, firm, before, after)

    def _apply_row(self, row: SupplierRow, firm: Firm) -> None:
        """What the format's row says of the firm; the listing format's importer has its own."""
        self.apply_profile(firm, {name: getattr(row, name) for name in PROFILE_FIELDS}, verified=row.verified)
        self._apply_capabilities(firm, row)
        self._apply_certificates(firm, row)

    def apply_profile(self, firm: Firm, profile: dict, *, verified: bool) -> None:
        """Set the profile's values that differ; `verified` publishes the listing."""
        for name, value in profile.items():
            value = list(value) if isinstance(value, tuple) else value
            if getattr(firm, name) != value:
                setattr(firm, name, value)
        if verified and firm.status != ListingStatus.VERIFIED:
            mark_verified(firm, self.now)

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
            **audit.snapshot(c, CAPABILITY_FACTS),
            "capacity_unit": c.capacity_unit if isinstance(c.capacity_unit, str) else None,
            "processes": sorted(p.slug for p in c.processes),
        }
        for c in firm.capabilities
    }
    certificates = sorted(
        (audit.snapshot(c, CERTIFICATE_FACTS) for c in firm.certificates),
        key=lambda c: (c["type_slug"], c["number"] or "", c["expiry_date"] or "", c["review_status"]),
    )
    return {**audit.snapshot(firm, SNAPSHOT_FIELDS), "capabilities": capabilities, "certificates": certificates}


def _outcomes(changes: list[_Change]) -> list[tuple[str, RowOutcome]]:
    return [(c.kind, RowOutcome(c.row.line, c.row.name, c.row.city, c.firm.id, len(c.row.lines))) for c in changes]


def _refused_by_database(error: Exception) -> str:
    if isinstance(error, StaleDataError):
        return Phrase("someone changed this firm during the import; import the file again to apply this line")
    return Phrase("the database refused it (%(error)s); nothing was saved", error=_error_name(error))


def _error_name(error: Exception) -> str:
    """The driver's error class (e.g. "UniqueViolation"), which says more than SQLAlchemy's wrapper."""
    return type(getattr(error, "orig", None) or error).__name__


def _firms_with_listing():
    return select(Firm).options(
        selectinload(Firm.capabilities).selectinload(Capability.processes), selectinload(Firm.certificates)
    )


# --- exporting -----------------------------------------------------------------------------------


def exported_firms() -> Iterator[Firm]:
    """Every firm (every status, suspended too) with its listing, sorted by name: what both formats export."""
    order = (func.lower(Firm.legal_name), Firm.legal_name, Firm.city, Firm.id)
    yield from db.session.scalars(_firms_with_listing().order_by(*order).execution_options(yield_per=500))


def export_rows(on_firm: Callable[[], object] | None = None) -> Iterator[list[str]]:
    """The header, then one row per firm; `on_firm` is called after each (a progress bar)."""
    yield list(COLUMNS)
    for firm in exported_firms():
        yield [escape_formula(cell) for cell in _export_row(firm)]
        if on_firm is not None:
            on_firm()


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
        join_items(c.category_slug for c in capabilities),
        join_items(sorted({p.slug for c in capabilities for p in c.processes})),
        join_items(f"{slug}:{expiry.isoformat()}" for slug, expiry in sorted(expiries.items())),
        str(capabilities[0].monthly_capacity) if capabilities else "",
        "" if firm.employees is None else str(firm.employees),
        join_items(firm.export_markets or []),
        firm.contact_email or "",
        firm.website or "",
        "yes" if public else "no",
    ]


def join_items(items: Iterable[str]) -> str:
    return SEPARATOR.join(items)


def export_chunks(rows: Iterable[list[str]] | None = None, rows_per_chunk: int = 500) -> Iterator[str]:
    """An export's rows (the supplier format's by default) as pieces of CSV text, for streaming a
    download without holding it all in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, row in enumerate(export_rows() if rows is None else rows):
        writer.writerow(row)
        if number % rows_per_chunk == rows_per_chunk - 1:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_firms(stream, progress: Callable[[int], object] | None = None, rows=export_rows) -> int:
    """Write every firm to a text stream (opened with newline="") in the format `rows` writes (the
    supplier format's by default); returns how many firms were written."""
    written = 0

    def counted() -> None:
        nonlocal written
        written += 1
        if progress is not None:
            progress(1)

    csv.writer(stream).writerows(rows(counted))
    return written


def firms_to_export() -> int:
    """How many firms an export writes: a progress bar's length."""
    return db.session.scalar(select(func.count(Firm.id))) or 0
