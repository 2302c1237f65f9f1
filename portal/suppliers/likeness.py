"""When two names are one firm's: "Ravi Circuits (Pvt) Ltd" in Lahore is "ravi circuits private limited"
in lahore. Sign-up asks about such a listing before it makes a copy of it."""

import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.suppliers.models import Firm

# Legal forms firms in Pakistan add to their names, longest first so "(Pvt) Ltd" goes whole.
_LEGAL_FORM = re.compile(
    r"(\s+|^)("
    r"\(?smc[\s-]*(pvt|private)\)?\s*(ltd|limited)?|"
    r"\(?(pvt|private)\.?\)?\s*(ltd|limited)?\.?|"
    r"(ltd|limited|llc|inc|co|company|corp|corporation)\.?"
    r")\s*$"
)
_NOT_A_LETTER = re.compile(r"[^\w]+")


def comparable_name(name: str) -> str:
    """The name with case, spacing, punctuation and trailing legal forms taken away."""
    text = " ".join((name or "").casefold().split())
    previous = None
    while previous != text:  # "Ravi Circuits Company (Pvt) Ltd" loses both
        previous, text = text, _LEGAL_FORM.sub("", text).strip()
    return " ".join(_NOT_A_LETTER.sub(" ", text).split())


def public_listings_like(name: str, city: str, limit: int = 5) -> list[Firm]:
    """Public listings in the same city whose name is the same firm's name, oldest first."""
    wanted = comparable_name(name)
    if not wanted:
        return []
    first_word = wanted.split()[0]
    candidates = db.session.scalars(
        select(Firm)
        .where(
            Firm.is_public,
            func.lower(Firm.city) == " ".join(city.split()).lower(),
            func.lower(Firm.legal_name).contains(first_word, autoescape=True),
        )
        .order_by(Firm.id)
    )
    return [
        firm
        for firm in candidates
        if wanted in {comparable_name(firm.legal_name), comparable_name(firm.trade_name or "")}
    ][:limit]
