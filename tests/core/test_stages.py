"""The stage machines the domains declare: which moves apply from a state, and the refusal."""

import pytest

from portal.investment.opportunities import OPPORTUNITY_STAGES
from portal.investment.rules import InvestmentRefused
from portal.needs.models import NeedStatus
from portal.needs.service import NEED_STAGES, NeedRefused
from portal.suppliers.lifecycle import LISTING_STAGES, TransitionRefused
from portal.suppliers.models import ListingStatus


def test_a_submitted_listing_can_be_verified_sent_back_or_rejected_only():
    assert LISTING_STAGES.allowed(ListingStatus.SUBMITTED) == {"verify", "request_changes", "reject"}
    assert LISTING_STAGES.check("verify", ListingStatus.SUBMITTED) == ListingStatus.VERIFIED


@pytest.mark.parametrize(
    ("machine", "action", "state", "refusal"),
    [
        (LISTING_STAGES, "verify", ListingStatus.DRAFT, TransitionRefused),
        (NEED_STAGES, "publish", NeedStatus.CLOSED, NeedRefused),
        (OPPORTUNITY_STAGES, "approve", OPPORTUNITY_STAGES.moves["close"][1], InvestmentRefused),
    ],
    ids=["listing", "need", "opportunity"],
)
def test_a_move_that_does_not_apply_is_refused_in_the_domains_words(app, machine, action, state, refusal):
    with app.test_request_context(), pytest.raises(refusal):
        machine.check(action, state)
