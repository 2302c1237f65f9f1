"""Search keeps finding the right firms first: nDCG@10 of the held-out buyer queries on the demo
firms and on a small generated corpus must not fall below what the engine reaches today.

Raise the thresholds as search improves (measured value minus 0.01), never lower them to pass.
"""

from portal import search
from portal.timeutil import today
from tests.search.relevance.corpus import generate
from tests.search.relevance.demo import load_demo_firms
from tests.search.relevance.facts import facts_from_database
from tests.search.relevance.harness import evaluate, summarise, table
from tests.search.relevance.judge import Judge
from tests.search.relevance.queries import DEMO_QUERIES, QUERIES

DEMO_MIN_NDCG = 0.957  # 0.967 measured on 4 December 2026 (0.3168 before the parts-and-coverage engine)
CORPUS_MIN_NDCG = 0.961  # 0.971 measured on 4 December 2026 (0.4465 before the parts-and-coverage engine)
CORPUS_SIZE = 300


def test_demo_queries_find_the_fitting_demo_firms_first(db):
    load_demo_firms()
    search.rebuild()
    outcomes = evaluate(DEMO_QUERIES, Judge(facts_from_database(today()).values()))
    overall = summarise(outcomes)
    assert overall.unjudged == 0, "every demo query should have a demo firm that fits it"
    assert overall.ndcg >= DEMO_MIN_NDCG, table(outcomes, "demo set")


def test_buyer_queries_find_the_fitting_generated_firms_first(db):
    _, facts = generate(CORPUS_SIZE)
    search.rebuild()
    outcomes = evaluate(QUERIES, Judge(facts.values()))
    overall = summarise(outcomes)
    assert overall.queries >= 150
    assert overall.ndcg >= CORPUS_MIN_NDCG, table(outcomes, f"generated corpus, {CORPUS_SIZE} firms")
