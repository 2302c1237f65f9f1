"""The technical thesaurus: groups of terms that mean the same, used to widen queries.

Groups come from `data/thesaurus.txt` (or the file named by THESAURUS_FILE) and from the
taxonomy's names and synonyms. Entries are compared as stemmed term sequences, so "flexible
printed circuits" in a query meets "flexible printed circuit" in the file.
"""

import csv
import os
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from portal.search.analysis import terms
from portal.taxonomy import DATA_DIR, category_rows, process_rows

DEFAULT_FILE = Path(__file__).parent / "data" / "thesaurus.txt"


@dataclass
class Thesaurus:
    # Each key is a stemmed phrase; its value is every stemmed phrase of its groups (itself included).
    alternatives: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)
    # Related, not identical: a query for the key also finds these, weighing less (one direction).
    related: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)
    # Phrases that name a component category (its name or a synonym): the category's slug.
    categories: dict[tuple[str, ...], str] = field(default_factory=dict)
    longest: int = 1

    def add_group(self, phrases, related=(), category: str | None = None) -> None:
        group = {tuple(terms(p)) for p in phrases}
        group.discard(())
        wider = {tuple(terms(p)) for p in related} - group - {()}
        self.__dict__.pop("phrases", None)  # worked out again when next asked
        for phrase in group:
            self.alternatives.setdefault(phrase, set()).update(group)
            if wider:
                self.related.setdefault(phrase, set()).update(wider)
            if category:
                self.categories.setdefault(phrase, category)
            self.longest = max(self.longest, len(phrase))
        for phrase in wider:
            self.longest = max(self.longest, len(phrase))

    def expand(self, phrase: tuple[str, ...]) -> set[tuple[str, ...]]:
        return self.alternatives.get(phrase, {phrase})

    def widen(self, phrase: tuple[str, ...]) -> set[tuple[str, ...]]:
        """Related phrases of `phrase` and of its equivalents, the equivalents themselves excluded."""
        same = self.expand(phrase)
        return {r for p in same for r in self.related.get(p, ())} - same

    def knows(self, phrase: tuple[str, ...]) -> bool:
        return phrase in self.alternatives or phrase in self.related

    @cached_property
    def phrases(self) -> frozenset:
        """Every entry of two words or more (asked before every search: worked out once)."""
        wider = {p for group in self.related.values() for p in group}
        return frozenset(p for p in {*self.alternatives, *wider} if len(p) > 1)


def parse_groups(text: str) -> list[tuple[list[str], list[str]]]:
    """(equivalent terms, related terms) per line: `term | term ~ related | related`."""
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        same, _, wider = line.partition("~")
        items = [item.strip() for item in same.split("|") if item.strip()]
        related = [item.strip() for item in wider.split("|") if item.strip()]
        if len(items) > 1 or (items and related):
            groups.append((items, related))
    return groups


def build(file_text: str) -> Thesaurus:
    thesaurus = Thesaurus()
    for row in category_rows():
        # The slug is the category's everyday word ("battery", "charger", "connector").
        names = [row["name"], row["slug"].replace("-", " "), *row["synonyms"].split("|")]
        thesaurus.add_group(names, category=row["slug"])
    for row in process_rows():
        thesaurus.add_group([row["name"], *row["synonyms"].split("|")])
    for items, related in parse_groups(file_text):
        thesaurus.add_group(items, related)
    for kind, rows in (("category", category_rows()), ("process", process_rows())):
        english = {row["slug"]: row["name"] for row in rows}
        for row in urdu_rows(kind):
            if row["slug"] in english:
                words = [english[row["slug"]], row["name"], *row["synonyms"].split("|"), *row["roman"].split("|")]
                thesaurus.add_group(
                    [w for w in words if w.strip()], category=row["slug"] if kind == "category" else None
                )
    # A file line that repeats a category's term names that category too.
    for phrase, group in thesaurus.alternatives.items():
        if phrase not in thesaurus.categories:
            named = {thesaurus.categories[p] for p in group if p in thesaurus.categories}
            if len(named) == 1:
                thesaurus.categories[phrase] = named.pop()
    return thesaurus


URDU_NAMES = DATA_DIR / "names_ur.csv"


def urdu_rows(kind: str) -> list[dict]:
    """The taxonomy's Urdu names and their Urdu-script and Roman Urdu search words, of one kind
    (category, process, certification…), from the taxonomy's data beside the English."""
    if not URDU_NAMES.exists():
        return []
    with open(URDU_NAMES, newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row.get("kind") == kind]


class ThesaurusFile:
    """Loads the file once and again whenever its modification time changes."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path or DEFAULT_FILE)
        self._stamp: float | None = None
        self._thesaurus = Thesaurus()
        self._lock = threading.Lock()

    def current(self) -> Thesaurus:
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            stamp = -1
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    text = self.path.read_text(encoding="utf-8") if stamp != -1 else ""
                    self._thesaurus, self._stamp = build(text), stamp
        return self._thesaurus


_files: dict[str, ThesaurusFile] = {}


def current_thesaurus(path: str | None = None) -> Thesaurus:
    """The thesaurus of the file at `path` (or the project's own), reloaded when it changes."""
    key = path or ""
    if key not in _files:
        _files[key] = ThesaurusFile(path or None)
    return _files[key].current()
