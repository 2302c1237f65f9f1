"""What a buyer's words ask for: the query split into parts, each a thing a firm can have.

"ISO 9001 lithium polymer 4000 mAh KPK supplier" is five parts: a certificate held valid
(ISO 9001), a product in the thesaurus's words (lithium polymer, with LiPo and Li-Po beside it),
a quantity (4,000 mAh, met by a stated value or a range covering it), a place (the province of
Khyber Pakhtunkhwa) and a word every supplier could say ("supplier"), which never decides
anything. Ranking then counts how much of the query each firm covers (see service.py); no
single word a firm did not write throws it out.

Words that match nothing in the index are corrected against the portal's own vocabulary first
(taxonomy, thesaurus, certificates, places), then against the words firms wrote; joined and split
forms ("mother board", "motherbord", "flexPCB") are tried too. A known term is never corrected.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from portal.search.analysis import fold_urdu, terms
from portal.search.lexicon import Lexicon, key
from portal.search.quantities import wanted_monthly, wanted_quantities
from portal.search.thesaurus import Thesaurus

# Words any supplier's listing might or might not say, in English, Roman Urdu and Urdu ("banane
# wale", "ka karkhana", "mein"); they rank but never decide.
GENERIC = frozenset(
    """supplier suppliers supply supplies manufacturer manufacturers manufacturing maker makers make making
    factory factories company companies firm firms vendor vendors producer producers production
    certified certification certificate certificates approved compliant accredited
    per month monthly capacity local locally pakistan pakistani based near around best top good quality
    need needed want wanted looking require required buy buyer source sourcing service services
    available with from for and the in of to any all mobile mobiles phone phones smartphone smartphones
    wholesale wholesaler cheap sasta sasti saste unit units pcs pieces nos thousand million lakh lac crore
    ka ki ke ko se mein aur wala wale wali walay walon banane banana banata banati banate bananay karkhana
    karkhanay kaam maal chahiye chahye zaroorat zarurat liye
    کا کی کے کو سے میں اور والا والے والی بنانے کارخانہ فیکٹری کام مال موبائل فون چاہیے""".split()
)
TOKEN = re.compile(r"\w[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]*|&")
YEAR = re.compile(r"(19|20)\d\d")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

# Words saying what a quantity measures ("0.4 mm pitch", "3 mm thick", "20W output"): part of the
# quantity, not a requirement of their own.
MEASURES = frozenset(
    "pitch thick thickness wide width long length high height diameter diagonal output input rated capacity".split()
)

# How much a part counts towards covering the query: what a firm makes outweighs its attributes;
# having a part only through a related term counts half (ranking.py).
PRODUCT, ATTRIBUTE, OPTIONAL = 4, 2, 0


@dataclass(frozen=True)
class Part:
    """One thing the query asks for, and every way a firm can have it."""

    typed: str  # the query's words for it, as typed
    weight: int
    alternatives: tuple[tuple[str, ...], ...] = ()  # stemmed term sequences, any of which matches
    related: tuple[tuple[str, ...], ...] = ()  # weaker alternatives (thesaurus "~")
    certification: str | None = None  # held valid today
    province: str | None = None
    city_forms: tuple[str, ...] = ()  # a city: its names, matched in the firm's text
    quantity: tuple[str, float] | None = None  # (unit, value)
    category: str | None = None  # the component category the words name
    monthly: tuple[str | None, int] | None = None  # (component or None for any, units a month) at least

    @property
    def facet(self) -> tuple[str, str] | None:
        """The directory filter this part names, offered beside the results."""
        if self.certification:
            return ("certification", self.certification)
        if self.province and not self.city_forms:
            return ("province", self.province)
        if self.category:
            return ("category", self.category)
        return None


@dataclass(frozen=True)
class Understanding:
    parts: tuple[Part, ...]
    corrected: str | None = None  # the query with its corrections, when a word was corrected
    corrections: tuple[tuple[str, str], ...] = field(default=())  # (typed, corrected)

    @property
    def required(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.weight) or self.parts


class _Token:
    __slots__ = ("text", "start", "end")

    def __init__(self, text, start, end):
        self.text, self.start, self.end = text, start, end


def understand(
    text: str,
    thesaurus: Thesaurus,
    lexicon: Lexicon,
    in_index: Callable[[str], bool],
    correct_from_index: Callable[[str], str | None] = lambda word: None,
    correct: bool = True,
) -> Understanding:
    """The parts of `text`. `in_index(term)` tells whether any firm's text holds a stemmed term;
    `correct_from_index(word)` offers a correction from the words firms wrote."""
    reader = _Reader(text, thesaurus, lexicon, in_index, correct_from_index if correct else None, correct)
    parts = reader.parts()
    corrected = None
    if reader.corrections:
        corrected = text
        for typed, fixed in reversed(reader.replacements):
            corrected = corrected[: typed.start] + fixed + corrected[typed.end :]
        corrected = " ".join(corrected.split())
    return Understanding(tuple(parts), corrected, tuple(reader.corrections))


class _Reader:
    def __init__(self, text, thesaurus, lexicon, in_index, correct_from_index, correct):
        self.text = text
        self.thesaurus, self.lexicon = thesaurus, lexicon
        self.in_index, self.correct_from_index, self.correct = in_index, correct_from_index, correct
        self.tokens = [_Token(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]
        self.stems = [tuple(terms(t.text)) for t in self.tokens]  # each word analysed once
        self.corrections: list[tuple[str, str]] = []
        self.replacements: list[tuple[_Token, str]] = []

    def _covered(self, start: int, end: int) -> list[int]:
        return [i for i, t in enumerate(self.tokens) if t.start < end and start < t.end]

    def parts(self) -> list[Part]:
        spans: dict[int, tuple[int, Part]] = {}  # first token: (token after, part)
        for wanted in wanted_monthly(self.text):
            if covered := self._covered(wanted.start, wanted.end):
                typed = self.text[wanted.start : wanted.end].strip()
                monthly = (None, round(wanted.value))
                spans[covered[0]] = (covered[-1] + 1, Part(typed, ATTRIBUTE, monthly=monthly))
        taken = {i for first, (after, _part) in spans.items() for i in range(first, after)}
        for wanted in wanted_quantities(self.text):
            covered = self._covered(wanted.start, wanted.end)
            if covered and not taken.intersection(covered):
                end = covered[-1] + 1
                if end < len(self.tokens) and self.tokens[end].text.casefold() in MEASURES:
                    end += 1  # "0.4 mm pitch": what the number measures belongs to it
                typed = self.text[wanted.start : max(wanted.end, self.tokens[end - 1].end)]
                quantity = (wanted.unit, wanted.value)
                spans[covered[0]] = (
                    end,
                    Part(typed, ATTRIBUTE, alternatives=(tuple(terms(typed)),), quantity=quantity),
                )
        found, index = [], 0
        while index < len(self.tokens):
            if index in spans:
                index, part = spans[index]
            else:
                part, index = self._next(index)
            if part is not None:
                found.append(part)
        # A capacity is of the component the query names ("chargers, 100k a month"), else of any.
        component = next((p.category for p in found if p.category), None)
        found = [replace(p, monthly=(component, p.monthly[1])) if p.monthly else p for p in found]
        return _merge_same(found)

    def _span(self, start: int, length: int) -> str:
        return self.text[self.tokens[start].start : self.tokens[start + length - 1].end]

    def _next(self, index: int) -> tuple[Part | None, int]:
        tokens, lexicon = self.tokens, self.lexicon
        most = min(max(lexicon.longest, self.thesaurus.longest) + 1, len(tokens) - index)
        for length in range(most, 0, -1):
            joined = key("".join(t.text for t in tokens[index : index + length]))
            slug = lexicon.certificates.get(joined)
            if slug:
                end = index + length
                if end < len(tokens) and YEAR.fullmatch(tokens[end].text):  # "ISO 9001 2015"
                    end += 1
                return Part(self._span(index, end - index), ATTRIBUTE, certification=slug), end
            place = lexicon.places.get(joined)
            if place and (length > 1 or len(joined) > 1):
                return self._place_part(index, length, place), index + length
            if 1 < length <= self.thesaurus.longest:
                stems = tuple(stem for word in self.stems[index : index + length] for stem in word)
                if len(stems) > 1 and self.thesaurus.knows(stems) and not self._narrows(stems):
                    return self._text_part(self._span(index, length), stems), index + length
        return self._word(index)

    def _narrows(self, stems: tuple[str, ...]) -> bool:
        """A category synonym that is a kind of the category ("GaN charger", "fast charger"): read
        word by word, so the kind stays a requirement instead of widening to every charger."""
        if stems not in self.thesaurus.categories:
            return False
        # The kind comes before the component's word ("fast charger", "FPC connector"); a phrase
        # ending in another word ("battery pack") names a form of the component and is read whole
        # (word by word, "pack" would ask for packaging too).
        return (stems[-1],) in self.thesaurus.expand(stems)

    def _place_part(self, index: int, length: int, place) -> Part:
        typed = self._span(index, length)
        stems = tuple(terms(typed))
        alternatives = (stems,) if self.thesaurus.knows(stems) else ()  # "ICT" is also in-circuit test
        if alternatives:
            alternatives = tuple(sorted(self.thesaurus.expand(stems)))
        if place.city:
            forms = self.lexicon.cities.get(place.city, (place.city,))
            return Part(typed, ATTRIBUTE, alternatives=alternatives, province=place.province, city_forms=forms)
        return Part(typed, ATTRIBUTE, alternatives=alternatives, province=place.province)

    def _word(self, index: int) -> tuple[Part | None, int]:
        token = self.tokens[index]
        word = token.text
        stems = self.stems[index]
        if not stems:
            return None, index + 1
        if word.casefold() in GENERIC:
            return Part(word, OPTIONAL, alternatives=(stems,)), index + 1
        # "mother board": the joined word is a term of the trade (or of the index)
        if index + 1 < len(self.tokens):
            following = self.tokens[index + 1].text
            joined = (word + following).casefold()
            joined_stems = tuple(terms(joined))
            if word.isalpha() and following.isalpha() and joined_stems and self._known(joined_stems, joined):
                return self._text_part(self._span(index, 2), joined_stems), index + 2
        if self._known(stems, word) or not self.correct:
            return self._text_part(word, stems), index + 1
        fixed = self._correction(word)
        if fixed is None:
            return self._text_part(word, stems), index + 1
        self.corrections.append((word, fixed))
        self.replacements.append((token, fixed))
        again = _Reader(fixed, self.thesaurus, self.lexicon, self.in_index, None, correct=False).parts()
        if len(again) == 1:
            return replace(again[0], typed=word), index + 1
        return Part(word, PRODUCT, alternatives=tuple(a for p in again for a in p.alternatives)), index + 1

    def _known(self, stems: tuple[str, ...], word: str) -> bool:
        return (
            self.thesaurus.knows(stems)
            or key(word) in self.lexicon.certificates
            or key(word) in self.lexicon.places
            or all(self.in_index(s) for s in stems)
        )

    def _correction(self, word: str) -> str | None:
        """A correction for a word no firm wrote: the portal's vocabulary first, then firms' words."""
        lower = fold_urdu(word.casefold())
        if not lower.isalpha() or len(lower) < 4 or not lower.isascii():
            return None
        camel = CAMEL.split(word)
        if len(camel) == 2 and all(self._known(tuple(terms(p)), p) for p in camel):
            return " ".join(camel)
        found = self.lexicon.correction(lower)
        if found:
            return found
        for cut in range(3, len(lower) - 2):
            left, right = lower[:cut], lower[cut:]
            if left in self.lexicon.domain_words and right in self.lexicon.domain_words:
                return f"{left} {right}"
        if self.correct_from_index is not None:
            return self.correct_from_index(lower)
        return None

    def _text_part(self, typed: str, stems: tuple[str, ...]) -> Part:
        thesaurus = self.thesaurus
        same = tuple(sorted(thesaurus.expand(stems)))
        wider = tuple(sorted(thesaurus.widen(stems)))
        category = thesaurus.categories.get(stems)
        return Part(typed, PRODUCT, alternatives=same, related=wider, category=category)


def _merge_same(parts: list[Part]) -> list[Part]:
    """A query that says the same thing twice ("charger chargers") asks for it once."""
    seen, kept = set(), []
    for part in parts:
        identity = (part.alternatives, part.certification, part.province, part.city_forms, part.quantity, part.monthly)
        if identity not in seen:
            seen.add(identity)
            kept.append(part)
    return kept
