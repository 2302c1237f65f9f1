"""Staff decisions about a firm's listing, capabilities, certificates and claims as the firm reads them:
the decision, staff's reason and what to do next. The firm's pages, its completeness panel and its
notices all take their words from here, so they never tell the firm two different things.
"""

from dataclasses import dataclass

from flask_babel import gettext

from portal.i18n import N_
from portal.mail import portal_path
from portal.notifications.service import notify_all
from portal.suppliers.models import Firm, ListingStatus

NEXT_STEPS = {
    "listing.verified": N_("Brands can now find the listing; keep capacity and certificates up to date."),
    "listing.changes_requested": N_(
        "Make these changes on the listing's page, then submit it again; EDB staff review it afresh."
    ),
    "listing.rejected": N_(
        "The listing is closed and cannot be changed. If the firm's situation has changed or you think "
        "this is a mistake, contact EDB staff and cite this reason."
    ),
    "listing.suspended": N_(
        "The listing is hidden from the directory, search and matching. Put right what the reason names "
        "and contact EDB staff to ask for reinstatement."
    ),
    "listing.reinstated": N_("The listing is public again; brands can find it and it takes part in matching."),
    "capability.rejected": N_(
        "Correct the capability and save it to send it back for review, or remove it. Until it is "
        "verified it matches no sourcing need."
    ),
    "capability.change_declined": N_(
        "The verified values stay public. Edit the capability again if the declined values were right, "
        "and say why in its notes."
    ),
    "certificate.rejected": N_(
        "Correct the details or upload a readable copy of the certificate and save it: it goes back to "
        "EDB for checking. Until it is verified it does not count for matching."
    ),
    "claim.rejected": N_(
        "If you run this firm, claim it again with other evidence: an address on the firm's web domain, "
        "or a registration document that names you."
    ),
}


@dataclass(frozen=True)
class Decision:
    """One decision that still stands, as the firm should read it."""

    subject: str  # what was decided about, e.g. "ISO 9001 certificate"
    verdict: str
    reason: str
    next_step: str
    anchor: str  # where on the firm's page to act on it


def standing_decisions(firm: Firm) -> list[Decision]:
    """The decisions the firm still has to act on, listing first, then capabilities and certificates."""
    found = []
    if firm.suspended:
        found.append(
            Decision(
                N_("Listing"),
                N_("Suspended by EDB"),
                firm.suspension_reason or "",
                NEXT_STEPS["listing.suspended"],
                "profile",
            )
        )
    if firm.status == ListingStatus.REJECTED:
        reason = (firm.review_reasons or {}).get("listing", "")
        found.append(Decision(N_("Listing"), N_("Not accepted"), reason, NEXT_STEPS["listing.rejected"], "profile"))
    rejected_items = [
        (capability, capability.category.label, N_("Capability not accepted"), "capability", "capabilities")
        for capability in firm.capabilities
    ] + [
        (certificate, certificate.type.name, N_("Certificate not accepted"), "certificate", "certificates")
        for certificate in firm.certificates
    ]
    for item, name, verdict, kind, anchor in rejected_items:
        if item.is_rejected:
            found.append(Decision(name, verdict, item.review_note, NEXT_STEPS[f"{kind}.rejected"], anchor))
    return found


def tell_firm(firm: Firm, event: str, key: str, subject, reason="", anchor: str = "") -> None:
    """A portal notice and an e-mail to each of the firm's people: the decision, its reason, the next step.

    `event` names the decision in NEXT_STEPS; `key` makes the notice unique (one per decision).
    `subject` and `reason` may be lazy strings or functions: each person reads them in their language."""
    kind = "listing_review" if event.startswith("listing.") else "item_review"

    def body() -> str:
        written = str(reason() if callable(reason) else reason)
        lines = [f"{gettext('Reason')}: {written}"] if written else []
        lines.append(f"{gettext('What to do next')}: {gettext(NEXT_STEPS[event])}")
        return "\n".join(lines)

    link = portal_path("suppliers.manage", firm_id=firm.id, _anchor=anchor or None)
    notify_all([member.user for member in firm.members], kind, key, subject, body, link)
