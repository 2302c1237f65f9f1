"""Every POST form, found by crawling the pages each role can open, survives hostile input.

For each role the crawl opens every GET route of the URL map (arguments from the world fixture;
once more with HOSTILE_QUERY, numbers beyond 64 bits and dates at the calendar's ends),
reads each `<form method="post">` with the standard library's HTML parser, and posts values that
Hypothesis draws for its fields: unicode and control characters, huge strings, numbers out of
range, impossible dates, unknown choices, odd files, missing fields, always with the page's CSRF
token (CSRF checks are on). The portal must answer with a page, a redirect or a refusal: never 500.
Each form is also sent once without its CSRF token, which must be refused with 400.

Bounded by FUZZ_EXAMPLES per form (default 10; examples are derandomized so CI is repeatable; set
FUZZ_RANDOM=1 to explore new inputs locally).
"""

import io
import os
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.extensions import db
from portal.timeutil import today
from tests.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES
from tests.reliability.routes import url_for_rule

ROLES = ("anonymous", "supplier", "brand", "investor", "staff")
# 429: the sign-in form pauses an account or address after repeated failures, as it must.
ACCEPTED = {200, 301, 302, 303, 400, 403, 404, 409, 413, 422, 429}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
# Pages that are not HTML forms (files, CSV, JSON) and the form that ends the session being fuzzed.
SKIPPED_ENDPOINTS = {"static", "accounts.sign_out"}
SKIPPED_PREFIXES = ("api.",)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t",
    "\u202e\u200b\ufeff",
    "0",
    "-1",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "9" * 40,
    "-" + "9" * 40,
    "3.5",
    "1,000",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/12/2026",
    "<script>alert(1)</script>",
    "'; DROP TABLE firm; --",
    "%s%n{0}{{7*7}}",
    "../../etc/passwd",
    "ٹیسٹ فرم",
    "😀" * 30,
    "x" * 70_000,
]
# Every query parameter a page reads, with numbers beyond 64 bits and dates at the calendar's ends:
# each page must read them as absent (or answer 404), never overflow a column, an OFFSET or a date.
HOSTILE_QUERY = urlencode(
    {
        **dict.fromkeys(("page", "firm", "firm_id", "need_id", "other", "per_page", "min_capacity"), "9" * 20),
        "user": str(2**63),
        "from": "0001-01-01",
        "to": "9999-12-31",
    }
)
text_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=300, max_size=3000),
)
number_values = st.one_of(
    st.integers(-(10**22), 10**22).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    text_values,
)
date_values = st.one_of(st.dates().map(lambda d: d.isoformat()), text_values)
file_values = st.tuples(
    st.one_of(
        st.sampled_from([PDF_BYTES, PNG_BYTES, JPEG_BYTES, b"", b"%PDF-", b"<html><script>x</script></html>"]),
        st.binary(max_size=300),
    ),
    st.one_of(st.sampled_from(["file.pdf", "", "../../x.png", "a" * 400 + ".pdf", "évidence.jpg"]), st.text()),
)


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    current: list[str] = field(default_factory=list)  # what a browser would send unchanged
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return urlsplit(self.action).path, tuple(sorted(self.fields))


class FormParser(HTMLParser):
    """The POST forms of a page and their fields, with the values the page filled in."""

    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self.form, self.select, self.textarea = page, [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self.form = Form(self.page, urljoin(self.page, attrs.get("action") or self.page))
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select.options.append(value)
            if "selected" in attrs:
                self.select.current.append(value)
        elif tag in ("input", "select", "textarea", "button") and name:
            kind = tag if tag != "input" else (attrs.get("type") or "text").lower()
            item = self.form.fields.setdefault(name, Field(name, kind, multiple="multiple" in attrs))
            if kind in ("checkbox", "radio"):
                item.options.append(attrs.get("value", "y"))
                item.multiple = item.multiple or kind == "checkbox"
                if "checked" in attrs:
                    item.current.append(attrs.get("value", "y"))
            elif kind not in ("select", "textarea", "file"):
                item.current = [attrs.get("value", "")]
            self.select = item if tag == "select" else self.select
            self.textarea = item if tag == "textarea" else None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.current = [(self.textarea.current or [""])[0] + data]

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            if self.select is not None and not self.select.current and self.select.options and not self.select.multiple:
                self.select.current = self.select.options[:1]
            self.select = None
        elif tag == "textarea":
            # A browser drops the newline that opens a textarea's content (WTForms writes one).
            current = self.textarea.current if self.textarea is not None else []
            if current and current[0].startswith(("\r\n", "\n")):
                current[0] = current[0].removeprefix("\r").removeprefix("\n")
            self.textarea = None


def is_csrf(item: Field) -> bool:
    return item.name == "csrf_token" or item.name.endswith("-csrf_token")


def hostile(item: Field):
    """Values a browser would not send for this field."""
    if item.kind == "file":
        return file_values
    if item.kind in ("select", "checkbox", "radio") and item.options:
        choice = st.one_of(st.sampled_from(item.options), text_values)
        return st.lists(choice, max_size=4) if item.multiple else choice
    if item.kind in ("number", "range", "hidden"):
        return number_values
    if item.kind in ("date", "datetime-local", "month"):
        return date_values
    return text_values


SOON, LATER = (today() + timedelta(days=30)).isoformat(), (today() + timedelta(days=400)).isoformat()
# What a person would type into an empty field of these names, so a new-item form gets past its
# other checks and the hostile field reaches the code behind it.
PLAUSIBLE = {
    "title": "Li-ion packs for a feature phone",
    "name": "Line two",
    "full_name": "Sana Qureshi",
    "organisation": "Qureshi Components",
    "legal_name": "Fuzz Works (Pvt) Ltd",
    "firm_name": "Fuzz Works (Pvt) Ltd",
    "city": "Lahore",
    "firm_city": "Lahore",
    "email": "new.person@example.com",
    "password": "correct horse battery staple 2026",
    "confirm": "correct horse battery staple 2026",
    "current_password": "correct horse battery staple",
    "description": "Moulded housings for feature phones.",
    "summary": "The certificate number does not exist.",
    "text": "Visited the plant.",
    "quantity_per_month": "20000",
    "monthly_capacity": "10000",
    "number": "ISO-2026-1",
    "issuing_body": "Test Certification Body",
    "issue_date": "2025-01-15",
    "expiry_date": LATER,
    "deadline": SOON,
    "since": "2025-01-01",
    "until": LATER,
    "reason": "Expired certificate.",
    "caption": "SMT line",
    "message": "We make feature phones and would like to talk.",
    "position": "Managing director",
    "use_of_funds": "A second SMT line for feature-phone boards.",
    "amount_min": "1000000",
    "amount_max": "2000000",
    "ticket_min": "1000000",
    "ticket_max": "5000000",
    "amount": "1500000",
    "unit_price": "2.40",
    "min_order_quantity": "5000",
    "lead_time_days": "30",
    "valid_until": LATER,
}


def unchanged(item: Field):
    if item.kind == "file":
        return (io.BytesIO(b""), "")
    if item.multiple:
        return item.current
    value = item.current[0] if item.current else ""
    if not value and item.kind in ("select", "radio"):
        return next((option for option in item.options if option), "")
    return value or PLAUSIBLE.get(item.name.rpartition("-")[2], "")


def form_values(draw, form: Form) -> dict:
    """Usually the page's own values with one field made hostile or left out (so the form gets past
    its other checks); sometimes every field hostile at once."""
    names = [name for name, item in form.fields.items() if not is_csrf(item)]
    every = draw(st.integers(0, 3)) == 0 or not names
    focus = None if every else draw(st.sampled_from(names))
    values = {}
    for name, item in form.fields.items():
        if is_csrf(item) or (not every and name != focus):
            values[name] = unchanged(item)
        elif draw(st.integers(0, 5)) == 0:
            continue  # a missing field
        else:
            value = draw(hostile(item))
            values[name] = (io.BytesIO(value[0]), value[1]) if item.kind == "file" else value
    return values


def crawl(app, client, world) -> list[Form]:
    """Every distinct POST form on the GET pages this client can open."""
    forms: dict[tuple, Form] = {}
    urls = [
        url_for_rule(rule, world)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint not in SKIPPED_ENDPOINTS
        and not rule.endpoint.startswith(SKIPPED_PREFIXES)
    ]
    for url in [*urls, *world.more_pages]:
        hostile_url = url + ("&" if "?" in url else "?") + HOSTILE_QUERY
        assert client.get(hostile_url).status_code != 500, f"GET {hostile_url} answered 500"
        response = client.get(url)
        assert response.status_code != 500, f"GET {url} answered 500"
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = FormParser("http://localhost" + url)
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            if urlsplit(form.action).path == "/account/sign-out":
                continue
            forms.setdefault(form.key, form)
    # Buttons that delete or revoke go last, so the forms of what they remove are fuzzed first.
    return sorted(forms.values(), key=lambda form: len(form.fields) <= 2)


@pytest.fixture
def csrf_checked(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("role", ROLES)
def test_no_form_answers_500_to_hostile_input(app, world, csrf_checked, role):
    client = app.test_client()

    def sign_in():
        if role != "anonymous":
            user = getattr(world.cast, role)
            db.session.refresh(user)  # a fuzzed password change gives the session a new id
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True

    sign_in()
    forms = crawl(app, client, world)
    assert forms, f"no POST form found for {role}"
    failures = []
    for form in forms:
        path = form.action.removeprefix("http://localhost")
        sign_in()
        untokened = {name: unchanged(item) for name, item in form.fields.items() if not is_csrf(item)}
        status = client.post(path, data=untokened, content_type="multipart/form-data").status_code
        if status != 400:
            failures.append(f"{form.page}: POST {path} without its CSRF token answered {status}, not 400")
        try:
            fuzz(form, client, sign_in)
        except AssertionError as error:
            failures.append(f"{form.page}: {str(error).splitlines()[0]}")
    assert not failures, "\n".join(failures)


def fuzz(form: Form, client, sign_in) -> None:
    """Post Hypothesis-drawn values to one form; AssertionError (after shrinking) on a status not accepted."""
    path = form.action.removeprefix("http://localhost")

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("FUZZ_RANDOM"),
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def post(data):
        sign_in()
        response = client.post(path, data=form_values(data.draw, form), content_type="multipart/form-data")
        assert response.status_code in ACCEPTED, f"POST {path} answered {response.status_code}"

    post()
