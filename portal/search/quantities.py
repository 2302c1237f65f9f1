"""Numbers with units in firms' text and in queries: "5W–65W", "4000-5000 mAh", "2 to 8 layer".

A firm's stated values and ranges are read once, when it is indexed, into (unit, low, high)
triples; a query's quantity ("20W", "20-watt", "8L", "0.4 mm pitch") then finds the firms whose
value or range covers it. The units are few and fixed, each with the spellings people write.
"""

import re
from typing import NamedTuple

# Each unit's spellings, longest first within the pattern; the key is the unit's indexed name.
UNIT_SPELLINGS = {
    "w": ("watts", "watt", "w"),
    "mah": ("mah", "milliamp hours", "milliamp-hours", "milliampere hours"),
    "wh": ("wh", "watt hours", "watt-hours"),
    "v": ("volts", "volt", "v"),
    "a": ("amperes", "ampere", "amps", "amp", "a"),
    "layer": ("layers", "layer", "l"),
    "inch": ("inches", "inch", "in", '"', "″"),
    "mm": ("millimetres", "millimeters", "millimetre", "millimeter", "mm"),
    "um": ("microns", "micron", "µm", "μm", "um"),
    "mp": ("megapixels", "megapixel", "mp"),
    "pin": ("pins", "pin", "p"),
}
# Spellings too short to trust in running text ("5 a day", "8 in stock"): only right after the number.
_TIGHT = {"a", "l", "p", "in", '"', "″"}
_SPELLING_UNIT = {spelling: unit for unit, spellings in UNIT_SPELLINGS.items() for spelling in spellings}
_ALTERNATION = "|".join(sorted((re.escape(s) for s in _SPELLING_UNIT), key=len, reverse=True))

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fourteen": 14, "sixteen": 16, "twenty": 20, "single": 1, "double": 2,
}  # fmt: skip
_NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{'|'.join(NUMBER_WORDS)})"
_UNIT = rf"(?P<unit>{_ALTERNATION})"
_JOIN = r"(?P<gap>\s?-?\s?)"

# Patterns matched at a number's first character (found by STARTS), never scanned over the whole
# text: scanning every position costs as much as the rest of indexing.
# "5W-65W", "5 - 65 W", "5 to 65W", "5W~65W", "4000–5000 mAh", "2 to 8 layer"
RANGE = re.compile(
    rf"(?P<low>{_NUMBER})\s?(?P<lowunit>{_ALTERNATION})?\s*(?:-|–|—|~|to|up\s+to)\s*"
    rf"(?P<high>{_NUMBER}){_JOIN}{_UNIT}(?![\w])",
    re.IGNORECASE,
)
# "18W", "18 W", "20-watt", "8L", "0.4 mm", "6.5 inch", "6.5\""
SINGLE = re.compile(rf"(?P<value>{_NUMBER}){_JOIN}{_UNIT}(?![\w])", re.IGNORECASE)
# "18/25/33W": values sharing one unit
LIST = re.compile(rf"(?P<values>(?:\d+(?:\.\d+)?\s?/\s?)+\d+(?:\.\d+)?){_JOIN}{_UNIT}(?![\w])", re.IGNORECASE)
# "up to 65W", "max 65W": before a number, the range starts at nothing
UP_TO_BEFORE = re.compile(r"(?:\bup\s+to|\bupto|\bmax(?:imum)?|\bunder)\s+$", re.IGNORECASE)
# A digit not after a letter, digit, point or comma; a number word at a word's start. Each tests
# the cheap thing first (a digit; one of the words' first letters), as both scan every character.
STARTS = re.compile(r"\d(?<![\w.,]\d)")
WORD_STARTS = re.compile(
    rf"\b(?=[{''.join(sorted({word[0] for word in NUMBER_WORDS}))}])(?:{'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE
)


class Quantity(NamedTuple):
    unit: str
    low: float
    high: float

    @property
    def text(self) -> str:
        """As the index stores it: `w:5:65`."""
        return f"{self.unit}:{_plain(self.low)}:{_plain(self.high)}"

    def covers(self, value: float) -> bool:
        return self.low - 1e-9 <= value <= self.high + 1e-9

    def fit(self, value: float) -> float:
        """How well a stated value or range answers a wanted `value`: 1 for the exact value, less
        for a range, the wider the less (a 5–65 W range says less about 20 W than 18–25 W does)."""
        if not self.covers(value):
            return 0.0
        if self.high == self.low:
            return 1.0
        return 0.5 + 0.4 * (1 - (self.high - self.low) / (self.high + self.low))


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _number(text: str) -> float:
    word = text.lower()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    return float(text.replace(",", ""))


def _unit(spelling: str, gap: str) -> str | None:
    spelling = spelling.lower()
    if spelling in _TIGHT and gap:
        return None
    return _SPELLING_UNIT.get(spelling)


def _starts(text: str):
    """Where numbers begin: digits, and number words."""
    starts = [m.start() for m in STARTS.finditer(text)]
    words = [m.start() for m in WORD_STARTS.finditer(text)]
    return sorted({*starts, *words}) if words else starts


def _read_at(text: str, position: int):
    """(quantities, end) of the statement beginning at `position`, or None."""
    match = RANGE.match(text, position)
    if match:
        unit = _unit(match.group("unit"), match.group("gap"))
        low_unit = match.group("lowunit")
        if unit and (not low_unit or _SPELLING_UNIT.get(low_unit.lower()) == unit):
            low, high = sorted((_number(match.group("low")), _number(match.group("high"))))
            return [Quantity(unit, low, high)], match.end()
    match = LIST.match(text, position)
    if match and (unit := _unit(match.group("unit"), match.group("gap"))):
        values = [float(v) for v in re.split(r"\s?/\s?", match.group("values"))]
        return [Quantity(unit, v, v) for v in values], match.end()
    match = SINGLE.match(text, position)
    if match and (unit := _unit(match.group("unit"), match.group("gap"))):
        value = _number(match.group("value"))
        low = 0.0 if UP_TO_BEFORE.search(text, max(0, position - 12), position) else value
        return [Quantity(unit, low, value)], match.end()
    return None


def stated_quantities(text: str) -> list[Quantity]:
    """Every value and range a firm states, in order of appearance, each once."""
    found: dict[Quantity, None] = {}
    free_from = 0
    for position in _starts(text):
        if position < free_from:
            continue
        read = _read_at(text, position)
        if read:
            quantities, free_from = read
            found.update(dict.fromkeys(quantities))
    return list(found)


class Wanted(NamedTuple):
    """A quantity a query asks for, with where it stands in the query."""

    unit: str
    value: float
    start: int
    end: int


def wanted_quantities(query: str) -> list[Wanted]:
    """The quantities in a query: "20W", "20 W", "20-watt", "4000mAh", "8 layer", "8L", "0.4 mm"."""
    found = []
    for position in _starts(query):
        match = SINGLE.match(query, position)
        if match and (unit := _unit(match.group("unit"), match.group("gap"))):
            found.append(Wanted(unit, _number(match.group("value")), match.start(), match.end()))
    return found


# "100k per month", "50,000 pcs/month", "1 million units monthly", "2 lakh a month": a monthly
# capacity, which firms state per component (their verified lines), not in their text.
MONTHLY = re.compile(
    rf"(?<![\w.,])(?P<value>{_NUMBER})\s*(?P<scale>million|thousand|lakhs?|lacs?|crores?|mn|k|m)?\b"
    r"(?P<units>\s*(?:units?|pcs|pieces|nos|sets?)\b)?\.?"
    r"(?P<month>\s*(?:/\s*month|/\s*mo\b|per\s+month|a\s+month|monthly|pm\b))?",
    re.IGNORECASE,
)
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "lakh": 1e5, "lac": 1e5, "crore": 1e7}


def wanted_monthly(query: str) -> list[Wanted]:
    """The monthly capacities a query asks for (unit "month"): a number with a unit word or "per
    month" after it; "50 W" and "8 layer" are quantities, not capacities."""
    found = []
    for match in MONTHLY.finditer(query):
        if not (match.group("units") or match.group("month")):
            continue
        scale = (match.group("scale") or "").casefold().rstrip("s")
        units = _number(match.group("value")) * SCALES.get(scale, 1)
        if 1 <= units < 10**12:
            found.append(Wanted("month", units, match.start(), match.end()))
    return found


def parse_stored(text: str) -> list[Quantity]:
    """The index column's `w:5:65 mah:4000:5000` back into quantities."""
    quantities = []
    for item in (text or "").split():
        unit, _, rest = item.partition(":")
        low, _, high = rest.partition(":")
        try:
            quantities.append(Quantity(unit, float(low), float(high)))
        except ValueError:
            continue
    return quantities
