"""How text becomes search terms, the same way for firms' profiles and for queries.

Industry text spells one thing many ways: "10,000 mAh" and "10000mAh", "2-layer" and
"two-layer", "mould" and "mold". The tokenizer joins a number with its unit and the filters fold
British spellings onto American ones, so both sides meet on one term. Character offsets stay
those of the original text, so highlighted snippets mark the words the firm actually wrote.
"""

import re

from whoosh.analysis import LowercaseFilter, StemFilter, StopFilter, Token, Tokenizer
from whoosh.analysis.filters import Filter

NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "twelve": "12", "single": "1", "double": "2",
}  # fmt: skip
UNITS = r"mah|wh|kw|w|v|mm|cm|inch|gb|tb|mp|hz|khz|mhz|ghz|layers?|pins?|sided|core"

TOKEN = re.compile(
    rf"""
    (?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s?-?\s?(?P<unit>{UNITS})\b)?
    | (?P<numword>{"|".join(NUMBER_WORDS)})\s?-\s?(?P<wunit>layers?|sided|core)\b
    | \w+(?:['’]\w+)?
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


class IndustryTokenizer(Tokenizer):
    """Splits text into words, keeping "10,000 mAh" and "two-layer" as single terms."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        matches = TOKEN.finditer(value) if tokenize else [re.match(r"(?s).*", value)]
        for pos, match in enumerate(matches):
            token.text = term_text(match) if tokenize else value
            token.boost, token.stopped = 1.0, False
            if keeporiginal:
                token.original = match.group(0)
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            yield token


class SpellingFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = SPELLING.get(token.text, token.text)
            yield token


def industry_analyzer():
    """Profiles and queries: words, units, spelling variants, English stemming."""
    return IndustryTokenizer() | LowercaseFilter() | SpellingFilter() | StopFilter(minsize=1) | StemFilter()


def plain_analyzer():
    """Unstemmed words for "did you mean" suggestions: they must be real words people typed."""
    return IndustryTokenizer() | LowercaseFilter() | SpellingFilter()


def terms(text: str) -> list[str]:
    """The stemmed terms of a text, in order (used by the thesaurus and the snippets)."""
    return [t.text for t in industry_analyzer()(normalize_query(text))]
