"""The portal's own vocabulary: the forms of certificate names and place names people type, and
the domain words spelling corrections prefer (taxonomy, thesaurus, certificates, places).

Certificate and place forms are compared as "keys": lower case with every space and punctuation
mark removed, so "ISO 9001", "ISO9001" and "iso-9001" are one key, as are "KP" and "K.P.".
"""

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.spelling import ListCorrector

from portal.search.facts import LRU
from portal.taxonomy import PROVINCES, category_rows, certification_rows, process_rows

DATA_DIR = Path(__file__).parent / "data"
CERTIFICATES_FILE = DATA_DIR / "certificates.txt"
PLACES_FILE = DATA_DIR / "places.txt"
_NOT_KEY = re.compile(r"[\W_]+")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def key(text: str) -> str:
    return _NOT_KEY.sub("", text.casefold())


@dataclass(frozen=True)
class Place:
    province: str
    city: str | None = None  # None when the form names the province itself


@dataclass
class Lexicon:
    certificates: dict[str, str] = field(default_factory=dict)  # key -> certification slug
    places: dict[str, Place] = field(default_factory=dict)  # key -> place
    certificate_names: dict[str, str] = field(default_factory=dict)  # slug -> name
    cities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # city -> every form of it
    domain_words: frozenset = frozenset()  # lower-case words corrections prefer
    longest: int = 1  # the most words any certificate or place form has

    def __post_init__(self):
        self._corrector = None
        self._corrections = LRU(4096)  # misspellings repeat; finding one builds an automaton
        self._lock = threading.Lock()

    def correction(self, word: str) -> str | None:
        """The domain word within two edits (one for words under five letters), first letter kept."""
        with self._lock:
            if self._corrector is None:
                self._corrector = ListCorrector(sorted(self.domain_words))

            def find():
                distance = 2 if len(word) >= 5 else 1
                found = self._corrector.suggest(word, limit=1, maxdist=distance, prefix=1)
                return found[0] if found and found[0] != word else None

            return self._corrections.get_or(word, find)


def _lines(path: Path):
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            yield line


def _words(text: str) -> set[str]:
    return {w.casefold() for w in WORD.findall(text) if len(w) >= 3}


def build(thesaurus_text: str = "") -> Lexicon:
    """The lexicon from the taxonomy and the data files; `thesaurus_text` adds its words to the
    domain words corrections prefer."""
    lexicon = Lexicon()
    words: set[str] = set()
    longest = 1

    def add_form(table: dict, form: str, value) -> None:
        nonlocal longest
        if key(form):
            table.setdefault(key(form), value)
            longest = max(longest, len(form.split()) + form.count("-") + form.count("/"))
            words.update(_words(form))

    for row in certification_rows():
        lexicon.certificate_names[row["slug"]] = row["name"]
        for form in (row["name"], row["slug"]):
            add_form(lexicon.certificates, form, row["slug"])
    from portal.search.thesaurus import urdu_rows

    for row in urdu_rows("certification"):  # Urdu script only: the Roman words are too general ("quality")
        if row["slug"] in lexicon.certificate_names:
            for form in (row["name"], *row["synonyms"].split("|")):
                if form.strip() and not form.isascii():
                    add_form(lexicon.certificates, form.strip(), row["slug"])
    for line in _lines(CERTIFICATES_FILE):
        slug, _, forms = line.partition(":")
        if slug.strip() in lexicon.certificate_names:
            for form in forms.split("|"):
                add_form(lexicon.certificates, form.strip(), slug.strip())
    for province in PROVINCES:
        add_form(lexicon.places, province, Place(province))
    for line in _lines(PLACES_FILE):
        kind, *items = [item.strip() for item in line.split("|")]
        if kind == "province" and items and items[0] in PROVINCES:
            for form in items:
                add_form(lexicon.places, form, Place(items[0]))
        elif kind == "city" and len(items) >= 2 and items[1] in PROVINCES:
            city, province, *aliases = items
            lexicon.cities[city] = (city, *aliases)
            for form in (city, *aliases):
                add_form(lexicon.places, form, Place(province, city))
    for row in (*category_rows(), *process_rows()):
        words |= _words(row["name"]) | _words(row["synonyms"].replace("|", " "))
    words |= _words(thesaurus_text.replace("|", " ").replace("~", " "))
    lexicon.domain_words = frozenset(words)
    lexicon.longest = longest
    return lexicon


_cache: dict[str, tuple[tuple, Lexicon]] = {}
_cache_lock = threading.Lock()


def _stamp(*paths: Path) -> tuple:
    return tuple(p.stat().st_mtime_ns if p.exists() else -1 for p in paths)


def current_lexicon(thesaurus_path: Path) -> Lexicon:
    """The lexicon, rebuilt when a data file or the thesaurus file changes."""
    stamp = _stamp(CERTIFICATES_FILE, PLACES_FILE, thesaurus_path)
    cached = _cache.get(str(thesaurus_path))
    if cached is None or cached[0] != stamp:
        with _cache_lock:
            cached = _cache.get(str(thesaurus_path))
            if cached is None or cached[0] != stamp:
                text = thesaurus_path.read_text(encoding="utf-8") if thesaurus_path.exists() else ""
                cached = _cache[str(thesaurus_path)] = (stamp, build(text))
    return cached[1]
