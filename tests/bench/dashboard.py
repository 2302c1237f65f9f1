"""Localization dashboard benchmark: the staff dashboard page over the whole corpus.

The corpus has firms only, so this adds what the dashboard also reads: sourcing needs (one per
20 firms, in every state, asking for the certificates buyers of their category ask for), a few
firms kept out of matching by compliance, and a year of monthly snapshots (this month's taken
by the real command, timed; the eleven before it copied from it with smaller numbers). They stay
in the database: benchmarks registered after this one would see them.
"""

import random
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from portal.accounts.models import Role, User
from portal.compliance.models import FirmStanding, LicenceStatus
from portal.dashboard import snapshots
from portal.dashboard.models import MetricSnapshot
from portal.extensions import db
from portal.needs.models import NeedStatus, NeedVisibility, SourcingNeed, need_certification
from portal.suppliers.models import Firm
from portal.taxonomy import PROVINCES
from portal.timeutil import today, utcnow
from tests.bench.corpus import PROFILES
from tests.bench.registry import Figure, Run, benchmark
from tests.bench.timing import measure, percentile

FIRMS_PER_NEED = 20
EXCLUDED_SHARE = 0.005
HISTORY_MONTHS = 12
REQUESTS = 60
WARMUP = 3
COLD_REQUESTS = 5  # with the figures read afresh each time
STATUS_WEIGHTS = {
    NeedStatus.OPEN: 40,
    NeedStatus.CLOSED: 20,
    NeedStatus.AWARDED: 15,
    NeedStatus.DRAFT: 10,
    NeedStatus.CANCELLED: 15,
}


def _add_needs(rng: random.Random, count: int, owner_id: int) -> None:
    slugs = list(PROFILES)
    weights = [PROFILES[s].weight for s in slugs]
    statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    now = utcnow()
    first_id = (db.session.scalar(select(func.max(SourcingNeed.id))) or 0) + 1
    needs, links = [], []
    for need_id in range(first_id, first_id + count):
        category = rng.choices(slugs, weights)[0]
        profile = PROFILES[category]
        changed = now - timedelta(days=rng.randrange(540))
        needs.append(
            {
                "id": need_id,
                "owner_id": owner_id,
                "organisation": rng.choice(("Crescent Mobile", "Indus Devices", "Karakoram Phones", "Ravi Telecom")),
                "title": f"{profile.noun.capitalize()} for a new handset",
                "category_slug": category,
                "quantity_per_month": max(100, int(profile.capacity * rng.choice((0.2, 0.5, 1, 2, 5)))),
                "delivery_province": rng.choice(PROVINCES) if rng.random() < 0.5 else None,
                "deadline": today() + timedelta(days=rng.randrange(5, 90)),
                "visibility": NeedVisibility.OPEN.value,
                "status": rng.choices(statuses, status_weights)[0].value,
                "created_at": changed - timedelta(days=rng.randrange(60)),
                "updated_at": changed,
                "currency": "USD",
                "description": "",
                "features": "",
                "version": 1,
            }
        )
        wanted = rng.sample(list(profile.certs), min(len(profile.certs), rng.choice((0, 1, 1, 2, 3))))
        links += [{"need_id": need_id, "certification_slug": slug} for slug in wanted]
    db.session.execute(insert(SourcingNeed), needs)
    if links:
        db.session.execute(insert(need_certification), links)


def _exclude_some_firms(rng: random.Random, size: int) -> None:
    firm_ids = db.session.scalars(select(Firm.id)).all()
    since = today() - timedelta(days=30)
    standings = [
        {"firm_id": firm_id, "licence_status": LicenceStatus.SUSPENDED.value, "licence_since": since, "version": 1,
         "incentive_status": "active", "updated_at": utcnow()}
        for firm_id in rng.sample(firm_ids, int(size * EXCLUDED_SHARE))
    ]  # fmt: skip
    if standings:
        db.session.execute(insert(FirmStanding), standings)


def _copy_history(months: int) -> None:
    """Earlier months from this month's rows, the numbers a little smaller each month back."""
    current = snapshots.current_month()
    rows = db.session.scalars(select(MetricSnapshot).where(MetricSnapshot.month == current)).all()
    copies = []
    for back in range(1, months):
        scale = 1 - 0.04 * back
        for row in rows:
            copies.append(
                {
                    "month": snapshots.months_before(current, back),
                    "category_slug": row.category_slug,
                    "province": row.province,
                    "verified_suppliers": int(row.verified_suppliers * scale),
                    "open_needs": int(row.open_needs * (2 - scale)),
                    "unserved_needs": int(row.unserved_needs * (2 - scale)),
                    "certified_suppliers": None
                    if row.certified_suppliers is None
                    else int(row.certified_suppliers * scale),
                    "awarded_needs": int(row.awarded_needs * scale),
                    "jobs": int(row.jobs * scale),
                    "taken_at": datetime.combine(snapshots.months_before(current, back), datetime.min.time(), UTC),
                }
            )
    db.session.execute(insert(MetricSnapshot), copies)


@benchmark("dashboard")
def dashboard(run: Run) -> list[Figure]:
    """GET /staff/dashboard as staff, the public /localization page, and the monthly snapshot.

    The staff page is timed as staff see it by default: every table and chart, the whole country,
    the last 12 months.
    """
    rng = random.Random(2026)
    with run.app.app_context():
        brand = User(email="brand@bench.example", password_hash="x" * 60, full_name="Bench Brand", role=Role.BRAND)
        staff = User(email="staff@bench.example", password_hash="y" * 60, full_name="Bench Staff", role=Role.STAFF)
        db.session.add_all([brand, staff])
        db.session.flush()
        needs = max(1, run.size // FIRMS_PER_NEED)
        _add_needs(rng, needs, brand.id)
        _exclude_some_firms(rng, run.size)
        db.session.commit()
        started = time.perf_counter()
        snapshots.take_snapshot(snapshots.current_month())
        snapshot_seconds = time.perf_counter() - started
        _copy_history(HISTORY_MONTHS)
        db.session.commit()
        staff_id = staff.get_id()
        db.session.remove()
    print(
        f"dashboard: {needs:,} sourcing needs added; snapshot of the month in {snapshot_seconds:.1f} s", file=sys.stderr
    )

    client = run.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = staff_id
        session["_fresh"] = True

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    page = get("/staff/dashboard").get_data(as_text=True)
    if page.count("<canvas") != 6 or 'data-value="' not in page:
        raise RuntimeError("the dashboard does not show its charts and figures")
    staff_samples = measure(lambda: get("/staff/dashboard"), REQUESTS, WARMUP)
    public_samples = measure(lambda: get("/localization"), REQUESTS, WARMUP)
    # The figures are read afresh once a minute per process: that request pays for all of them.
    refresh = run.app.config["DASHBOARD_REFRESH_SECONDS"]
    run.app.config["DASHBOARD_REFRESH_SECONDS"] = 0
    try:
        fresh_samples = measure(lambda: get("/staff/dashboard"), COLD_REQUESTS, warmup=0)
    finally:
        run.app.config["DASHBOARD_REFRESH_SECONDS"] = refresh
    return [
        Figure("dashboard_p50_ms", percentile(staff_samples, 50), "ms"),
        Figure("dashboard_ms", percentile(staff_samples, 95), "ms"),
        Figure("dashboard_fresh_ms", percentile(fresh_samples, 50), "ms"),
        Figure("localization_p95_ms", percentile(public_samples, 95), "ms"),
        Figure("snapshot_metrics_s", snapshot_seconds, "s"),
    ]
