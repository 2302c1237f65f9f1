"""Local suppliers for each line of a BOM, by the matching rules sourcing needs use.

A line is judged as the need it would become: its category, its monthly quantity (quantity per
device × devices per month) in the category's usual unit, and the certificates its words name
("IEC 62133" in the specification). The firms are found once per category (and set of
certificates) for the whole plan, not once per line. For categories asked without certificates
the database counts the qualified firms by what they state (capacity, unit, lead time, ...) in one
grouped read; for the others the search index gives the public firms in good standing holding the
certificates, and the database confirms them. Each line then counts, in memory, the firms whose
capacity covers its quantity, and only the few best of them are named.
"""

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import accumulate
from typing import NamedTuple

from sqlalchemy import select

from portal import search
from portal.bom.mapping import understood
from portal.bom.models import BomLine
from portal.compliance.service import excluded_firm_ids
from portal.extensions import db
from portal.matching.facts import CapabilityFact, NeedFacts
from portal.matching.sourcing import capacity_in_need_unit, score
from portal.needs.matches import QualifiedRow, StatedFacts, firms_stating, qualified_rows, ranked_matches, stated_facts
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


class _Stated(NamedTuple):
    """Firms of a group that state the same facts, counted and scored once."""

    key: object  # what the group's `name` takes to name these firms
    monthly_capacity: int | None
    unit: str | None
    board_area_mm2: int | None
    main_line: bool
    lead_time_days: int | None
    response_days: float | None
    firms: int


@dataclass
class _Group:
    """The candidates of one category and set of certificates, counted once for every line of it:
    capacities in the category's usual unit (the unit every line of it is counted in), and what the
    candidates state grouped by score, for naming the best covering firms of a line."""

    qualified: int
    other_unit: int  # firms whose capacity does not convert to the usual unit
    capacities: list[int]  # the distinct capacities, ascending
    at_least: list[int]  # firms whose capacity is at least capacities[i]
    levels: list[list[tuple[_Stated, int]]]  # (statement, capacity) of equal score, best first
    name: Callable[[list[_Stated], int], list[int]]  # the first n firm ids stating these, in tie order
    best: dict[int, tuple[int, ...]] = field(default_factory=dict)  # quantity -> best covering firm ids

    def covering(self, quantity: int) -> int:
        """How many firms' capacity alone covers `quantity`."""
        index = bisect_left(self.capacities, quantity)
        return self.at_least[index] if index < len(self.at_least) else 0


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


def _group(facts: NeedFacts, stated: list[_Stated], name) -> _Group:
    """Count and rank what a group's firms state. Only covering firms are named, and a covering
    firm has every capacity point for any line it covers: the ranking holds for every line."""
    capacities: dict[tuple, int | None] = {}
    scores: dict[tuple, float] = {}
    counted: Counter = Counter()
    by_score: dict[float, list[tuple[_Stated, int]]] = defaultdict(list)
    other_unit = 0
    for statement in stated:
        given = (statement.monthly_capacity or 0, statement.unit, statement.board_area_mm2)
        if given not in capacities:
            capability = CapabilityFact(facts.category, *given[:2], board_area_mm2=given[2])
            capacities[given] = capacity_in_need_unit(facts, capability)
        capacity = capacities[given]
        if capacity is None:
            other_unit += statement.firms
            continue
        counted[capacity] += statement.firms
        judged = (statement.main_line, statement.lead_time_days, statement.response_days)
        if judged not in scores:
            scores[judged] = score(
                facts,
                capacity=facts.quantity_per_month,
                processes_covered=0,
                features_offered=0,
                main_line=statement.main_line,
                lead_time_days=statement.lead_time_days,
                in_province=False,
                median_response_days=statement.response_days,
            )
        by_score[scores[judged]].append((statement, capacity))
    ascending = sorted(counted)
    at_least = list(accumulate(counted[value] for value in reversed(ascending)))[::-1]
    return _Group(
        qualified=sum(statement.firms for statement in stated),
        other_unit=other_unit,
        capacities=ascending,
        at_least=at_least,
        levels=[by_score[value] for value in sorted(by_score, reverse=True)],
        name=name,
    )


def _from_rows(rows: list[QualifiedRow]) -> tuple[list[_Stated], Callable]:
    """What candidates already read in full state, and how to name them from memory."""
    alike: dict[tuple, list[QualifiedRow]] = defaultdict(list)
    for row in rows:
        alike[
            (row.monthly_capacity, row.unit, row.board_area_mm2, row.main_line, row.lead_time_days, row.response_days)
        ].append(row)
    stated = [_Stated(key, *key, len(members)) for key, members in alike.items()]

    def name(statements, count):
        named = sorted((row.candidate.sort_name, row.firm_id) for s in statements for row in alike[s.key])
        return [firm_id for _name, firm_id in named[:count]]

    return stated, name


def _from_counts(counts: list[StatedFacts], excluded: set[int]) -> tuple[list[_Stated], Callable]:
    """What a whole category's firms state, counted by the database, named by it on demand."""
    stated = [
        _Stated(
            c, c.monthly_capacity, c.unit, c.board_area_mm2, c.main_line, c.lead_time_days, c.response_days, c.firms
        )
        for c in counts
    ]

    def name(statements, count):
        return firms_stating([s.key for s in statements], excluded, count)

    return stated, name


def _best(group: _Group, quantity: int) -> tuple[int, ...]:
    """Ids of the best-ranked firms whose capacity alone covers `quantity`: the levels of equal
    score best first, each level's firms named (ties by name, then id) only while places are left."""
    found = group.best.get(quantity)
    if found is None:
        chosen: list[int] = []
        for level in group.levels:
            covering = [statement for statement, capacity in level if capacity >= quantity]
            if covering:
                chosen += group.name(covering, SHOWN_BEST - len(chosen))
            if len(chosen) >= SHOWN_BEST:
                break
        found = group.best[quantity] = tuple(chosen)
    return found


def supply_for(lines: list[BomLine], named: bool = True) -> dict[int, LineSupply]:
    """Each mapped line's local supply, by line id; unmapped lines are absent. Without `named`,
    only the counts (figures across plans need no firm's name).

    The database is read once for all the plan's categories (the index and the database once more
    for each category whose lines name certificates)."""
    day = today()
    mapped = [(line, line_facts(line, line_certifications(line), day)) for line in lines if line.category_slug]
    wanted = {(facts.category, tuple(s for s, _ in facts.required_certifications)): facts for _line, facts in mapped}
    excluded = excluded_firm_ids(day)
    whole = stated_facts([category for category, certifications in wanted if not certifications], excluded)
    asking = [key for key in wanted if key[1]]
    certified = search.category_candidates(asking, day) if asking else {}
    groups = {
        key: _group(
            facts,
            *(
                _from_rows(qualified_rows(facts, certified[key], day))
                if key[1]
                else _from_counts(whole[key[0]], excluded)
            ),
        )
        for key, facts in wanted.items()
    }
    found: dict[int, LineSupply] = {}
    for line, facts in mapped:
        group = groups[(facts.category, tuple(s for s, _ in facts.required_certifications))]
        covering = group.covering(facts.quantity_per_month)
        found[line.id] = LineSupply(
            unit=facts.quantity_unit,
            quantity=facts.quantity_per_month,
            qualified=group.qualified,
            covering=covering,
            other_unit=group.other_unit,
            best=_best(group, facts.quantity_per_month) if covering and named else (),
            certifications=facts.required_certifications,
        )
    return _named(found) if named else found


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
