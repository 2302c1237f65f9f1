"""What of the suppliers' domain waits for EDB staff: submitted listings, capabilities (new on a
verified listing, or an edit held for review), certificates, and identity changes a verified firm
proposed; offered to the staff queue."""

from sqlalchemy import and_, func, select

from portal.i18n import N_
from portal.staff.queue import QueueFilters, offers, queue_row
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus

# A draft has not asked for review yet and a rejected listing is closed, so their certificates wait
# for nothing; every other listing's pending certificates do.
CERTIFICATE_FIRM_STATES = (ListingStatus.SUBMITTED, ListingStatus.CHANGES_REQUESTED, ListingStatus.VERIFIED)


@offers("listing", label=N_("New listing"), model=Firm)
def submitted_listings(filters: QueueFilters) -> list:
    since = func.coalesce(Firm.submitted_at, Firm.created_at)
    return [
        select(*queue_row("listing", Firm.id, Firm.id, since, None, Firm.province)).where(
            Firm.status == ListingStatus.SUBMITTED, *filters.of_firm(), *filters.firm_makes_category()
        )
    ]


@offers("capability", label=N_("Capability"), model=Capability, anchor=lambda c: f"capability-{c.id}")
def capabilities_to_review(filters: QueueFilters) -> list:
    touched = filters.latest_audit(
        "Capability", Capability.id, ("capability.added", "capability.updated"), Capability.firm_id
    )
    in_category = [Capability.category_slug == filters.category] if filters.category else []
    # Two disjoint arms (new on a verified listing; an edit held for review), each found by its
    # partial index instead of a scan of every capability.
    return [
        select(
            *queue_row(
                "capability",
                Capability.id,
                Firm.id,
                func.coalesce(touched, Capability.created_at),
                Capability.category_slug,
                Firm.province,
            )
        )
        .join(Firm, Firm.id == Capability.firm_id)
        .where(waiting, *filters.of_firm(), *in_category)
        for waiting in (
            and_(
                Capability.review_status == ReviewStatus.PENDING,
                Firm.status == ListingStatus.VERIFIED,
                Capability.proposed.is_(None),
            ),
            Capability.proposed.is_not(None),
        )
    ]


@offers("certificate", label=N_("Certificate"), model=Certificate, anchor=lambda c: f"certificate-{c.id}")
def certificates_to_review(filters: QueueFilters) -> list:
    touched = filters.latest_audit(
        "Certificate", Certificate.id, ("certificate.added", "certificate.updated"), Certificate.firm_id
    )
    since = func.coalesce(touched, Certificate.created_at)
    return [
        select(*queue_row("certificate", Certificate.id, Firm.id, since, None, Firm.province))
        .join(Firm, Firm.id == Certificate.firm_id)
        .where(
            Certificate.review_status == ReviewStatus.PENDING,
            Firm.status.in_(CERTIFICATE_FIRM_STATES),
            *filters.of_firm(),
            *filters.firm_makes_category(),
        )
    ]


@offers("profile", label=N_("Identity change"), model=Firm, anchor=lambda firm: "profile-changes")
def proposed_identity_changes(filters: QueueFilters) -> list:
    touched = filters.latest_audit("Firm", Firm.id, ("firm.profile_updated",), Firm.id)
    since = func.coalesce(touched, Firm.updated_at)
    return [
        select(*queue_row("profile", Firm.id, Firm.id, since, None, Firm.province)).where(
            # Through its partial index: SQLite would otherwise walk every verified firm.
            Firm.id.in_(select(Firm.id).where(Firm.proposed.is_not(None)).scalar_subquery()),
            Firm.status == ListingStatus.VERIFIED,
            *filters.of_firm(),
            *filters.firm_makes_category(),
        )
    ]
