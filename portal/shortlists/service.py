"""The rules of shortlists: whose they are, what goes on them, and inviting a whole list to a need.

A shortlist is its owner's alone: every other account (another brand, the firms on it, staff)
gets a 404, as for a list that does not exist, and nothing is sent to a firm when it is added.
"""

import csv
import io
from functools import partial

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Role
from portal.denials import NotFound
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.needs import service as needs
from portal.needs.models import SourcingNeed
from portal.shortlists.models import Shortlist, ShortlistEntry
from portal.staff.imports import FORMULA_STARTS
from portal.suppliers.models import Firm, ReviewStatus
from portal.transactions import one_act

VERIFIED = ReviewStatus.VERIFIED
NAME_MAX = 120
NOTE_MAX = 2000
DEFAULT_NAME = N_("My shortlist")


class ShortlistRefused(Refusal):
    """The act does not apply; the message is for the person acting."""


class ShortlistChanged(ShortlistRefused):
    """The shortlist changed in another tab or by a colleague after the page was loaded."""

    def __init__(self):
        super().__init__(N_("This shortlist changed meanwhile; reload the page and try again."))


_transaction = partial(one_act, ShortlistChanged)


def may_keep(user) -> bool:
    """Brands keep shortlists; other roles never see one."""
    return user is not None and user.is_authenticated and user.role == Role.BRAND


def shortlists_of(user) -> list[Shortlist]:
    if not may_keep(user):
        return []
    return list(
        db.session.scalars(
            select(Shortlist)
            .where(Shortlist.owner_id == user.id)
            .options(selectinload(Shortlist.entries))
            .order_by(Shortlist.name, Shortlist.id)
        )
    )


def shortlist_for(shortlist_id: int, user) -> Shortlist:
    """The owner's shortlist; `NotFound` for everyone else, so nobody learns it exists."""
    shortlist = db.session.get(Shortlist, shortlist_id)
    if shortlist is None or shortlist.owner_id != getattr(user, "id", None):
        raise NotFound()
    return shortlist


def _name(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > NAME_MAX:
        raise ShortlistRefused(N_("Keep the name to 120 characters."))
    return name


def create(user, name: str) -> Shortlist:
    if not may_keep(user):
        raise ShortlistRefused(N_("Only brands keep shortlists."))
    with _transaction():
        shortlist = Shortlist(owner_id=user.id, name=_name(name) or gettext(DEFAULT_NAME))
        db.session.add(shortlist)
    return shortlist


def rename(shortlist: Shortlist, name: str) -> None:
    name = _name(name)
    if not name:
        raise ShortlistRefused(N_("Give the shortlist a name."))
    with _transaction():
        shortlist.name = name


def delete(shortlist: Shortlist) -> None:
    """The list and its notes go; the firms on it are untouched and never learn of it."""
    with _transaction():
        db.session.delete(shortlist)


def entry_of(shortlist: Shortlist, firm_id: int) -> ShortlistEntry | None:
    return next((entry for entry in shortlist.entries if entry.firm_id == firm_id), None)


def add(shortlist: Shortlist, firm: Firm) -> bool:
    """Put a public firm on the list; False when it was there already."""
    if not firm.is_public:
        raise ShortlistRefused(N_("Only public listings can be shortlisted."))
    if entry_of(shortlist, firm.id) is not None:
        return False
    with _transaction():
        shortlist.entries.append(ShortlistEntry(firm=firm))
    return True


def add_to_new_or_existing(user, firm: Firm, shortlist_id: int | None, new_name: str) -> tuple[Shortlist, bool]:
    """Add the firm to the chosen shortlist, or to a new one named `new_name` when none is chosen."""
    shortlist = shortlist_for(shortlist_id, user) if shortlist_id else create(user, new_name)
    return shortlist, add(shortlist, firm)


def remove(shortlist: Shortlist, entry: ShortlistEntry) -> None:
    with _transaction():
        shortlist.entries.remove(entry)


def set_note(entry: ShortlistEntry, note: str) -> None:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ShortlistRefused(N_("Keep the note to 2,000 characters."))
    with _transaction():
        entry.note = note


def invitable_needs(user) -> list[SourcingNeed]:
    """The owner's needs that still take invitations."""
    return [need for need in needs.needs_of(user) if needs.is_editable(need)]


def invite_all(shortlist: Shortlist, need: SourcingNeed, by) -> tuple[list[Firm], list[tuple[Firm, str]]]:
    """Invite every firm on the list to quote on `need` through the need's own invitations.
    Returns (invited firms, [(firm, why not)]): one firm that cannot be invited stops no other."""
    if need.owner_id != by.id:
        raise NotFound()
    invited, skipped = [], []
    with _transaction():
        for entry in list(shortlist.entries):
            try:
                needs.invite_within(need, entry.firm, by)
            except needs.NeedRefused as refusal:
                skipped.append((entry.firm, str(refusal)))
            else:
                invited.append(entry.firm)
    return invited, skipped


CSV_COLUMNS = ("name", "legal_name", "city", "province", "categories", "certifications", "note", "profile")


def _cell(value) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe, as in the other exports."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(shortlist: Shortlist, profile_url) -> str:
    """The list as CSV, one row per firm; `profile_url(firm)` gives the link to its listing."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in shortlist.entries:
        firm = entry.firm
        categories = ";".join(sorted({c.category_slug for c in firm.capabilities}))
        certifications = ";".join(sorted({c.type_slug for c in firm.certificates if c.review_status == VERIFIED}))
        row = (firm.display_name, firm.legal_name, firm.city, firm.province, categories, certifications, entry.note)
        writer.writerow([_cell(value) for value in row] + [profile_url(firm)])
    return out.getvalue()
