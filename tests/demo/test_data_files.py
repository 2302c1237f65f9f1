"""The demo's data files ship with the package and name only what the taxonomy knows, so a hand edit
that misspells a category, process or certificate fails here rather than halfway through `seed-demo`."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from portal.demo.activity import NEEDS
from portal.demo.datafiles import DATA_DIR
from portal.demo.seed import CERTIFICATIONS, CITIES, FLAGSHIP, LAB_TESTS, PROFILES
from portal.taxonomy import PROVINCES, category_rows, certification_rows, process_rows
from portal.taxonomy.units import is_unit_of

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_every_data_file_is_package_data():
    patterns = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["portal"]
    files = sorted(path.relative_to(DATA_DIR.parent.parent).as_posix() for path in DATA_DIR.iterdir())
    assert files, "no demo data files found"
    assert [name for name in files if not any(fnmatch(name, pattern) for pattern in patterns)] == []


def test_profiles_name_known_categories_processes_units_and_certificates():
    categories = {row["slug"] for row in category_rows()}
    processes = {row["slug"] for row in process_rows()}
    certifications = {row["slug"] for row in certification_rows()}
    assert set(PROFILES) <= categories
    for slug, profile in PROFILES.items():
        assert set(profile.processes + profile.optional) <= processes, slug
        assert is_unit_of(slug, profile.unit), slug
        assert {cert for cert, _ in profile.certs} <= set(CERTIFICATIONS), slug
        assert set(profile.related) <= set(PROFILES), slug
    assert set(CERTIFICATIONS) <= certifications
    assert {cert for tests in LAB_TESTS for cert in tests} <= certifications


def test_cities_and_needs_name_known_provinces_categories_and_certificates():
    assert set(CITIES) == set(PROVINCES)
    assert FLAGSHIP["city"] in {city.name for city in CITIES[FLAGSHIP["province"]]}
    categories = {row["slug"] for row in category_rows()}
    certifications = {row["slug"] for row in certification_rows()}
    for need in NEEDS:
        assert need.category in categories, need.title
        assert set(need.certifications) <= certifications, need.title
        assert need.province in (None, *PROVINCES), need.title
