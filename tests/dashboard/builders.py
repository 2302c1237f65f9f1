"""Sourcing needs in a chosen state, for dashboard tests."""

from datetime import timedelta

from portal.extensions import db
from portal.needs.models import NeedStatus, NeedVisibility, SourcingNeed
from portal.taxonomy.models import CertificationType
from portal.timeutil import today


def make_need(owner, category="charger", *, quantity=10_000, certifications=(), status=NeedStatus.OPEN, **fields):
    need = SourcingNeed(
        owner_id=owner.id,
        organisation=fields.pop("organisation", "Crescent Mobile"),
        title=fields.pop("title", f"{category} for a new handset"),
        category_slug=category,
        quantity_per_month=quantity,
        deadline=fields.pop("deadline", today() + timedelta(days=30)),
        status=status,
        visibility=NeedVisibility.OPEN,
        **fields,
    )
    need.required_certifications = [db.session.get(CertificationType, slug) for slug in certifications]
    db.session.add(need)
    db.session.commit()
    return need
