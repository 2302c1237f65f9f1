"""A change to a firm adds a segment to the index; the next reader's facts are put together from
the tables its segments already had and from the previous reader's sort orders. Whatever the
changes, they must be the facts a process reading the index afresh builds."""

import random
from datetime import timedelta

from portal import search
from portal.search.engine import store_for
from portal.suppliers.models import Firm
from portal.timeutil import today, utcnow
from tests.factories import make_certificate, make_firm
from tests.search.test_segment_columns import fresh_facts

CATEGORIES = (None, "battery", "charger", "pcba")
NAMES = ("Apex Cells", "Bolan Power", "Chenab Boards", "Apex Cells", "Zarya Chargers", "Indus Packs")


def tables(facts) -> dict:
    """Everything a search reads from the facts, in document numbers."""
    day = today()
    return {
        "live": facts.live,
        "firm_ids": list(facts.firm_ids),
        "values": facts.values,
        "orders": {
            (sort, c): list(facts.order(sort, c)) for sort in ("name", "recent", "capacity") for c in CATEGORIES
        },
        "certificates": facts.valid_certificates(day),
        "bands": {c: facts.capacity_bands(c) for c in CATEGORIES},
        "between": facts.capacity_between("battery", 5_000, 60_000),
        "stated": (facts.stated("mAh", 4_000), facts.stated_bits("mAh", 4_000)),
    }


def a_firm(rng: random.Random) -> Firm:
    firm = make_firm(
        f"{rng.choice(NAMES)} (Pvt) Ltd",
        province=rng.choice(("Punjab", "Sindh", "Khyber Pakhtunkhwa")),
        capabilities=[
            {"category": c, "capacity": rng.choice((0, 9_000, 50_000, 2_000_000))}
            for c in CATEGORIES[1:]
            if rng.random() < 0.6
        ],
        certificates=[{"type": "iso-9001", "days_valid": rng.choice((-5, 30, 400))}] if rng.random() < 0.5 else [],
        description=rng.choice(("Li-ion packs of 3000 to 5000 mAh.", "Packs of 4000mAh.", "Wall chargers.")),
    )
    firm.verified_at = utcnow() - timedelta(days=rng.choice((1, 2, 3)))  # ties among the most recent
    return firm


def change(rng: random.Random, firms: list[Firm]) -> None:
    firm = rng.choice(firms)
    action = rng.choice(("rename", "capacity", "suspend", "certificate", "add", "add"))
    if action == "rename":
        firm.legal_name = f"{rng.choice(NAMES)} Works"
    elif action == "capacity" and firm.capabilities:
        rng.choice(firm.capabilities).monthly_capacity = rng.choice((0, 20_000, 5_000_000))
    elif action == "suspend":
        firm.suspended, firm.suspension_reason = not firm.suspended, "Test suspension"
    elif action == "certificate":
        make_certificate(firm, "iso-14001", days_valid=90)
    else:
        firms.append(a_firm(rng))


def test_after_any_changes_the_facts_are_those_of_a_fresh_reader(app, db):
    rng = random.Random(2026)
    firms = [a_firm(rng) for _ in range(60)]  # enough that merging the small segments leaves it
    db.session.commit()
    search.sync()
    store = store_for(app.config["PORTAL_INDEX_DIR"])
    tables(store.facts(store.searcher())[0])  # every order sorted once, to be carried to the next reader
    shared = []

    for _ in range(25):
        change(rng, firms)
        db.session.commit()
        search.sync()
        kept = store.facts(store.searcher())[0]
        shared.append(kept._shared_upto)
        assert tables(kept) == tables(fresh_facts(app))

    assert sum(1 for upto in shared if upto) >= 10, "most changes reused the segments and orders before them"
