"""A listing's life: draft → submitted → verified, or changes requested → resubmitted; rejected;
suspended and reinstated. Every transition is checked against one table, audited and committed.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import audit
from portal.extensions import db
from portal.mail import external_url, send_mail_to
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus
from portal.suppliers.service import apply_capability, capability_facts
from portal.timeutil import utcnow

S = ListingStatus

# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "submit": ({S.DRAFT, S.CHANGES_REQUESTED}, S.SUBMITTED),
    "verify": ({S.SUBMITTED}, S.VERIFIED),
    "request_changes": ({S.SUBMITTED}, S.CHANGES_REQUESTED),
    "reject": ({S.SUBMITTED, S.CHANGES_REQUESTED}, S.REJECTED),
}


class TransitionRefused(ValueError):
    """The action does not apply to the listing as it is now (or someone else acted first)."""


def allowed_actions(firm: Firm) -> set[str]:
    return {action for action, (sources, _target) in TRANSITIONS.items() if firm.status in sources}


def _check_version(firm: Firm, expected_version: int | None) -> None:
    # Optimistic locking: the reviewer acted on the version they saw, or not at all.
    if expected_version is not None and firm.version != expected_version:
        raise TransitionRefused(
            _("Someone else changed this listing while you were looking at it; reload it and decide again.")
        )


def _transition(firm: Firm, action: str, by, expected_version: int | None, note: str = "", **extra) -> None:
    _check_version(firm, expected_version)
    sources, target = TRANSITIONS[action]
    if firm.status not in sources:
        raise TransitionRefused(
            _(
                "A listing that is %(now)s cannot be sent to %(then)s.",
                now=firm.status.value.replace("_", " "),
                then=target.value.replace("_", " "),
            )
        )
    before = {"status": firm.status}
    firm.status = target
    audit.record(
        f"firm.{action}", firm, actor=by, before=before, after={"status": target, **extra}, note=note, firm_id=firm.id
    )


def submission_problems(firm: Firm) -> list[str]:
    """What must be there before staff can review the listing."""
    problems = []
    if len(firm.description or "") < 40:
        problems.append(_("Describe what the firm makes (at least 40 characters)."))
    if not firm.contact_email:
        problems.append(_("Add a contact e-mail for brands."))
    if not firm.capabilities:
        problems.append(_("Add at least one capability: what you make and how much per month."))
    return problems


def submit(firm: Firm, by, expected_version: int | None = None) -> None:
    problems = submission_problems(firm)
    if problems:
        raise TransitionRefused(" ".join(problems))
    _transition(firm, "submit", by, expected_version)
    firm.submitted_at = utcnow()
    db.session.commit()


# The parts of a listing staff may ask a firm to change, with their labels.
REASON_FIELDS = [
    ("legal_name", _l("Legal name")),
    ("description", _l("Description")),
    ("contact", _l("Contact details")),
    ("capabilities", _l("Capabilities")),
    ("certificates", _l("Certificates")),
    ("other", _l("Anything else")),
]


def _notify_firm(firm: Firm, subject, body, kind: str) -> None:
    """E-mail each of the firm's people, in their own language, with the link to the listing."""
    link = external_url("suppliers.manage", firm_id=firm.id)

    def text():
        written = body() if callable(body) else str(body)
        return written + "\n\n" + _("Your listing: %(link)s", link=link) + "\n"

    for member in firm.members:
        send_mail_to(member.user, subject, text, kind=kind)


def verify(firm: Firm, by, expected_version: int | None = None) -> None:
    """Publish the listing; the capabilities the reviewer saw with it are verified too."""
    _transition(firm, "verify", by, expected_version)
    now = utcnow()
    firm.verified_at = now
    firm.review_reasons = {}
    for capability in firm.capabilities:
        if capability.review_status == ReviewStatus.PENDING:
            capability.review_status = ReviewStatus.VERIFIED
    _notify_firm(
        firm,
        _l("%(firm)s is verified", firm=firm.display_name),
        _l("EDB staff verified your listing; brands can now find it in the directory."),
        "listing_verified",
    )
    db.session.commit()


def request_changes(firm: Firm, by, reasons: dict[str, str], expected_version: int | None = None) -> None:
    reasons = {field: text.strip() for field, text in reasons.items() if text and text.strip()}
    if not reasons:
        raise TransitionRefused(_("Say what should change for at least one field."))
    _transition(firm, "request_changes", by, expected_version, reasons=reasons)
    firm.review_reasons = reasons
    labels = dict(REASON_FIELDS)

    def body():
        lines = "\n".join(f"- {labels.get(field, field)}: {text}" for field, text in reasons.items())
        return _("EDB staff reviewed your listing and ask for these changes before verifying it:") + "\n\n" + lines

    _notify_firm(
        firm,
        _l("Changes requested for %(firm)s", firm=firm.display_name),
        body,
        "listing_changes_requested",
    )
    db.session.commit()


def reject(firm: Firm, by, reason: str, expected_version: int | None = None) -> None:
    if not reason.strip():
        raise TransitionRefused(_("Give the reason for rejecting the listing."))
    _transition(firm, "reject", by, expected_version, note=reason.strip())
    firm.review_reasons = {"listing": reason.strip()}
    _notify_firm(
        firm,
        _l("%(firm)s was not accepted", firm=firm.display_name),
        lambda: _("EDB staff did not accept your listing:") + "\n\n" + reason.strip(),
        "listing_rejected",
    )
    db.session.commit()


def suspend(firm: Firm, by, reason: str, expected_version: int | None = None) -> None:
    """Hide a listing at once from directory, search, API and matches; the reason is kept."""
    _check_version(firm, expected_version)
    if firm.suspended:
        raise TransitionRefused(_("The listing is already suspended."))
    if not reason.strip():
        raise TransitionRefused(_("Give the reason for suspending the listing."))
    firm.suspended, firm.suspension_reason = True, reason.strip()
    audit.record(
        "firm.suspended",
        firm,
        actor=by,
        before={"suspended": False},
        after={"suspended": True},
        note=reason.strip(),
        firm_id=firm.id,
    )
    _notify_firm(
        firm,
        _l("%(firm)s is suspended", firm=firm.display_name),
        lambda: _("EDB staff suspended your listing:") + "\n\n" + reason.strip(),
        "listing_suspended",
    )
    db.session.commit()


def reinstate(firm: Firm, by, reason: str, expected_version: int | None = None) -> None:
    _check_version(firm, expected_version)
    if not firm.suspended:
        raise TransitionRefused(_("The listing is not suspended."))
    if not reason.strip():
        raise TransitionRefused(_("Give the reason for reinstating the listing."))
    firm.suspended, firm.suspension_reason = False, None
    audit.record(
        "firm.reinstated",
        firm,
        actor=by,
        before={"suspended": True},
        after={"suspended": False},
        note=reason.strip(),
        firm_id=firm.id,
    )
    db.session.commit()


def review_profile_changes(firm: Firm, by, approve: bool, expected_version: int | None = None) -> None:
    """Apply or discard identity changes a verified firm proposed (as the reviewer saw them)."""
    _check_version(firm, expected_version)
    if not firm.proposed:
        raise TransitionRefused(_("There are no changes waiting for review."))
    proposed = dict(firm.proposed)
    before = audit.snapshot(firm, proposed)
    if approve:
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
    db.session.commit()


def review_capability(capability: Capability, by, approve: bool, reason: str = "") -> None:
    """Verify or reject a new capability, or apply or discard the edit waiting on a verified one."""
    before = capability_facts(capability)
    if capability.proposed is not None:
        if approve:
            apply_capability(capability, capability.proposed)
        capability.proposed = None
    elif capability.review_status == ReviewStatus.PENDING:
        capability.review_status = ReviewStatus.VERIFIED if approve else ReviewStatus.REJECTED
    else:
        raise TransitionRefused(_("This capability has nothing waiting for review."))
    audit.record(
        "capability.verified" if approve else "capability.rejected",
        capability,
        actor=by,
        before=before,
        after=capability_facts(capability),
        note=reason,
    )
    db.session.commit()


def review_certificate(certificate: Certificate, by, approve: bool, reason: str = "") -> None:
    """Staff's verdict after looking at the evidence; only verified certificates ever count."""
    if certificate.review_status != ReviewStatus.PENDING:
        raise TransitionRefused(
            _("This certificate was already decided (perhaps by another reviewer); nothing was changed.")
        )
    if not approve and not reason.strip():
        raise TransitionRefused(_("Give the reason for rejecting the certificate."))
    before = {"review_status": certificate.review_status}
    certificate.review_status = ReviewStatus.VERIFIED if approve else ReviewStatus.REJECTED
    certificate.verified_at = utcnow() if approve else None
    audit.record(
        "certificate.verified" if approve else "certificate.rejected",
        certificate,
        actor=by,
        before=before,
        after={"review_status": certificate.review_status},
        note=reason.strip(),
    )
    if not approve:
        _notify_firm(
            certificate.firm,
            _l("Certificate %(type)s not accepted", type=certificate.type.name),
            lambda: (
                _(
                    "EDB staff did not accept the %(type)s certificate %(number)s:",
                    type=certificate.type.name,
                    number=certificate.number,
                )
                + "\n\n"
                + reason.strip()
            ),
            "certificate_rejected",
        )
    db.session.commit()
