"""The `pybabel extract` command in README.md finds messages marked each way the code marks them,
so none is silently left out of the catalogue translators get."""

import shlex
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def documented_extract_command() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    return shlex.split(next(line for line in readme.splitlines() if "pybabel extract" in line))


def option_values(arguments: list[str], *names: str) -> list[str]:
    return [value for option, value in zip(arguments, arguments[1:], strict=False) if option in names]


def extracted_messages() -> set[str]:
    """Every message the documented command would write, found by Babel's own extraction."""
    arguments = documented_extract_command()
    (mapping_file,) = option_values(arguments, "-F", "--mapping-file")
    with open(PROJECT_ROOT / mapping_file, encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, filename=mapping_file)
    keywords = {} if "--no-default-keywords" in arguments else dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(option_values(arguments, "-k", "--keyword", "--keywords")))
    found = extract_from_dir(str(PROJECT_ROOT), method_map, options_map, keywords)
    return {message if isinstance(message, str) else message[0] for _, _, message, *_ in found}


def test_the_documented_extraction_finds_lazy_and_service_messages():
    messages = extracted_messages()
    assert "Upload and import" in messages, "marked with _l in portal/staff/import_forms.py"
    assert "This quote is already withdrawn." in messages, "marked with N_ in portal/needs/quotes.py"
