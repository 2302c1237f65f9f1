"""What a visitor finds without signing in, and the markup small screens and keyboards rely on."""

import html
import re

from tests.factories import make_firm


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def menu(page: str) -> str:
    return page.split('id="main-nav"')[1].split("</div>")[0]


def test_visitors_find_investment_and_localization_in_the_menu(client, login):
    links = menu(text(client.get("/")))
    assert 'href="/investment/"' in links and 'href="/localization"' in links
    login("brand")
    assert 'href="/localization"' not in menu(text(client.get("/"))), "signed in: in the footer"


def test_the_home_page_searches_the_directory(client):
    page = text(client.get("/"))
    form = page.split('data-testid="home-search"')[1].split("</form>")[0]
    assert 'action="/suppliers/"' in page.split('data-testid="home-search"')[0].rsplit("<form", 1)[1]
    assert 'name="q"' in form and '<label class="form-label fw-semibold" for="home-q">Search suppliers</label>' in form


def test_the_api_docs_show_code_as_code_not_backticks(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "<code>Authorization: Bearer TOKEN</code>" in page
    assert "`" not in re.sub(r"<pre.*?</pre>", "", page, flags=re.S)
    assert '<pre class="bg-body-tertiary p-2 small mb-0 text-wrap text-break"><code>curl' in page


def test_wide_tables_scroll_in_a_labelled_region_the_keyboard_reaches(client, login):
    page = text(client.get("/localization"))
    assert re.search(r'<div class="table-responsive table-scroll" tabindex="0" role="region" aria-label="[^"]+">', page)
    login("staff")
    regions = re.findall(r'class="table-responsive table-scroll" tabindex="0" role="region" aria-label="([^"]+)"',
                         text(client.get("/staff/dashboard")))  # fmt: skip
    assert len(regions) >= 5 and all(label.strip() for label in regions)


def test_directory_filters_fold_into_a_panel_and_cards_are_second_level_headings(client, app):
    make_firm("Ravi Cells (Pvt) Ltd", capabilities=[{"category": "battery"}])
    page = text(client.get("/suppliers/"))
    assert '<details class="filters-panel" data-open-from="992">' in page
    assert page.index('data-testid="filters-toggle"') < page.index('<label class="form-label fw-semibold" for="sort">')
    assert re.search(r'<h2 class="h5 mb-1"><a href="/suppliers/\d+-ravi-cells-pvt-ltd">Ravi Cells', page)
    assert "capability-badge" in page
    filtered = text(client.get("/suppliers/?province=Punjab&category=battery"))
    assert '<details class="filters-panel" data-open-from="992" open>' in filtered
    assert "Filters and sorting (2)" in filtered
