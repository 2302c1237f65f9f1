"""The demo data set: broad enough to show every category and province, realistic dates, idempotent."""

from datetime import timedelta

import pytest
from sqlalchemy import distinct, func, select

from portal.accounts.models import User
from portal.accounts.service import authenticate
from portal.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, EXTRA_ACCOUNTS, seed_demo
from portal.suppliers.models import Capability, Certificate, Firm, FirmMember, ListingStatus, MemberRole, ReviewStatus
from portal.taxonomy import PROVINCES, category_rows
from portal.timeutil import today


@pytest.fixture
def seeded(db):
    return seed_demo()


def test_the_demo_data_set_is_broad_realistic_and_fitting(db, seeded):
    """One seeding for every check that only reads it (seeding takes seconds)."""
    _covers_every_category_and_province(db, seeded)
    _each_firm_has_one_main_line_and_fitting_details(db, seeded)
    _listing_status_mix(db, seeded)
    _some_certificates_expired_and_some_expiring_soon(db, seeded)
    _fitting_certificates(db, seeded)
    _demo_accounts_sign_in(db, seeded)
    _demo_supplier_owns_a_verified_public_firm(db, seeded)
    _about_thirty_firms_have_owner_accounts(db, seeded)
    _dates_are_relative_to_today(db, seeded)
    _the_demo_laboratories_test_for_what_brands_ask_and_leave_one_gap(db, seeded)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _covers_every_category_and_province(db, seeded):
    assert _count(db, Firm) >= 160
    query = select(Capability.category_slug, func.count(distinct(Capability.firm_id))).group_by(
        Capability.category_slug
    )
    per_category = dict(db.session.execute(query).all())
    for row in category_rows():
        assert per_category.get(row["slug"], 0) >= 4, row["slug"]
    assert set(db.session.scalars(select(Firm.province).distinct())) == set(PROVINCES)


def _each_firm_has_one_main_line_and_fitting_details(db, seeded):
    for firm in db.session.scalars(select(Firm)):
        assert 1 <= len(firm.capabilities) <= 3
        assert [c.is_main_line for c in firm.capabilities].count(True) == 1
        assert firm.capabilities[0].is_main_line and firm.capabilities[0].processes
        assert len(firm.certificates) <= 4
        assert firm.description and firm.phone.startswith("+92 ")
        assert firm.contact_email.endswith(".example.pk")
        assert all(c.evidence_path is None for c in firm.certificates)


def _listing_status_mix(db, seeded):
    firms = list(db.session.scalars(select(Firm)))
    verified = [f for f in firms if f.status == ListingStatus.VERIFIED]
    assert 0.8 <= len(verified) / len(firms) <= 0.92
    assert all(f.verified_at is not None for f in verified)
    assert {f.status for f in firms} == set(ListingStatus)
    assert 1 <= sum(f.status == ListingStatus.REJECTED for f in firms) <= 2
    suspended = [f for f in firms if f.suspended]
    assert len(suspended) == 3
    assert all(f.status == ListingStatus.VERIFIED and f.suspension_reason for f in suspended)


def _some_certificates_expired_and_some_expiring_soon(db, seeded):
    certificates = list(db.session.scalars(select(Certificate)))
    days = [c.days_to_expiry() for c in certificates]
    expired = sum(d <= 0 for d in days)
    soon = sum(0 < d <= 60 for d in days)
    assert 0.05 <= expired / len(days) <= 0.12
    assert 0.07 <= soon / len(days) <= 0.14
    assert any(0 < d <= 7 for d in days) and any(7 < d <= 30 for d in days)
    assert all(c.issue_date <= today() for c in certificates)
    assert sum(c.review_status == ReviewStatus.VERIFIED for c in certificates) > len(certificates) / 2
    assert any(c.review_status == ReviewStatus.PENDING for c in certificates)


def _fitting_certificates(db, seeded):
    battery_firms = db.session.scalars(
        select(Firm).join(Capability).where(Capability.category_slug == "battery", Capability.is_main_line)
    ).all()
    held = {c.type_slug for f in battery_firms for c in f.certificates}
    assert {"iec-62133", "un-38-3"} <= held
    labs = db.session.scalars(
        select(Firm).join(Capability).where(Capability.category_slug == "testing-lab", Capability.is_main_line)
    ).all()
    assert all("iso-iec-17025" in {c.type_slug for c in f.certificates} for f in labs)


def _demo_accounts_sign_in(db, seeded):
    for email, role, full_name, organisation in DEMO_ACCOUNTS + EXTRA_ACCOUNTS:
        user = authenticate(email, DEMO_PASSWORD)
        assert user is not None, email
        assert (user.role, user.full_name, user.organisation) == (role, full_name, organisation)
    assert {role for _, role, _, _ in DEMO_ACCOUNTS} == {"supplier", "brand", "investor", "staff"}
    assert any(DEMO_PASSWORD in line for line in seeded)


def _demo_supplier_owns_a_verified_public_firm(db, seeded):
    supplier = authenticate(DEMO_ACCOUNTS[0][0], DEMO_PASSWORD)
    membership = db.session.scalars(select(FirmMember).where(FirmMember.user_id == supplier.id)).one()
    assert membership.role == MemberRole.OWNER
    assert membership.firm.is_public
    assert any(0 < c.days_to_expiry() <= 60 for c in membership.firm.certificates)


def _about_thirty_firms_have_owner_accounts(db, seeded):
    owners = db.session.scalar(
        select(func.count(distinct(FirmMember.firm_id))).where(FirmMember.role == MemberRole.OWNER)
    )
    assert 28 <= owners <= 35
    for member in db.session.scalars(select(FirmMember)).all()[:10]:
        assert member.user.role == "supplier"


def test_progress_callback_sees_every_firm(db):
    seen = []

    class Bar:
        def __init__(self, items):
            self.items = items

        def __enter__(self):
            return self.items

        def __exit__(self, *exc):
            return False

    def progress(label, items):
        seen.append((label, len(items)))
        return Bar(items)

    seed_demo(progress=progress)
    assert seen and seen[0][1] == _count(db, Firm)


def _dates_are_relative_to_today(db, seeded):
    newest = db.session.scalar(select(func.max(Certificate.expiry_date)))
    assert today() + timedelta(days=180) < newest <= today() + timedelta(days=31 * 31)


def test_the_demo_shows_needs_quotes_introductions_and_investment_once(db, seeded):
    from portal.introductions.models import Introduction, Stage
    from portal.investment.models import Interest, Opportunity, OpportunityStatus
    from portal.needs.models import NeedStatus, Quote, SourcingNeed

    statuses = [need.status for need in db.session.scalars(select(SourcingNeed))]
    assert statuses.count(NeedStatus.OPEN) == 7 and statuses.count(NeedStatus.AWARDED) == 1
    assert _count(db, Quote) == 2
    stages = sorted(i.stage for i in db.session.scalars(select(Introduction)))
    assert stages == sorted([Stage.IN_TALKS, Stage.REQUESTED])
    [opportunity] = db.session.scalars(select(Opportunity))
    assert opportunity.status == OpportunityStatus.PUBLISHED
    assert db.session.scalar(select(Interest)).accepted
    assert any("sourcing needs" in line for line in seeded)

    models = (Firm, Capability, Certificate, User, FirmMember, SourcingNeed, Quote, Introduction, Opportunity)
    before = {m: _count(db, m) for m in models}
    summary = seed_demo()
    assert {m: _count(db, m) for m in models} == before, "a second run creates nothing more"
    assert "already" in summary[0] and not any("sourcing needs" in line for line in summary)


def _the_demo_laboratories_test_for_what_brands_ask_and_leave_one_gap(db, seeded):
    from portal.suppliers.labs import lab_counts, untested_demand

    assert lab_counts(["iec-62133", "rohs", "pta-type-approval"]).keys() == {"iec-62133", "rohs", "pta-type-approval"}
    assert [row.certification.slug for row in untested_demand()] == ["un-38-3"]
