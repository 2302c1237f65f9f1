"""An investor against an investment opportunity: the hard rules, the ranking, the reasons in words.

Hard rules, never broken: the opportunity is published, its firm's listing is public (verified, not
suspended), no compliance decision excludes the firm, and at least one of its component categories
is among the investor's interests. Everything else ranks: how the ticket size meets the amount
sought, common instruments, how many categories overlap, the province and the stage. Ties break
on the name, then the id, so an order never wobbles between two page loads.

Amounts are compared only in the same currency. The portal keeps no exchange rates (a fixed table
would be wrong within weeks and wrong in an unhelpful direction), so a ticket in another currency is
said to be "not compared" and scores below any ticket that fits.

Both sides use the same verdict: an investor ranks opportunities, a firm ranks investors. Reasons
are Phrases: they read as English here and are shown in the reader's language.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from portal.i18n import Name, Phrase

# Points out of 100, so a score reads as a percentage of an ideal fit.
WEIGHTS = {"ticket": 35, "categories": 25, "instruments": 20, "province": 10, "stage": 10}
UNCOMPARED_TICKET = 0.25  # a ticket in another currency: maybe fits, maybe not
NO_PREFERENCE = 0.5  # no provinces or stages named: neither a fit nor a misfit

INSTRUMENT_WORDS = {
    "equity": Phrase("equity"),
    "debt": Phrase("debt"),
    "jv": Phrase("joint venture"),
    "licence": Phrase("licence"),
}
INSTRUMENT_ORDER = tuple(INSTRUMENT_WORDS)
STAGE_WORDS = {
    "idea": Phrase("idea stage"),
    "pilot": Phrase("pilot stage"),
    "operating": Phrase("operating stage"),
    "scaling": Phrase("scaling stage"),
}


@dataclass(frozen=True)
class OpportunityFacts:
    opportunity_id: int
    title: str
    firm_name: str
    published: bool
    firm_public: bool  # verified and not suspended
    province: str
    categories: tuple[tuple[str, str], ...]  # (slug, name)
    amount_min: Decimal
    amount_max: Decimal
    currency: str
    instruments: tuple[str, ...]
    stage: str
    excluded: str | None = None  # a compliance decision keeping the firm out, in words


@dataclass(frozen=True)
class InvestorFacts:
    investor_id: int
    name: str
    categories: frozenset[str]
    ticket_min: Decimal
    ticket_max: Decimal
    currency: str
    instruments: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()  # empty: anywhere
    stages: frozenset[str] = frozenset()  # empty: any stage


@dataclass(frozen=True)
class InvestmentMatch:
    opportunity_id: int
    opportunity_title: str
    investor_id: int
    investor_name: str
    score: float
    reasons: tuple[Phrase, ...]
    misfits: tuple[Phrase, ...] = ()


def _amount(value: Decimal) -> str:
    text = f"{float(value):,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _millions(value: Decimal) -> str:
    return f"{float(value) / 1_000_000:,.2f}".rstrip("0").rstrip(".")


def money_span(low: Decimal, high: Decimal) -> str:
    """'3 M', '2–5 M', '250,000–1.5 M' or '40,000–90,000': short, as people say amounts ("M" in the
    reader's language)."""
    if low >= 1_000_000 and high >= 1_000_000:
        figures = _millions(low) if low == high else f"{_millions(low)}–{_millions(high)}"
        return Phrase("%(amount)s M", amount=figures)
    single = Phrase("%(amount)s M", amount=_millions(high)) if high >= 1_000_000 else _amount(high)
    return single if low == high else Phrase("%(low)s–%(high)s", low=_amount(low), high=single)


def _lower_first(name: str) -> str:
    """'Display modules' → 'display modules', but 'USB and data cables' keeps its capitals."""
    lowered = name[:1].lower() + name[1:] if name[1:2].islower() else name
    return name.restyled(lowered) if isinstance(name, Name) else lowered


def _words(names: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c', joined as the reader's language joins a list."""
    *others, last = names
    if not others:
        return last
    head = others[0]
    for name in others[1:]:
        head = Phrase("%(names)s, %(name)s", names=head, name=name)
    return Phrase("%(names)s and %(last)s", names=head, last=last)


def hard_rule_failure(opportunity: OpportunityFacts, investor: InvestorFacts) -> Phrase | None:
    """The first hard rule the pair breaks, in words; None when they may be matched."""
    if not opportunity.published:
        return Phrase("the opportunity is not published")
    if not opportunity.firm_public:
        return Phrase("the firm's listing is not public")
    if opportunity.excluded:
        return Phrase("the firm is kept out of matching (%(reason)s)", reason=opportunity.excluded)
    if not any(slug in investor.categories for slug, _name in opportunity.categories):
        return Phrase("none of its component categories is among the interests")
    return None


def _ticket(
    opportunity: OpportunityFacts, investor: InvestorFacts, for_investor: bool
) -> tuple[float, Phrase | None, Phrase | None]:
    """(share, reason, misfit) for the ticket size against the amount sought."""
    if opportunity.currency != investor.currency:
        currencies = {"amount_currency": opportunity.currency, "ticket_currency": investor.currency}
        if for_investor:
            misfit = Phrase(
                "amount in %(amount_currency)s, your ticket in %(ticket_currency)s: not compared", **currencies
            )
        else:
            misfit = Phrase(
                "amount in %(amount_currency)s, their ticket in %(ticket_currency)s: not compared", **currencies
            )
        return UNCOMPARED_TICKET, None, misfit
    amounts = {
        "ticket": money_span(investor.ticket_min, investor.ticket_max),
        "currency": investor.currency,
        "sought": money_span(opportunity.amount_min, opportunity.amount_max),
    }
    if investor.ticket_max >= opportunity.amount_min and investor.ticket_min <= opportunity.amount_max:
        return 1.0, Phrase("ticket %(ticket)s %(currency)s fits %(sought)s sought", **amounts), None
    if investor.ticket_max < opportunity.amount_min:
        misfit = Phrase("ticket %(ticket)s %(currency)s is below the %(sought)s sought", **amounts)
        return 0.5 * float(investor.ticket_max / opportunity.amount_min), None, misfit
    misfit = Phrase("ticket %(ticket)s %(currency)s is above the %(sought)s sought", **amounts)
    return 0.5 * float(opportunity.amount_max / investor.ticket_min), None, misfit


def _categories(opportunity: OpportunityFacts, investor: InvestorFacts) -> tuple[float, Phrase, Phrase | None]:
    """More categories in common rank higher: one is 0.6, two 0.8, three or more the full share."""
    shared = [_lower_first(name) for slug, name in opportunity.categories if slug in investor.categories]
    other = [_lower_first(name) for slug, name in opportunity.categories if slug not in investor.categories]
    misfit = Phrase("also covers %(names)s, outside the interests", names=_words(other)) if other else None
    return 0.4 + 0.2 * min(len(shared), 3), Phrase("interested in %(names)s", names=_words(shared)), misfit


def _instruments(opportunity: OpportunityFacts, investor: InvestorFacts) -> tuple[float, Phrase | None, Phrase | None]:
    offered = [INSTRUMENT_WORDS[i] for i in INSTRUMENT_ORDER if i in opportunity.instruments]
    common = [
        INSTRUMENT_WORDS[i] for i in INSTRUMENT_ORDER if i in opportunity.instruments and i in investor.instruments
    ]
    if common:
        return 1.0, Phrase("accepts %(instruments)s", instruments=_words(common)), None
    wanted = [INSTRUMENT_WORDS[i] for i in INSTRUMENT_ORDER if i in investor.instruments]
    none = Phrase("none")
    misfit = Phrase(
        "no common instrument: accepts %(offered)s, offered %(wanted)s",
        offered=_words(offered) if offered else none,
        wanted=_words(wanted) if wanted else none,
    )
    return 0.0, None, misfit


def _preference(
    value: str, preferred: frozenset[str], fit: Phrase, misfit: Phrase
) -> tuple[float, Phrase | None, Phrase | None]:
    if not preferred:
        return NO_PREFERENCE, None, None
    return (1.0, fit, None) if value in preferred else (0.0, None, misfit)


def evaluate(
    opportunity: OpportunityFacts, investor: InvestorFacts, *, for_investor: bool = True
) -> InvestmentMatch | None:
    """Judge one pair; None when a hard rule rules it out. `for_investor` words the one reason that
    depends on who reads it ("your ticket" for the investor, "their ticket" for the firm)."""
    if hard_rule_failure(opportunity, investor):
        return None
    stage = STAGE_WORDS.get(opportunity.stage) or Phrase("%(stage)s stage", stage=opportunity.stage)
    province = Name(opportunity.province, "province", opportunity.province)
    parts = {
        "ticket": _ticket(opportunity, investor, for_investor),
        "categories": _categories(opportunity, investor),
        "instruments": _instruments(opportunity, investor),
        "province": _preference(
            opportunity.province,
            investor.provinces,
            Phrase("based in %(province)s, a province of interest", province=province),
            Phrase("based in %(province)s, outside the provinces of interest", province=province),
        ),
        "stage": _preference(
            opportunity.stage,
            investor.stages,
            Phrase("%(stage)s, a stage of interest", stage=stage),
            Phrase("%(stage)s, not among the stages of interest", stage=stage),
        ),
    }
    score = round(sum(WEIGHTS[name] * share for name, (share, _r, _m) in parts.items()), 1)
    return InvestmentMatch(
        opportunity_id=opportunity.opportunity_id,
        opportunity_title=opportunity.title,
        investor_id=investor.investor_id,
        investor_name=investor.name,
        score=score,
        reasons=tuple(reason for _s, reason, _m in parts.values() if reason),
        misfits=tuple(misfit for _s, _r, misfit in parts.values() if misfit),
    )


def rank_opportunities(investor: InvestorFacts, opportunities: Iterable[OpportunityFacts]) -> list[InvestmentMatch]:
    """The investor's view: fitting opportunities best first (ties by title, then id)."""
    found = [m for o in opportunities if (m := evaluate(o, investor, for_investor=True))]
    return sorted(found, key=lambda m: (-m.score, m.opportunity_title.lower(), m.opportunity_id))


def rank_investors(opportunity: OpportunityFacts, investors: Iterable[InvestorFacts]) -> list[InvestmentMatch]:
    """The firm's view: investors whose profiles fit the opportunity, best first (ties by name, then id)."""
    found = [m for i in investors if (m := evaluate(opportunity, i, for_investor=False))]
    return sorted(found, key=lambda m: (-m.score, m.investor_name.lower(), m.investor_id))
