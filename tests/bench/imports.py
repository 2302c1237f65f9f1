"""Supplier CSV benchmarks: export the corpus, import 10,000 new firms into it, re-import them unchanged.

The import runs against the corpus's own database, not a fresh one: that is the engine the
figures are for (SQLite or PostgreSQL), and EDB staff import new firms into a portal that
already holds the directory. The rows are the corpus's own, renamed so that every one creates a
firm with its capabilities, certificates and audit entry: that write path is what
`import_rows_per_s` measures. Importing the same file again changes nothing; that read-and-compare
path is `reimport_rows_per_s`. The imported firms are deleted afterwards, so benchmarks that run
later see the corpus as it was (their audit entries stay: the audit chain must stay whole).
"""

import csv
import io
import sys
import time

from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.staff.imports import export_firms, import_firms, parse_rows
from portal.suppliers.models import Firm
from tests.bench.registry import Figure, Run, benchmark

IMPORT_ROWS = 10_000
SUFFIX = " (bench import)"


@benchmark("import")
def supplier_csv(run: Run) -> list[Figure]:
    """Export the whole corpus as supplier CSV, import 10,000 of its rows as new firms, then import them again."""
    with run.app.app_context():
        stream = io.StringIO(newline="")
        started = time.perf_counter()
        exported = export_firms(stream)
        export_seconds = time.perf_counter() - started
        if exported != run.size:
            raise RuntimeError(f"the export wrote {exported:,} firms; the corpus has {run.size:,}")
        data, rows = _as_new_firms(stream.getvalue(), IMPORT_ROWS)
        last_corpus_id = db.session.scalar(select(func.max(Firm.id)))
        db.session.remove()

        try:
            first, import_seconds = _timed_import(data)
            if len(first.created) + len(first.refused) != rows or len(first.created) < rows * 0.95:
                raise RuntimeError(f"the import created {len(first.created):,} of {rows:,} firms")
            again, reimport_seconds = _timed_import(data)
            if len(again.unchanged) != len(first.created):
                raise RuntimeError(f"the re-import changed {len(again.updated) + len(again.created):,} firms")
        finally:
            db.session.remove()
            db.session.execute(delete(Firm).where(Firm.id > last_corpus_id))
            db.session.commit()
    print(
        f"import: {len(first.created):,} created, {len(first.refused):,} refused (the corpus repeats some "
        f"name and city pairs) in {import_seconds:.1f} s; re-import {reimport_seconds:.1f} s",
        file=sys.stderr,
    )
    return [
        Figure("export_rows_per_s", exported / export_seconds, "rows/s"),
        Figure("import_rows_per_s", rows / import_seconds, "rows/s"),
        Figure("reimport_rows_per_s", rows / reimport_seconds, "rows/s"),
    ]


def _as_new_firms(text: str, limit: int) -> tuple[bytes, int]:
    """The header and the first `limit` rows, each firm renamed so the import creates it anew."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(next(reader))
    rows = 0
    for cells in reader:
        if rows == limit:
            break
        writer.writerow([cells[0] + SUFFIX, *cells[1:]])
        rows += 1
    return out.getvalue().encode(), rows


def _timed_import(data: bytes):
    """Parse and import as the CLI does (staff rights, no dry run); returns the report and seconds."""
    started = time.perf_counter()
    report = import_firms(parse_rows(data), actor=None, as_staff=True, dry_run=False)
    return report, time.perf_counter() - started
