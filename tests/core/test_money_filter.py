"""Money on pages as the reader's language writes it: the `money` filter (Babel), its currency
sign by language, figures kept left to right inside Urdu text, and Urdu digits when chosen."""

from decimal import Decimal

import pytest
from flask_babel import force_locale

ISOLATED = "\u2068{}\u2069"


def shown(app, language: str, template: str, **values) -> str:
    with app.test_request_context(), force_locale(language):
        return app.jinja_env.from_string(template).render(**values)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "$2,500,000 | PKR1,500 | $1,250.50 | "),
        ("ur", " | ".join(ISOLATED.format(t) for t in ("$2,500,000", "Rs1,500", "$1,250.50")) + " | "),
    ],
    ids=["english", "urdu"],
)
def test_money_is_written_with_the_currency_sign_of_the_readers_language(app, language, expected):
    template = "{{ 2500000|money('USD') }} | {{ 1500|money('PKR') }} | {{ cost|money('USD') }} | {{ none|money }}"
    assert shown(app, language, template, cost=Decimal("1250.50")) == expected


def test_urdu_digits_when_the_portal_is_set_to_them(app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_DIGITS", "urdu")
    assert shown(app, "ur", "{{ 1500|money('PKR') }}") == ISOLATED.format("Rs۱,۵۰۰")
    assert shown(app, "en", "{{ 1500|money('PKR') }}") == "PKR1,500"
