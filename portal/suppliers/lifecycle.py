"""A listing's life: draft → submitted → verified, or changes requested → resubmitted; rejected;
suspended and reinstated. Every transition is checked against one table and audited, in one
`transactions.one_act`.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import audit
from portal.i18n import N_, Phrase, Refusal
from portal.stages import StageMachine
from portal.suppliers.decisions import tell_firm
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus
from portal.suppliers.names import NameTaken, refuse_taken_names
from portal.suppliers.service import apply_capability, capability_facts
from portal.timeutil import utcnow
from portal.transactions import check_version, one_act

S = ListingStatus

# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "submit": ({S.DRAFT, S.CHANGES_REQUESTED}, S.SUBMITTED),
    "verify": ({S.SUBMITTED}, S.VERIFIED),
    "request_changes": ({S.SUBMITTED}, S.CHANGES_REQUESTED),
    "reject": ({S.SUBMITTED, S.CHANGES_REQUESTED}, S.REJECTED),
}


class TransitionRefused(Refusal):
    """The action does not apply to the listing as it is now (or someone else acted first)."""


class ActedMeanwhile(TransitionRefused):
    """Someone else changed the listing after the page the decision was taken on was loaded."""

    def __init__(self):
        super().__init__(
            N_("Someone else changed this listing while you were looking at it; reload it and decide again.")
        )


def _refused(now: ListingStatus, then: ListingStatus) -> TransitionRefused:
    return TransitionRefused(
        N_("A listing that is %(now)s cannot be sent to %(then)s."),
        now=now.value.replace("_", " "),
        then=then.value.replace("_", " "),
    )


LISTING_STAGES = StageMachine("firm", TRANSITIONS, _refused)


def allowed_actions(firm: Firm) -> set[str]:
    return LISTING_STAGES.allowed(firm.status)


def _transition(firm: Firm, action: str, by, expected_version: int | None, note: str = "", **extra):
    check_version(firm, expected_version, ActedMeanwhile)
    return LISTING_STAGES.move(firm, action, by, note=note, firm_id=firm.id, **extra)


def submission_problems(firm: Firm) -> list[Phrase]:
    """What must be there before staff can review the listing (read in the reader's language)."""
    problems = []
    try:
        refuse_taken_names({"legal_name": firm.legal_name, "trade_name": firm.trade_name}, other_than=firm.id)
    except NameTaken as error:
        problems.append(error.message)
    if len(firm.description or "") < 40:
        problems.append(Phrase("Describe what the firm makes (at least 40 characters)."))
    if not firm.contact_email:
        problems.append(Phrase("Add a contact e-mail for brands."))
    if not firm.capabilities:
        problems.append(Phrase("Add at least one capability: what you make and how much per month."))
    return problems


def submit(firm: Firm, by, expected_version: int | None = None) -> None:
    problems = submission_problems(firm)
    if problems:
        raise TransitionRefused.of_all(problems)
    with one_act(ActedMeanwhile):
        _transition(firm, "submit", by, expected_version)
        firm.submitted_at = utcnow()


# The parts of a listing staff may ask a firm to change, with their labels.
REASON_FIELDS = [
    ("legal_name", _l("Legal name")),
    ("description", _l("Description")),
    ("contact", _l("Contact details")),
    ("capabilities", _l("Capabilities")),
    ("certificates", _l("Certificates")),
    ("other", _l("Anything else")),
]


def mark_verified(firm: Firm, at) -> None:
    """What publishing a listing sets: verified since `at`, no requested changes left. Staff's
    review (`verify`) and a staff import's verified=yes (which audits its rows itself) both call it."""
    firm.status, firm.verified_at, firm.review_reasons = S.VERIFIED, at, {}


def verify(firm: Firm, by, expected_version: int | None = None) -> None:
    """Publish the listing; the capabilities the reviewer saw with it are verified too."""
    with one_act(ActedMeanwhile):
        entry = _transition(firm, "verify", by, expected_version)
        mark_verified(firm, utcnow())
        for capability in firm.capabilities:
            if capability.review_status == ReviewStatus.PENDING:
                capability.review_status = ReviewStatus.VERIFIED
        tell_firm(
            firm,
            "listing.verified",
            f"firm:{firm.id}:verified:{entry.sequence}",
            _l("%(firm)s is verified", firm=firm.display_name),
        )


def request_changes(firm: Firm, by, reasons: dict[str, str], expected_version: int | None = None) -> None:
    reasons = {field: text.strip() for field, text in reasons.items() if text and text.strip()}
    if not reasons:
        raise TransitionRefused(N_("Say what should change for at least one field."))
    with one_act(ActedMeanwhile):
        entry = _transition(firm, "request_changes", by, expected_version, reasons=reasons)
        firm.review_reasons = reasons
        labels = dict(REASON_FIELDS)

        def lines() -> str:
            return "; ".join(f"{labels.get(field, field)}: {text}" for field, text in reasons.items())

        tell_firm(
            firm,
            "listing.changes_requested",
            f"firm:{firm.id}:changes_requested:{entry.sequence}",
            _l("Changes requested for %(firm)s", firm=firm.display_name),
            lines,
        )


def reject(firm: Firm, by, reason: str, expected_version: int | None = None) -> None:
    if not reason.strip():
        raise TransitionRefused(N_("Give the reason for rejecting the listing."))
    with one_act(ActedMeanwhile):
        entry = _transition(firm, "reject", by, expected_version, note=reason.strip())
        firm.review_reasons = {"listing": reason.strip()}
        tell_firm(
            firm,
            "listing.rejected",
            f"firm:{firm.id}:rejected:{entry.sequence}",
            _l("%(firm)s was not accepted", firm=firm.display_name),
            reason.strip(),
        )


def suspend(firm: Firm, by, reason: str, expected_version: int | None = None) -> None:
    """Hide a listing at once from directory, search, API and matches; the reason is kept."""
    _set_suspended(firm, by, reason, expected_version, suspended=True)


def reinstate(firm: Firm, by, reason: str, expected_version: int | None = None) -> None:
    _set_suspended(firm, by, reason, expected_version, suspended=False)


def _set_suspended(firm: Firm, by, reason: str, expected_version: int | None, *, suspended: bool) -> None:
    """Suspend or reinstate, with the reason in the audit entry and in what the firm is told."""
    check_version(firm, expected_version, ActedMeanwhile)
    if firm.suspended == suspended:
        raise TransitionRefused(
            N_("The listing is already suspended.") if suspended else N_("The listing is not suspended.")
        )
    reason = reason.strip()
    if not reason:
        raise TransitionRefused(
            N_("Give the reason for suspending the listing.")
            if suspended
            else N_("Give the reason for reinstating the listing.")
        )
    event = "suspended" if suspended else "reinstated"
    with one_act(ActedMeanwhile):
        firm.suspended, firm.suspension_reason = suspended, reason if suspended else None
        entry = audit.record(
            f"firm.{event}",
            firm,
            actor=by,
            before={"suspended": not suspended},
            after={"suspended": suspended},
            note=reason,
            firm_id=firm.id,
        )
        subject = (
            _l("%(firm)s is suspended", firm=firm.display_name)
            if suspended
            else _l("%(firm)s is public again", firm=firm.display_name)
        )
        tell_firm(firm, f"listing.{event}", f"firm:{firm.id}:{event}:{entry.sequence}", subject, reason)


def review_profile_changes(firm: Firm, by, approve: bool, expected_version: int | None = None) -> None:
    """Apply or discard identity changes a verified firm proposed (as the reviewer saw them)."""
    check_version(firm, expected_version, ActedMeanwhile)
    if not firm.proposed:
        raise TransitionRefused(N_("There are no changes waiting for review."))
    proposed = dict(firm.proposed)
    with one_act(ActedMeanwhile):
        before = audit.snapshot(firm, proposed)
        if approve:
            try:
                refuse_taken_names(proposed, other_than=firm.id)  # another firm may have taken it meanwhile
            except NameTaken as error:
                raise TransitionRefused(error.message.translated()) from error
            for name, value in proposed.items():
                setattr(firm, name, value)
        firm.proposed = None
        audit.record(
            "firm.changes_approved" if approve else "firm.changes_declined",
            firm,
            actor=by,
            before=before,
            after=proposed,
            firm_id=firm.id,
        )


def review_capability(capability: Capability, by, approve: bool, reason: str = "") -> None:
    """Verify or reject a new capability, or apply or discard the edit waiting on a verified one."""
    reason = (reason or "").strip()
    before = capability_facts(capability)
    was_edit = capability.proposed is not None
    if not was_edit and capability.review_status != ReviewStatus.PENDING:
        raise TransitionRefused(N_("This capability has nothing waiting for review."))
    if not approve and not reason:
        raise TransitionRefused(N_("Give the reason for rejecting the capability; the firm will read it."))
    with one_act(ActedMeanwhile):
        if was_edit:
            if approve:
                apply_capability(capability, capability.proposed)
            capability.proposed = None
        else:
            capability.review_status = ReviewStatus.VERIFIED if approve else ReviewStatus.REJECTED
        capability.review_note = reason
        entry = audit.record(
            "capability.verified" if approve else "capability.rejected",
            capability,
            actor=by,
            before=before,
            after=capability_facts(capability),
            note=reason,
        )
        if not approve:
            category = capability.category
            if was_edit:
                event = "capability.change_declined"

                def subject() -> str:
                    return _("Your change to %(name)s was not accepted", name=category.label)
            else:
                event = "capability.rejected"

                def subject() -> str:
                    return _("Capability %(name)s not accepted", name=category.label)

            tell_firm(
                capability.firm, event, f"capability:{capability.id}:{entry.sequence}", subject, reason, "capabilities"
            )


def review_certificate(certificate: Certificate, by, approve: bool, reason: str = "") -> None:
    """Staff's verdict after looking at the evidence; only verified certificates ever count.

    Verifying one that has no evidence file needs a note of how it was checked, kept in the audit."""
    reason = (reason or "").strip()
    if certificate.review_status != ReviewStatus.PENDING:
        raise TransitionRefused(
            N_("This certificate was already decided (perhaps by another reviewer); nothing was changed.")
        )
    if not approve and not reason:
        raise TransitionRefused(N_("Give the reason for rejecting the certificate; the firm will read it."))
    if approve and certificate.needs_note_to_verify and not reason:
        raise TransitionRefused(
            N_(
                "There is no evidence file: say how the certificate was checked "
                "(e.g. with the issuing body's register) before verifying it."
            )
        )
    with one_act(ActedMeanwhile):
        before = {"review_status": certificate.review_status}
        certificate.review_status = ReviewStatus.VERIFIED if approve else ReviewStatus.REJECTED
        certificate.verified_at = utcnow() if approve else None
        certificate.review_note = reason
        entry = audit.record(
            "certificate.verified" if approve else "certificate.rejected",
            certificate,
            actor=by,
            before=before,
            after={"review_status": certificate.review_status, "evidence": certificate.evidence_filename},
            note=reason,
        )
        if not approve:
            tell_firm(
                certificate.firm,
                "certificate.rejected",
                f"certificate:{certificate.id}:{entry.sequence}",
                _l(
                    "Certificate %(type)s %(number)s not accepted",
                    type=certificate.type.name,
                    number=certificate.number,
                ),
                reason,
                "certificates",
            )
