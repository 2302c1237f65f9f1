"""The data room: the files a firm keeps with its opportunity for the investors it accepts."""

from portal import audit, uploads
from portal.extensions import db
from portal.i18n import N_
from portal.investment.models import (
    Opportunity,
    OpportunityDocument,
)
from portal.investment.rules import InvestmentRefused, S, transaction

# The data room stays open to change until the opportunity ends.
DOCUMENTS_OPEN = {S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED}


def add_document(opportunity: Opportunity, upload: tuple[bytes, str], description: str, by) -> OpportunityDocument:
    """Store a PDF or image under the upload rules (checked by content, at most 10 MB)."""
    if opportunity.status not in DOCUMENTS_OPEN:
        raise InvestmentRefused(N_("This opportunity has ended; its data room no longer changes."))
    stored = uploads.store_document(upload, InvestmentRefused)
    with transaction(stored.path):
        document = OpportunityDocument(
            opportunity=opportunity, **stored.columns(), description=(description or "").strip()
        )
        db.session.add(document)
        db.session.flush()
        audit.record(
            "investment.document_added",
            document,
            actor=by,
            after={"filename": stored.filename, "description": document.description},
            firm_id=opportunity.firm_id,
        )
    return document


def delete_document(document: OpportunityDocument, by) -> None:
    opportunity = document.opportunity
    if opportunity.status not in DOCUMENTS_OPEN:
        raise InvestmentRefused(N_("This opportunity has ended; its data room no longer changes."))
    path = document.path
    with transaction():
        audit.record(
            "investment.document_deleted",
            document,
            actor=by,
            before={"filename": document.filename},
            firm_id=opportunity.firm_id,
        )
        db.session.delete(document)
    uploads.discard(path)
