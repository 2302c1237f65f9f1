"""How text becomes search terms, the same way for firms' profiles and for queries.

Industry text spells one thing many ways: "10,000 mAh" and "10000mAh", "2-layer" and
"two-layer", "mould" and "mold". The tokenizer joins a number with its unit and the filters fold
British spellings onto American ones, so both sides meet on one term. Character offsets stay
those of the original text, so highlighted snippets mark the words the firm actually wrote.
"""

import re
import threading
from functools import lru_cache

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem

NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "twelve": "12", "single": "1", "double": "2",
}  # fmt: skip
UNITS = r"mah|wh|kw|w|v|mm|cm|inch|gb|tb|mp|hz|khz|mhz|ghz|layers?|pins?|sided|core"

TOKEN = re.compile(
    rf"""
    (?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s?-?\s?(?P<unit>{UNITS})\b)?
    | (?P<numword>{"|".join(NUMBER_WORDS)})\s?-\s?(?P<wunit>layers?|sided|core)\b
    | \w[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]*(?:['’]\w+)?
    """,
    re.IGNORECASE | re.VERBOSE,
)

# British and other variants, folded before stemming (the stemmer then folds the endings).
SPELLING = {
    "mould": "mold", "moulds": "molds", "moulded": "molded", "moulding": "molding", "mouldings": "moldings",
    "overmould": "overmold", "overmoulding": "overmolding", "colour": "color", "colours": "colors",
    "coloured": "colored", "aluminium": "aluminum", "metre": "meter", "metres": "meters", "centre": "center",
    "fibre": "fiber", "grey": "gray", "tyre": "tire", "programme": "program", "programmes": "programs",
    "analyse": "analyze", "organisation": "organization", "labelling": "labeling", "modelling": "modeling",
    "adaptor": "adapter", "adaptors": "adapters", "licence": "license", "galvanised": "galvanized",
    "anodised": "anodized", "anodising": "anodizing", "sulphur": "sulfur", "vapour": "vapor",
}  # fmt: skip


# Urdu written with Arabic or Persian code points, diacritics and joiners: one form for each word.
URDU_LETTERS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ه": "ہ", "ة": "ہ", "ۀ": "ہ", "ٔ": None, "أ": "ا", "إ": "ا", "آ": "آ"}
)
URDU_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d\u0640]")


def fold_urdu(word: str) -> str:
    """The Arabic and Persian forms of ی, ک and ہ as Urdu writes them; diacritics, tatweel and
    zero-width joiners out. Urdu words are not stemmed: English stemming would mangle them."""
    return URDU_MARKS.sub("", word.translate(URDU_LETTERS))


def term_text(match: re.Match) -> str:
    """The indexed form of one token: commas out of numbers, number and unit joined, lower case."""
    if match.group("number"):
        number = match.group("number").replace(",", "")
        unit = (match.group("unit") or "").lower()
        return number + _singular_unit(unit)
    if match.group("numword"):
        return NUMBER_WORDS[match.group("numword").lower()] + _singular_unit(match.group("wunit").lower())
    return match.group(0)


def _singular_unit(unit: str) -> str:
    return unit[:-1] if unit in ("layers", "pins") else unit


def normalize_query(text: str) -> str:
    """Rewrite a query so the parser's word splitting cannot separate a number from its unit."""
    return TOKEN.sub(lambda m: term_text(m) if (m.group("number") or m.group("numword")) else m.group(0), text)


MAX_REMEMBERED_STEMS = 200_000
SECTION = re.compile("\x1f([1-9])")


def section(weight: int) -> str:
    """A mark opening a part of the text whose words count `weight` times (see documents.py)."""
    return f"\x1f{weight}"


class IndustryAnalyzer(Tokenizer):
    """Words and number-unit terms, lower-cased, spelling-folded, stop words out, stemmed: one pass.

    A single loop instead of a chain of Whoosh filters keeps indexing fast; the steps are the
    same as LowercaseFilter | SpellingFilter | StopFilter | StemFilter.
    """

    def __init__(self, stem: bool = True, phrases: frozenset = frozenset()):
        self.stem = stem
        # Thesaurus phrases (stemmed word tuples) also indexed as one term, e.g. "inject_mold", so
        # a query for the phrase is a single posting-list lookup instead of a positional check.
        self.phrases = phrases
        self.longest = max((len(p) for p in phrases), default=1)
        # Every beginning of a phrase: most words begin none, and a run stops growing at the first miss.
        self._prefixes = frozenset(p[:n] for p in phrases for n in range(1, len(p) + 1))
        self._stems: dict[str, str] = {}
        self._words_seen: dict[str, tuple[str, bool]] = {}

    def __getstate__(self):
        # The analyzer is pickled into the index's schema: leave the caches out.
        return {"stem": self.stem, "phrases": self.phrases}

    def __setstate__(self, state):
        self.__init__(state["stem"], _one_object(state.get("phrases", frozenset())))

    def _term(self, word: str) -> str:
        if not word.isascii():
            return fold_urdu(word)
        word = SPELLING.get(word, word)
        if not self.stem:
            return word
        stemmed = self._stems.get(word)
        if stemmed is None:
            if len(self._stems) >= MAX_REMEMBERED_STEMS:  # queries bring any words: keep memory bounded
                self._stems.clear()
            stemmed = self._stems[word] = porter_stem(word)
        return stemmed

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost, token.stopped = 1.0, False
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char + len(value)
            yield token
            return
        words = self._words(value, removestops)
        for index, (text, stopped, match, offset, weight) in enumerate(words):
            token.text, token.boost, token.stopped = text, weight, stopped
            if keeporiginal:
                token.original = match.group(0)
            if positions:
                token.pos = start_pos + index
            if chars:
                token.startchar, token.endchar = start_char + offset + match.start(), start_char + offset + match.end()
            yield token
            if (text,) not in self._prefixes:
                continue
            for phrase, last in self._phrases_from(words, index):
                token.text, token.stopped, token.boost = phrase, False, weight
                if positions:
                    token.pos = start_pos + index
                if chars:
                    token.startchar = start_char + offset + match.start()
                    token.endchar = start_char + last[3] + last[2].end()
                yield token

    def postings(self, value: str) -> dict[str, tuple[list[int], float]]:
        """Each term of an indexed text with its positions and summed weight: what `__call__` yields
        for indexing, gathered without a Token per word (indexing a rebuild's firms spends its time here)."""
        found: dict[str, tuple[list[int], float]] = {}
        words = self._words(value, True)
        for index, (text, _stopped, _match, _offset, weight) in enumerate(words):
            _add_posting(found, text, index, weight)
            if (text,) in self._prefixes:
                for phrase, _last in self._phrases_from(words, index):
                    _add_posting(found, phrase, index, weight)
        return found

    def spans(self, value: str, wanted: frozenset) -> tuple[list[tuple[int, int]], set[str]]:
        """Where the terms in `wanted` (words or thesaurus phrases) occur in a text, as (start, end)
        characters, and which of them did: what `__call__(chars=True)` says of them, without a Token
        per word (highlighting a fresh answer's snippets spends its time here)."""
        spans, hit = [], set()
        words = self._words(value, True)
        for index, (text, _stopped, match, offset, _weight) in enumerate(words):
            if text in wanted:
                spans.append((offset + match.start(), offset + match.end()))
                hit.add(text)
            if (text,) in self._prefixes:
                for phrase, last in self._phrases_from(words, index):
                    if phrase in wanted:
                        spans.append((offset + match.start(), last[3] + last[2].end()))
                        hit.add(phrase)
        return spans, hit

    def _words(self, value: str, removestops: bool) -> list:
        """(term, stopped, match, section offset, weight) of every word kept, in order."""
        words = []
        known = self._words_seen
        for weight, part, offset in _sections(value):
            for match in TOKEN.finditer(part):
                seen = known.get(match.group())
                if seen is None:
                    seen = self._word(match)
                term, stopped = seen
                if not (stopped and removestops):
                    words.append((term, stopped, match, offset, weight))
        return words

    def _word(self, match: re.Match) -> tuple[str, bool]:
        """(term, is a stop word) of a word as written; remembered, as a text repeats its words."""
        word = term_text(match).lower()
        stopped = self.stem and word in STOP_WORDS
        seen = (word if stopped else self._term(word), stopped)
        if len(self._words_seen) >= MAX_REMEMBERED_STEMS:
            self._words_seen.clear()
        self._words_seen[match.group()] = seen
        return seen

    def _phrases_from(self, words: list, index: int):
        """(phrase term, its last word) of each thesaurus phrase beginning at `words[index]`."""
        key = (words[index][0],)
        if key not in self._prefixes:
            return
        for following in words[index + 1 : index + self.longest]:
            key += (following[0],)
            if key not in self._prefixes:
                return
            if key in self.phrases:
                yield phrase_term(key), following

    def __eq__(self, other):
        return type(other) is type(self) and (other.stem, other.phrases) == (self.stem, self.phrases)

    def __hash__(self):
        return hash((type(self), self.stem, len(self.phrases)))


def _add_posting(found: dict, term: str, position: int, weight: float) -> None:
    held = found.get(term)
    if held is None:
        found[term] = ([position], weight)
    else:
        held[0].append(position)
        found[term] = (held[0], held[1] + weight)


def _sections(value: str):
    """(weight, text, offset) for each section of the value; unmarked text weighs 1."""
    marks = list(SECTION.finditer(value))
    if not marks:
        yield 1.0, value, 0
        return
    if marks[0].start() > 0:
        yield 1.0, value[: marks[0].start()], 0
    for mark, following in zip(marks, [*marks[1:], None], strict=False):
        end = following.start() if following else len(value)
        yield float(mark.group(1)), value[mark.end() : end], mark.end()


def phrase_term(words: tuple[str, ...]) -> str:
    return "_".join(words)


_phrase_sets: dict[frozenset, frozenset] = {}
_phrase_sets_lock = threading.Lock()  # index readers and writers read the schema in any thread


def _one_object(phrases: frozenset) -> frozenset:
    """The same object for equal phrase sets. Every change to the index reads its schema (and this
    analyzer) afresh; caches keyed on the phrases (snippets, analyzers) then find their entries by
    identity instead of comparing thousands of phrases on every lookup."""
    with _phrase_sets_lock:
        kept = _phrase_sets.setdefault(phrases, phrases)
        if len(_phrase_sets) > 4:  # the thesaurus changed: older sets belong to older generations
            _phrase_sets.pop(next(iter(_phrase_sets)))
        return kept


@lru_cache(maxsize=8)
def industry_analyzer(phrases: frozenset = frozenset()) -> IndustryAnalyzer:
    """Profiles and queries: words, units, spelling variants, English stemming.

    One analyzer per set of phrases, so its stems are remembered from one text to the next."""
    return IndustryAnalyzer(stem=True, phrases=phrases)


def plain_analyzer() -> IndustryAnalyzer:
    """Unstemmed words for "did you mean" suggestions: they must be real words people typed."""
    return IndustryAnalyzer(stem=False)


def terms(text: str) -> list[str]:
    """The stemmed terms of a text, in order (used by the thesaurus and the snippets)."""
    return [t.text for t in _TERMS(normalize_query(text))]


_TERMS = industry_analyzer()
