"""Component categories, processes and certifications: the project's copy of the domain data.

The CSV files in `data/` are the source; `sync_taxonomy()` writes them to the database, where
the rest of the code reads them (and staff may change a category's phase). Units of supply are
read from the CSV files alone (`portal.taxonomy.units`): staff never change them.
"""

import csv
from functools import cache
from pathlib import Path

from flask_babel import LazyString

from portal.extensions import db
from portal.taxonomy.models import CertificationType, ComponentCategory, Process

DATA_DIR = Path(__file__).parent / "data"

PROVINCES = (
    "Punjab",
    "Sindh",
    "Khyber Pakhtunkhwa",
    "Balochistan",
    "Islamabad Capital Territory",
    "Gilgit-Baltistan",
    "Azad Jammu and Kashmir",
)

PHASES = {
    1: "Phase 1: chargers, cables, housings and packaging",
    2: "Phase 2: boards and assemblies",
    3: "Phase 3: displays, cameras, batteries and other electronic parts",
}


@cache
def _rows(filename: str) -> tuple[dict, ...]:
    with open(DATA_DIR / filename, newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def category_rows():
    return _rows("components.csv")


def process_rows():
    return _rows("processes.csv")


def certification_rows():
    return _rows("certifications.csv")


def unit_rows():
    return _rows("units.csv")


@cache
def english_names() -> dict[str, dict[str, str]]:
    """Slug to English name of each category and certification, as the files (and so the
    database, which `sync_taxonomy` fills from them) hold them: read once, for busy pages."""
    return {
        "category": {row["slug"]: row["name"] for row in category_rows()},
        "certification": {row["slug"]: row["name"] for row in certification_rows()},
    }


def sync_taxonomy(session=None) -> None:
    """Insert or update every taxonomy row from the CSV files; keeps staff-edited phases."""
    session = session or db.session
    categories = _by_slug(session, ComponentCategory)
    for row in category_rows():
        category = categories.get(row["slug"])
        if category is None:
            category = ComponentCategory(slug=row["slug"], phase=int(row.get("phase") or 3))
            session.add(category)
        category.name = row["name"]
        category.group = row["group"]
        category.hs_code = row["hs_code"] or None
        category.synonyms = row["synonyms"]
    processes = _by_slug(session, Process)
    for row in process_rows():
        process = processes.get(row["slug"]) or Process(slug=row["slug"])
        process.name, process.synonyms = row["name"], row["synonyms"]
        session.add(process)
    certifications = _by_slug(session, CertificationType)
    for row in certification_rows():
        cert = certifications.get(row["slug"]) or CertificationType(slug=row["slug"])
        cert.name, cert.kind, cert.notes = row["name"], row["kind"], row["notes"]
        session.add(cert)
    session.flush()


def _by_slug(session, model) -> dict:
    """A taxonomy table's rows by slug, in one statement rather than one per row of the files
    (every start-up and every test's fresh database syncs)."""
    return {item.slug: item for item in session.scalars(db.select(model))}


def category_choices() -> list[tuple[str, str]]:
    return [
        (c.slug, c.label) for c in db.session.scalars(db.select(ComponentCategory).order_by(ComponentCategory.name))
    ]


def process_choices() -> list[tuple[str, str]]:
    return [(p.slug, p.label) for p in db.session.scalars(db.select(Process).order_by(Process.name))]


def province_choices() -> list[tuple[str, LazyString]]:
    """(province, its name in the reader's language, worked out when shown)."""
    from portal.taxonomy.names import province_name

    return [(province, LazyString(province_name, province)) for province in PROVINCES]


def certification_choices() -> list[tuple[str, str]]:
    return [
        (c.slug, c.label) for c in db.session.scalars(db.select(CertificationType).order_by(CertificationType.name))
    ]
