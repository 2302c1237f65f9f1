"""Every role's main pages, on the demo data, at 1,280 px and on a 390 px phone, in English and Urdu:
nothing runs past the screen's edge, axe-core finds no serious or critical violation (WCAG 2.1 AA
and best practice), the staff menu keeps "Sign out" on the bar, and the focus ring stands out.

`PORTAL_SCREENS=/some/folder` also saves a screenshot of each page at each width there.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo.seed import DEMO_PASSWORD, seed_demo
from portal.extensions import db
from portal.investment.models import Opportunity
from portal.needs.models import SourcingNeed
from portal.suppliers.models import Firm
from tests.browser.accessibility import axe_violations, blocking, horizontal_overflow

WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
EMAILS = {role: f"{role}@demo.edb.example" for role in ("supplier", "brand", "investor", "staff")}
SCREENS = os.environ.get("PORTAL_SCREENS")


@pytest.fixture
def demo(app):
    """The demo data and the addresses of the pages each role mainly uses."""
    seed_demo()
    firm = db.session.scalar(select(Firm).where(Firm.legal_name == "Indus Circuitworks (Pvt) Ltd"))
    need = db.session.scalar(select(SourcingNeed).where(SourcingNeed.title == "1,800 mAh Li-ion packs with BMS"))
    awarded = db.session.scalar(select(SourcingNeed).where(SourcingNeed.title.startswith("5 W travel chargers")))
    opportunity = db.session.scalar(select(Opportunity))
    return {
        None: [
            ("home", "/"),
            ("search", "/suppliers/?q=battery"),
            ("profile", f"/suppliers/{firm.id}-{firm.slug}"),
            ("investment", "/investment/"),
            ("localization", "/localization"),
            ("labs", "/labs/iec-62133"),
            ("api-docs", "/api/v1/docs"),
        ],
        "supplier": [
            ("my-firm", f"/firms/{firm.id}/"),
            ("opportunities", "/needs/opportunities"),
            ("introductions", "/introductions/"),
            ("investment", "/investment/mine"),
        ],
        "brand": [
            ("needs", "/needs/"),
            ("need", f"/needs/{need.id}"),
            ("quote-comparison", f"/needs/{awarded.id}/quotes"),
            ("search", "/suppliers/?q=charger"),
        ],
        "investor": [("matches", "/investment/matches"), ("opportunity", f"/investment/{opportunity.id}")],
        "staff": [
            ("queue", "/staff/queue"),
            ("dashboard", "/staff/dashboard"),
            ("listings", "/staff/firms"),
            ("compliance", "/staff/compliance/"),
        ],
    }


def sign_in(page, role, language="en"):
    page.goto("/account/sign-in")
    page.fill("input[name=email]", EMAILS[role])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]:not(.nav-link)")
    expect(page.get_by_test_id("account-link")).to_be_attached()


def _shoot(page, role, name, size, language="en"):
    if SCREENS:
        folder = Path(SCREENS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=folder / f"{role or 'anonymous'}-{name}-{size['width']}{'-ur' if language == 'ur' else ''}.png",
            full_page=True,
        )


def _visit_every_page(browser, live_server, demo, check, language="en"):
    """Call `check(page, role, name, size)` on each role's pages at both widths; returns the problems."""
    problems = []
    for role, pages in demo.items():
        # The demo accounts chose no language: the browser's (Urdu first, for the Urdu pass) decides.
        locale = "ur-PK" if language == "ur" else "en-GB"
        context = browser.new_context(base_url=live_server, locale=locale, viewport=WIDE)
        context.set_default_timeout(15_000)
        page = context.new_page()
        if role:
            sign_in(page, role, language)
        for name, path in pages:
            for size in (WIDE, PHONE):
                page.set_viewport_size(size)
                response = page.goto(path)
                assert response.status == 200, (role, path, response.status)
                problems += [
                    f"{role or 'anonymous'} {name} at {size['width']} px: {p}" for p in check(page, role, name, size)
                ]
        context.close()
    return problems


def _no_overflow_and_no_serious_violation(page, role, name, size):
    found = []
    overflow = horizontal_overflow(page) if size == PHONE else None
    if overflow:
        found.append(
            f"the page is {overflow['wide']} px wide on a {overflow['width']} px screen: {overflow['culprits']}"
        )
    for violation in blocking(axe_violations(page)):
        found.append(f"{violation['impact']} {violation['id']} ({violation['help']}): {violation['nodes']}")
    _shoot(page, role, name, size)
    return found


def test_the_demo_pages_fit_a_phone_pass_axe_and_show_the_focus_and_the_staff_bar(browser, live_server, page, demo):
    """One seeding of the demo data (seconds, and the same pages) for every check below that only reads it."""
    _every_main_page_fits_a_phone_and_passes_axe_at_both_widths(browser, live_server, demo)
    _search_results_come_before_the_folded_filters_on_a_phone(page)
    _the_focus_ring_reaches_three_to_one_on_the_bar_the_page_and_form_fields(page)
    _the_staff_menu_keeps_sign_out_on_the_bar_at_1280(page)  # signs in, so last


def _every_main_page_fits_a_phone_and_passes_axe_at_both_widths(browser, live_server, demo):
    problems = _visit_every_page(browser, live_server, demo, _no_overflow_and_no_serious_violation)
    assert not problems, "\n".join(problems)


def _search_results_come_before_the_folded_filters_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.goto("/suppliers/?q=battery")
    toggle = page.get_by_test_id("filters-toggle")
    first_result = page.get_by_test_id("firm-card").first
    expect(page.get_by_label("Sort by")).to_be_hidden()  # folded
    assert first_result.bounding_box()["y"] < 900, "the first result shows on the first screen"
    toggle.click()
    expect(page.get_by_label("Sort by")).to_be_visible()
    page.set_viewport_size(WIDE)
    page.goto("/suppliers/?q=battery")
    expect(page.get_by_label("Sort by")).to_be_visible()  # beside the results on a wide screen


def _the_staff_menu_keeps_sign_out_on_the_bar_at_1280(page):
    page.set_viewport_size(WIDE)
    sign_in(page, "staff")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()  # on the bar, not folded away
    box, bar = sign_out.bounding_box(), page.locator("nav.portal-navbar").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDE["width"]
    assert bar["height"] < 80, "one line: nothing wrapped under the bar"


FOCUS_CONTRAST = r"""() => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element) => {  // the nearest painted background: a colour, or a gradient's first
    for (let e = element.parentElement; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      const gradient = style.backgroundImage.match(/rgba?\([^)]*\)/);
      if (gradient) return gradient[0];
      if (!style.backgroundColor.startsWith("rgba(0, 0, 0, 0)")) return style.backgroundColor;
    }
    return "rgb(255, 255, 255)";
  };
  const element = document.activeElement, style = getComputedStyle(element);
  const [a, b] = [luminance(style.outlineColor), luminance(background(element))];
  return {tag: element.tagName, width: parseFloat(style.outlineWidth), style: style.outlineStyle,
          contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
}"""


def _the_focus_ring_reaches_three_to_one_on_the_bar_the_page_and_form_fields(page):
    page.set_viewport_size(WIDE)
    page.goto("/")
    rings = []
    for _ in range(12):  # the skip link, the dark bar's links, the banner's search field and button
        page.keyboard.press("Tab")
        rings.append(page.evaluate(FOCUS_CONTRAST))
    page.goto("/account/sign-in")
    page.get_by_label("E-mail").focus()
    rings.append(page.evaluate(FOCUS_CONTRAST))
    weak = [ring for ring in rings if ring["style"] == "none" or ring["width"] < 2 or ring["contrast"] < 3]
    assert not weak, weak
