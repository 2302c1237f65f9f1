"""Objects every route can point at, and a user per role, for the access table and the form fuzz."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest

from portal.accounts.models import ApiToken
from portal.accounts.service import make_reset_token
from portal.compliance import service as compliance
from portal.compliance.models import CaseKind
from portal.extensions import db
from portal.needs import service as needs
from portal.needs.models import NeedVisibility
from portal.suppliers.models import FirmMember, FirmPhoto, ListingStatus, MemberRole
from portal.suppliers.service import invite_colleague
from portal.timeutil import today
from portal.uploads import IMAGE_KINDS, store
from tests.conftest import make_user
from tests.factories import PDF_BYTES, PNG_BYTES, make_firm


@dataclass
class World:
    """The objects URL arguments point at, and a signed-in user per role."""

    users: dict
    values: dict  # URL argument name -> value
    by_endpoint: dict  # endpoint -> {argument: value} where the name alone is ambiguous
    query: dict  # endpoint -> query string


@pytest.fixture
def world(app, users, outbox) -> World:
    supplier, brand, staff = users["supplier"], users["brand"], users["staff"]
    people = {
        **{role: users[role] for role in ("supplier", "brand", "investor", "staff")},
        "other_supplier": make_user("supplier", email="other-supplier@example.com"),
        "other_brand": make_user("brand", email="other-brand@example.com"),
    }
    # The other supplier's listing is still a draft: such a firm is not shown brands' needs.
    make_firm("Other Supplier Works", status=ListingStatus.DRAFT, owner=people["other_supplier"])
    firm = make_firm(
        "Access Circuits (Pvt) Ltd",
        owner=supplier,
        capabilities=[{"category": "pcba"}],
        certificates=[{"type": "iso-9001"}],
    )
    colleague = make_user("supplier", email="colleague@example.com")
    evidence, logo = store(PDF_BYTES, "iso.pdf"), store(PNG_BYTES, "logo.png", kinds=IMAGE_KINDS)
    member = FirmMember(firm_id=firm.id, user_id=colleague.id, role=MemberRole.EDITOR)
    photo = FirmPhoto(firm_id=firm.id, path=logo.path, filename="line.png", mimetype="image/png")
    db.session.add_all([member, photo])
    certificate = firm.certificates[0]
    certificate.evidence_path, certificate.evidence_filename = evidence.path, evidence.filename
    certificate.evidence_mimetype = evidence.mimetype
    firm.logo_path = logo.path
    db.session.commit()
    need = needs.create_need(
        brand,
        {
            "title": "Li-ion packs",
            "category_slug": "battery",
            "description": "1,800 mAh packs.",
            "quantity_per_month": 20000,
            "currency": "USD",
            "delivery_province": "Punjab",
            "deadline": today() + timedelta(days=30),
            "visibility": NeedVisibility.OPEN,
        },
    )
    needs.transition(need, "publish", brand)
    token, _plain = ApiToken.issue(supplier, "CI")
    case = compliance.open_case(firm, CaseKind.FALSE_CERTIFICATE, "Certificate doubts.", staff)
    document = compliance.attach_document(case, (PDF_BYTES, "visit.pdf"), "", staff, case.version)
    invite_colleague(firm, "invitee@example.com", MemberRole.EDITOR, supplier)
    invitation = re.search(r"https?://\S+", outbox("firm_invitation")[-1].body).group(0).rsplit("/", 1)[1]
    db.session.commit()
    return World(
        users=people,
        values={
            "firm_id": firm.id,
            "slug": firm.slug,
            "capability_id": firm.capabilities[0].id,
            "certificate_id": certificate.id,
            "photo_id": photo.id,
            "member_id": member.id,
            "token_id": token.id,
            "need_id": need.id,
            "case_id": case.id,
            "document_id": document.id,
            "filename": "css/portal.css",
            "action": "publish",
            "kind": "capabilities",
            "item_id": firm.capabilities[0].id,
            "measure": "incentive",
        },
        by_endpoint={
            "suppliers.category": {"slug": "pcba"},
            "accounts.reset_password": {"token": make_reset_token(brand)},
            "suppliers.join_firm": {"token": invitation},
            "staff.decide_firm": {"action": "verify"},
        },
        query={"compliance.open_case": f"firm={firm.id}"},
    )
