"""Units of supply: what each component category is counted in, and the conversions that mean something.

`data/units.csv` lists the units (with the spellings firms used to type, so old free text can be
mapped); `data/components.csv` gives each category its units, the first being the usual one.
Capacity and demand are only ever added or compared within one unit. The one conversion the
portal makes is between square metres of panel and counted boards (or circuits) of a category
that lists both, and only with the area of one board that the firm itself gives.
"""

from dataclasses import dataclass
from functools import cache

from portal.taxonomy import category_rows, unit_rows

AREA_UNIT = "m2"
MM2_PER_M2 = 1_000_000
MAX_BOARD_AREA_MM2 = MM2_PER_M2  # one board of a square metre is already a panel


@dataclass(frozen=True)
class Unit:
    slug: str
    name: str  # plural, as in "60,000 boards"
    symbol: str  # short, after a number
    spellings: frozenset[str]


@cache
def units() -> dict[str, Unit]:
    return {
        row["slug"]: Unit(
            row["slug"],
            row["name"],
            row["symbol"],
            frozenset(s.strip().casefold() for s in row["spellings"].split("|") if s.strip()),
        )
        for row in unit_rows()
    }


@cache
def _category_units() -> dict[str, tuple[str, ...]]:
    return {row["slug"]: tuple(u for u in row["units"].split("|") if u) for row in category_rows()}


def units_of(category_slug: str) -> tuple[Unit, ...]:
    """The category's units, its usual one first; none for a category the data does not know."""
    return tuple(units()[slug] for slug in _category_units().get(category_slug, ()))


def usual_unit(category_slug: str) -> str | None:
    """The unit a category is counted in unless the firm or brand chooses another of its list."""
    found = _category_units().get(category_slug, ())
    return found[0] if found else None


def usual_unit_of_row(context) -> str | None:
    """A column default: a new capability's or need's unit, when none is given, is its category's usual one."""
    return usual_unit(context.get_current_parameters().get("category_slug"))


def is_unit_of(category_slug: str, unit: str | None) -> bool:
    return unit is not None and unit in _category_units().get(category_slug, ())


def unit_of_spelling(category_slug: str, text: str | None) -> str | None:
    """The category's unit a free-text spelling ("pcs", "sq m", "Boards") stands for; None when the
    spelling is unknown or could mean two of the category's units."""
    if text is None:
        return None
    spelled = " ".join(text.split()).casefold()
    found = [u.slug for u in units_of(category_slug) if spelled in u.spellings or spelled == u.slug]
    return found[0] if len(found) == 1 else None


def symbol(unit: str | None) -> str:
    """How a unit is written after a number; a unit nobody has chosen yet says so."""
    if unit is None:
        return "(unit not stated)"
    known = units().get(unit)
    return known.symbol if known else unit


def unit_choices(category_slug: str) -> list[tuple[str, str]]:
    return [(u.slug, u.name) for u in units_of(category_slug)]


def unit_name(unit: str | None) -> str:
    if unit is None:
        return "unit not stated"
    known = units().get(unit)
    return known.name if known else unit


def area_counterpart(category_slug: str, unit: str | None) -> str | None:
    """The unit this one converts to with a board area: m² of panel <-> the category's counted
    boards, for a category whose units are exactly those two; None otherwise."""
    listed = _category_units().get(category_slug, ())
    if len(listed) != 2 or AREA_UNIT not in listed or unit not in listed:
        return None
    return next(u for u in listed if u != unit)


def takes_board_area(category_slug: str) -> bool:
    """A firm may give the area of one board for this category (it lists m² and counted boards)."""
    return area_counterpart(category_slug, AREA_UNIT) is not None


def convert(amount: int, unit: str, to_unit: str, category_slug: str, board_area_mm2: int | None) -> int | None:
    """`amount` of `unit` written in `to_unit`, rounded down; None when no conversion is defined
    (different kinds of thing, or boards and m² without the area of one board)."""
    if unit == to_unit:
        return amount
    if not board_area_mm2 or board_area_mm2 <= 0 or area_counterpart(category_slug, unit) != to_unit:
        return None
    if unit == AREA_UNIT:
        return amount * MM2_PER_M2 // board_area_mm2
    return amount * board_area_mm2 // MM2_PER_M2
