"""A public name belongs to one firm. A legal or trade name that a reader could not tell from
another public firm's (the same `lookalikes.skeleton`) is refused wherever a name is chosen or
approved, so no firm can pass itself off as another."""

from sqlalchemy import or_, select

from portal.extensions import db
from portal.i18n import Phrase
from portal.lookalikes import skeleton
from portal.suppliers.models import Firm

NAME_FIELDS = ("legal_name", "trade_name")


class NameTaken(ValueError):
    """`field`'s new name reads as another public firm's; `message` says which, for the page."""

    def __init__(self, field: str, message: Phrase):
        super().__init__(str(message))
        self.field, self.message = field, message


def public_firm_named_like(name: str, other_than: int | None = None) -> Firm | None:
    """The public firm (other than `other_than`) whose legal or trade name reads as `name`."""
    key = skeleton(name)[:200]
    if not key:
        return None
    query = select(Firm).where(Firm.is_public, or_(Firm.legal_name_skeleton == key, Firm.trade_name_skeleton == key))
    if other_than is not None:
        query = query.where(Firm.id != other_than)
    return db.session.scalars(query.order_by(Firm.id).limit(1)).first()


def refuse_taken_names(names: dict, other_than: int | None = None) -> None:
    """Raise NameTaken for the first of `names` (field: new name) another public firm holds."""
    for field in NAME_FIELDS:
        name = names.get(field)
        holder = public_firm_named_like(name, other_than) if name else None
        if holder is not None:
            raise NameTaken(
                field,
                Phrase(
                    "“%(name)s” reads the same as the listed firm %(other)s. Choose a name people can tell "
                    "apart; if you run that firm, claim its listing instead.",
                    name=name,
                    other=holder.display_name,
                ),
            )
