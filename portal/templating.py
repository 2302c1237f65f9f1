"""What every template can use: navigation, role helpers, formatting."""

import re
from functools import partial

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape

from portal.accounts.models import Role
from portal.formatting import format_amount, format_datetime, format_money, format_number
from portal.i18n import translated
from portal.notifications.service import unread_count
from portal.staff.queue import navigation_count
from portal.suppliers.labs import is_lab_tested
from portal.taxonomy import names


def _navigation() -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the signed-in role; one list so every page agrees."""
    items = [("suppliers.directory_page", _l("Suppliers")), ("suppliers.categories", _l("Categories"))]
    role = current_user.role if current_user.is_authenticated else None
    if role == Role.SUPPLIER:
        items += [("suppliers.my_firm", _l("My firm")), ("needs.opportunities", _l("Opportunities"))]
        items.append(("investment.mine", _l("Investment")))
    if role == Role.BRAND:
        items += [
            ("needs.index", _l("Sourcing needs")),
            ("shortlists.index", _l("Shortlists")),
            ("bom.index", _l("BOM plans")),
        ]
    if role in (Role.BRAND, Role.SUPPLIER):
        items.append(("introductions.index", _l("Introductions")))
    if role in (Role.INVESTOR, Role.BRAND):
        items.append(("investment.matches", _l("Investment")))
    if role == Role.INVESTOR:
        items.append(("bom.priorities", _l("Where investment matters")))
    if role == Role.STAFF:
        items.append(("staff.queue", _l("Review queue (%(count)s)", count=navigation_count())))
        items += [
            ("staff.firms", _l("Listings")),
            ("compliance.cases", _l("Compliance")),
            ("dashboard.index", _l("Dashboard")),
            ("staff.home", _l("Staff desk")),
        ]
    if role is None:
        # Visitors see what the portal offers besides the directory; signed-in users find
        # About and Localization in the footer.
        items += [
            ("investment.index", _l("Investment")),
            ("dashboard.summary", _l("Localization")),
            ("main.about", _l("About")),
        ]
    return items


def _here() -> str:
    """This page's path and query, for forms that bring their user back to it."""
    if not has_request_context():
        return ""
    # A form shown again after a POST (with its messages) is found at the same path by GET.
    return request.full_path.rstrip("?") if request.method == "GET" else request.path


def _text_direction() -> str:
    return "rtl" if str(get_locale()).split("_")[0] in current_app.config["RTL_LANGUAGES"] else "ltr"


CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text) -> Markup:
    """Text whose `backticked` parts are code (the API's descriptions): escaped, each part in <code>."""
    return Markup(CODE_SPAN.sub(lambda found: f"<code>{found[1]}</code>", str(escape(text or ""))))


# The catalogue a rendering speaks, put in its context when it starts (see `_page_gettext`).
CATALOGUE = "_page_catalogue"


def _catalogue(context):
    """Flask-Babel finds the catalogue anew for every message through several context look-ups
    (some 30 µs), and a page says dozens; a rendering finds it once. Macros imported without
    context have no rendering's variables and find it the long way."""
    return context.get(CATALOGUE) or get_translations()


@pass_context
def _page_gettext(context, message: str, **variables):
    """`_()` and `gettext()` in templates, as Jinja's own: escaped values, always a format string."""
    text = _catalogue(context).ugettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@pass_context
def _page_ngettext(context, singular: str, plural: str, number: int) -> str:
    return _catalogue(context).ungettext(singular, plural, number)


def register(app: Flask) -> None:
    # Jinja's own wrapper stays for plurals (it fills `num`); `_()` and `gettext()`, said dozens of
    # times a page, are one call that does the wrapper's escaping and formatting itself.
    app.jinja_env.install_gettext_callables(gettext=_page_gettext, ngettext=_page_ngettext, newstyle=True)
    app.jinja_env.globals.update({"_": _page_gettext, "gettext": _page_gettext})
    app.jinja_env.filters["date"] = format_datetime
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["amount"] = format_amount
    app.jinja_env.filters["translated"] = translated
    app.jinja_env.filters["code_spans"] = code_spans
    app.jinja_env.filters["province"] = names.province_name
    app.jinja_env.filters["unit"] = names.unit_symbol
    app.jinja_env.filters["phase_name"] = lambda english, number: names.phase_name(number, english)
    app.jinja_env.filters["country"] = names.country_name
    app.jinja_env.filters["category_name"] = partial(names.name_from_english, "category")
    app.jinja_env.filters["process_name"] = partial(names.name_from_english, "process")
    app.jinja_env.filters["certification_name"] = partial(names.name_from_english, "certification")
    # `certification is lab_tested`: a laboratory's tests lead to it (not an audit): labs are offered.
    app.jinja_env.tests["lab_tested"] = lambda certification: (
        certification is not None and is_lab_tested(certification.slug)
    )
    # `value|local_label("province")`: the filter of that name, or the value as it is.
    app.jinja_env.filters["local_label"] = lambda value, kind: app.jinja_env.filters[kind](value) if kind else value

    @app.context_processor
    def portal_context():
        return {
            CATALOGUE: get_translations(),
            "navigation": _navigation(),
            "Role": Role,
            "text_direction": _text_direction(),
            "locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "here": _here(),
            "unread_notifications": unread_count(current_user) if current_user.is_authenticated else 0,
        }
