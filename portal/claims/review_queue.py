"""Claims on unowned listings whose evidence is complete wait for EDB staff; offered to the staff queue."""

from sqlalchemy import select

from portal.claims.models import ClaimStatus, FirmClaim
from portal.i18n import N_
from portal.staff.queue import QueueFilters, offers, queue_row
from portal.suppliers.models import Firm


@offers("claim", label=N_("Claim"), model=FirmClaim, anchor=lambda claim: f"claim-{claim.id}")
def pending_claims(filters: QueueFilters) -> list:
    return [
        select(*queue_row("claim", FirmClaim.id, Firm.id, FirmClaim.submitted_at, None, Firm.province))
        .join(Firm, Firm.id == FirmClaim.firm_id)
        .where(FirmClaim.status == ClaimStatus.PENDING, *filters.of_firm(), *filters.firm_makes_category())
    ]
