"""What firms and brands are told about sourcing needs, in words, and who is told.

Each notice's key names its event, so it reaches a person once however often the act or the
command runs: `need:<id>:invited:<firm>`, `need:<id>:match:<firm>`, `need:<id>:changed:v<version>`,
`need:<id>:quotes-ready`, `need:<id>:outcome:<firm>`. A notice to a firm never names another firm.
"""

from collections import defaultdict
from datetime import date

from flask import current_app, has_request_context, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.formatting import format_date, format_number
from portal.needs.models import SourcingNeed
from portal.notifications.service import notify, notify_each
from portal.suppliers.models import FirmMember
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.taxonomy.names import local_name
from portal.taxonomy.units import unit_name

# The fields firms see, as the form labels them; changes to these are reported to involved firms.
CHANGE_LABELS = {
    "title": _l("Title"),
    "category_slug": _l("Component category"),
    "quantity_per_month": _l("Quantity per month"),
    "quantity_unit": _l("Counted in"),
    "description": _l("Description and specification"),
    "features": _l("Specification features"),
    "certification_slugs": _l("Required certifications"),
    "process_slugs": _l("Required processes"),
    "delivery_province": _l("Delivery province"),
    "start_date": _l("Supply starts"),
    "deadline": _l("Deadline for quotes"),
}
CHUNK = 5000


def need_path(need: SourcingNeed) -> str:
    """The need page's path, also from the command line (where there is no request)."""
    if has_request_context():
        return url_for("needs.show", need_id=need.id)
    with current_app.test_request_context():
        return url_for("needs.show", need_id=need.id)


def members_by_firm(firm_ids) -> dict[int, list[User]]:
    """The people of each firm, for telling a firm something."""
    firm_ids = sorted(set(firm_ids))
    people: dict[int, list[User]] = defaultdict(list)
    for start in range(0, len(firm_ids), CHUNK):
        rows = db.session.execute(
            select(FirmMember.firm_id, User)
            .join(User, User.id == FirmMember.user_id)
            .where(FirmMember.firm_id.in_(firm_ids[start : start + CHUNK]))
            .order_by(FirmMember.firm_id, User.id)
        )
        for firm_id, user in rows:
            people[firm_id].append(user)
    return people


def _tell_firms(firm_ids, kind: str, key: str, subject, body, link: str) -> None:
    """Tell every member of each firm; `key` may hold `{firm}`, so each firm's event is its own."""
    recipients = [
        (person, key.format(firm=firm_id)) for firm_id, people in members_by_firm(firm_ids).items() for person in people
    ]
    notify_each(recipients, kind, subject, body, link)


def _summary(need: SourcingNeed) -> str:
    return gettext(
        "%(quantity)s %(unit)s a month of %(category)s. Quotes are sealed until the deadline, %(deadline)s.",
        quantity=format_number(need.quantity_per_month),
        unit=local_name("unit", need.quantity_unit, unit_name(need.quantity_unit)),
        category=need.category.label,
        deadline=format_date(need.deadline),
    )


def invited(need: SourcingNeed, firm_id: int) -> None:
    def subject():
        brand = need.organisation or gettext("A brand")
        return gettext("%(brand)s invites your firm to quote: %(title)s", brand=brand, title=need.title)

    key = f"need:{need.id}:invited:{{firm}}"
    _tell_firms([firm_id], "need_invitation", key, subject, lambda: _summary(need), need_path(need))


def matched(need: SourcingNeed, firm_ids: list[int]) -> None:
    subject = _l("A new sourcing need matches your firm: %(title)s", title=need.title)
    key = f"need:{need.id}:match:{{firm}}"
    _tell_firms(firm_ids, "need_match", key, subject, lambda: _summary(need), need_path(need))


def _shown(name: str, value) -> str:
    """A field's value as a firm reads it."""
    if value in (None, "", []):
        return gettext("anywhere in Pakistan") if name == "delivery_province" else gettext("none")
    if name == "category_slug":
        category = db.session.get(ComponentCategory, value)
        return category.label if category else value
    if name in ("certification_slugs", "process_slugs"):
        model = CertificationType if name == "certification_slugs" else Process
        return ", ".join(item.label for item in (db.session.get(model, slug) for slug in value) if item)
    if name == "features":
        return ", ".join(line.strip() for line in value.splitlines() if line.strip()) or gettext("none")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int):
        return format_number(value)
    return str(value)


def describe_changes(before: dict, after: dict) -> list[str]:
    """One line per changed field firms can see: its label, then before → after."""
    lines = []
    for name, label in CHANGE_LABELS.items():
        if before.get(name) == after.get(name):
            continue
        if name == "description":
            lines.append(gettext("%(label)s: rewritten (read the need for the new text)", label=label))
        else:
            lines.append(f"{label}: {_shown(name, before.get(name))} → {_shown(name, after.get(name))}")
    return lines


def attachment_line(filename: str, added: bool) -> str:
    if added:
        return gettext("Attachment added: %(name)s", name=filename)
    return gettext("Attachment removed: %(name)s", name=filename)


def cancelled_line() -> str:
    return gettext("The brand cancelled this need: no quote on it will be awarded.")


def tell_involved(need: SourcingNeed, firm_ids, changes) -> None:
    """Tell invited and quoting firms what changed in this version of the need (once per version).

    `changes` writes the lines (it runs in each recipient's language); none means nothing to tell.
    """
    if not firm_ids or not changes():
        return

    def body():
        return (
            gettext("The brand changed the need:")
            + "\n"
            + "\n".join(f"- {line}" for line in changes())
            + "\n\n"
            + gettext(
                "Check that your quote still fits before the deadline, %(date)s.", date=format_date(need.deadline)
            )
        )

    _tell_firms(
        firm_ids,
        "need_changed",
        f"need:{need.id}:changed:v{need.version}",
        _l("Sourcing need changed: %(title)s", title=need.title),
        body,
        need_path(need),
    )


def quotes_ready(need: SourcingNeed, count: int) -> None:
    """Tell the brand, once, that the need closed and how many quotes can be opened."""
    notify(
        need.owner,
        "quotes_ready",
        f"need:{need.id}:quotes-ready",
        lambda: ngettext(
            "%(num)d quote can be opened: %(title)s",
            "%(num)d quotes can be opened: %(title)s",
            count,
            title=need.title,
        ),
        _l("The need is closed to quotes. Compare them side by side and award one or more."),
        need_path(need),
    )


def outcome(need: SourcingNeed, firm_id: int, awarded: bool) -> None:
    subject = (
        _l("Your quote was selected: %(title)s", title=need.title)
        if awarded
        else _l("Your quote was not selected: %(title)s", title=need.title)
    )
    body = (
        _l("%(brand)s awarded your firm's quote. They will be in touch about the order.", brand=need.organisation)
        if awarded
        else _l("%(brand)s awarded this need to another offer. Thank you for quoting.", brand=need.organisation)
    )
    _tell_firms([firm_id], "need_awarded", f"need:{need.id}:outcome:{{firm}}", subject, body, need_path(need))
