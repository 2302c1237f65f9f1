"""What firms and investors are told of investment acts: the notice kinds and the firm's people."""

from portal.investment.models import Opportunity
from portal.notifications.service import notify_all

# The event kinds of this module, as the notification kinds users can turn e-mail off for.
NOTICE_KINDS = {
    "investment_published": "investment_review",
    "investment_request_changes": "investment_review",
    "investment_reject": "investment_review",
    "investment_interest": "investment_interest",
    "investment_interest_accepted": "investment_answer",
    "investment_interest_declined": "investment_answer",
    "investment_stage": "investment_stage",
    "investment_message": "investment_message",
}


def notify(recipients, subject, body, link: str, kind: str, key: str) -> None:
    """A notice (and its e-mail, unless turned off) for each recipient, once per event `key`."""
    notify_all(recipients, NOTICE_KINDS[kind], f"{kind}:{key}", subject, body, link)


def firm_people(opportunity: Opportunity) -> list:
    return [m.user for m in opportunity.firm.members]
