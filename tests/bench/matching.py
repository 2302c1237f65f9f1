"""Matching benchmark: ranking one sourcing need against every firm of the corpus, as the need page
and the API ask for it (matches best first, with reasons, and the nearest misses)."""

import itertools
from datetime import timedelta

from portal.extensions import db
from tests.bench.registry import Figure, Run, benchmark
from tests.bench.timing import measure, percentile

# Needs a brand would post: the biggest categories of the corpus, with and without certifications,
# processes and specification features (which go through the search thesaurus).
NEEDS = [
    ("charger", ["ce"], ["smt", "testing"], "fast charger\nUSB-C", 100_000),
    ("battery", ["iec-62133"], ["cell-assembly"], "10,000 mAh", 50_000),
    ("housing-plastic", ["iso-14001"], ["injection-molding"], "two-shot moulding", 150_000),
    ("cable", [], ["cable-assembly"], "braided", 300_000),
    ("pcba", ["ipc-a-610", "rohs"], ["smt"], "AOI\nX-ray inspection", 100_000),
]
SAMPLES = 100


def _post_needs() -> list[int]:
    """The benchmark's needs, owned by a brand of its own; returns their ids."""
    from portal.accounts.models import Role, User
    from portal.needs.models import NeedStatus, SourcingNeed
    from portal.taxonomy.models import CertificationType, Process
    from portal.timeutil import today

    brand = User(email="bench-brand@example.com", password_hash="!", full_name="Bench Buyer", role=Role.BRAND)
    db.session.add(brand)
    needs = []
    for category, certifications, processes, features, quantity in NEEDS:
        need = SourcingNeed(
            owner=brand,
            organisation="Bench Mobile",
            title=f"Bench need for {category}",
            category_slug=category,
            description="Benchmark need.",
            features=features,
            quantity_per_month=quantity,
            delivery_province="Punjab",
            deadline=today() + timedelta(days=30),
            status=NeedStatus.OPEN,
        )
        need.required_certifications = [db.session.get(CertificationType, slug) for slug in certifications]
        need.processes = [db.session.get(Process, slug) for slug in processes]
        db.session.add(need)
        needs.append(need)
    db.session.commit()
    return [need.id for need in needs]


@benchmark("matching")
def matching_benchmark(run: Run) -> list[Figure]:
    """p50/p95 of ranking one need (matches with reasons, near misses) against the whole corpus."""
    from portal.needs import service
    from portal.needs.models import SourcingNeed

    with run.app.app_context():
        need_ids = _post_needs()
        db.session.remove()
    cycle = itertools.cycle(need_ids)

    def rank_one():
        """What the need page reads: the count, the best 50 with their reasons, the near misses."""
        with run.app.app_context():
            need = db.session.get(SourcingNeed, next(cycle))
            matches, near = service.matches_for(need)
            return len(matches), [m.reasons for m in matches[:50]], [m.missing for m in near]

    with run.app.app_context():
        for need_id in need_ids:
            matches, _near = service.matches_for(db.session.get(SourcingNeed, need_id))
            if not matches or not matches[0].reasons:
                raise RuntimeError(f"need {need_id} matched no firm: the corpus and the needs disagree")
    samples = measure(rank_one, SAMPLES, warmup=len(need_ids))
    return [
        Figure("match_p50_ms", percentile(samples, 50), "ms"),
        Figure("match_p95_ms", percentile(samples, 95), "ms"),
    ]
