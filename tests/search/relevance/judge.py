"""Grades from attributes: how well a firm meets what a query asks for, 0 (not) to 3 (all of it).

A query's intent has a main part (the category it names, else the process, else the certificate,
else the place) and other parts. 3 = every part met; 2 = the main part and at least half of the
others; 1 = the main part only (or fewer than half of the others); 0 = not the main part.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from tests.search.relevance.facts import FirmFacts


@dataclass(frozen=True)
class Quantity:
    """A number with a unit the buyer wants covered: a spec unit of `facts.UNITS`, or "units/month"
    for a monthly capacity of at least `value`."""

    value: float
    unit: str


@dataclass(frozen=True)
class Intent:
    categories: tuple[str, ...] = ()  # any of them
    processes: tuple[str, ...] = ()  # each of them
    certificate: str | None = None
    cities: tuple[str, ...] = ()  # any of them
    province: str | None = None
    quantity: Quantity | None = None

    def parts(self) -> list:
        """The checks of this intent, the main part first; each takes a firm's facts."""
        checks = []
        if self.categories:
            checks.append(lambda f: any(c in f.categories for c in self.categories))
        checks += [lambda f, p=p: p in f.processes for p in self.processes]
        if self.certificate:
            checks.append(lambda f: f.holds(self.certificate))
        if self.cities:
            checks.append(lambda f: f.city in self.cities)
        if self.province:
            checks.append(lambda f: f.province == self.province)
        if self.quantity:
            checks.append(_quantity_check(self.quantity))
        if not checks:
            raise ValueError("an intent needs at least one part")
        return checks


def _quantity_check(quantity: Quantity):
    if quantity.unit == "units/month":
        return lambda f: f.capacity >= quantity.value
    return lambda f: f.states(quantity.unit, quantity.value)


def grade(intent: Intent, facts: FirmFacts, parts=None) -> int:
    """0-3 for one firm; hidden firms (not public) are never relevant."""
    if not facts.public:
        return 0
    main, *others = parts or intent.parts()
    if not main(facts):
        return 0
    met = sum(1 for check in others if check(facts))
    if met == len(others):
        return 3
    return 2 if met * 2 >= len(others) else 1


def judgements(intent: Intent, firms: Iterable[FirmFacts]) -> dict[int, int]:
    """The grade of every firm that has one above 0."""
    parts = intent.parts()
    graded = ((f.firm_id, grade(intent, f, parts)) for f in firms)
    return {firm_id: g for firm_id, g in graded if g}


class Judge:
    """Grades queries over many firms, looking only at firms that can meet an intent's main part."""

    def __init__(self, firms: Iterable[FirmFacts]):
        self.by: dict[tuple[str, str], list[FirmFacts]] = {}
        for f in firms:
            if not f.public:
                continue
            keys = [("category", c) for c in f.categories]
            keys += [("process", p) for p in f.processes]
            keys += [("certificate", slug) for slug, _ in f.certificates]
            keys += [("city", f.city), ("province", f.province)]
            for key in dict.fromkeys(keys):
                self.by.setdefault(key, []).append(f)

    def candidates(self, intent: Intent) -> list[FirmFacts]:
        if intent.categories:
            keys = [("category", c) for c in intent.categories]
        elif intent.processes:
            keys = [("process", intent.processes[0])]
        elif intent.certificate:
            keys = [("certificate", intent.certificate)]
        elif intent.cities:
            keys = [("city", c) for c in intent.cities]
        elif intent.province:
            keys = [("province", intent.province)]
        else:
            raise ValueError("a quantity alone is no intent: name what it measures")
        found = {f.firm_id: f for key in keys for f in self.by.get(key, ())}
        return list(found.values())

    def judge(self, intent: Intent) -> dict[int, int]:
        return judgements(intent, self.candidates(intent))
