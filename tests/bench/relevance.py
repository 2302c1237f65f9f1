"""Relevance and speed on the queries buyers really type, on the relevance corpus at the run's size.

The relevance corpus (firms written in many voices, with known attributes) gets its own SQLite
database and index in a throw-away directory: the runner's database holds the other corpus, whose
firms have no judgements. nDCG@10 and the zero-result rate come from the held-out queries of
`tests.search.relevance.queries`; the speed classes are timed as the search benchmark times its
queries (facets counted, snippets as on the page), one class of buyer query each.
"""

import itertools
import sys
import tempfile
from pathlib import Path

from tests.bench.registry import Figure, Run, benchmark
from tests.bench.timing import measure, percentile
from tests.search.relevance.harness import Outcome, evaluate, summarise, table
from tests.search.relevance.judge import Judge
from tests.search.relevance.queries import ABBREVIATION, MISSPELLING, MULTI, NUMBER, QUERIES, SINGLE

SAMPLES = 200
BROAD_QUERIES = 8  # the one-word trade terms with the most hits


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def speed_classes(outcomes: list[Outcome]) -> dict[str, list[Outcome]]:
    """The buyer queries of each timed class: broad (one common trade term, no filter, most hits),
    long (5-8 words naming several attributes), misspelt, number (a number with its unit)."""
    one_word = [o for o in outcomes if o.query.type in (SINGLE, ABBREVIATION) and len(o.query.text.split()) == 1]
    return {
        "broad": sorted(one_word, key=lambda o: -o.answer.total)[:BROAD_QUERIES],
        "long": [o for o in outcomes if o.query.type == MULTI and 5 <= len(o.query.text.split()) <= 8],
        "misspelt": [o for o in outcomes if o.query.type == MISSPELLING],
        "number": [o for o in outcomes if o.query.type == NUMBER],
    }


@benchmark("relevance")
def relevance_benchmark(run: Run) -> list[Figure]:
    """nDCG@10 and zero-result rate of the held-out buyer queries, and p95 per class of buyer query."""
    from portal import create_app, search
    from portal.extensions import db
    from portal.search import SearchParams
    from portal.search.engine import forget_store
    from portal.taxonomy import sync_taxonomy
    from tests.search.relevance.corpus import generate

    with tempfile.TemporaryDirectory(prefix="portal-relevance-") as base:
        index_dir = str(Path(base) / "index")
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(base) / 'relevance.db'}",
                "PORTAL_INDEX_DIR": index_dir,
                "UPLOAD_DIR": str(Path(base) / "uploads"),
                "SEARCH_KEEPS_ANSWERS": False,  # each timed query is answered afresh
            }
        )
        try:
            with app.app_context():
                db.create_all()
                sync_taxonomy()
                db.session.commit()
                _say(f"relevance: generating {run.size:,} firms in many voices")
                stats, facts = generate(run.size, progress=True)
                indexed = search.rebuild()
                _say(f"relevance: {stats.firms:,} firms ({indexed:,} public) written and indexed")
                outcomes = evaluate(QUERIES, Judge(facts.values()))
            _say(table(outcomes, f"relevance on {run.size:,} generated firms"))
            overall = summarise(outcomes)
            figures = [
                Figure("search_ndcg10", overall.ndcg, "score", decimals=3),
                Figure("search_zero_result_rate", overall.zero_rate * 100, "%"),
            ]
            for name, members in speed_classes(outcomes).items():
                queries = itertools.cycle([o.query.text for o in members])
                hits = sorted(o.answer.total for o in members)
                _say(f"relevance: {name}: {len(members)} queries, median {hits[len(hits) // 2]:,} hits")

                def one_query(queries=queries):
                    with app.app_context():
                        return search.search(SearchParams(q=next(queries), sort="relevance"))

                samples = measure(one_query, SAMPLES, warmup=len(members))
                figures.append(Figure(f"search_{name}_p95_ms", percentile(samples, 95), "ms"))
            return figures
        finally:
            with app.app_context():
                db.engine.dispose()  # close the SQLite file before its directory goes
            forget_store(index_dir)
