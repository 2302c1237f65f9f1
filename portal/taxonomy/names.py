"""The taxonomy in the reader's language: Urdu names of categories, processes, certifications,
provinces, phases and capacity units, with their Urdu-script and Roman Urdu search words.

`data/names_ur.csv` holds them beside the English CSV files (kind, slug or English key, name,
Urdu-script synonyms and Roman Urdu spellings, each list split by "|"). Technical names such as
ISO 9001 or PCB stay in Latin script. A name with no Urdu row is shown in English.
"""

import csv
from dataclasses import dataclass
from functools import cache

from babel import Locale
from flask import has_app_context
from flask_babel import get_locale

KINDS = ("category", "process", "certification", "province", "phase", "unit")


@dataclass(frozen=True)
class UrduName:
    kind: str
    key: str  # the slug, or the English name for provinces and units, or the phase number
    name: str
    synonyms: tuple[str, ...]  # in Urdu script
    roman: tuple[str, ...]  # common Roman Urdu spellings


def _split(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in (text or "").split("|") if word.strip())


@cache
def urdu_names() -> dict[tuple[str, str], UrduName]:
    """Every Urdu row, keyed by (kind, key)."""
    from portal.taxonomy import DATA_DIR  # the package imports the models, which import this module

    with open(DATA_DIR / "names_ur.csv", newline="", encoding="utf-8") as handle:
        rows = [
            UrduName(row["kind"], row["slug"], row["name"], _split(row["synonyms"]), _split(row["roman"]))
            for row in csv.DictReader(handle)
        ]
    return {(row.kind, row.key): row for row in rows}


@cache
def _slug_of_english_name() -> dict[tuple[str, str], str]:
    """(kind, English name) -> slug, for places that hold a name rather than a row."""
    from portal.taxonomy import category_rows, certification_rows, process_rows

    english = {"category": category_rows, "process": process_rows, "certification": certification_rows}
    return {(kind, row["name"]): row["slug"] for kind, rows in english.items() for row in rows()}


def _reading_urdu() -> bool:
    locale = get_locale() if has_app_context() else None
    return locale is not None and locale.language == "ur"


def local_name(kind: str, key, english: str) -> str:
    """`english` in the reader's language: the Urdu name on Urdu pages when there is one."""
    if not _reading_urdu():
        return english
    row = urdu_names().get((kind, str(key)))
    return row.name if row else english


def name_from_english(kind: str, english: str) -> str:
    """The reader's name for a category, process or certification known by its English name."""
    if not english or not _reading_urdu():
        return english
    slug = _slug_of_english_name().get((kind, english))
    return local_name(kind, slug, english) if slug else english


def province_name(province: str) -> str:
    return local_name("province", province, province) if province else ""


def unit_name(unit: str) -> str:
    return local_name("unit", unit, unit) if unit else ""


def unit_symbol(unit: str | None) -> str:
    """A unit as written after a number ("pcs", "m²") in the reader's language; one still to be
    chosen says so."""
    from flask_babel import gettext

    from portal.taxonomy.units import symbol

    if unit is None:
        return gettext("(unit not stated)")
    return local_name("unit", unit, symbol(unit))


def category_name(slug: str) -> str:
    """A category known only by its slug, named in the reader's language (the slug if unknown)."""
    from portal.taxonomy import category_rows

    english = next((row["name"] for row in category_rows() if row["slug"] == slug), slug)
    return local_name("category", slug, english)


def phase_name(number: int, english: str) -> str:
    return local_name("phase", number, english)


# Names firms still write for countries CLDR now names otherwise.
COUNTRY_ALIASES = {"Turkey": "TR", "UAE": "AE", "UK": "GB", "USA": "US", "Czech Republic": "CZ"}


@cache
def _english_territories() -> dict[str, str]:
    return {name: code for code, name in Locale("en").territories.items()} | COUNTRY_ALIASES


def country_name(country: str) -> str:
    """A country named in English (export markets), in the reader's language, from CLDR."""
    if not country or not _reading_urdu():
        return country
    code = _english_territories().get(country.strip())
    return Locale("ur").territories.get(code, country) if code else country


def search_words(kind: str, key: str) -> tuple[str, ...]:
    """Urdu-script and Roman Urdu words that name this row, for search to widen queries with."""
    row = urdu_names().get((kind, key))
    return (row.name, *row.synonyms, *row.roman) if row else ()
