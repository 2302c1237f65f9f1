"""The public directory, firm profiles and component-category pages, as visitors see them."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest

from portal.accounts.models import Role
from portal.suppliers.models import FirmMember, ListingStatus, MemberRole, ReviewStatus
from portal.taxonomy.models import CertificationType
from portal.timeutil import utcnow
from tests.factories import make_capability, make_certificate, make_firm, make_user

CARD = re.compile(r'data-testid="firm-card">(.*?)</article>', re.S)
CARD_NAME = re.compile(r'<h[23] class="h5 mb-1"><a href="[^"]*">([^<]*)</a>')


def cards(response) -> list[str]:
    """The firm cards on a results page, in the order shown."""
    assert response.status_code == 200
    return CARD.findall(response.get_data(as_text=True))


def names(response) -> list[str]:
    """The firm names on a results page, in the order shown."""
    return [CARD_NAME.search(card).group(1) for card in cards(response)]


def result_count(response) -> str:
    match = re.search(r'data-testid="result-count">([^<]*)<', response.get_data(as_text=True))
    return match.group(1).strip()


# --- who is listed ---------------------------------------------------------------------------------


def test_only_verified_unsuspended_firms_are_in_the_directory(client, app):
    make_firm("Public Parts (Pvt) Ltd", capabilities=[{}])
    make_firm("Draft Parts (Pvt) Ltd", status=ListingStatus.DRAFT, capabilities=[{}])
    make_firm("Submitted Parts (Pvt) Ltd", status=ListingStatus.SUBMITTED, capabilities=[{}])
    make_firm("Changes Parts (Pvt) Ltd", status=ListingStatus.CHANGES_REQUESTED, capabilities=[{}])
    make_firm("Rejected Parts (Pvt) Ltd", status=ListingStatus.REJECTED, capabilities=[{}])
    make_firm("Suspended Parts (Pvt) Ltd", suspended=True, capabilities=[{}])

    response = client.get("/suppliers/")

    assert names(response) == ["Public Parts (Pvt) Ltd"]
    body = response.get_data(as_text=True)
    for hidden in ("Draft", "Submitted", "Changes", "Rejected", "Suspended"):
        assert f"{hidden} Parts" not in body


def test_suspended_firm_is_not_in_the_directory_even_when_filtered_for(client, app):
    make_firm("Suspended Boards (Pvt) Ltd", suspended=True, capabilities=[{"category": "pcba"}])

    response = client.get("/suppliers/?category=pcba&province=Punjab")

    assert names(response) == []
    assert "No verified firm matches" in response.get_data(as_text=True)


def test_firm_cards_show_only_verified_capabilities(client, db):
    firm = make_firm("Mixed Lines (Pvt) Ltd")
    make_capability(firm, "pcba", capacity=12_345)
    make_capability(firm, "battery", capacity=77_777, review=ReviewStatus.PENDING)
    make_capability(firm, "charger", capacity=66_666, review=ReviewStatus.REJECTED)
    db.session.commit()

    [card] = cards(client.get("/suppliers/"))

    assert "PCB assembly (SMT and through-hole) · 12,345 boards" in card
    assert "Lithium-ion cells" not in card and "77,777" not in card
    assert "Chargers and power adapters" not in card and "66,666" not in card


def test_firm_cards_list_only_valid_certificates(client, app):
    make_firm(
        "Certified Lines (Pvt) Ltd",
        certificates=[
            {"type": "iso-9001"},
            {"type": "iso-14001", "days_valid": -1},
            {"type": "rohs", "review": ReviewStatus.PENDING},
        ],
    )

    [card] = cards(client.get("/suppliers/"))

    assert "Valid certificates: ISO 9001" in card
    assert "ISO 14001" not in card
    assert "RoHS" not in card


# --- filters ---------------------------------------------------------------------------------------


def test_category_filter_shows_firms_with_a_verified_capability_in_that_category(client, app):
    make_firm("Board Makers (Pvt) Ltd", capabilities=[{"category": "pcba"}])
    make_firm("Battery Makers (Pvt) Ltd", capabilities=[{"category": "battery"}])
    make_firm("Pending Batteries (Pvt) Ltd", capabilities=[{"category": "battery", "review": ReviewStatus.PENDING}])

    assert names(client.get("/suppliers/?category=battery")) == ["Battery Makers (Pvt) Ltd"]
    assert names(client.get("/suppliers/?category=pcba")) == ["Board Makers (Pvt) Ltd"]


def test_province_filter(client, app):
    make_firm("Lahore Boards (Pvt) Ltd", city="Lahore", province="Punjab")
    make_firm("Karachi Boards (Pvt) Ltd", city="Karachi", province="Sindh")

    assert names(client.get("/suppliers/?province=Sindh")) == ["Karachi Boards (Pvt) Ltd"]
    assert names(client.get("/suppliers/?province=Punjab")) == ["Lahore Boards (Pvt) Ltd"]


@pytest.mark.parametrize(
    ("certificate", "listed"),
    [
        ({"days_valid": 200}, True),
        ({"days_valid": 1}, True),
        ({"days_valid": 0}, False),  # expires today: no longer valid
        ({"days_valid": -30}, False),
        ({"days_valid": 200, "review": ReviewStatus.PENDING}, False),
        ({"days_valid": 200, "review": ReviewStatus.REJECTED}, False),
    ],
    ids=["valid", "last-day", "expires-today", "expired", "pending", "rejected"],
)
def test_certification_filter_needs_a_verified_unexpired_certificate(client, app, certificate, listed):
    make_firm("Certificate Holder (Pvt) Ltd", certificates=[{"type": "iso-9001", **certificate}])

    shown = names(client.get("/suppliers/?certification=iso-9001"))

    assert shown == (["Certificate Holder (Pvt) Ltd"] if listed else [])


def test_certification_filter_does_not_accept_another_type(client, app):
    make_firm("Quality Only (Pvt) Ltd", certificates=[{"type": "iso-9001"}])

    assert names(client.get("/suppliers/?certification=iso-14001")) == []


@pytest.mark.parametrize("value", ["10000", "10,000", " 10,000 "])
def test_min_capacity_filter_accepts_plain_and_comma_numbers(client, app, value):
    make_firm("Big Line (Pvt) Ltd", capabilities=[{"capacity": 10_000}])
    make_firm("Small Line (Pvt) Ltd", capabilities=[{"capacity": 9_999}])

    assert names(client.get("/suppliers/", query_string={"min_capacity": value})) == ["Big Line (Pvt) Ltd"]


def test_min_capacity_filter_ignores_unverified_capacity(client, db):
    firm = make_firm("Claims Much (Pvt) Ltd", capabilities=[{"category": "pcba", "capacity": 500}])
    make_capability(firm, "battery", capacity=1_000_000, review=ReviewStatus.PENDING)
    db.session.commit()

    assert names(client.get("/suppliers/?min_capacity=100000")) == []


def test_min_capacity_filter_uses_verified_values_not_a_pending_edit(client, db):
    firm = make_firm("Edits Pending (Pvt) Ltd")
    capability = make_capability(firm, "pcba", capacity=1_000)
    capability.proposed = {"category_slug": "pcba", "process_slugs": [], "monthly_capacity": 500_000}
    db.session.commit()

    assert names(client.get("/suppliers/?min_capacity=100000")) == []
    assert "1,000 boards" in cards(client.get("/suppliers/"))[0]


def test_combined_filters_must_all_hold(client, app):
    make_firm(
        "All Four (Pvt) Ltd",
        province="Sindh",
        city="Karachi",
        capabilities=[{"category": "pcba", "capacity": 50_000}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm(
        "Wrong Province (Pvt) Ltd",
        province="Punjab",
        capabilities=[{"category": "pcba", "capacity": 50_000}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm(
        "No Certificate (Pvt) Ltd",
        province="Sindh",
        city="Karachi",
        capabilities=[{"category": "pcba", "capacity": 50_000}],
    )
    make_firm(
        "Too Small (Pvt) Ltd",
        province="Sindh",
        city="Karachi",
        capabilities=[{"category": "pcba", "capacity": 5_000}],
        certificates=[{"type": "iso-9001"}],
    )
    # Enough capacity, but in another category than the one asked for.
    make_firm(
        "Capacity Elsewhere (Pvt) Ltd",
        province="Sindh",
        city="Karachi",
        capabilities=[{"category": "pcba", "capacity": 5_000}, {"category": "battery", "capacity": 90_000}],
        certificates=[{"type": "iso-9001"}],
    )

    response = client.get("/suppliers/?category=pcba&province=Sindh&certification=iso-9001&min_capacity=10%2C000")

    assert names(response) == ["All Four (Pvt) Ltd"]
    assert result_count(response) == "1 verified firm"


def test_unknown_filter_values_are_ignored(client, app):
    make_firm("Alpha Parts (Pvt) Ltd")
    make_firm("Beta Parts (Pvt) Ltd")

    response = client.get(
        "/suppliers/?category=nope&page=abc&min_capacity=-5&province=Mars&certification=nope&sort=bogus"
    )

    assert names(response) == ["Alpha Parts (Pvt) Ltd", "Beta Parts (Pvt) Ltd"]
    assert result_count(response) == "2 verified firms"


@pytest.mark.parametrize(
    ("page", "shown"),
    [("0", ["Alpha Parts (Pvt) Ltd"]), ("-1", ["Alpha Parts (Pvt) Ltd"]), ("1.5", ["Alpha Parts (Pvt) Ltd"]),
     ("99999999999999", ["Alpha Parts (Pvt) Ltd"]), ("999", [])],
    ids=["zero", "negative", "fraction", "huge", "past-the-end"],
)  # fmt: skip
def test_odd_page_numbers_do_not_error(client, app, page, shown):
    """A page number that is not one shows the first page; one past the end an empty page that
    still counts every firm found."""
    make_firm("Alpha Parts (Pvt) Ltd")

    response = client.get(f"/suppliers/?page={page}")

    assert response.status_code == 200
    assert (names(response), result_count(response)) == (shown, "1 verified firm")


# --- ordering, pagination, count -------------------------------------------------------------------


def test_default_order_is_by_name(client, app):
    for name in ("Gamma Cables (Pvt) Ltd", "Alpha Boards (Pvt) Ltd", "Beta Housings (Pvt) Ltd"):
        make_firm(name)

    expected = ["Alpha Boards (Pvt) Ltd", "Beta Housings (Pvt) Ltd", "Gamma Cables (Pvt) Ltd"]
    assert names(client.get("/suppliers/")) == expected
    assert names(client.get("/suppliers/?sort=name")) == expected


def test_name_order_ignores_letter_case(client, app):
    for name in ("Zeta Mobiles (Pvt) Ltd", "iTech Parts (Pvt) Ltd", "Apex Boards (Pvt) Ltd"):
        make_firm(name)

    assert names(client.get("/suppliers/?sort=name")) == [
        "Apex Boards (Pvt) Ltd",
        "iTech Parts (Pvt) Ltd",
        "Zeta Mobiles (Pvt) Ltd",
    ]


def test_recent_order_shows_the_latest_verified_first(client, app, db):
    now = utcnow()
    for name, days_ago in (("Old Hand (Pvt) Ltd", 300), ("Newcomer (Pvt) Ltd", 1), ("Middle Way (Pvt) Ltd", 30)):
        firm = make_firm(name)
        firm.verified_at = now - timedelta(days=days_ago)
    db.session.commit()

    assert names(client.get("/suppliers/?sort=recent")) == [
        "Newcomer (Pvt) Ltd",
        "Middle Way (Pvt) Ltd",
        "Old Hand (Pvt) Ltd",
    ]


def test_directory_shows_20_firms_a_page(client, app):
    for number in range(1, 26):
        make_firm(f"Firm {number:02d} (Pvt) Ltd")

    first = client.get("/suppliers/")
    second = client.get("/suppliers/?page=2")

    assert names(first) == [f"Firm {n:02d} (Pvt) Ltd" for n in range(1, 21)]
    assert names(second) == [f"Firm {n:02d} (Pvt) Ltd" for n in range(21, 26)]
    assert result_count(first) == result_count(second) == "25 verified firms"
    assert names(client.get("/suppliers/?page=3")) == []


def test_page_links_keep_the_filters(client, app):
    for number in range(1, 23):
        make_firm(f"Firm {number:02d} (Pvt) Ltd", province="Sindh", city="Karachi")

    body = client.get("/suppliers/?province=Sindh&sort=name").get_data(as_text=True)

    link = re.search(r'<a class="page-link" href="([^"]*page=2[^"]*)"', body).group(1)
    assert "province=Sindh" in link and "sort=name" in link
    assert len(names(client.get(link.replace("&amp;", "&")))) == 2


def facet_links(response, name: str) -> dict[str, tuple[str, bool]]:
    """A facet's links on a results page: value -> (address, whether the filter is on)."""
    body = response.get_data(as_text=True)
    found = {}
    for href, current, value in re.findall(
        r'<a (?:class="fw-semibold" )?href="([^"]*)"( aria-current="true")?>[^<]*</a>\s*'
        rf'<span class="text-body-secondary" data-testid="facet-{name}-([^"]*)">',
        body,
    ):
        found[value] = (href.replace("&amp;", "&"), bool(current))
    return found


def test_facet_links_add_a_filter_and_the_chosen_one_takes_it_off(client, app):
    make_firm("Lahore Boards (Pvt) Ltd", capabilities=[{"category": "pcba"}, {"category": "battery"}])
    make_firm("Karachi Boards (Pvt) Ltd", province="Sindh", city="Karachi", capabilities=[{"category": "pcba"}])

    links = facet_links(client.get("/suppliers/?q=boards&page=2"), "province")
    assert links == {
        "Punjab": ("/suppliers/?q=boards&province=Punjab", False),
        "Sindh": ("/suppliers/?q=boards&province=Sindh", False),
    }
    filtered = client.get(links["Sindh"][0])
    assert names(filtered) == ["Karachi Boards (Pvt) Ltd"]
    assert facet_links(filtered, "province") == {"Sindh": ("/suppliers/?q=boards", True)}
    assert facet_links(filtered, "category")["pcba"] == ("/suppliers/?q=boards&province=Sindh&category=pcba", False)
    assert facet_links(client.get("/suppliers/?province=Sindh"), "province") == {"Sindh": ("/suppliers/", True)}


@pytest.mark.parametrize(("count", "text"), [(0, "0 verified firms"), (1, "1 verified firm"), (3, "3 verified firms")])
def test_result_count_text(client, app, count, text):
    for _ in range(count):
        make_firm()
    make_firm(status=ListingStatus.DRAFT)

    assert result_count(client.get("/suppliers/")) == text


def test_result_count_counts_only_matching_firms(client, app):
    make_firm(capabilities=[{"category": "pcba"}])
    make_firm(capabilities=[{"category": "pcba"}])
    make_firm(capabilities=[{"category": "battery"}])

    assert result_count(client.get("/suppliers/?category=pcba")) == "2 verified firms"


# --- profile ---------------------------------------------------------------------------------------


@pytest.fixture
def other_supplier(app):
    return make_user(Role.SUPPLIER, email="other-supplier@example.com")


def test_public_profile_is_visible_to_anonymous_visitors(client, app):
    firm = make_firm("Apex Boards (Pvt) Ltd", capabilities=[{"category": "pcba", "capacity": 25_000}])

    response = client.get(f"/suppliers/{firm.id}-{firm.slug}")

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Apex Boards (Pvt) Ltd" in body
    assert "25,000 boards" in body
    assert "Preview: this listing is not public yet." not in body


def test_a_profile_shows_verified_lines_only_with_their_processes_tests_and_certificates(client, db):
    firm = make_firm("Apex Boards (Pvt) Ltd")
    make_capability(firm, "pcba", capacity=25_000, processes=["tht", "smt"], is_main_line=True, lead_time_days=21)
    lab = make_capability(firm, "testing-lab", capacity=40)
    lab.tests_for = [db.session.get(CertificationType, slug) for slug in ("un-38-3", "iec-62133")]
    make_capability(firm, "battery", capacity=9_000, review=ReviewStatus.PENDING)
    make_certificate(firm, "iso-9001", days_valid=30)
    make_certificate(firm, "iatf-16949", review=ReviewStatus.REJECTED)
    db.session.commit()

    english = client.get(f"/suppliers/{firm.id}-{firm.slug}", headers={"Accept-Language": "en"}).text
    urdu = client.get(f"/suppliers/{firm.id}-{firm.slug}", headers={"Accept-Language": "ur"}).text

    lines = re.findall(r'<h3 class="h6"><a href="/categories/([a-z-]+)"', english)
    assert lines == ["pcba", "testing-lab"]  # in the order added; the unchecked battery line is not shown
    assert "25,000 boards" in english and "21 days" in english and "Main line" in english
    assert "Surface-mount assembly (SMT), Through-hole assembly" in english  # by name
    assert re.search(r'data-testid="tests-for">IEC 62133[^<]*, UN 38\.3', english)
    assert "ISO 9001" in english and "expires in 30 days" in english
    assert "IATF" not in english
    assert "سرفیس ماؤنٹ اسمبلی (SMT)، تھرو ہول اسمبلی" in urdu  # the reader's names, the reader's comma


@pytest.mark.parametrize("suffix", ["", "-wrong-slug", "-apex"])
def test_profile_with_a_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client, app, suffix):
    firm = make_firm("Apex Boards (Pvt) Ltd")

    response = client.get(f"/suppliers/{firm.id}{suffix}")

    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/suppliers/{firm.id}-apex-boards-pvt-ltd")


def test_profile_of_an_unknown_firm_is_404(client, app):
    assert client.get("/suppliers/9999-nobody").status_code == 404


NOT_PUBLIC = [
    {"status": ListingStatus.DRAFT},
    {"status": ListingStatus.SUBMITTED},
    {"status": ListingStatus.CHANGES_REQUESTED},
    {"status": ListingStatus.REJECTED},
    {"suspended": True},
]
NOT_PUBLIC_IDS = ["draft", "submitted", "changes_requested", "rejected", "suspended"]


@pytest.mark.parametrize("state", NOT_PUBLIC, ids=NOT_PUBLIC_IDS)
@pytest.mark.parametrize("viewer", ["anonymous", "brand", "investor", "other_supplier"])
def test_non_public_profile_is_404_for_outsiders(client, app, users, login, other_supplier, state, viewer):
    firm = make_firm("Hidden Works (Pvt) Ltd", owner=users["supplier"], **state)
    if viewer == "other_supplier":
        make_firm("Other Works (Pvt) Ltd", owner=other_supplier)
        login(other_supplier)
    elif viewer != "anonymous":
        login(viewer)

    assert client.get(f"/suppliers/{firm.id}-{firm.slug}").status_code == 404
    # The wrong-slug redirect must not reveal the firm either.
    assert client.get(f"/suppliers/{firm.id}").status_code == 404


@pytest.mark.parametrize("state", NOT_PUBLIC, ids=NOT_PUBLIC_IDS)
@pytest.mark.parametrize("viewer", ["member", "staff"])
def test_non_public_profile_is_a_preview_for_the_firm_and_staff(client, app, users, login, state, viewer):
    firm = make_firm("Hidden Works (Pvt) Ltd", owner=users["supplier"], **state)
    login("supplier" if viewer == "member" else "staff")

    response = client.get(f"/suppliers/{firm.id}-{firm.slug}")

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Preview: this listing is not public yet." in body
    assert "Hidden Works (Pvt) Ltd" in body


def test_editor_of_the_firm_also_sees_the_preview(client, app, db, login):
    editor = make_user(Role.SUPPLIER, email="editor@example.com")
    firm = make_firm("Hidden Works (Pvt) Ltd", status=ListingStatus.DRAFT)
    db.session.add(FirmMember(firm=firm, user=editor, role=MemberRole.EDITOR))
    db.session.commit()
    login(editor)

    response = client.get(f"/suppliers/{firm.id}-{firm.slug}")

    assert response.status_code == 200
    assert "Preview: this listing is not public yet." in response.get_data(as_text=True)


def test_contact_details_are_hidden_from_anonymous_visitors(client, app):
    firm = make_firm("Apex Boards (Pvt) Ltd", contact_email="orders@apex.example.pk", phone="+92 42 5550101")

    body = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)

    assert "orders@apex.example.pk" not in body
    assert "+92 42 5550101" not in body
    assert "Sign in to see contact details" in body
    link = re.search(r'<a href="([^"]*)">Sign in to see contact details', body).group(1)
    assert link.startswith("/account/sign-in?next=")
    assert unquote(link.partition("next=")[2]) == f"/suppliers/{firm.id}-{firm.slug}"


@pytest.mark.parametrize(
    ("role", "shown"), [("staff", True), ("brand", False), ("investor", False), ("supplier", False)]
)
def test_contact_details_wait_for_an_accepted_introduction(client, app, login, role, shown):
    firm = make_firm("Apex Boards (Pvt) Ltd", contact_email="orders@apex.example.pk", phone="+92 42 5550101")
    login(role)

    body = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)

    assert ('href="mailto:orders@apex.example.pk"' in body) is shown
    assert ("+92 42 5550101" in body) is shown
    assert ("once it accepts an introduction" in body) is not shown


def test_the_firms_own_people_and_a_brand_it_accepted_see_its_contacts(client, app, login, users):
    from portal.introductions import service as introductions

    owner = make_user("supplier", email="owner@apex.example.pk")
    firm = make_firm("Apex Boards (Pvt) Ltd", owner=owner, phone="+92 42 5550101")
    login(owner)
    assert "+92 42 5550101" in client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)
    intro = introductions.request_introduction(users["brand"], firm, "We need 50k boards a month.")
    login("brand")
    assert "+92 42 5550101" not in client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)
    introductions.accept(intro, owner)
    assert "+92 42 5550101" in client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)


def test_profile_shows_only_verified_capabilities(client, app, db):
    firm = make_firm("Mixed Lines (Pvt) Ltd")
    make_capability(firm, "pcba", capacity=12_345)
    make_capability(firm, "battery", capacity=77_777, review=ReviewStatus.PENDING)
    db.session.commit()

    body = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)

    assert "12,345 boards" in body
    assert "77,777" not in body
    assert "Lithium-ion cells and battery packs" not in body


def test_certificate_ending_within_60_days_shows_an_expiry_badge(client, app):
    firm = make_firm("Apex Boards (Pvt) Ltd", certificates=[{"type": "iso-9001", "days_valid": 45}])

    body = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)

    assert re.search(r'data-testid="expires-soon">\s*expires in 45 days\s*<', body)


def test_certificate_ending_later_shows_no_expiry_badge(client, app):
    firm = make_firm("Apex Boards (Pvt) Ltd", certificates=[{"type": "iso-9001", "days_valid": 61}])

    body = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)

    assert 'data-testid="expires-soon"' not in body
    assert "ISO 9001" in body
    assert "valid until" in body


def test_profile_lists_only_certificates_checked_by_edb(client, app):
    firm = make_firm(
        "Apex Boards (Pvt) Ltd",
        certificates=[{"type": "iso-9001"}, {"type": "iso-14001", "review": ReviewStatus.PENDING}],
    )

    body = client.get(f"/suppliers/{firm.id}-{firm.slug}").get_data(as_text=True)

    assert "ISO 9001" in body
    assert "ISO 14001" not in body


# --- categories ------------------------------------------------------------------------------------


@pytest.fixture
def pcba_market(app, db):
    """Three public PCBA makers (two counting boards, one panels) and firms that must not count."""
    make_firm("Unit Maker One (Pvt) Ltd", capabilities=[{"category": "pcba", "capacity": 10_000}])
    make_firm(
        "Unit Maker Two (Pvt) Ltd",
        capabilities=[{"category": "pcba", "capacity": 5_000}],
        certificates=[{"type": "iso-9001"}],
    )
    make_firm(
        "Board Counter (Pvt) Ltd", capabilities=[{"category": "pcba", "capacity": 300, "capacity_unit": "panels"}]
    )
    make_firm(
        "Draft Giant (Pvt) Ltd", status=ListingStatus.DRAFT, capabilities=[{"category": "pcba", "capacity": 900_000}]
    )
    make_firm("Suspended Giant (Pvt) Ltd", suspended=True, capabilities=[{"category": "pcba", "capacity": 800_000}])
    make_firm(
        "Pending Giant (Pvt) Ltd",
        capabilities=[{"category": "pcba", "capacity": 700_000, "review": ReviewStatus.PENDING}],
    )
    make_firm("Battery Only (Pvt) Ltd", capabilities=[{"category": "battery", "capacity": 40_000}])


def category_row(body: str, slug: str) -> str:
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return next(row for row in rows if f'href="/categories/{slug}"' in row)


def test_categories_page_lists_hs_code_firm_count_and_capacity_per_unit(client, pcba_market):
    response = client.get("/categories/")

    assert response.status_code == 200
    row = category_row(response.get_data(as_text=True), "pcba")
    assert "PCB assembly (SMT and through-hole)" in row
    assert "<td>8517.79</td>" in row
    assert '<td class="text-end">3</td>' in row
    assert "15,000 boards" in row
    assert "300 panels" in row
    assert "900,000" not in row and "800,000" not in row and "700,000" not in row


def test_categories_page_shows_a_dash_for_categories_without_firms(client, pcba_market):
    row = category_row(client.get("/categories/").get_data(as_text=True), "display-module")

    assert '<td class="text-end">0</td>' in row
    assert "<td>8524</td>" in row
    assert "<td>—</td>" in row


def test_category_page_shows_hs_code_count_capacity_and_only_public_firms(client, pcba_market):
    response = client.get("/categories/pcba")

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "8517.79" in body
    assert re.search(r'data-testid="category-firm-count">3<', body)
    capacity = re.search(r'data-testid="category-capacity">(.*?)</p>', body, re.S).group(1)
    assert "<strong>15,000</strong> boards/month" in capacity
    assert "<strong>300</strong> panels/month" in capacity
    assert "1 with a valid certificate" in body
    assert sorted(names(response)) == [
        "Board Counter (Pvt) Ltd",
        "Unit Maker One (Pvt) Ltd",
        "Unit Maker Two (Pvt) Ltd",
    ]


def test_category_page_without_firms_says_so(client, app):
    body = client.get("/categories/camera-module").get_data(as_text=True)

    assert "No verified firm lists this category yet." in body
    assert "No capacity listed yet" in body


def test_unknown_category_is_404(client, app):
    assert client.get("/categories/nope").status_code == 404


def test_a_large_result_count_is_written_with_thousands_separators(client, app, monkeypatch):
    from portal.search import SearchResult
    from portal.suppliers import views

    monkeypatch.setattr(views.search, "search", lambda params: SearchResult(hits=[], total=12_345, page=1, per_page=20))
    assert result_count(client.get("/suppliers/?q=moulding")) == "12,345 verified firms"


def test_results_kept_for_a_popular_search_follow_the_reader_and_the_firms(client, login, db):
    """A results page is rendered once per answer for readers without shortlists; each reader still
    gets their language, a brand its shortlist buttons, and a change to a firm shows at once."""
    firm = make_firm("Ravi Keypads Ltd", capabilities=[{"category": "charger"}], description="Silicone keypads")
    english = client.get("/suppliers/?q=keypads", headers={"Accept-Language": "en"})
    urdu = client.get("/suppliers/?q=keypads", headers={"Accept-Language": "ur"})
    assert names(english) == names(urdu) == ["Ravi Keypads Ltd"]
    assert "Filters and sorting" in english.get_data(as_text=True)
    assert "Filters and sorting" not in urdu.get_data(as_text=True)
    assert 'data-testid="shortlist-add"' not in english.get_data(as_text=True)
    page_two = client.get("/suppliers/?q=keypads&sort=name", headers={"Accept-Language": "en"})
    assert 'value="name" selected' in page_two.get_data(as_text=True), "each query string is its own page"

    firm.trade_name = "Ravi Rubber"
    db.session.commit()
    assert names(client.get("/suppliers/?q=keypads", headers={"Accept-Language": "en"})) == ["Ravi Rubber"]
    login("brand")
    assert 'data-testid="shortlist-add"' in client.get("/suppliers/?q=keypads").get_data(as_text=True)


def test_made_up_parameters_do_not_grow_the_kept_results_without_end(client):
    from portal.suppliers import views

    make_firm("Ravi Keypads Ltd", capabilities=[{"category": "charger"}], description="Silicone keypads")
    for n in range(12):
        assert names(client.get(f"/suppliers/?q=keypads&junk={n}")) == ["Ravi Keypads Ltd"]
    assert max(len(kept) for kept in views._rendered.values()) <= views.RENDERINGS_PER_ANSWER


def test_the_busiest_pages_read_little_for_a_visitor(client, db, statements):
    """A kept search asks only whether the index is current (its firms are then still public), and a
    filter is looked up only when given; a profile reads the same few statements however much
    the firm lists."""
    firm = make_firm(
        "Ravi Keypads Ltd",
        capabilities=[{"category": "charger"}, {"category": "battery"}, {"category": "pcb-flex"}],
        description="Silicone keypads",
    )
    client.get("/suppliers/?q=keypads")
    statements.clear()
    assert names(client.get("/suppliers/?q=keypads")) == ["Ravi Keypads Ltd"]  # the index moved on
    statements.clear()
    assert names(client.get("/suppliers/?q=keypads")) == ["Ravi Keypads Ltd"]
    assert len(statements) == 1, statements  # the outbox: in step, so the kept firms are still public
    assert not any("component_category" in s or "certification_type" in s for s in statements)
    assert names(client.get("/suppliers/?q=keypads&category=charger")) == ["Ravi Keypads Ltd"]
    path = f"/suppliers/{firm.id}-{firm.slug}"
    db.session.remove()  # a visitor's request starts with nothing read
    statements.clear()
    assert client.get(path).status_code == 200
    # The firm with its photos, members and answering figure; its verified capabilities, their
    # processes and tests, and its verified certificates.
    assert len(statements) == 4, "\n".join(s[:90] for s in statements)
