"""The translation catalogue: extract, update, check and compile, as one rerunnable workflow.

`flask translations update` extracts every marked message into a template and merges it into each
language's `portal/translations/<lang>/LC_MESSAGES/messages.po`; translators fill in what is new;
`flask translations check` names every message without a translation and every translation whose
placeholders differ; `flask translations compile` writes the `.mo` files the portal reads.
`make translations` runs the three in that order.
"""

import csv
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# The keywords the code marks messages with: gettext's own, lazy_gettext as _l, services' N_,
# and Phrase for messages with values made by pure functions (portal/i18n.py).
EXTRACT = ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-k", "Phrase", "--no-location", "--sort-output", "-o"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]?\d*(?:\.\d+)?[sdifr]|%[sdifr]")
# First Strong Isolate … Pop Directional Isolate: a name or number put into a right-to-left
# sentence keeps its own direction and does not drag the punctuation around it.
FSI, PDI = "\u2068", "\u2069"
RTL = {"ur", "ar", "fa"}


@dataclass
class Problem:
    language: str
    message: str
    reason: str

    def __str__(self) -> str:
        return f"{self.language}: {self.message!r}: {self.reason}"


def languages() -> list[str]:
    return sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES" / "messages.po").exists())


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def _pybabel(*arguments: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", *arguments], cwd=PROJECT_ROOT, check=True)


def extract(template: Path) -> None:
    _pybabel(*EXTRACT, str(template), ".")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def isolate(text: str) -> str:
    """Wrap each placeholder of a right-to-left translation in FSI … PDI (once)."""
    return PLACEHOLDER.sub(
        lambda m: m.group(0) if text[max(0, m.start() - 1) : m.start()] == FSI else f"{FSI}{m.group(0)}{PDI}",
        text,
    )


def update() -> None:
    """Extract, merge into every language's catalogue, isolate placeholders of right-to-left ones."""
    with tempfile.TemporaryDirectory() as scratch:
        template = Path(scratch) / "messages.pot"
        extract(template)
        for language in languages():
            _pybabel(
                "update", "-i", str(template), "-d", str(TRANSLATIONS), "-l", language,
                "--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap",
            )  # fmt: skip
            if language in RTL:
                _isolate_catalogue(language)


def _isolate_catalogue(language: str) -> None:
    path = po_path(language)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, tuple | list):
            message.string = tuple(isolate(s) for s in message.string)
        elif message.string:
            message.string = isolate(message.string)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True, omit_header=False)


def problems(messages: set[str] | None = None) -> list[Problem]:
    """Messages with no translation (or a fuzzy one) and translations whose placeholders differ.

    `messages` are the English messages the code marks now (extracted when not given): each must
    be in every catalogue, translated.
    """
    if messages is None:
        with tempfile.TemporaryDirectory() as scratch:
            template = Path(scratch) / "messages.pot"
            extract(template)
            with template.open("rb") as handle:
                messages = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    found: list[Problem] = []
    for language in languages():
        with po_path(language).open("rb") as handle:
            catalog = read_po(handle, locale=language)
        translated = {}
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            translated[key] = message
        for text in sorted(messages):
            message = translated.get(text)
            if message is None:
                found.append(Problem(language, text, "not in the catalogue (run `make translations`)"))
                continue
            strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
            if message.fuzzy or not all(strings):
                found.append(Problem(language, text, "no translation"))
                continue
            english = message.id if isinstance(message.id, tuple | list) else (message.id,)
            wanted = _shape(english)
            for string in strings:
                if _shape((string,)) != wanted:
                    found.append(Problem(language, text, f"placeholders differ: {string!r}"))
                    break
    return found


def _shape(texts) -> tuple[frozenset, int]:
    """The named placeholders the texts use, and how many unnamed ones the longest holds."""
    named, unnamed = set(), 0
    for text in texts:
        found = placeholders(text)
        named |= {name for name in found if name}
        unnamed = max(unnamed, found.get("", 0))
    return frozenset(named), unnamed


def glossary_problems() -> list[Problem]:
    """Translations that leave a glossary term out: a message naming the English term (outside
    its placeholders) must use the glossary's Urdu, by its stem (`stem`, alternatives split by
    "|", so inflected forms count), or keep the English term in Latin script."""
    found: list[Problem] = []
    for language in languages():
        glossary = po_path(language).parent.parent / "glossary.csv"
        if not glossary.exists():
            continue
        with glossary.open(encoding="utf-8", newline="") as handle:
            terms = list(csv.DictReader(handle))
        with po_path(language).open("rb") as handle:
            catalog = [m for m in read_po(handle, locale=language) if m.id]
        for term in terms:
            pattern = re.compile(r"\b" + re.escape(term["english"]) + r"s?\b", re.IGNORECASE)
            stems = term["stem"].split("|")
            for message in catalog:
                english = message.id if isinstance(message.id, tuple | list) else (message.id,)
                strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                if not any(pattern.search(PLACEHOLDER.sub("", text)) for text in english):
                    continue
                for string in strings:
                    if string and not any(stem in string for stem in stems) and not pattern.search(string):
                        found.append(Problem(language, english[0], f"glossary: “{term['english']}” is {term['urdu']}"))
                        break
    return found


def compile_all() -> None:
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


def compile_if_stale() -> None:
    """Compile when a catalogue is newer than its .mo (or has none): the .mo files are built,
    not kept in git."""
    for language in languages():
        source, compiled = po_path(language), po_path(language).with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            _pybabel("compile", "-d", str(TRANSLATIONS), "-l", language)


@click.group("translations")
def translations_cli():
    """The catalogue: update it from the code, check it, compile it."""


@translations_cli.command("update")
def update_command():
    """Extract marked messages and merge them into every language's messages.po."""
    update()
    click.echo(f"Updated {', '.join(str(po_path(lang).relative_to(PROJECT_ROOT)) for lang in languages())}.")


@translations_cli.command("check")
def check_command():
    """Exit 1 naming every message without a translation, every placeholder mismatch and every
    translation that leaves out a glossary term."""
    found = problems() + glossary_problems()
    for problem in found:
        click.echo(str(problem), err=True)
    if found:
        raise SystemExit(1)
    click.echo("Every message is translated, with the same placeholders and the glossary's terms.")


@translations_cli.command("compile")
def compile_command():
    """Write the .mo files the portal reads."""
    compile_all()
