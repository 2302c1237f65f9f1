"""The search vocabulary files (thesaurus, certificate forms, places) parse and agree with the taxonomy.

Terms are compared the way search compares them: as stemmed word sequences (`analysis.terms`).
"""

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from portal.demo.seed import CITIES as DEMO_CITIES
from portal.search.analysis import terms
from portal.taxonomy import PROVINCES, category_rows, certification_rows, process_rows
from tests.bench.corpus import CITIES as BENCH_CITIES

DATA = Path(__file__).resolve().parents[2] / "portal" / "search" / "data"

# Words that name different things in different categories: never a synonym, at most related.
AMBIGUOUS_WORDS = ("board", "cell", "case", "cover", "chip", "module", "panel", "pack", "box", "frame", "housing",
                   "receiver", "socket", "jack", "adapter", "coil", "film", "tray", "holder")  # fmt: skip
# Place names that are also trade terms; the search must tell them apart from the rest of the query.
PLACES_ALSO_TRADE_TERMS = {("ict",)}  # in-circuit test, and Islamabad Capital Territory


@cache
def stems(term: str) -> tuple[str, ...]:
    return tuple(terms(term))


def split_terms(text: str) -> list[str]:
    return [item.strip() for item in text.split("|")]


@cache
def thesaurus_blocks():
    """(source comment or None, [(line number, synonyms, related)]) for each blank-line separated block."""
    blocks, source, entries = [], None, []
    lines = (DATA / "thesaurus.txt").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate([*lines, ""], start=1):
        if not line.strip():
            if entries:
                blocks.append((source, tuple(entries)))
            source, entries = None, []
        elif line.startswith("#"):
            if line.startswith("# source:") and line[len("# source:") :].strip():
                source = source or line
        else:
            synonyms, tilde, related = line.partition(" ~ ")
            entries.append((number, split_terms(synonyms), split_terms(related) if tilde else []))
    return tuple(blocks)


def thesaurus_entries():
    return [entry for _, entries in thesaurus_blocks() for entry in entries]


def test_every_thesaurus_line_is_well_formed():
    for number, synonyms, related in thesaurus_entries():
        where = f"thesaurus.txt line {number}"
        assert all(synonyms) and all(related), f"{where}: an empty term"
        assert not any("~" in t or "#" in t for t in synonyms + related), f"{where}: one ' ~ ' at most, no '#'"
        assert len({stems(t) for t in synonyms}) >= 2, f"{where}: fewer than two different synonyms"
        for term in synonyms + related:
            words = stems(term)
            assert 1 <= len(words) <= 6, f"{where}: {term!r} gives {words}"
            # "shield can" or "in-cell" would shrink to one common word once stop words are dropped.
            if len(re.findall(r"\w+", term)) > 1 and len(words) == 1:
                assert re.search(r"\d", words[0]), f"{where}: {term!r} shrinks to {words[0]!r}"
        assert not {stems(t) for t in related} & {stems(t) for t in synonyms}, f"{where}: a term on both sides"


def test_every_thesaurus_block_names_its_source():
    unsourced = [entries[0][0] for source, entries in thesaurus_blocks() if source is None]
    assert not unsourced, f"blocks without '# source:' begin at lines {unsourced}"


def test_the_thesaurus_has_at_least_300_entries():
    assert len(thesaurus_entries()) >= 300


def test_a_term_stands_on_one_synonym_line_only():
    lines_of = defaultdict(set)
    for number, synonyms, _ in thesaurus_entries():
        for term in synonyms:
            lines_of[stems(term)].add(number)
    assert {term: lines for term, lines in lines_of.items() if len(lines) > 1} == {}


def test_words_ambiguous_across_categories_are_never_synonyms():
    ambiguous = {stems(word) for word in AMBIGUOUS_WORDS}
    for number, synonyms, _ in thesaurus_entries():
        assert not ambiguous & {stems(t) for t in synonyms}, f"thesaurus.txt line {number}"


def test_every_category_process_and_certification_has_thesaurus_terms():
    known = {stems(t) for _, synonyms, related in thesaurus_entries() for t in synonyms + related}
    for row in (*category_rows(), *process_rows()):
        names = [row["name"], *row["synonyms"].split("|")]
        assert known & {stems(n) for n in names}, f"nothing in the thesaurus for {row['slug']}"
    for row in certification_rows():
        assert stems(row["name"]) in known, f"nothing in the thesaurus for {row['slug']}"


@cache
def certificate_lines():
    rows = []
    for number, line in enumerate((DATA / "certificates.txt").read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            slug, colon, forms = line.partition(":")
            assert colon and re.fullmatch(r"[a-z0-9-]+", slug), f"certificates.txt line {number}: 'slug: form | form'"
            rows.append((slug, tuple(split_terms(forms))))
    return tuple(rows)


def test_every_certification_has_one_line_of_forms_led_by_its_name():
    lines = certificate_lines()
    names = {row["slug"]: row["name"] for row in certification_rows()}
    assert sorted(slug for slug, _ in lines) == sorted(names)
    for slug, forms in lines:
        assert all(forms) and len(forms) >= 3, slug
        assert forms[0].casefold() == names[slug].casefold(), slug


def test_a_certificate_form_names_one_certification():
    slugs_of = defaultdict(set)
    for slug, forms in certificate_lines():
        assert len({f.casefold() for f in forms}) == len(forms), f"{slug}: a form twice"
        for form in forms:
            slugs_of[stems(form)].add(slug)
    assert {form: slugs for form, slugs in slugs_of.items() if len(slugs) > 1} == {}


def test_the_issue_s_certificate_queries_are_known_forms():
    forms = {stems(f) for _, fs in certificate_lines() for f in fs}
    for query in ("ISO 9001", "ISO9001", "ISO 9001:2015", "IATF 16949", "IPC-A-610 class 3", "RoHS", "REACH",
                  "UL", "CE", "FCC", "PTA type approval", "BIS"):  # fmt: skip
        assert stems(query) in forms, query


@cache
def place_lines():
    provinces, cities = {}, {}
    for number, line in enumerate((DATA / "places.txt").read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, *fields = split_terms(line)
        assert all(fields), f"places.txt line {number}: an empty field"
        if kind == "province":
            assert fields[0] not in provinces, f"places.txt line {number}: {fields[0]} twice"
            provinces[fields[0]] = tuple(fields[1:])
        elif kind == "city":
            assert len(fields) >= 2 and fields[0] not in cities, f"places.txt line {number}"
            cities[fields[0]] = (fields[1], tuple(fields[2:]))
        else:
            pytest.fail(f"places.txt line {number}: 'province | ...' or 'city | ...', not {kind!r}")
    return provinces, cities


def test_places_cover_every_province_and_the_cities_of_the_demo_and_bench_data():
    provinces, cities = place_lines()
    assert sorted(provinces) == sorted(PROVINCES)
    assert all(province in PROVINCES for province, _ in cities.values())
    for province, towns in DEMO_CITIES.items():
        assert {town.name for town in towns} <= {c for c, (p, _) in cities.items() if p == province}
    for province, (_, towns) in BENCH_CITIES.items():
        assert {town for town, _, _ in towns} <= {c for c, (p, _) in cities.items() if p == province}
    assert len(cities) >= 40


def test_a_place_name_stands_for_one_place():
    provinces, cities = place_lines()
    places_of = defaultdict(set)
    for province, aliases in provinces.items():
        for name in (province, *aliases):
            places_of[stems(name)].add(province)
    for city, (province, aliases) in cities.items():
        for name in (city, *aliases):
            # A city may share a name with its own province (Islamabad), with no other place.
            places_of[stems(name)].add(province if stems(name) in _names_of(province, provinces) else city)
    assert all(names for names in places_of), "a place name with no searchable word"
    assert {name: places for name, places in places_of.items() if len(places) > 1} == {}


def _names_of(province, provinces):
    return {stems(name) for name in (province, *provinces[province])}


def test_place_names_that_are_also_trade_terms_are_the_known_ones():
    provinces, cities = place_lines()
    place_names = {stems(n) for p, aliases in provinces.items() for n in (p, *aliases)}
    place_names |= {stems(n) for c, (_, aliases) in cities.items() for n in (c, *aliases)}
    trade_terms = {stems(t) for _, synonyms, related in thesaurus_entries() for t in synonyms + related}
    assert place_names & trade_terms == PLACES_ALSO_TRADE_TERMS
