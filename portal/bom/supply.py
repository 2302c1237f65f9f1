"""Local suppliers for each line of a BOM, by the matching rules sourcing needs use.

A line is judged as the need it would become: its category, its monthly quantity (quantity per
device × devices per month) in the category's usual unit, and the certificates its words name
("IEC 62133" in the specification). The firms are found once per category (and set of
certificates) for the whole plan, not once per line: the search index gives the public firms in
good standing, the database confirms their verified capability and certificates in one read, and
each line then only counts, in memory, the firms whose capacity covers its quantity.
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import islice

from sqlalchemy import select

from portal import search
from portal.bom.mapping import understood
from portal.bom.models import BomLine
from portal.extensions import db
from portal.matching.facts import CapabilityFact, NeedFacts
from portal.matching.sourcing import capacity_in_need_unit, score
from portal.needs.matches import QualifiedRow, category_rows, qualified_rows, ranked_matches
from portal.search.indexing import lexicon, thesaurus
from portal.suppliers.models import Firm
from portal.taxonomy.models import CertificationType
from portal.taxonomy.units import usual_unit
from portal.timeutil import today

SHOWN_BEST = 3
QUOTE_WINDOW_DAYS = 30  # the deadline a line is judged with, as a need posted today would ask


@dataclass(frozen=True)
class LineSupply:
    """What local supply a line has today."""

    unit: str | None  # the category's usual unit, the line's quantity counted in it
    quantity: int  # per month
    qualified: int  # public firms in good standing making the category, holding what it needs
    covering: int  # of those, firms whose capacity alone covers the monthly quantity
    other_unit: int  # firms whose capacity is in a unit that does not convert to the line's
    best: tuple[tuple[int, str], ...] = ()  # (firm id, name) of the best covering firms
    certifications: tuple[tuple[str, str], ...] = ()  # (slug, name) the line's words ask for

    @property
    def is_local(self) -> bool:
        """The line can be sourced in Pakistan today: at least one firm covers it alone."""
        return self.covering > 0


@dataclass
class _Group:
    """The candidates of one category and set of certificates, read once for every line of it."""

    facts: NeedFacts
    rows: list[QualifiedRow]
    capacities: dict[str | None, list[int]] = field(default_factory=dict)  # unit -> sorted capacities
    # (score, sort name, firm id, capacity in the line unit or -1) best first, capacity aside
    ranked: list[tuple[float, str, int, int]] = field(default_factory=list)
    best: dict[int, tuple[int, ...]] = field(default_factory=dict)  # quantity -> best covering firm ids


def line_certifications(line: BomLine) -> tuple[tuple[str, str], ...]:
    """The certificates a line's description or specification names ("IEC 62133", "RoHS")."""
    vocabulary = thesaurus(), lexicon()
    parts = (*understood(line.description, *vocabulary), *understood(line.specification or "", *vocabulary))
    slugs = [part.certification for part in parts if part.certification]
    if not slugs:
        return ()
    names = dict(
        db.session.execute(
            select(CertificationType.slug, CertificationType.name).where(CertificationType.slug.in_(slugs))
        ).all()
    )
    return tuple((slug, names[slug]) for slug in dict.fromkeys(slugs) if slug in names)


def line_facts(line: BomLine, certifications=(), day: date | None = None) -> NeedFacts:
    """The line as the need it would become, for matching."""
    day = day or today()
    return NeedFacts(
        category=line.category_slug,
        quantity_per_month=line.monthly_quantity,
        deadline=day + timedelta(days=QUOTE_WINDOW_DAYS),
        quantity_unit=usual_unit(line.category_slug),
        required_certifications=tuple(certifications),
    )


def _group(facts: NeedFacts, rows: list[QualifiedRow]) -> _Group:
    """The group's confirmed candidates, each capacity written once in the category's usual unit
    (the unit every line of the category is counted in), covering firms ranked once. Firms share a
    handful of distinct facts: each is converted and scored once."""
    group = _Group(facts, rows)
    by_unit: dict[str | None, list[int]] = defaultdict(list)
    capacities: dict[tuple, int | None] = {}
    scores: dict[tuple, float] = {}
    for row in rows:
        stated = (row.monthly_capacity, row.unit, row.board_area_mm2)
        if stated not in capacities:
            capacities[stated] = _capacity(facts, row)
        capacity = capacities[stated]
        by_unit[facts.quantity_unit if capacity is not None else None].append(capacity or 0)
        # A covering firm's score does not depend on the quantity: rank them once for every line.
        judged = (row.main_line, row.lead_time_days, capacity is None)
        if judged not in scores:
            scores[judged] = score(
                facts,
                capacity=capacity,
                processes_covered=0,
                features_offered=0,
                main_line=row.main_line,
                lead_time_days=row.lead_time_days,
                in_province=False,
            )
        group.ranked.append(
            (scores[judged], row.candidate.sort_name, row.firm_id, -1 if capacity is None else capacity)
        )
    group.capacities = {unit: sorted(values) for unit, values in by_unit.items()}
    group.ranked.sort(key=lambda item: (-item[0], item[1], item[2]))
    return group


def _capacity(facts: NeedFacts, row: QualifiedRow) -> int | None:
    capability = CapabilityFact(facts.category, row.monthly_capacity, row.unit, board_area_mm2=row.board_area_mm2)
    return capacity_in_need_unit(facts, capability)


def _best(group: _Group, quantity: int) -> tuple[int, ...]:
    """Ids of the best-ranked firms whose capacity alone covers `quantity`."""
    found = group.best.get(quantity)
    if found is None:
        covering = (firm_id for _value, _name, firm_id, capacity in group.ranked if capacity >= quantity)
        found = group.best[quantity] = tuple(islice(covering, SHOWN_BEST))
    return found


def supply_for(lines: list[BomLine]) -> dict[int, LineSupply]:
    """Each mapped line's local supply, by line id; unmapped lines are absent.

    The database is read once for all the plan's categories (the index and the database once more
    for each category whose lines name certificates)."""
    day = today()
    mapped = [(line, line_facts(line, line_certifications(line), day)) for line in lines if line.category_slug]
    wanted = {(facts.category, tuple(s for s, _ in facts.required_certifications)): facts for _line, facts in mapped}
    whole = category_rows([category for category, certifications in wanted if not certifications], day)
    asking = [key for key in wanted if key[1]]
    certified = search.category_candidates(asking, day) if asking else {}
    groups = {
        key: _group(facts, qualified_rows(facts, certified[key], day) if key[1] else whole.get(key[0], []))
        for key, facts in wanted.items()
    }
    found: dict[int, LineSupply] = {}
    for line, facts in mapped:
        group = groups[(facts.category, tuple(s for s, _ in facts.required_certifications))]
        comparable = group.capacities.get(facts.quantity_unit, [])
        covering = len(comparable) - bisect_left(comparable, facts.quantity_per_month)
        found[line.id] = LineSupply(
            unit=facts.quantity_unit,
            quantity=facts.quantity_per_month,
            qualified=len(group.rows),
            covering=covering,
            other_unit=len(group.capacities.get(None, [])),
            best=_best(group, facts.quantity_per_month) if covering else (),
            certifications=facts.required_certifications,
        )
    return _named(found)


def _named(found: dict[int, LineSupply]) -> dict[int, LineSupply]:
    """The best firms' display names, read in one query for the whole plan."""
    ids = {firm_id for supply in found.values() for firm_id in supply.best}
    names = {}
    if ids:
        rows = db.session.execute(select(Firm.id, Firm.trade_name, Firm.legal_name).where(Firm.id.in_(ids)))
        names = {firm_id: trade or legal for firm_id, trade, legal in rows}
    return {
        line_id: replace(supply, best=tuple((firm_id, names.get(firm_id, "")) for firm_id in supply.best))
        for line_id, supply in found.items()
    }


def line_matches(line: BomLine):
    """(matches best first with reasons, nearest misses) for one line, as its need page would rank them."""
    day = today()
    facts = line_facts(line, line_certifications(line), day)
    found = search.need_candidates(
        facts.category, [s for s, _ in facts.required_certifications], day, facts.quantity_per_month
    )
    return ranked_matches(facts, found, day)
