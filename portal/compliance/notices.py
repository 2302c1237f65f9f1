"""What a firm is told about its incentive and import-licence standing: the decision, staff's reason,
its effect (kept out of matching or not) and how to respond. The notice, the e-mail and the firm's
own pages take their words from here."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext

from portal.compliance.models import FirmStanding, MeasureStatus
from portal.formatting import format_date
from portal.i18n import N_, Joined
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
# Each effect is read sentence by sentence in the reader's language (`{{ effect }}`, `.translated()`).
EFFECTS = {
    "withdrawn": Joined([N_("The firm no longer receives the policy's incentives."), EXCLUDED]),
    "suspended": Joined([N_("The firm may not import under its licence."), EXCLUDED]),
    "under_review": Joined([N_("EDB is looking into it; nothing changes for matching while the review lasts.")]),
    "active": Joined([N_("The firm takes part in matching again, unless another measure still applies.")]),
}
HOW_TO_RESPOND = N_(
    "Answer on your firm's compliance page with your explanation and the facts that support it; your "
    "response goes to the EDB staff handling the case."
)


@dataclass(frozen=True)
class StandingNotice:
    """One measure that is not active for the firm, as the firm reads it."""

    measure: str
    status: MeasureStatus
    decision: str
    since: date | None
    until: date | None
    reason: str
    effect: Joined
    case_id: int | None


def notices_for(standing: FirmStanding | None) -> list[StandingNotice]:
    """The measures recorded as not active (now or from a later date), incentives first."""
    if standing is None:
        return []
    found = []
    for measure in ("incentive", "licence"):
        status = getattr(standing, f"{measure}_status")
        if status.is_active:
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


def tell_firm(
    firm: Firm, measure: str, status: MeasureStatus, since: date, until: date | None, reason: str, key: str
) -> None:
    """A portal notice and an e-mail to each of the firm's people about a new status of one measure,
    each written in that person's language."""
    decision = DECISIONS[(measure, status)]

    def subject() -> str:
        return f"{firm.display_name}: {gettext(decision).lower()}"

    def body() -> str:
        dates = gettext("from %(date)s", date=format_date(since))
        if until:
            dates += " " + gettext("until %(date)s", date=format_date(until))
        when = gettext("%(decision)s (%(dates)s).", decision=gettext(decision), dates=dates)
        lines = [gettext("Decision") + ": " + when]
        if reason:
            lines.append(gettext("Reason") + ": " + reason)
        lines.append(gettext("Effect") + ": " + EFFECTS[status].translated())
        if not status.is_active:
            lines.append(gettext("How to respond") + ": " + gettext(HOW_TO_RESPOND))
        return "\n".join(lines)

    link = portal_path("standing.show", firm_id=firm.id)
    notify_all([member.user for member in firm.members], "compliance_standing", key, subject, body, link)
