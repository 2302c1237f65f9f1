"""What a firm is told about its incentive and import-licence standing: the decision, staff's reason,
its effect (kept out of matching or not) and how to respond. The notice, the e-mail and the firm's
own pages take their words from here."""

from dataclasses import dataclass
from datetime import date

from portal.compliance.models import FirmStanding
from portal.i18n import N_
from portal.mail import portal_path
from portal.notifications.service import notify_all
from portal.suppliers.models import Firm

DECISIONS = {
    ("incentive", "withdrawn"): N_("Incentives withdrawn"),
    ("incentive", "under_review"): N_("Incentives under review"),
    ("incentive", "active"): N_("Incentives reinstated"),
    ("licence", "suspended"): N_("Import licence suspended"),
    ("licence", "under_review"): N_("Import licence under review"),
    ("licence", "active"): N_("Import licence reinstated"),
}
EXCLUDED = N_(
    "While this applies the firm is kept out of matching: brands' sourcing needs do not list it and it "
    "receives no new opportunities. Its listing stays visible in the directory."
)
EFFECTS = {
    "withdrawn": N_("The firm no longer receives the policy's incentives.") + " " + EXCLUDED,
    "suspended": N_("The firm may not import under its licence.") + " " + EXCLUDED,
    "under_review": N_("EDB is looking into it; nothing changes for matching while the review lasts."),
    "active": N_("The firm takes part in matching again, unless another measure still applies."),
}
HOW_TO_RESPOND = N_(
    "Answer on your firm's compliance page with your explanation and the facts that support it; your "
    "response goes to the EDB staff handling the case."
)


@dataclass(frozen=True)
class StandingNotice:
    """One measure that is not active for the firm, as the firm reads it."""

    measure: str
    status: str
    decision: str
    since: date | None
    until: date | None
    reason: str
    effect: str
    case_id: int | None


def notices_for(standing: FirmStanding | None) -> list[StandingNotice]:
    """The measures recorded as not active (now or from a later date), incentives first."""
    if standing is None:
        return []
    found = []
    for measure in ("incentive", "licence"):
        status = getattr(standing, f"{measure}_status").value
        if status == "active":
            continue
        found.append(
            StandingNotice(
                measure,
                status,
                DECISIONS[(measure, status)],
                getattr(standing, f"{measure}_since"),
                getattr(standing, f"{measure}_until"),
                getattr(standing, f"{measure}_reason") or "",
                EFFECTS[status],
                getattr(standing, f"{measure}_case_id"),
            )
        )
    return found


def tell_firm(firm: Firm, measure: str, status: str, since: date, until: date | None, reason: str, key: str) -> None:
    """A portal notice and an e-mail to each of the firm's people about a new status of one measure."""
    dates = f"{N_('From')} {since.isoformat()}" + (f" {N_('until')} {until.isoformat()}" if until else "")
    lines = [f"{N_('Decision')}: {DECISIONS[(measure, status)]} ({dates})."]
    if reason:
        lines.append(f"{N_('Reason')}: {reason}")
    lines.append(f"{N_('Effect')}: {EFFECTS[status]}")
    if status != "active":
        lines.append(f"{N_('How to respond')}: {HOW_TO_RESPOND}")
    subject = f"{firm.display_name}: {DECISIONS[(measure, status)].lower()}"
    link = portal_path("standing.show", firm_id=firm.id)
    notify_all([member.user for member in firm.members], "compliance_standing", key, subject, "\n".join(lines), link)
