"""The demo firms, written fast for the relevance test: exactly the firms `flask seed-demo` plans
(same seed, same rows), added in one flush without the accounts, audit entries and activity that
seeding also makes, none of which search reads."""

import random

from portal.demo.seed import SEED, plan_firms
from portal.extensions import db
from portal.suppliers.models import Capability, Certificate, Firm, slugify
from portal.taxonomy import sync_taxonomy
from portal.taxonomy.models import Process


def load_demo_firms() -> int:
    """Write the demo firms with their capabilities and certificates; returns how many."""
    sync_taxonomy()
    processes = {p.slug: p for p in db.session.scalars(db.select(Process))}
    plans = plan_firms(random.Random(SEED))
    for plan in plans:
        firm = Firm(slug=slugify(plan["firm"]["legal_name"]), **plan["firm"])
        for capability in plan["capabilities"]:
            fields = {k: v for k, v in capability.items() if k != "processes"}
            firm.capabilities.append(Capability(**fields, processes=[processes[s] for s in capability["processes"]]))
        firm.certificates = [Certificate(**certificate) for certificate in plan["certificates"]]
        db.session.add(firm)
    db.session.commit()
    return len(plans)
