"""Searching firms: the one function the directory, the API and matching all call."""

import math
from collections import Counter
from dataclasses import dataclass, field

from flask import current_app

from portal.search.engine import ColumnTables, store_for
from portal.search.indexing import catch_up
from portal.search.query import parse, suggestion
from portal.search.snippets import snippet
from portal.search.thesaurus import ThesaurusFile
from portal.timeutil import today

SORTS = ("relevance", "capacity", "name", "recent")
CAPACITY_BUCKETS = ((0, 10_000, "under 10k"), (10_000, 100_000, "10k–100k"), (100_000, 1_000_000, "100k–1M"), (1_000_000, math.inf, "1M and more"))  # fmt: skip
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    category: str | None = None
    province: str | None = None
    certification: str | None = None
    min_capacity: int | None = None
    max_capacity: int | None = None
    market: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    snippets: bool = True


@dataclass
class Hit:
    firm_id: int
    score: float | None
    snippet: str = ""


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _store():
    return store_for(current_app.config["PORTAL_INDEX_DIR"])


_thesauri: dict[str, ThesaurusFile] = {}


def thesaurus():
    path = current_app.config.get("THESAURUS_FILE") or ""
    if path not in _thesauri:
        _thesauri[path] = ThesaurusFile(path or None)
    return _thesauri[path].current()


def _capacity(tables: ColumnTables, doc: int, category: str | None) -> int:
    amounts = tables.capacities[doc]
    if category:
        return amounts.get(category, 0)
    return max(amounts.values(), default=0)


def _keep(tables: ColumnTables, params: SearchParams, day):
    """A test for one document number against every filter the person chose."""

    def keep(doc: int) -> bool:
        if params.category and params.category not in tables.categories[doc]:
            return False
        if params.province and tables.provinces[doc] != params.province:
            return False
        if params.certification and not any(s == params.certification and d > day for s, d in tables.certificates[doc]):
            return False
        if params.market and params.market not in tables.markets[doc]:
            return False
        if params.min_capacity or params.max_capacity:
            amount = _capacity(tables, doc, params.category)
            if params.min_capacity and amount < params.min_capacity:
                return False
            if params.max_capacity and amount > params.max_capacity:
                return False
        return True

    return keep


def _facets(tables: ColumnTables, docs, category: str | None, day) -> dict[str, dict[str, int]]:
    counts = {name: Counter() for name in ("category", "province", "certification", "capacity", "market")}
    for doc in docs:
        counts["category"].update(tables.categories[doc])
        counts["province"][tables.provinces[doc]] += 1
        counts["certification"].update({slug for slug, expiry in tables.certificates[doc] if expiry > day})
        counts["market"].update(tables.markets[doc])
        amount = _capacity(tables, doc, category)
        counts["capacity"][next(label for low, high, label in CAPACITY_BUCKETS if low <= amount < high)] += 1
    return {name: dict(counter.most_common()) for name, counter in counts.items()}


def search(params: SearchParams) -> SearchResult:
    """Public firms matching the words and filters, in the order asked, one page of them."""
    per_page = max(1, min(params.per_page, MAX_PER_PAGE))
    page = max(1, params.page)
    catch_up()
    store = _store()
    searcher = store.searcher()
    tables = store.tables(searcher)
    day = today()
    query = parse(params.q, thesaurus()) if params.q else None
    sort = params.sort if params.sort in SORTS else "relevance"
    if query is not None:
        matched = query.docs(searcher)
    else:
        matched = searcher.reader().all_doc_ids()
        sort = "name" if sort == "relevance" else sort
    keep = _keep(tables, params, day)
    docs = [doc for doc in matched if keep(doc)]
    facets = _facets(tables, docs, params.category, day)
    start = (page - 1) * per_page
    if sort == "relevance":
        results = searcher.search(query, limit=start + per_page, filter=set(docs))
        ranked = [(hit.docnum, hit.score) for hit in results[start : start + per_page]]
    else:
        ranked = [(doc, None) for doc in _sorted(tables, docs, sort, params.category)[start : start + per_page]]
    hits = []
    for docnum, score in ranked:
        text = snippet(searcher, docnum, query) if params.snippets and query is not None else ""
        hits.append(
            Hit(firm_id=tables.firm_ids[docnum], score=round(score, 4) if score is not None else None, snippet=text)
        )
    hint = suggestion(params.q, searcher) if params.q and not docs else None
    return SearchResult(hits=hits, total=len(docs), page=page, per_page=per_page, facets=facets, suggestion=hint)


def _sorted(tables: ColumnTables, docs: list[int], sort: str, category: str | None) -> list[int]:
    names = tables.sort_names
    if sort == "capacity":
        return sorted(docs, key=lambda d: (-_capacity(tables, d, category), names[d]))
    if sort == "recent":
        return sorted(docs, key=lambda d: (-tables.verified[d], names[d]))
    return sorted(docs, key=lambda d: (names[d], tables.firm_ids[d]))
