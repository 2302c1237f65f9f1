"""Builders for firms, capabilities and certificates in a chosen state, for tests."""

from datetime import timedelta
from itertools import count

from portal.extensions import db
from portal.suppliers.models import (
    Capability,
    Certificate,
    Firm,
    FirmMember,
    ListingStatus,
    MemberRole,
    ReviewStatus,
    slugify,
)
from portal.taxonomy.models import Process
from portal.timeutil import today, utcnow

_numbers = count(1)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def make_firm(
    name: str | None = None,
    *,
    status: ListingStatus = ListingStatus.VERIFIED,
    suspended: bool = False,
    city: str = "Lahore",
    province: str = "Punjab",
    owner=None,
    capabilities=(),
    certificates=(),
    **fields,
) -> Firm:
    """A firm; `capabilities` are dicts for make_capability, `certificates` dicts for make_certificate."""
    name = name or f"Test Firm {next(_numbers)} (Pvt) Ltd"
    firm = Firm(
        legal_name=name,
        slug=slugify(name),
        city=city,
        province=province,
        status=status,
        suspended=suspended,
        suspension_reason="Test suspension" if suspended else None,
        verified_at=utcnow() if status == ListingStatus.VERIFIED else None,
        contact_email=fields.pop("contact_email", "sales@firm.example.pk"),
        description=fields.pop("description", "We make parts for mobile phones on modern lines in Pakistan."),
        **fields,
    )
    db.session.add(firm)
    if owner is not None:
        db.session.add(FirmMember(firm=firm, user=owner, role=MemberRole.OWNER))
    for spec in capabilities:
        make_capability(firm, **spec)
    for spec in certificates:
        make_certificate(firm, **spec)
    db.session.commit()
    return firm


def make_capability(
    firm: Firm, category: str = "pcba", *, capacity: int = 10000, review=ReviewStatus.VERIFIED, processes=(), **fields
) -> Capability:
    capability = Capability(
        firm=firm,
        category_slug=category,
        monthly_capacity=capacity,
        review_status=review,
        processes=[db.session.get(Process, slug) for slug in processes],
        **fields,
    )
    db.session.add(capability)
    return capability


def make_certificate(
    firm: Firm, type: str = "iso-9001", *, days_valid: int = 365, review=ReviewStatus.VERIFIED, **fields
) -> Certificate:
    certificate = Certificate(
        firm=firm,
        type_slug=type,
        number=fields.pop("number", f"CERT-{next(_numbers)}"),
        issuing_body=fields.pop("issuing_body", "Test Certification Body"),
        issue_date=fields.pop("issue_date", today() - timedelta(days=400)),
        expiry_date=today() + timedelta(days=days_valid),
        review_status=review,
        **fields,
    )
    db.session.add(certificate)
    return certificate
