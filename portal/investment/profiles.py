"""Investors' profiles: what an investor (or a brand that invests) looks for; matching reads them."""

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.investment.models import InvestorProfile
from portal.investment.opportunities import exact_snapshot
from portal.investment.rules import transaction

PROFILE_FIELDS = ("organisation", "categories", "ticket_min", "ticket_max", "currency", "instruments", "provinces",
                  "stages")  # fmt: skip


def profile_of(user) -> InvestorProfile | None:
    return db.session.scalar(select(InvestorProfile).where(InvestorProfile.user_id == user.id))


def save_profile(user, data: dict) -> InvestorProfile:
    profile = profile_of(user)
    before = exact_snapshot(profile, PROFILE_FIELDS) if profile else None
    with transaction():
        if profile is None:
            profile = InvestorProfile(user_id=user.id)
            db.session.add(profile)
        for name in PROFILE_FIELDS:
            setattr(profile, name, data.get(name))
        db.session.flush()
        audit.record(
            "investor_profile.saved", profile, actor=user, before=before, after=exact_snapshot(profile, PROFILE_FIELDS)
        )
    return profile
