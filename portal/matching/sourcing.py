"""A firm against a sourcing need: the hard rules, the ranking, and the reasons in words.

Hard rules, never broken: the firm makes the need's category, its listing is public (verified,
not suspended), no compliance decision excludes it, and it holds every required certification,
verified and valid today. A firm that fails only on certificates is a near miss: the brand sees
what it would take. Everything else ranks, the way a sourcing manager weighs it.
"""

import math
from collections.abc import Iterable
from datetime import date

from portal.i18n import Phrase
from portal.matching.facts import CapabilityFact, FirmFacts, Match, NearMiss, NeedFacts
from portal.taxonomy.units import area_counterpart, convert, symbol

# Points out of 100, so a score reads as a percentage of an ideal supplier.
# The capacity share of a firm whose capacity cannot be set against the need's quantity (another
# unit, or boards against m² without a board area): neither rewarded nor ruled out.
UNCOMPARABLE_CAPACITY_SHARE = 0.5
# The lead time the listing states: a quote's own lead time replaces it wherever quotes are compared.
LISTED_LEAD_TIME = "lead time %(days)s days"
WEIGHTS = {"capacity": 30, "processes": 20, "features": 20, "main_line": 10, "lead_time": 10, "province": 5, "responsiveness": 5}  # fmt: skip


def _number(value: int) -> str:
    return f"{value:,}"


def _certificates(need: NeedFacts, firm: FirmFacts, today: date) -> tuple[list[str], dict[str, str], list[str]]:
    """(reasons, missing by certification slug, warnings) for the required certifications."""
    reasons: list[str] = []
    missing: dict[str, str] = {}
    warnings: list[str] = []
    for slug, name in need.required_certifications:
        expiries = [
            c.expires_on
            for c in firm.certificates
            if c.slug == slug and c.valid_on(today) and c.expires_on is not None  # a valid one states its expiry
        ]
        if not expiries:
            missing[slug] = Phrase("would qualify with a valid %(name)s", name=name)
            continue
        latest = max(expiries)
        reasons.append(Phrase("%(name)s valid until %(date)s", name=name, date=latest.isoformat()))
        if latest <= need.deadline:
            warnings.append(
                Phrase(
                    "%(name)s expires on %(date)s, before the quote deadline %(deadline)s",
                    name=name,
                    date=latest.isoformat(),
                    deadline=need.deadline.isoformat(),
                )
            )
    return reasons, missing, warnings


def capacity_in_need_unit(need: NeedFacts, capability: CapabilityFact) -> int | None:
    """The firm's monthly capacity in the unit the need counts in; None when the two units do not
    convert (capacity and quantity are compared only in a shared unit)."""
    if need.quantity_unit is None or capability.unit is None:
        return None
    return convert(
        capability.monthly_capacity, capability.unit, need.quantity_unit, need.category, capability.board_area_mm2
    )


def _capacity_share(wanted: int, capacity: int | None) -> float:
    if capacity is None:
        return UNCOMPARABLE_CAPACITY_SHARE
    if wanted <= 0:
        return 1.0
    ratio = capacity / wanted
    if ratio >= 1:
        return 1.0
    return 0.5 + (ratio - 0.5) if ratio >= 0.5 else ratio * 0.5


def _capacity_reason(need: NeedFacts, capability: CapabilityFact, capacity: int | None) -> str:
    wanted, stated = need.quantity_per_month, f"{_number(capability.monthly_capacity)} {symbol(capability.unit)}"
    values = {"stated": stated, "wanted": _number(wanted), "unit": symbol(need.quantity_unit)}
    if capacity is None:
        if capability.unit is None:
            return Phrase(
                "capacity %(stated)s/month, not compared with %(wanted)s %(unit)s/month: "
                "the firm has not chosen a unit yet",
                **values,
            )
        if area_counterpart(need.category, capability.unit) == need.quantity_unit:
            return Phrase(
                "capacity %(stated)s/month, not compared with %(wanted)s %(unit)s/month: m² of panel and boards "
                "convert only with the area of one board, which the firm has not given",
                **values,
            )
        return Phrase(
            "capacity %(stated)s/month, not compared with %(wanted)s %(unit)s/month: the units differ", **values
        )
    if wanted <= 0:
        return Phrase("capacity %(stated)s/month", stated=stated)
    values["capacity"] = _number(capacity)
    converted = capability.unit != need.quantity_unit
    if converted:
        values["area"] = _number(capability.board_area_mm2 or 0)
    ratio = capacity / wanted
    if ratio >= 1:
        if converted:
            return Phrase(
                "%(stated)s at %(area)s mm² a board is %(capacity)s %(unit)s; "
                "capacity %(capacity)s/month covers %(wanted)s",
                **values,
            )
        return Phrase("capacity %(capacity)s/month covers %(wanted)s", **values)
    if ratio >= 0.5:
        if converted:
            return Phrase(
                "%(stated)s at %(area)s mm² a board is %(capacity)s %(unit)s; "
                "capacity %(capacity)s of %(wanted)s/month (partial)",
                **values,
            )
        return Phrase("capacity %(capacity)s of %(wanted)s/month (partial)", **values)
    if converted:
        return Phrase(
            "%(stated)s at %(area)s mm² a board is %(capacity)s %(unit)s; "
            "capacity %(capacity)s of %(wanted)s/month (under half)",
            **values,
        )
    return Phrase("capacity %(capacity)s of %(wanted)s/month (under half)", **values)


def _lead_time_share(days: int | None) -> float:
    if days is None:
        return 0.3
    for limit, share in ((14, 1.0), (30, 0.7), (60, 0.4)):
        if days <= limit:
            return share
    return 0.1


def _responsiveness(days: float | None) -> tuple[float, str]:
    """(share, reason) for the firm's median days to answer; None: too few answers to judge
    (the neutral share), infinite: half or more of its requests went unanswered."""
    if days is None:
        return 0.4, Phrase("not enough answers yet to judge how fast it answers (neutral score)")
    if days == math.inf:
        return 0.0, Phrase("half or more of the requests to it in the last year went unanswered")
    if days <= 1:
        return 1.0, Phrase("usually answers within a day")
    if days <= 3:
        return 0.6, Phrase("usually answers within %(days)s days", days=math.ceil(days))
    return 0.2, Phrase("usually answers within %(days)s days", days=math.ceil(days))


def score(
    need: NeedFacts,
    *,
    capacity: int | None,
    processes_covered: int,
    features_offered: int,
    main_line: bool,
    lead_time_days: int | None,
    in_province: bool,
    median_response_days: float | None = None,
) -> float:
    """A qualifying firm's score out of 100, from the few facts it depends on.

    `evaluate` gives the same number with its reasons; ranking thousands of firms calls this
    alone and explains only the firms someone reads.
    """
    total = (
        WEIGHTS["capacity"] * _capacity_share(need.quantity_per_month, capacity)
        + WEIGHTS["processes"] * (processes_covered / len(need.processes) if need.processes else 1.0)
        + WEIGHTS["features"] * (features_offered / len(need.features) if need.features else 1.0)
        + WEIGHTS["main_line"] * (1.0 if main_line else 0.4)
        + WEIGHTS["lead_time"] * _lead_time_share(lead_time_days)
        + WEIGHTS["province"] * (1.0 if in_province else 0.0)
        + WEIGHTS["responsiveness"] * _responsiveness(median_response_days)[0]
    )
    return round(total, 1)


def evaluate(need: NeedFacts, firm: FirmFacts, today: date) -> Match | NearMiss | None:
    """Judge one firm; None when a hard rule other than certification rules it out."""
    capability = firm.capability(need.category)
    if capability is None or not firm.public or firm.excluded:
        return None
    cert_reasons, missing, warnings = _certificates(need, firm, today)
    wanted, capacity = need.quantity_per_month, capacity_in_need_unit(need, capability)
    capacity_reason = _capacity_reason(need, capability, capacity)
    if missing:
        short = _capacity_share(wanted, capacity) < 1
        return NearMiss(
            firm.firm_id,
            firm.name,
            tuple(missing.values()) + ((capacity_reason,) if short else ()),
            (capacity_reason,),
            tuple(missing),
        )

    reasons = [capacity_reason]
    covered = [name for slug, name in need.processes if slug in capability.processes]
    if need.processes:
        absent = [name for slug, name in need.processes if slug not in capability.processes]
        reasons.append(
            Phrase("processes: %(names)s", names=", ".join(covered))
            if not absent
            else Phrase(
                "processes: %(covered)s of %(wanted)s (%(names)s missing)",
                covered=len(covered),
                wanted=len(need.processes),
                names=", ".join(absent),
            )
        )
    if firm.features_offered:
        reasons.append(Phrase("offers: %(features)s", features=", ".join(firm.features_offered)))
    reasons.append(Phrase("main product line") if capability.main_line else Phrase("listed as a side line"))
    in_province = bool(need.province) and firm.province == need.province
    if in_province:
        reasons.append(Phrase("based in %(province)s, the delivery province", province=firm.province))
    if capability.lead_time_days is not None:
        reasons.append(Phrase(LISTED_LEAD_TIME, days=capability.lead_time_days))
    response_reason = _responsiveness(firm.median_response_days)[1]
    reasons += ([response_reason] if response_reason else []) + cert_reasons

    total = score(
        need,
        capacity=capacity,
        processes_covered=len(covered),
        features_offered=len(firm.features_offered),
        main_line=capability.main_line,
        lead_time_days=capability.lead_time_days,
        in_province=in_province,
        median_response_days=firm.median_response_days,
    )
    return Match(firm.firm_id, firm.name, total, tuple(reasons), tuple(warnings))


def rank(need: NeedFacts, firms: Iterable[FirmFacts], today: date) -> tuple[list[Match], list[NearMiss]]:
    """Matches best first (ties by name, then id, so the order never wobbles) and near misses."""
    matches, near = [], []
    for firm in firms:
        verdict = evaluate(need, firm, today)
        if isinstance(verdict, Match):
            matches.append(verdict)
        elif isinstance(verdict, NearMiss):
            near.append(verdict)
    matches.sort(key=lambda m: (-m.score, m.name.lower(), m.firm_id))
    near.sort(key=lambda m: (len(m.missing), m.name.lower(), m.firm_id))
    return matches, near
