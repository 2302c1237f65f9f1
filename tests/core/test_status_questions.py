"""The questions pages ask a model or its status instead of comparing the stored value to a string:
each answers as the rule it names, for every status (the pages' own tests cover the words shown)."""

from datetime import timedelta

import pytest

from portal.bom.models import MappingSource
from portal.bom.service import ChangeKind, LineChange
from portal.claims.models import ClaimMethod, ClaimStatus, FirmClaim
from portal.compliance.models import IncentiveStatus, LicenceStatus
from portal.introductions.models import Introduction, Stage
from portal.investment.models import DealStage, Interest, OpportunityStatus
from portal.needs.models import NeedStatus, NeedVisibility, Quote, QuoteStatus, SourcingNeed
from portal.needs.service import owner_acts
from portal.suppliers.models import Certificate, ListingStatus, ReviewStatus
from portal.timeutil import today, utcnow


@pytest.mark.parametrize(
    ("status", "active", "under_review", "badge"),
    [
        (IncentiveStatus.ACTIVE, True, False, "success"),
        (IncentiveStatus.UNDER_REVIEW, False, True, "warning"),
        (IncentiveStatus.WITHDRAWN, False, False, "danger"),
        (LicenceStatus.ACTIVE, True, False, "success"),
        (LicenceStatus.UNDER_REVIEW, False, True, "warning"),
        (LicenceStatus.SUSPENDED, False, False, "danger"),
    ],
    ids=[
        "incentive-active",
        "incentive-review",
        "incentive-withdrawn",
        "licence-active",
        "licence-review",
        "licence-suspended",
    ],
)
def test_a_standing_status_says_whether_a_measure_applies_and_its_colour(status, active, under_review, badge):
    assert (status.is_active, status.is_under_review, status.badge) == (active, under_review, badge)


BADGED = (
    Stage,
    ListingStatus,
    ReviewStatus,
    NeedStatus,
    QuoteStatus,
    OpportunityStatus,
    IncentiveStatus,
    LicenceStatus,
)


@pytest.mark.parametrize("statuses", BADGED, ids=[s.__name__ for s in BADGED])
def test_every_status_shown_as_a_badge_has_a_colour(statuses):
    colours = {"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"}
    assert {status: status.badge for status in statuses}.keys() == set(statuses)
    assert {status.badge for status in statuses} <= colours


def _need(status: NeedStatus, deadline_in_days: int = 5) -> SourcingNeed:
    return SourcingNeed(status=status, deadline=today() + timedelta(days=deadline_in_days))


@pytest.mark.parametrize(
    ("status", "deadline_in_days", "acts"),
    [
        (NeedStatus.DRAFT, 5, {"publish", "cancel"}),
        (NeedStatus.OPEN, 5, {"close", "cancel"}),
        # Past its deadline an open need is closed for every rule; closing it only writes that down.
        (NeedStatus.OPEN, -1, {"close", "cancel"}),
        (NeedStatus.CLOSED, -1, {"cancel"}),
        (NeedStatus.AWARDED, -1, set()),
        (NeedStatus.CANCELLED, 5, set()),
    ],
    ids=["draft", "open", "open-past-deadline", "closed", "awarded", "cancelled"],
)
def test_the_owner_is_offered_the_acts_the_need_allows(status, deadline_in_days, acts):
    assert owner_acts(_need(status, deadline_in_days)) == acts


def test_a_need_status_says_whether_it_is_a_draft_before_close_or_awarded():
    assert [s for s in NeedStatus if s.is_draft] == [NeedStatus.DRAFT]
    assert [s for s in NeedStatus if s.is_before_close] == [NeedStatus.DRAFT, NeedStatus.OPEN]
    assert [s for s in NeedStatus if s.is_awarded] == [NeedStatus.AWARDED]
    assert SourcingNeed(visibility=NeedVisibility.INVITED).is_invited_only
    assert not SourcingNeed(visibility=NeedVisibility.OPEN).is_invited_only


def test_a_quote_is_decided_once_the_need_is_awarded_and_live_until_withdrawn():
    assert [s for s in QuoteStatus if Quote(status=s).is_decided] == [QuoteStatus.AWARDED, QuoteStatus.NOT_SELECTED]
    assert [s for s in QuoteStatus if not Quote(status=s).is_live] == [QuoteStatus.WITHDRAWN]


def test_an_introduction_says_whether_it_was_declined_or_withdrawn():
    assert [s for s in Stage if Introduction(stage=s).is_declined] == [Stage.DECLINED]
    assert [s for s in Stage if Introduction(stage=s).is_withdrawn] == [Stage.WITHDRAWN]


def test_a_claim_says_how_it_stands_and_what_its_evidence_is():
    questions = ("is_awaiting_email", "is_awaiting_decision", "is_approved", "is_rejected")
    answers = {s: [q for q in questions if getattr(FirmClaim(status=s), q)] for s in ClaimStatus}
    assert answers == {
        ClaimStatus.AWAITING_EMAIL: ["is_awaiting_email"],
        ClaimStatus.PENDING: ["is_awaiting_decision"],
        ClaimStatus.APPROVED: ["is_approved"],
        ClaimStatus.REJECTED: ["is_rejected"],
        ClaimStatus.WITHDRAWN: [],
    }
    assert FirmClaim(method=ClaimMethod.EMAIL).is_by_email
    assert not FirmClaim(method=ClaimMethod.DOCUMENT).is_by_email


def test_an_interest_waits_for_the_firm_until_it_answers():
    assert Interest(stage=DealStage.INTEREST, accepted_at=None).awaits_firm_answer
    assert not Interest(stage=DealStage.INTEREST, accepted_at=utcnow()).awaits_firm_answer
    assert not Interest(stage=DealStage.DECLINED, accepted_at=None).awaits_firm_answer
    assert [s for s in DealStage if s.is_declined] == [DealStage.DECLINED]
    assert [s for s in DealStage if s.is_closed] == [DealStage.CLOSED]


def test_an_opportunity_status_says_whether_it_is_published_or_sent_back():
    assert [s for s in OpportunityStatus if s.is_published] == [OpportunityStatus.PUBLISHED]
    assert [s for s in OpportunityStatus if s.was_sent_back] == [
        OpportunityStatus.CHANGES_REQUESTED,
        OpportunityStatus.REJECTED,
    ]


def test_a_listing_status_says_where_the_review_stands():
    assert [s for s in ListingStatus if s.is_draft] == [ListingStatus.DRAFT]
    assert [s for s in ListingStatus if s.is_awaiting_review] == [ListingStatus.SUBMITTED]
    assert [s for s in ListingStatus if s.asks_for_changes] == [ListingStatus.CHANGES_REQUESTED]


def test_a_certificate_without_evidence_needs_a_note_to_verify():
    assert Certificate(evidence_path=None).needs_note_to_verify
    assert not Certificate(evidence_path="certificates/iso.pdf").needs_note_to_verify


def test_a_bom_line_change_and_mapping_source_name_themselves(app):
    with app.test_request_context():
        assert [k.label for k in ChangeKind] == ["added", "removed", "changed"]
        assert MappingSource.CORRECTED.label == "chosen by you"
    assert LineChange("L1", "Battery", ChangeKind.ADDED).is_whole_line
    assert not LineChange("L1", "Battery", ChangeKind.CHANGED, (("unit_cost", "1", "2"),)).is_whole_line
    assert [s for s in MappingSource if s.is_read_from_words] == [MappingSource.UNDERSTOOD]
