"""Each role, with Urdu chosen, walks the main pages: right to left, no sideways scrolling on a
desktop or a phone, and no English left in the page's own words (firm-written text aside)."""

import os
import re

import pytest

from tests.conftest import PASSWORD
from tests.factories import make_firm, make_need
from tests.investment.builders import make_opportunity, make_profile

# Words that stay in Latin script in Urdu pages: the trade's terms, codes and the language switch.
LATIN_TERMS = {
    "EDB", "PCB", "SMT", "FPC", "ISO", "IEC", "API", "CSV", "JSON", "USD", "PKR", "EUR", "CNY", "UTC",
    "MOQ", "NTN", "NDA", "HS", "English", "mAh", "CKD", "SKD", "USB", "RoHS", "REACH", "IPC", "PTA",
    "PSQCA", "IATF", "FCC", "UL", "CE", "IECQ", "QC", "UN", "SA8000", "OpenAPI", "PNG", "JPEG", "PDF", "MB",
    "BIS",
    # Commands staff run, named as they are typed.
    "flask", "snapshot-metrics", "load-imports", "cron",
}  # fmt: skip
# What the test's firm, brand and people wrote: theirs, in their own words.
THEIRS = {
    "Lahore Boards (Pvt) Ltd", "Lahore", "Main boards for a feature phone", "Four-layer boards, 20,000 a month.",
    "We make parts for mobile phones on modern lines in Pakistan.", "sales@firm.example.pk", "Test Certification Body",
    "Second LCM line for feature phones",
}  # fmt: skip
WIDTHS = (1280, 390)

ENGLISH_LEFT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, [hidden], .visually-hidden, .d-none, .snippet')) continue;  // a snippet quotes the listing
    if (!parent.getClientRects().length) continue;
    const text = node.textContent.trim();
    if (text) found.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    for (const name of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(name)) found.push(el.getAttribute(name));
  }
  return found;
}"""


def english_words(texts, people) -> list[str]:
    left = []
    for text in texts:
        for own in sorted(THEIRS | people, key=len, reverse=True):
            text = text.replace(own, " ")
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9.\-]*[A-Za-z]", text) if w not in LATIN_TERMS]
        left += [w for w in words if len(w) > 2 and not re.fullmatch(r"[A-Z]{2,}|[A-Z]+-?\d+.*", w)]
    return left


def check(page, path: str, people: set[str], shot: str | None = None) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert page.locator("html").get_attribute("dir") == "rtl", path
        assert page.locator("html").get_attribute("lang") == "ur", path
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        if width == WIDTHS[0]:
            left = english_words(page.evaluate(ENGLISH_LEFT), people)
            assert not left, f"English on {path}: {sorted(set(left))}"
            screens = os.environ.get("PORTAL_SCREENSHOTS")
            if shot and screens:
                page.screenshot(path=os.path.join(screens, f"urdu-{shot}.png"), full_page=True)


@pytest.fixture
def urdu_portal(app, db, users):
    firm = make_firm(
        "Lahore Boards (Pvt) Ltd",
        owner=users["supplier"],
        capabilities=[{"category": "pcba", "capacity": 20000}],
        certificates=[{"type": "iso-9001"}],
    )
    need = make_need(
        users["brand"],
        "pcba",
        title="Main boards for a feature phone",
        description="Four-layer boards, 20,000 a month.",
    )
    # The investor's matches page shows an opportunity with its reasons and misfits in words.
    make_opportunity(firm, categories=("pcba", "display-module"), instruments=("debt",))
    make_profile(users["investor"], categories=("pcba",), provinces=("Sindh",))
    return firm, need


def sign_in(page, user) -> None:
    page.goto("/")
    page.locator("[data-testid=language-switch] button[value=ur]").click()
    page.goto("/account/sign-in")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/(?!account/sign-in).*"))


def test_each_role_walks_its_main_pages_in_urdu(browser, live_server, users, urdu_portal):
    firm, need = urdu_portal
    people = {u.full_name for u in users.values()} | {u.email for u in users.values()}
    people |= {u.organisation for u in users.values()}
    walks = {
        None: [
            ("/", "home"),
            ("/suppliers/?q=PCB", "search-results"),
            (f"/suppliers/{firm.id}-{firm.slug}", "firm-profile"),
        ],
        "supplier": [("/", None), ("/needs/opportunities", None), (f"/firms/{firm.id}/", None)],
        "brand": [("/needs/", None), (f"/needs/{need.id}", "need-matches")],
        "investor": [("/investment/matches", None)],
        "staff": [("/staff/dashboard", "dashboard"), ("/staff/queue", None)],
    }
    for role, pages in walks.items():
        context = browser.new_context(base_url=live_server, locale="en-GB")  # Urdu is chosen, not sent
        context.set_default_timeout(10_000)
        page = context.new_page()
        if role is None:
            page.goto("/")
            page.locator("[data-testid=language-switch] button[value=ur]").click()
        else:
            sign_in(page, users[role])
        for path, shot in pages:
            check(page, path, people, shot)
        if role == "investor":  # the opportunity's reasons and misfits were among the words checked
            assert page.locator("[data-testid=reasons] li").count() and page.locator("[data-testid=misfits] li").count()
        context.close()
