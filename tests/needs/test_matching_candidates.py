"""The fast path (candidates from the search index, scores from plain columns, reasons on demand)
ranks exactly as matching's pure `rank` does over every firm loaded whole."""

import random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import search
from portal.compliance.models import FirmStanding, LicenceStatus
from portal.compliance.service import excluded_firm_ids
from portal.extensions import db
from portal.matching.sourcing import rank
from portal.needs.matches import firm_facts, matches_for, need_facts
from portal.suppliers.models import Capability, Firm, ListingStatus, ReviewStatus
from portal.taxonomy.models import Process
from portal.timeutil import today
from tests.factories import make_firm, make_need

WORDS = ("USB-C output", "10,000 mAh power banks", "fast charging", "laser welding", "BMS testing", "plain packs")


def _corpus(seed: int) -> None:
    rng = random.Random(seed)
    for number in range(40):
        certificates = [
            {
                "type": slug,
                "days_valid": rng.choice((-5, 3, 400)),
                "review": rng.choice([ReviewStatus.VERIFIED] * 4 + [ReviewStatus.PENDING]),
            }
            for slug in rng.sample(["iso-9001", "iec-62133", "ce"], rng.randint(0, 3))
        ]
        capabilities = [
            {
                "category": "battery",
                "capacity": rng.choice((2000, 9000, 15000, 40000)),
                "processes": rng.sample(["cell-assembly", "testing", "smt"], rng.randint(0, 2)),
                "lead_time_days": rng.choice((None, 7, 21, 45, 90)),
                "is_main_line": rng.random() < 0.5,
                "review": rng.choice([ReviewStatus.VERIFIED] * 5 + [ReviewStatus.PENDING]),
            }
        ]
        if rng.random() < 0.3:
            capabilities.append({"category": "charger"})
        make_firm(
            f"{rng.choice(['Ravi', 'Indus', 'Zam Zam', 'Kohinoor', 'ravi'])} Cells {number}",
            status=rng.choice([ListingStatus.VERIFIED] * 6 + [ListingStatus.SUBMITTED]),
            suspended=rng.random() < 0.05,
            province=rng.choice(("Punjab", "Sindh")),
            description=" and ".join(rng.sample(WORDS, 2)),
            capabilities=capabilities,
            certificates=certificates,
        )
    excluded = db.session.scalar(select(Firm.id).where(Firm.is_public).limit(1))
    db.session.add(FirmStanding(firm_id=excluded, licence_status=LicenceStatus.SUSPENDED))
    db.session.commit()


def _reference(need):
    """matching.rank over every firm, each loaded whole: the slow, obviously right answer."""
    facts = need_facts(need)
    offered: dict[int, tuple[str, ...]] = {}
    for feature in facts.features:
        for firm_id in sorted(search.matching_firm_ids(feature, need.category_slug)):
            offered[firm_id] = (*offered.get(firm_id, ()), feature)
    firms = db.session.scalars(
        select(Firm).options(
            selectinload(Firm.capabilities).selectinload(Capability.processes), selectinload(Firm.certificates)
        )
    ).all()
    return rank(facts, [firm_facts(f, excluded_firm_ids(today()), offered) for f in firms], today())


@pytest.mark.parametrize("whole_category", [2000, 0], ids=["ids", "whole-category"])
def test_fast_ranking_agrees_with_the_pure_ranker(app, users, monkeypatch, whole_category):
    monkeypatch.setattr("portal.needs.matches.WHOLE_CATEGORY", whole_category)
    _corpus(seed=7)
    for certifications, processes, features in (
        (("iso-9001",), ("cell-assembly", "testing"), "USB-C\n10,000 mAh"),
        ((), ("testing",), "fast charging"),
        (("iso-9001", "iec-62133"), (), ""),
    ):
        need = make_need(
            users["brand"],
            certifications=certifications,
            features=features,
            quantity=12000,
            delivery_province="Punjab",
        )
        need.processes = [db.session.get(Process, slug) for slug in processes]
        db.session.commit()
        expected_matches, expected_near = _reference(need)
        matches, near = matches_for(need, near_limit=100)
        assert list(matches) == expected_matches
        assert near == expected_near[:100]
        assert len(matches) == len(expected_matches) > 0
        short_matches, short_near = matches_for(need, near_limit=3)
        assert short_matches[:5] == expected_matches[:5], "reasons worked out for the first five only"
        assert short_near == expected_near[:3], "the index picks the same three nearest misses"


def test_an_expiring_certificate_drops_a_firm_on_the_day_it_expires(app, users):
    firm = make_firm(
        "Ravi Cells", capabilities=[{"category": "battery"}], certificates=[{"type": "iso-9001", "days_valid": 1}]
    )
    need = make_need(users["brand"], certifications=("iso-9001",))
    assert [m.firm_id for m in matches_for(need)[0]] == [firm.id]
    firm.certificates[0].expiry_date = today()
    db.session.commit()
    matches, near = matches_for(need)
    assert len(matches) == 0 and [m.firm_id for m in near] == [firm.id]


def test_a_feature_in_the_brands_words_meets_the_firms_own(app, users):
    """The brand writes "Li-Po 4000mAh"; one firm wrote "lithium polymer pouch cells, 3000-5000 mAh",
    another "Li-ion 18650 cells, 2600 mAh". The first offers the feature, the second does not."""
    worded = make_firm(
        "Tarang Battery Works",
        description="Lithium polymer pouch cells, 3000-5000 mAh, packs with BMS.",
        capabilities=[{"category": "battery", "capacity": 20000}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm(
        "Neelum Power Cells",
        description="Li-ion 18650 cells, 2600 mAh.",
        capabilities=[{"category": "battery", "capacity": 20000}],
        certificates=[{"type": "iso-9001"}],
    )
    need = make_need(users["brand"], features="Li-Po 4000mAh", quantity=10000)
    matches, _near = matches_for(need)
    assert [m.name for m in matches][0] == "Tarang Battery Works"
    first = matches[0]
    assert first.firm_id == worded.id and "offers: Li-Po 4000mAh" in first.reasons
    assert not any("offers" in reason for reason in matches[1].reasons)
