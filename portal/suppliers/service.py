"""Operations on firms that pages, the API, the CLI and imports share."""

from portal.extensions import db
from portal.suppliers.models import Firm, FirmMember, MemberRole, slugify


def create_firm(*, legal_name: str, city: str, province: str, owner=None, **fields) -> Firm:
    """Start a draft listing; the signing-up user, if any, becomes its owner."""
    firm = Firm(legal_name=legal_name.strip(), city=city.strip(), province=province, slug=slugify(legal_name), **fields)
    db.session.add(firm)
    if owner is not None:
        db.session.add(FirmMember(firm=firm, user=owner, role=MemberRole.OWNER))
    return firm


def firms_of(user) -> list[Firm]:
    return list(
        db.session.scalars(db.select(Firm).join(FirmMember).where(FirmMember.user_id == user.id).order_by(Firm.id))
    )
