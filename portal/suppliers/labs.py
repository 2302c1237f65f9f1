"""Testing laboratories listed in the portal, and who can test a firm for a certification it lacks.

A laboratory is a public firm with an EDB-checked capability in `testing-lab` that names the
certifications and tests it performs. A near miss, the completeness panel and an expiry reminder
point to the laboratories for the missing certificate, nearest first: the firm's own city, then its
province, then the rest of the country. Staff see which certifications brands ask for in open
needs that no listed laboratory tests for: where a new laboratory is needed.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.needs.models import SourcingNeed, need_certification
from portal.suppliers.models import Capability, Firm, capability_test
from portal.taxonomy.models import CertificationType
from portal.timeutil import today

LAB_CATEGORY = "testing-lab"
SAME_CITY, SAME_PROVINCE, ELSEWHERE = 0, 1, 2
# Certified by auditing the firm's management system or people, not by testing a product: a
# certification body gets a firm there, not a laboratory, so no laboratory is offered for them.
AUDITED = frozenset(
    {"iso-9001", "iso-14001", "iso-45001", "iatf-16949", "qc-080000", "sa8000", "iso-iec-17025", "ipc-a-610"}
)


def is_lab_tested(certification_slug: str) -> bool:
    """A certification a laboratory's tests lead to (a product's), rather than an audit."""
    return certification_slug not in AUDITED


@dataclass(frozen=True)
class Lab:
    firm: Firm
    nearness: int  # SAME_CITY, SAME_PROVINCE or ELSEWHERE, from the firm the search is for


def is_lab_category(category_slug: str | None) -> bool:
    """Only a testing laboratory's capability names the certifications it tests for."""
    return category_slug == LAB_CATEGORY


def nearness(lab: Firm, city: str | None, province: str | None) -> int:
    if city and lab.city.strip().casefold() == city.strip().casefold() and lab.province == province:
        return SAME_CITY
    if province and lab.province == province:
        return SAME_PROVINCE
    return ELSEWHERE


def _testing(certification_slugs):
    """(certification slug, lab firm) for every public laboratory testing for one of the slugs."""
    return db.session.execute(
        select(capability_test.c.certification_slug, Firm)
        .join(Capability, Capability.id == capability_test.c.capability_id)
        .join(Firm, Firm.id == Capability.firm_id)
        .where(
            capability_test.c.certification_slug.in_(sorted(set(certification_slugs))),
            Capability.category_slug == LAB_CATEGORY,
            Capability.is_verified,
            Firm.is_public,
        )
    ).all()


def labs_for(certification_slugs, near: Firm | None = None) -> dict[str, list[Lab]]:
    """The laboratories testing for each certification, nearest to `near` first (then by name)."""
    city, province = (near.city, near.province) if near is not None else (None, None)
    found: dict[str, list[Lab]] = defaultdict(list)
    for slug, lab in _testing(certification_slugs):
        if near is None or lab.id != near.id:
            found[slug].append(Lab(lab, nearness(lab, city, province)))
    for labs in found.values():
        labs.sort(key=lambda lab: (lab.nearness, lab.firm.display_name.casefold(), lab.firm.id))
    return dict(found)


def lab_counts(certification_slugs) -> dict[str, int]:
    """How many listed laboratories test for each certification (absent: none)."""
    counts: dict[str, int] = defaultdict(int)
    for slug, _lab in _testing(certification_slugs):
        counts[slug] += 1
    return dict(counts)


@dataclass(frozen=True)
class UntestedDemand:
    certification: CertificationType
    open_needs: int


def untested_demand() -> list[UntestedDemand]:
    """Certifications open needs require that no listed laboratory tests for, most demanded first."""
    demanded = db.session.execute(
        select(need_certification.c.certification_slug, func.count(SourcingNeed.id))
        .join(SourcingNeed, SourcingNeed.id == need_certification.c.need_id)
        .where(SourcingNeed.is_accepting_quotes(today()))
        .group_by(need_certification.c.certification_slug)
    ).all()
    tested = lab_counts(slug for slug, _ in demanded)
    untested = {slug: needs for slug, needs in demanded if is_lab_tested(slug) and not tested.get(slug)}
    types = {
        t.slug: t for t in db.session.scalars(select(CertificationType).where(CertificationType.slug.in_(untested)))
    }
    rows = [UntestedDemand(types[slug], needs) for slug, needs in untested.items()]
    return sorted(rows, key=lambda row: (-row.open_needs, row.certification.name))
