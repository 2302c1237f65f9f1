"""Sourcing needs: who may see and change one, its life, and its explained matches."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit, search
from portal.accounts.models import Role
from portal.compliance.service import excluded_firm_ids
from portal.extensions import db
from portal.matching.facts import CapabilityFact, CertificateFact, FirmFacts, Match, NeedFacts
from portal.matching.sourcing import evaluate, rank
from portal.needs.models import NeedStatus, NeedVisibility, SourcingNeed
from portal.suppliers.models import Capability, Firm, FirmMember, ReviewStatus
from portal.taxonomy.models import CertificationType, Process
from portal.timeutil import today

FIELDS = ("title", "category_slug", "description", "features", "quantity_per_month", "target_unit_price", "currency",
          "delivery_province", "start_date", "deadline", "visibility")  # fmt: skip

# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "publish": ({NeedStatus.DRAFT}, NeedStatus.OPEN),
    "close": ({NeedStatus.OPEN}, NeedStatus.CLOSED),
    "cancel": ({NeedStatus.DRAFT, NeedStatus.OPEN, NeedStatus.CLOSED}, NeedStatus.CANCELLED),
}


class NeedRefused(ValueError):
    pass


def can_view(need: SourcingNeed, user) -> bool:
    """The owner and staff always; verified suppliers only once it is open to every firm."""
    if user is None or not user.is_authenticated:
        return False
    if user.id == need.owner_id or user.is_staff:
        return True
    if not (user.role == Role.SUPPLIER and need.status == NeedStatus.OPEN and need.visibility == NeedVisibility.OPEN):
        return False
    return bool(
        db.session.scalar(
            select(FirmMember.id).join(Firm).where(FirmMember.user_id == user.id, Firm.is_public).limit(1)
        )
    )


def need_for(need_id: int, user=None, *, owner: bool = False) -> SourcingNeed:
    """The need if `user` may see it (or owns it, when asked); 404 otherwise, as for a missing one."""
    user = user or current_user
    need = db.session.get(SourcingNeed, need_id)
    allowed = need is not None and (need.owner_id == user.id if owner else can_view(need, user))
    if not allowed:
        abort(404)
    return need


def needs_of(user) -> list[SourcingNeed]:
    return list(
        db.session.scalars(
            select(SourcingNeed).where(SourcingNeed.owner_id == user.id).order_by(SourcingNeed.created_at.desc())
        )
    )


def _apply(need: SourcingNeed, data: dict) -> None:
    for name in FIELDS:
        setattr(need, name, data.get(name))
    slugs = data.get("certification_slugs") or []
    need.required_certifications = list(
        db.session.scalars(select(CertificationType).where(CertificationType.slug.in_(slugs)))
    )
    need.processes = list(db.session.scalars(select(Process).where(Process.slug.in_(data.get("process_slugs") or []))))


def _facts(need: SourcingNeed) -> dict:
    return {
        **{name: getattr(need, name) for name in FIELDS},
        "certification_slugs": sorted(c.slug for c in need.required_certifications),
        "process_slugs": sorted(p.slug for p in need.processes),
    }


def create_need(user, data: dict) -> SourcingNeed:
    need = SourcingNeed(owner_id=user.id, organisation=user.organisation)
    db.session.add(need)
    _apply(need, data)
    db.session.flush()
    audit.record("need.created", need, actor=user, after=_facts(need))
    db.session.commit()
    return need


def update_need(need: SourcingNeed, data: dict, by) -> None:
    if need.status not in (NeedStatus.DRAFT, NeedStatus.OPEN):
        raise NeedRefused("A closed, awarded or cancelled need can no longer be changed.")
    before = _facts(need)
    _apply(need, data)
    audit.record("need.updated", need, actor=by, before=before, after=_facts(need))
    db.session.commit()


def transition(need: SourcingNeed, action: str, by) -> None:
    sources, target = TRANSITIONS[action]
    if need.status not in sources:
        raise NeedRefused(f"A {need.status.value} need cannot be {target.value}.")
    if action == "publish" and need.deadline <= today():
        raise NeedRefused("Set a quote deadline after today before publishing.")
    before = {"status": need.status}
    need.status = target
    audit.record(f"need.{action}", need, actor=by, before=before, after={"status": target})
    db.session.commit()


# --- matches ------------------------------------------------------------------------------------


def need_facts(need: SourcingNeed) -> NeedFacts:
    return NeedFacts(
        category=need.category_slug,
        quantity_per_month=need.quantity_per_month,
        deadline=need.deadline,
        required_certifications=tuple((c.slug, c.name) for c in need.required_certifications),
        processes=tuple((p.slug, p.name) for p in need.processes),
        features=tuple(need.feature_list),
        province=need.delivery_province,
    )


def firm_facts(firm: Firm, excluded: set[int], offered: dict[int, list[str]]) -> FirmFacts:
    return FirmFacts(
        firm_id=firm.id,
        name=firm.display_name,
        public=firm.is_public,
        province=firm.province,
        capabilities=tuple(
            CapabilityFact(
                c.category_slug,
                c.monthly_capacity,
                c.capacity_unit,
                frozenset(p.slug for p in c.processes),
                c.lead_time_days,
                c.is_main_line,
            )
            for c in firm.capabilities
            if c.review_status == ReviewStatus.VERIFIED
        ),
        certificates=tuple(
            CertificateFact(c.type_slug, c.type.name, c.expiry_date, c.review_status == ReviewStatus.VERIFIED)
            for c in firm.certificates
        ),
        excluded="incentives withdrawn or licence suspended" if firm.id in excluded else None,
        features_offered=tuple(offered.get(firm.id, ())),
    )


def matches_for(need: SourcingNeed):
    """(matches best first, near misses) for the need, from every public firm making its category."""
    candidates = db.session.scalars(
        select(Firm)
        .join(Capability)
        .where(
            Firm.is_public,
            Capability.category_slug == need.category_slug,
            Capability.review_status == ReviewStatus.VERIFIED,
        )
        .options(
            selectinload(Firm.capabilities).selectinload(Capability.processes),
            selectinload(Firm.certificates),
        )
    ).all()
    offered: dict[int, list[str]] = {}
    for feature in need.feature_list:
        for firm_id in search.matching_firm_ids(feature, need.category_slug):
            offered.setdefault(firm_id, []).append(feature)
    excluded = excluded_firm_ids(today())
    return rank(need_facts(need), [firm_facts(f, excluded, offered) for f in candidates], today())


def opportunities_for(firm: Firm):
    """Open needs this firm qualifies for, best match first (then the nearest deadline)."""
    categories = {c.category_slug for c in firm.capabilities if c.review_status == ReviewStatus.VERIFIED}
    if not categories or not firm.is_public:
        return []
    needs = db.session.scalars(
        select(SourcingNeed).where(
            SourcingNeed.status == NeedStatus.OPEN,
            SourcingNeed.visibility == NeedVisibility.OPEN,
            SourcingNeed.category_slug.in_(categories),
            SourcingNeed.deadline > today(),
        )
    ).all()
    excluded = excluded_firm_ids(today())
    found = []
    for need in needs:
        offered = [f for f in need.feature_list if firm.id in search.matching_firm_ids(f, need.category_slug)]
        verdict = evaluate(need_facts(need), firm_facts(firm, excluded, {firm.id: offered}), today())
        if isinstance(verdict, Match):
            found.append((need, verdict))
    return sorted(found, key=lambda pair: (-pair[1].score, pair[0].deadline, pair[0].id))
