"""BOM planner benchmark: a 300-line phone BOM read into a plan, each line mapped to a category and
matched against every firm of the corpus, and the plan's local content worked out, as the plan
page after an upload does."""

from decimal import Decimal

from portal.extensions import db
from tests.bench.registry import Figure, Run, benchmark
from tests.bench.timing import measure, percentile

LINES = 300
SAMPLES = 5
VARIANTS = ("", " (variant B)", " rev C")


def _rows():
    """The test BOM's 120 lines, repeated in other wordings up to 300 lines."""
    from portal.bom.reading import BomRow
    from tests.bom.phone_bom import DEVICES_PER_MONTH
    from tests.bom.phone_bom import LINES as PHONE

    rows = []
    for index in range(LINES):
        ref, description, spec, quantity, cost, currency, _expected = PHONE[index % len(PHONE)]
        suffix = VARIANTS[index // len(PHONE)]
        rows.append(
            BomRow(index + 2, str(index + 1), description + suffix, "", spec, Decimal(quantity), Decimal(cost),
                   currency, DEVICES_PER_MONTH)
        )  # fmt: skip
    return rows


@benchmark("bom_plan")
def bom_plan_benchmark(run: Run) -> list[Figure]:
    """Median time to map and match a 300-line BOM (plan created, local suppliers and local content)."""
    from portal.accounts.models import Role, User
    from portal.bom import service

    rows = _rows()
    with run.app.app_context():
        brand = User(email="bench-bom@example.com", password_hash="!", full_name="Bench Planner", role=Role.BRAND)
        db.session.add(brand)
        db.session.commit()
        brand_id = brand.id
        db.session.remove()

    def plan_one():
        with run.app.app_context():
            owner = db.session.get(User, brand_id)
            plan = service.create_plan(owner, "Bench phone", "USD", rows)
            figures = service.plan_figures(plan)
            if len(figures.lines) != LINES or not figures.supply:
                raise RuntimeError("the bench BOM was not mapped and matched")
            return figures.content.whole.line_share

    samples = measure(plan_one, SAMPLES, warmup=1)
    return [Figure("bom_plan_ms", percentile(samples, 50), "ms")]
