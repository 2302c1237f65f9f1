"""Objects every route can point at, and the cast signed in as each role, for the access table and the form fuzz.

Each feature's objects are made through its own services (or the builders its tests use), so the
world is in a state the portal itself can reach.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.accounts import verification
from portal.accounts.service import make_reset_token
from portal.bom import service as bom
from portal.bom.reading import BomRow
from portal.claims import service as claims
from portal.claims.models import ClaimMethod
from portal.compliance import service as compliance
from portal.compliance.models import CaseKind
from portal.extensions import db
from portal.introductions import service as introductions
from portal.needs import service as needs
from portal.notifications.models import Notification
from portal.shortlists import service as shortlists
from portal.suppliers import merging
from portal.suppliers.models import FirmPhoto, MemberRole
from portal.suppliers.service import invite_colleague
from portal.uploads import IMAGE_KINDS, store
from tests.conftest import Cast
from tests.factories import PDF_BYTES, PNG_BYTES, make_firm, make_need, make_quote, make_user
from tests.investment.builders import add_document, make_interest, make_opportunity, make_profile


@dataclass
class World:
    """The objects URL arguments point at, and the cast whose people sign in as each role."""

    cast: (
        Cast  # a role's person is `getattr(cast, role)`, their API token `cast.token(role)` (the API ignores sessions)
    )
    values: dict  # URL argument name -> value
    by_endpoint: dict  # endpoint -> {argument: value} where the name alone is ambiguous
    query: dict  # endpoint -> query string
    more_pages: tuple = ()  # pages the crawl opens besides one per route, for forms of other states


# Needs of the world are posted and published through the needs service, as the brand would.
PACKS = {"quantity": 20_000, "delivery_province": "Punjab", "through_service": True}


# The firm's sealed quote, with a file, through the quotes service.
CELLS = {
    "unit_price": Decimal("2.40"),
    "min_order_quantity": 5000,
    "lead_time_days": 30,
    "file": (PDF_BYTES, "quote.pdf"),
}


def _link_token(outbox, kind: str) -> str:
    """The last part of the link in the newest e-mail of `kind`."""
    return re.search(r"https?://\S+", outbox(kind)[-1].body).group(0).rsplit("/", 1)[1]


@pytest.fixture
def cast_firms() -> dict:
    """The supplier's firm makes boards and battery packs to ISO 9001; the other supplier's is public but makes
    housings, so it is not shown the brand's battery need."""
    return {
        "firm": {
            "name": "Access Circuits (Pvt) Ltd",
            "capabilities": [{"category": "pcba"}, {"category": "battery"}],
            "certificates": [{"type": "iso-9001"}],
        },
        "other_firm": {"name": "Other Supplier Works", "capabilities": [{"category": "housing-plastic"}]},
    }


# The people who sign in as a role in the access table and the form fuzz.
PEOPLE = ("supplier", "brand", "investor", "staff", "other_supplier", "other_brand")


@pytest.fixture
def world(app, cast, outbox, mail_on) -> World:
    supplier, brand, staff = cast.supplier, cast.brand, cast.staff
    for name in PEOPLE:  # the API ignores sessions: each calls it with a token of their own
        cast.token(name)
    firm, colleague = cast.firm, cast.colleague
    evidence, logo = store(PDF_BYTES, "iso.pdf"), store(PNG_BYTES, "logo.png", kinds=IMAGE_KINDS)
    member = next(m for m in firm.members if m.user == colleague)
    photo = FirmPhoto(firm_id=firm.id, path=logo.path, filename="line.png", mimetype="image/png")
    db.session.add(photo)
    certificate = firm.certificates[0]
    certificate.evidence_path, certificate.evidence_filename = evidence.path, evidence.filename
    certificate.evidence_mimetype = evidence.mimetype
    firm.logo_path = logo.path
    db.session.commit()
    case = compliance.open_case(firm, CaseKind.FALSE_CERTIFICATE, "Certificate doubts.", staff)
    document = compliance.attach_document(case, (PDF_BYTES, "visit.pdf"), "", staff, case.version)
    invite_colleague(firm, "invitee@example.com", MemberRole.EDITOR, supplier)
    invitation = _link_token(outbox, "firm_invitation")

    # Sourcing: an open need with a drawing, which the firm sees only through the category it makes;
    # another with the firm's sealed quote; a closed one whose quotes can be read.
    need = make_need(brand, "battery", title="Li-ion packs", **PACKS)
    attachment = needs.add_attachment(need, (PDF_BYTES, "drawing.pdf"), brand)
    quoted = make_need(brand, "battery", title="Power-bank cells", **PACKS)
    quote = make_quote(quoted, firm, by=supplier, notes="Cells from our own line.", **CELLS)
    closed = make_need(brand, "battery", title="Spare packs", **PACKS)
    make_quote(closed, firm, by=supplier, notes="Cells from our own line.", **CELLS)
    needs.transition(closed, "close", brand)

    # An introduction about the need, accepted: the thread and the stages are open.
    intro = introductions.request_introduction(brand, firm, "We make feature phones.", need)
    introductions.accept(intro, supplier)
    # A second request, still waiting: the firm's answer forms and the brand's withdrawal form.
    pending = introductions.request_introduction(brand, firm, "Also chargers, if you make them.")
    notice = db.session.scalar(
        select(Notification).where(Notification.user_id == supplier.id).order_by(Notification.id)
    )

    # Investment: a published opportunity with a data-room file, and the investor's accepted interest.
    opportunity = make_opportunity(firm, categories=("pcba",))
    plan = add_document(opportunity, store(PDF_BYTES, "plan.pdf").path)
    make_profile(cast.investor, categories=("pcba",))
    interest = make_interest(opportunity, cast.investor, accepted=True)

    # Claims: an unowned duplicate of the firm, claimed by the supplier with a document and by the
    # other supplier with an address on its domain (mail is on: the link is not opened yet).
    duplicate = make_firm("Access Circuits", website="https://accesscircuits.example.pk")
    claim = claims.start_claim(
        duplicate, supplier, method=ClaimMethod.DOCUMENT, position="Director", note="",
        document=(PDF_BYTES, "registration.pdf"),
    )  # fmt: skip
    claims.start_claim(
        duplicate, cast.other_supplier, method=ClaimMethod.EMAIL, position="Sales", note="",
        email="sales@accesscircuits.example.pk",
    )  # fmt: skip
    confirmation = _link_token(outbox, "claim")

    # A BOM plan of the brand, with a saved version to compare with.
    plan = bom.create_plan(brand, "Model A1", "USD", [
        BomRow(2, "1", "USB-C PD 20W adapter", "", "", Decimal("1"), Decimal("2.35"), "USD", 20000),
    ])  # fmt: skip
    bom.save_version(plan, "first")

    # Merges: one done (to undo); an unowned record left to claim.
    unclaimed = make_firm("Indus Moulds")
    record = merging.merge(unclaimed, make_firm("Indus Moulds (Pvt) Ltd"), staff, take_from_merged=set(), versions=None)
    db.session.commit()

    # A request to the listing nobody runs: EDB staff broker it.
    brokered = introductions.request_introduction(brand, unclaimed, "Moulds for a feature phone.")

    # A shortlist of the brand's, holding the firm.
    shortlist = shortlists.create(brand, "Battery packs")
    shortlists.add(shortlist, firm)
    return World(
        cast=cast,
        values={
            "firm_id": firm.id,
            "other_id": duplicate.id,
            "slug": firm.slug,
            "capability_id": firm.capabilities[0].id,
            "certificate_id": certificate.id,
            "photo_id": photo.id,
            "member_id": member.id,
            "token_id": supplier.tokens[0].id,
            "need_id": need.id,
            "attachment_id": attachment.id,
            "quote_id": quote.id,
            "case_id": case.id,
            "document_id": document.id,
            "intro_id": intro.id,
            "opportunity_id": opportunity.id,
            "interest_id": interest.id,
            "notice_id": notice.id,
            "claim_id": claim.id,
            "merge_id": record.id,
            "plan_id": plan.id,
            "line_id": plan.working.lines[0].id,
            "shortlist_id": shortlist.id,
            "name": "categories",
            "filename": "css/portal.css",
            "action": "publish",
            "kind": "capabilities",
            "item_id": firm.capabilities[0].id,
            "measure": "incentive",
        },
        by_endpoint={
            "suppliers.category": {"slug": "pcba"},
            "bom.template": {"kind": "csv"},
            "suppliers.labs": {"slug": "iec-62133"},
            "dashboard.set_phase": {"slug": "pcba"},
            "dashboard.set_targets": {"phase": 2},
            "accounts.reset_password": {"token": make_reset_token(brand)},
            "accounts.verify_email": {"token": verification.make_token(brand)},
            "suppliers.join_firm": {"token": invitation},
            "claims.confirm_email": {"token": confirmation},
            "claims.claim": {"firm_id": unclaimed.id},
            "introductions.broker": {"intro_id": brokered.id},
            "introductions.invite_to_claim": {"intro_id": brokered.id},
            "staff.decide_firm": {"action": "verify"},
            "needs.compare": {"need_id": closed.id},
            "needs.award": {"need_id": closed.id},
            "needs.withdraw": {"need_id": quoted.id},
            "needs.quote_attachment": {"need_id": quoted.id, "attachment_id": quote.attachments[0].id},
            "needs.remove_quote_attachment": {"need_id": quoted.id, "attachment_id": quote.attachments[0].id},
            "investment.act": {"action": "close"},
            "investment.decide": {"action": "approve"},
            "investment.document": {"document_id": plan.id},
            "investment.delete_document": {"document_id": plan.id},
            "staff.deactivate_account": {"user_id": cast.other_staff.id},
            "staff.review_address": {
                "user_id": make_user("brand", email="waiting@example.com", email_verified_at=None).id
            },
        },
        query={"compliance.open_case": f"firm={firm.id}"},
        more_pages=(f"/introductions/{pending.id}",),
    )
