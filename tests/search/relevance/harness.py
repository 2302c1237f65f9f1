"""nDCG@10 and zero-result rate of the portal's search over judged queries, overall and by type.

nDCG@10 uses graded gains 2^grade - 1 discounted by log2(rank + 1); the ideal DCG orders every
judged firm of the query by grade, so a firm the engine never returns still counts against it.
Queries with no relevant firm in the data are left out of both figures (and counted apart).
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tests.search.relevance.judge import Judge
from tests.search.relevance.queries import TYPES, Query

K = 10


def dcg(grades: Sequence[int], k: int = K) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades[:k]))


def ndcg(ranked: Sequence[int], judged: dict[int, int], k: int = K) -> float:
    """nDCG@k of `ranked` firm ids against `judged` grades (firms not judged count 0)."""
    ideal = dcg(sorted(judged.values(), reverse=True), k)
    if ideal == 0:
        raise ValueError("no relevant firm: nDCG is undefined")
    return dcg([judged.get(firm_id, 0) for firm_id in ranked], k) / ideal


@dataclass(frozen=True)
class Answer:
    """What the engine said for one query."""

    firm_ids: list[int]  # best first, at most K
    total: int
    corrected_query: str | None = None
    dropped_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    query: Query
    relevant: int  # firms graded above 0
    answer: Answer
    ndcg: float | None  # None when nothing is relevant

    @property
    def zero(self) -> bool:
        return self.answer.total == 0


def portal_search(text: str) -> Answer:
    """Ask the portal's one search function, as the directory would for the first page."""
    from portal.search import SearchParams, search

    result = search(SearchParams(q=text, per_page=K, snippets=False))
    return Answer(
        firm_ids=[hit.firm_id for hit in result.hits],
        total=result.total,
        # Read when the engine gives them; older engines do not.
        corrected_query=getattr(result, "corrected_query", None),
        dropped_terms=tuple(getattr(result, "dropped_terms", None) or ()),
    )


def evaluate(queries: Iterable[Query], judge: Judge, ask: Callable[[str], Answer] = portal_search) -> list[Outcome]:
    outcomes = []
    for query in queries:
        judged = judge.judge(query.intent)
        answer = ask(query.text)
        score = ndcg(answer.firm_ids, judged) if judged else None
        outcomes.append(Outcome(query, len(judged), answer, score))
    return outcomes


@dataclass(frozen=True)
class Summary:
    label: str
    queries: int  # judged queries (at least one relevant firm)
    unjudged: int
    ndcg: float
    zero_rate: float
    corrected: int = 0  # queries the engine answered with a corrected query
    dropped: int = 0  # queries the engine answered without some of their words


def summarise(outcomes: Sequence[Outcome], label: str = "all") -> Summary:
    judged = [o for o in outcomes if o.ndcg is not None]
    if not judged:
        return Summary(label, 0, len(outcomes), 0.0, 0.0)
    return Summary(
        label,
        len(judged),
        len(outcomes) - len(judged),
        sum(o.ndcg for o in judged) / len(judged),
        sum(o.zero for o in judged) / len(judged),
        sum(1 for o in judged if o.answer.corrected_query),
        sum(1 for o in judged if o.answer.dropped_terms),
    )


def by_type(outcomes: Sequence[Outcome]) -> list[Summary]:
    """One summary per query type present, in the order of TYPES, then all of them."""
    rows = [summarise([o for o in outcomes if o.query.type == t], t) for t in TYPES]
    return [r for r in rows if r.queries or r.unjudged] + [summarise(outcomes)]


def table(outcomes: Sequence[Outcome], title: str) -> str:
    """A plain-text table of nDCG@10, zero-result rate, corrected and word-dropping answers by query type."""
    header = f"{'query type':<20} {'queries':>7} {'nDCG@10':>8} {'zero results':>13} {'corrected':>9} {'dropped':>7}"
    lines = [title, header]
    for row in by_type(outcomes):
        extra = f"  ({row.unjudged} with nothing relevant left out)" if row.unjudged else ""
        lines.append(
            f"{row.label:<20} {row.queries:>7} {row.ndcg:>8.3f} {row.zero_rate:>12.1%} "
            f"{row.corrected:>9} {row.dropped:>7}{extra}"
        )
    return "\n".join(lines)
