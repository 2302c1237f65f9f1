"""Gathering the facts matching judges a need on, fast enough for the whole directory.

Candidates come from the search index, with the directory's filters and thesaurus: the public
firms making the need's category that hold every required certification valid today (with their
name, capacity and province), the features each one's own text offers, and the nearest misses.
The database then confirms each candidate (verified capability, certificates valid today) in one
query of plain capability columns and adds what the score needs; `portal.matching` scores them.
Reasons are worked out only for the matches someone reads: a need page shows 50 of thousands.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, exists, func, literal, or_, select

from portal import search
from portal.compliance.service import excluded_firm_ids
from portal.extensions import db
from portal.matching.facts import CapabilityFact, CertificateFact, FirmFacts, Match, NeedFacts
from portal.matching.sourcing import capacity_in_need_unit, evaluate, rank, score
from portal.needs.models import SourcingNeed
from portal.operations.metrics import MATCHING_SECONDS, timed
from portal.suppliers import responsiveness
from portal.suppliers.models import (
    Capability,
    Certificate,
    Firm,
    FirmResponsiveness,
    ReviewStatus,
    capability_process,
)
from portal.timeutil import today

EXCLUDED = "incentives withdrawn or licence suspended"
NEAR_MISSES = 20
CHUNK = 5000  # ids per IN (...) list, well under SQLite's and PostgreSQL's parameter limits
EXPLAIN_BATCH = 50
WHOLE_CATEGORY = 2000  # qualified candidates above which their category is read whole

FIRM, CAPABILITY, CERTIFICATE = Firm.__table__, Capability.__table__, Certificate.__table__
RESPONSIVENESS = FirmResponsiveness.__table__


def need_facts(need: SourcingNeed) -> NeedFacts:
    return NeedFacts(
        category=need.category_slug,
        quantity_per_month=need.quantity_per_month,
        quantity_unit=need.quantity_unit,
        deadline=need.deadline,
        required_certifications=tuple((c.slug, c.name) for c in need.required_certifications),
        processes=tuple((p.slug, p.name) for p in need.processes),
        features=tuple(need.feature_list),
        province=need.delivery_province,
    )


def firm_facts(firm: Firm, excluded: set[int], offered: dict[int, tuple[str, ...]]) -> FirmFacts:
    """A loaded firm as matching sees it (for one firm at a time; lists use `firm_facts_for`)."""
    return FirmFacts(
        firm_id=firm.id,
        name=firm.display_name,
        public=firm.is_public,
        province=firm.province,
        capabilities=tuple(
            CapabilityFact(
                c.category_slug,
                c.monthly_capacity,
                c.capacity_unit,
                frozenset(p.slug for p in c.processes),
                c.lead_time_days,
                c.is_main_line,
                c.board_area_mm2,
            )
            for c in firm.capabilities
            if c.is_verified
        ),
        certificates=tuple(
            CertificateFact(c.type_slug, c.type.name, c.expiry_date, c.review_status == ReviewStatus.VERIFIED)
            for c in firm.certificates
        ),
        excluded=EXCLUDED if firm.id in excluded else None,
        features_offered=tuple(offered.get(firm.id, ())),
        median_response_days=responsiveness.days_of(firm.id),
    )


def _chunks(ids):
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _with_responsiveness(query, firm_id_column):
    """The query with the firm's stored responsiveness (NULLs for a firm never asked anything)."""
    return query.outerjoin(RESPONSIVENESS, RESPONSIVENESS.c.firm_id == firm_id_column).add_columns(
        RESPONSIVENESS.c.median_days, RESPONSIVENESS.c.counted, RESPONSIVENESS.c.unanswered_mostly
    )


def _making_the_category(need: NeedFacts):
    """Public firms with a verified capability in the need's category, one row each."""
    return (
        select(FIRM.c.id)
        .join(CAPABILITY, CAPABILITY.c.firm_id == FIRM.c.id)
        .where(
            Firm.is_public,
            CAPABILITY.c.category_slug == need.category,
            Capability.is_verified,
        )
    )


def firm_facts_for(need: NeedFacts, firm_ids, offered: dict[int, tuple[str, ...]], day: date) -> list[FirmFacts]:
    """The given firms as matching sees them for this need, read from the database.

    Only what the need asks about is read: the capability in its category, the processes and the
    certificates it requires. Firms that are not public or do not make the category are left out,
    as matching would rule them out anyway.
    """
    rows = []
    for ids in _chunks(firm_ids):
        query = _making_the_category(need).add_columns(
            FIRM.c.trade_name,
            FIRM.c.legal_name,
            FIRM.c.province,
            CAPABILITY.c.id,
            CAPABILITY.c.monthly_capacity,
            CAPABILITY.c.capacity_unit,
            CAPABILITY.c.lead_time_days,
            CAPABILITY.c.is_main_line,
            CAPABILITY.c.board_area_mm2,
        )
        query = _with_responsiveness(query, FIRM.c.id)
        rows += db.session.execute(query.where(FIRM.c.id.in_(ids))).all()
    processes: dict[int, set[str]] = defaultdict(set)
    if need.processes:
        for ids in _chunks(row[4] for row in rows):
            for capability_id, slug in db.session.execute(
                select(capability_process.c.capability_id, capability_process.c.process_slug).where(
                    capability_process.c.capability_id.in_(ids),
                    capability_process.c.process_slug.in_([slug for slug, _ in need.processes]),
                )
            ):
                processes[capability_id].add(slug)
    certificates: dict[int, list[CertificateFact]] = defaultdict(list)
    names = dict(need.required_certifications)
    if names:
        for ids in _chunks(row[0] for row in rows):
            for firm_id, slug, expires_on in db.session.execute(
                select(CERTIFICATE.c.firm_id, CERTIFICATE.c.type_slug, CERTIFICATE.c.expiry_date).where(
                    CERTIFICATE.c.firm_id.in_(ids),
                    CERTIFICATE.c.type_slug.in_(list(names)),
                    Certificate.is_valid_on(day),
                )
            ):
                certificates[firm_id].append(CertificateFact(slug, names[slug], expires_on, True))
    excluded = excluded_firm_ids(day)
    return [
        FirmFacts(
            firm_id=firm_id,
            name=trade_name or legal_name,
            public=True,
            province=province,
            capabilities=(
                CapabilityFact(
                    need.category, capacity or 0, unit, frozenset(processes[capability_id]), lead, main, area
                ),
            ),
            certificates=tuple(certificates[firm_id]),
            excluded=EXCLUDED if firm_id in excluded else None,
            features_offered=offered.get(firm_id, ()),
            median_response_days=responsiveness.days_for_matching(*answers),
        )
        for firm_id, trade_name, legal_name, province, capability_id, capacity, unit, lead, main, area, *answers in rows
    ]


class QualifiedRow(NamedTuple):
    """A qualified candidate's capability in the need's category, as scoring reads it."""

    firm_id: int
    lead_time_days: int | None
    main_line: bool
    processes_covered: int
    monthly_capacity: int
    unit: str | None
    board_area_mm2: int | None
    candidate: search.Candidate
    response_days: float | None = None  # what matching weighs of how fast the firm answers


def qualified_rows(need: NeedFacts, found: search.Candidates, day: date) -> list[QualifiedRow]:
    """Every qualified candidate that the database confirms: a verified capability in the
    category and every required certificate valid on the day, compliance not excluding it.

    One query per chunk, of the capability table alone (plain columns, no ORM objects): the
    index already gave each candidate's name and province, and only public firms. Capacity is read
    here with its unit, so it is set against a quantity only in a shared unit. The rows depend on
    the need's category, certificates and processes, not its quantity: a BOM reads them once for
    all its lines of one category.
    """
    process_slugs = [slug for slug, _ in need.processes]
    covered = (
        select(func.count())
        .where(
            capability_process.c.capability_id == CAPABILITY.c.id,
            capability_process.c.process_slug.in_(process_slugs),
        )
        .scalar_subquery()
        if process_slugs
        else literal(0)
    )
    certified = [
        exists().where(
            CERTIFICATE.c.firm_id == CAPABILITY.c.firm_id, CERTIFICATE.c.type_slug == slug, Certificate.is_valid_on(day)
        )
        for slug, _ in need.required_certifications
    ]
    query = select(
        CAPABILITY.c.firm_id,
        CAPABILITY.c.lead_time_days,
        CAPABILITY.c.is_main_line,
        covered,
        CAPABILITY.c.monthly_capacity,
        CAPABILITY.c.capacity_unit,
        CAPABILITY.c.board_area_mm2,
    ).where(
        CAPABILITY.c.category_slug == need.category,
        Capability.is_verified,
        *certified,
    )
    query = _with_responsiveness(query, CAPABILITY.c.firm_id)
    candidates = {candidate.firm_id: candidate for candidate in found.qualified}
    if len(candidates) > WHOLE_CATEGORY:
        # Most of the category qualifies: reading it all beats sending thousands of ids.
        batches = [query]
    else:
        batches = [query.where(CAPABILITY.c.firm_id.in_(ids)) for ids in _chunks(candidates)]
    excluded = excluded_firm_ids(day)
    rows = []
    connection = db.session.connection()
    for batch in batches:
        for firm_id, lead, main, processes, amount, unit, area, *answers in connection.execute(batch):
            candidate = candidates.get(firm_id)
            if candidate is not None and firm_id not in excluded:
                days = responsiveness.days_for_matching(*answers)
                rows.append(QualifiedRow(firm_id, lead, main, processes, amount, unit, area, candidate, days))
    return rows


class StatedFacts(NamedTuple):
    """What some public firms of a category all state about it, as a need without certificates,
    processes or features judges them: `firms` is how many state exactly this."""

    category: str
    monthly_capacity: int | None
    unit: str | None
    board_area_mm2: int | None
    main_line: bool
    lead_time_days: int | None
    answers: tuple  # the stored responsiveness columns (NULLs for a firm never asked anything)
    firms: int

    @property
    def response_days(self) -> float | None:
        return responsiveness.days_for_matching(*self.answers)


def _stated_columns():
    return (
        CAPABILITY.c.category_slug,
        CAPABILITY.c.monthly_capacity,
        CAPABILITY.c.capacity_unit,
        CAPABILITY.c.board_area_mm2,
        CAPABILITY.c.is_main_line,
        CAPABILITY.c.lead_time_days,
        RESPONSIVENESS.c.median_days,
        RESPONSIVENESS.c.counted,
        RESPONSIVENESS.c.unanswered_mostly,
    )


def _qualifying(query, categories, excluded: set[int]):
    """`query` over public firms' verified capabilities in `categories`, `excluded` firms (those a
    compliance decision keeps out of matching) left out: the rule of `qualified_rows` for a need
    that asks no certificate, process or feature."""
    return (
        query.join(FIRM, FIRM.c.id == CAPABILITY.c.firm_id)
        .outerjoin(RESPONSIVENESS, RESPONSIVENESS.c.firm_id == CAPABILITY.c.firm_id)
        .where(
            Firm.is_public,
            CAPABILITY.c.category_slug.in_(sorted(set(categories))),
            Capability.is_verified,
            *(CAPABILITY.c.firm_id.not_in(chunk) for chunk in _chunks(excluded)),
        )
    )


def stated_facts(categories, excluded: set[int]) -> dict[str, list[StatedFacts]]:
    """The qualified firms of several categories counted by what they state, in one grouped read.

    A BOM plan asks for most of a phone's categories at once, each with tens of thousands of firms
    at national scale, which share a few thousand distinct statements: counting them in the
    database spares reading every firm (`firms_stating` then names the few a page shows)."""
    columns = _stated_columns()
    query = _qualifying(select(*columns, func.count()).select_from(CAPABILITY), categories, excluded)
    query = query.group_by(*columns)
    found: dict[str, list[StatedFacts]] = defaultdict(list)
    for category, amount, unit, area, main, lead, *answers, firms in db.session.execute(query):
        found[category].append(StatedFacts(category, amount, unit, area, main, lead, tuple(answers), firms))
    return found


def firms_stating(statements: list[StatedFacts], excluded: set[int], count: int) -> list[int]:
    """Ids of the first `count` qualified firms, by name, stating any of `statements`: all of one
    category and of one score (ties are ranked by name, then id).

    The statements are matched as what they are at a level of equal score: the capacities that
    cover a line, crossed with the facts that score the same (lead time, main line, answers), two
    short lists rather than one condition per statement. Names are ordered by code point after
    lower-casing, as the search index orders them (SQLite lower-cases ASCII letters only)."""
    if not statements:
        return []
    columns = _stated_columns()

    def any_of(parts, values):
        return or_(*(and_(*(c.is_not_distinct_from(v) for c, v in zip(parts, value, strict=True))) for value in values))

    given = {(s.monthly_capacity, s.unit, s.board_area_mm2) for s in statements}
    judged = {(s.main_line, s.lead_time_days, *s.answers) for s in statements}
    name = func.lower(func.coalesce(func.nullif(FIRM.c.trade_name, ""), FIRM.c.legal_name))
    if db.session.get_bind().dialect.name == "postgresql":
        name = name.collate("C")
    query = (
        _qualifying(select(CAPABILITY.c.firm_id).select_from(CAPABILITY), [statements[0].category], excluded)
        .where(any_of(columns[1:4], sorted(given, key=repr)), any_of(columns[4:], sorted(judged, key=repr)))
        .order_by(name, CAPABILITY.c.firm_id)
        .limit(count)
    )
    return list(db.session.scalars(query))


def _scores(need: NeedFacts, found: search.Candidates, rows: list[QualifiedRow]) -> list[tuple]:
    """(score, sort name, firm id) of every qualified row, for this need's quantity."""
    scores: dict[tuple, float] = {}  # firms share a handful of distinct facts: score each set once
    scored = []
    for row in rows:
        offered = len(found.offered.get(row.firm_id, ()))
        capacity = capacity_in_need_unit(
            need, CapabilityFact(need.category, row.monthly_capacity, row.unit, board_area_mm2=row.board_area_mm2)
        )
        in_province = row.candidate.in_province
        facts = (
            capacity,
            row.processes_covered,
            offered,
            row.main_line,
            row.lead_time_days,
            in_province,
            row.response_days,
        )
        value = scores.get(facts)
        if value is None:
            value = scores[facts] = score(
                need,
                capacity=capacity,
                processes_covered=row.processes_covered,
                features_offered=offered,
                main_line=row.main_line,
                lead_time_days=row.lead_time_days,
                in_province=in_province,
                median_response_days=row.response_days,
            )
        scored.append((value, row.candidate.sort_name, row.firm_id))
    return scored


class RankedMatches(Sequence):
    """Matches best first (ties by name, then id, as `matching.rank` orders them); each match's
    reasons are worked out the first time it is read, a batch at a time."""

    def __init__(self, scored: list[tuple], explain: Callable[[list[int]], dict[int, Match]]):
        """`scored` holds (score, lower-cased name, firm id) for every match."""
        self._order = sorted(scored, key=lambda item: (-item[0], item[1], item[2]))
        self._explain = explain
        self._explained: dict[int, Match] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self._order[index]
            self._explain_ids([firm_id for _, _, firm_id in wanted])
            return [self._match(item) for item in wanted]
        item = self._order[index]
        if item[2] not in self._explained:
            position = index % len(self._order)
            self._explain_ids([firm_id for _, _, firm_id in self._order[position : position + EXPLAIN_BATCH]])
        return self._match(item)

    def __iter__(self):
        for start in range(0, len(self._order), EXPLAIN_BATCH):
            yield from self[start : start + EXPLAIN_BATCH]

    def firm_ids(self) -> list[int]:
        """Every matching firm's id, best first, without working out any reasons."""
        return [firm_id for _, _, firm_id in self._order]

    def _explain_ids(self, firm_ids: list[int]) -> None:
        missing = [firm_id for firm_id in firm_ids if firm_id not in self._explained]
        if missing:
            self._explained.update(self._explain(missing))

    def _match(self, item) -> Match:
        value, name, firm_id = item
        # A firm changed between scoring and explaining keeps its place, without reasons.
        return self._explained.get(firm_id) or Match(firm_id, name, value, ())


@timed(MATCHING_SECONDS)
def matches_for(need: SourcingNeed, near_limit: int = NEAR_MISSES):
    """(matches best first, the nearest misses) for the need, from every public firm making its category."""
    day = today()
    facts = need_facts(need)
    found = search.need_candidates(
        need.category_slug,
        [slug for slug, _ in facts.required_certifications],
        day,
        need.quantity_per_month,
        facts.features,
        province=need.delivery_province,
        near_limit=near_limit,
    )
    return ranked_matches(facts, found, day, near_limit=near_limit)


def ranked_matches(
    facts: NeedFacts, found: search.Candidates, day: date, rows: list | None = None, near_limit: int = NEAR_MISSES
):
    """(matches best first, the nearest misses) of need facts against candidates already found;
    `rows` are their `qualified_rows` when the caller read them once for several needs alike."""
    rows = qualified_rows(facts, found, day) if rows is None else rows

    def explain(firm_ids: list[int]) -> dict[int, Match]:
        judged = (evaluate(facts, firm, day) for firm in firm_facts_for(facts, firm_ids, found.offered, day))
        return {verdict.firm_id: verdict for verdict in judged if isinstance(verdict, Match)}

    matches = RankedMatches(_scores(facts, found, rows), explain)
    near = []
    if near_limit:
        _, near = rank(facts, firm_facts_for(facts, found.near, found.offered, day), day)
    return matches, near[:near_limit]


def verdicts_for(need: SourcingNeed, firm_ids) -> dict:
    """How matching judges each of a few given firms for this need: a Match or a NearMiss (firms it
    rules out altogether are absent)."""
    day = today()
    facts = need_facts(need)
    firm_ids = set(firm_ids)
    offered: dict[int, tuple[str, ...]] = {}
    for feature in facts.features:
        for firm_id in search.matching_firm_ids(feature, need.category_slug) & firm_ids:
            offered[firm_id] = (*offered.get(firm_id, ()), feature)
    judged = (evaluate(facts, firm, day) for firm in firm_facts_for(facts, firm_ids, offered, day))
    return {verdict.firm_id: verdict for verdict in judged if verdict is not None}
