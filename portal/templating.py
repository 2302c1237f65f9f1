"""What every template can use: navigation, role helpers, formatting."""

from datetime import date, datetime

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.accounts.models import Role
from portal.notifications.service import unread_count
from portal.staff.queue import navigation_count


def _navigation() -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the signed-in role; one list so every page agrees."""
    items = [("suppliers.directory_page", _l("Suppliers")), ("suppliers.categories", _l("Categories"))]
    role = current_user.role if current_user.is_authenticated else None
    if role == Role.SUPPLIER:
        items += [("suppliers.my_firm", _l("My firm")), ("needs.opportunities", _l("Opportunities"))]
        items.append(("investment.mine", _l("Investment")))
    if role == Role.BRAND:
        items.append(("needs.index", _l("Sourcing needs")))
    if role in (Role.BRAND, Role.SUPPLIER):
        items.append(("introductions.index", _l("Introductions")))
    if role in (Role.INVESTOR, Role.BRAND):
        items.append(("investment.matches", _l("Investment")))
    if role == Role.STAFF:
        items.append(("staff.queue", _l("Review queue (%(count)s)", count=navigation_count())))
        items += [
            ("staff.firms", _l("Listings")),
            ("compliance.cases", _l("Compliance")),
            ("dashboard.index", _l("Dashboard")),
            ("staff.home", _l("Staff desk")),
        ]
    if role is None:
        items.append(("main.about", _l("About")))  # signed-in users find it in the footer
    return items


def _text_direction() -> str:
    return "rtl" if str(get_locale()).split("_")[0] in current_app.config["RTL_LANGUAGES"] else "ltr"


def _format_date(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return ""


def _format_number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else ""


def _unit_symbol(unit: str | None) -> str:
    """A unit as written after a number ("pcs", "m²"); one still to be chosen says so."""
    from flask_babel import gettext

    from portal.taxonomy.units import symbol

    return gettext("(unit not stated)") if unit is None else symbol(unit)


def register(app: Flask) -> None:
    app.jinja_env.filters["date"] = _format_date
    app.jinja_env.filters["number"] = _format_number
    app.jinja_env.filters["unit"] = _unit_symbol

    @app.context_processor
    def portal_context():
        return {
            "navigation": _navigation(),
            "Role": Role,
            "text_direction": _text_direction(),
            "locale": str(get_locale()),
            "unread_notifications": unread_count(current_user) if current_user.is_authenticated else 0,
        }
