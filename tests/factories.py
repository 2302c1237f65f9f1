"""Builders for people, firms, capabilities, certificates, sourcing needs and quotes in a chosen state, for
tests: one factory per model. The people a test meets come from the `cast` fixture (tests/conftest.py),
which builds them with `make_user`."""

from datetime import timedelta
from functools import cache
from itertools import count

from flask import current_app

from portal.accounts.models import Role, User
from portal.accounts.passwords import hash_password
from portal.extensions import db
from portal.needs.models import NeedStatus, NeedVisibility, Quote, QuoteStatus, SourcingNeed
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
from portal.taxonomy.models import CertificationType, Process
from portal.timeutil import today, utcnow

_numbers = count(1)

PASSWORD = "correct horse battery staple"

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@cache
def _hashed(password: str, method: str) -> str:
    """Hashing is slow on purpose; the suite makes thousands of people with a handful of passwords.
    The app's hash method is part of the key (hash_password reads it), so a test that sets another
    gets hashes of that method."""
    return hash_password(password)


def make_user(role: Role | str = Role.SUPPLIER, email: str | None = None, password: str = PASSWORD, **fields) -> User:
    """An account of `role`, its address confirmed unless the test asks for a newly signed-up one
    (`email_verified_at=None`)."""
    role = Role(role)
    user = User(
        email=email or f"{role.value}@example.com",
        password_hash=_hashed(password, current_app.config["PASSWORD_HASH_METHOD"]),
        full_name=fields.pop("full_name", f"Test {role.value.title()}"),
        organisation=fields.pop("organisation", f"{role.value.title()} Org"),
        role=role,
        email_verified_at=fields.pop("email_verified_at", utcnow()),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


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


def make_need(
    owner,
    category: str = "battery",
    *,
    title: str = "Packs",
    status: NeedStatus | str = NeedStatus.OPEN,
    visibility: NeedVisibility | str = NeedVisibility.OPEN,
    quantity: int = 10_000,
    days: int = 30,
    certifications=(),
    through_service: bool = False,
    **fields,
) -> SourcingNeed:
    """A need of `owner` due in `days`; straight in the database, or `through_service` as the brand
    would post and publish it (with its audit entry and the notices publishing sends)."""
    status, visibility = NeedStatus(status), NeedVisibility(visibility)
    facts = {
        "title": title,
        "category_slug": category,
        "description": fields.pop("description", "1,800 mAh Li-ion packs."),
        "quantity_per_month": quantity,
        "deadline": fields.pop("deadline", today() + timedelta(days=days)),
        "visibility": visibility,
    }
    if through_service:
        return _posted_need(
            owner, status, {"features": "", **facts, "certification_slugs": list(certifications), **fields}
        )
    need = SourcingNeed(
        owner_id=owner.id,
        organisation=fields.pop("organisation", owner.organisation),
        status=status,
        **facts,
        **fields,
    )
    need.required_certifications = [db.session.get(CertificationType, slug) for slug in certifications]
    db.session.add(need)
    db.session.commit()
    return need


def _posted_need(owner, status: NeedStatus, data: dict) -> SourcingNeed:
    from portal.needs import service

    if status not in (NeedStatus.DRAFT, NeedStatus.OPEN):
        raise ValueError(f"the service posts a need as a draft or publishes it, not {status}")
    need = service.create_need(owner, {"currency": "USD", **data})
    if status == NeedStatus.OPEN:
        service.transition(need, "publish", owner)
    return need


def make_quote(need: SourcingNeed, firm: Firm, *, by=None, file=None, status=QuoteStatus.SENT, **fields) -> Quote:
    """The firm's quote on the need: sent `by` a member through the quotes service (with an optional
    `file`, a (bytes, name) pair), or else straight in the database in `status`."""
    data = {
        "unit_price": 2,
        "currency": "USD",
        "min_order_quantity": 1,
        "lead_time_days": 1,
        "valid_until": need.deadline,
        **fields,
    }
    if by is not None:
        from portal.needs import quotes

        return quotes.send_quote(need, firm, {"notes": "", **data}, file, by)
    quote = Quote(need_id=need.id, firm_id=firm.id, status=status, **data)
    db.session.add(quote)
    db.session.commit()
    return quote
