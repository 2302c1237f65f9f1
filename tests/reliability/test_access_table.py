"""Who may reach what: every route of the URL map × every role, with the status each one gets.

A route without a row fails `test_every_route_has_a_row`, naming it: a new page or endpoint is
added here together with the answer each role should get.

GET rules are requested with GET. POST-only rules are sent a POST with no form data and CSRF
checks off (the testing configuration): the table is about who reaches an action; that every
form refuses a POST without its token is proven by the form fuzz (test_form_fuzz.py), so leaving
the token out here keeps one concern per test. An allowed role's empty POST
gets the action's own answer (a redirect with a message, or 400), a refused one 403 or 404.

The JSON API (/api/) ignores sessions: each role calls it with its own API token, anonymous
callers with none (401), and a POST carries an empty JSON object, so an allowed role gets 422.

Statuses: "sign in" is a redirect to the sign-in page; 404 is also the answer for things a user
may not know exist (another firm's or brand's objects), 403 for a role that never may.
"""

from urllib.parse import urlsplit

import pytest

from portal.extensions import limiter
from tests.reliability.routes import rules_by_key, url_for_rule

ROLES = ("anonymous", "supplier", "other_supplier", "brand", "other_brand", "investor", "staff")
SIGN_IN = "sign in"


def row(default, **statuses) -> dict:
    """A row: `default` for every role not named; anonymous users are sent to sign in unless named."""
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = SIGN_IN
    table.update(statuses)
    return table


PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = row(200)
STAFF = row(403, staff=200)
STAFF_ACTION = row(403, staff=302)
STAFF_FORM = row(403, staff=200)  # an empty form: the case page again, with the messages
OWN_FIRM = row(404, supplier=200)  # the firm's own people; others learn nothing (404)
OWN_FIRM_ACTION = row(404, supplier=302)
OWN_FIRM_OR_STAFF_FILE = row(404, supplier=200, staff=200)
BRANDS = row(403, brand=200, other_brand=200)
SUPPLIERS = row(403, supplier=200, other_supplier=200)
OWN_NEED = row(403, brand=200, other_brand=404)  # the brand's own need; the other brand learns nothing
OWN_NEED_ACTION = row(403, brand=302, other_brand=404)
INVESTORS = row(403, brand=200, other_brand=200, investor=200)  # brands invest too
OWN_PLAN = row(403, brand=200, other_brand=404)  # a BOM plan is its brand's alone: not even staff see it
OWN_PLAN_ACTION = row(403, brand=302, other_brand=404)


def api_row(default, **statuses) -> dict:
    """A row of the JSON API: callers without a token get 401."""
    return row(default, anonymous=401, **statuses)


# endpoint (or "endpoint rule" where one endpoint has several rules) -> {role: status}
TABLE = {
    # public pages
    "main.home": PUBLIC,
    "main.about": PUBLIC,
    "main.choose_language": dict.fromkeys(ROLES, 400),  # an empty POST names no language
    "static": PUBLIC,
    "suppliers.directory_page": PUBLIC,
    "suppliers.categories": PUBLIC,
    "suppliers.category": PUBLIC,
    "suppliers.profile /suppliers/<int:firm_id>-<slug>": PUBLIC,
    "suppliers.profile /suppliers/<int:firm_id>": dict.fromkeys(ROLES, 301),  # to the address with the slug
    "suppliers.logo": PUBLIC,
    "suppliers.photo": PUBLIC,
    "suppliers.labs": PUBLIC,  # public listings of testing laboratories
    "dashboard.summary": PUBLIC,  # counts only, no firm or need named
    "dashboard.summary_csv": PUBLIC,
    "investment.index": PUBLIC,
    "investment.show": PUBLIC,  # published: the summary is public, the data room is not
    # accounts: the forms for signing in are for anonymous users; signed-in users go home
    "accounts.sign_in": row(302, anonymous=200),
    "accounts.sign_up": row(302, anonymous=200),
    "accounts.forgot_password": PUBLIC,
    "accounts.reset_password": PUBLIC,  # the link itself is the credential
    "accounts.verify_email": row(302),  # the link is the credential; then home (signed in) or sign in
    "accounts.send_verification": row(302),  # the account's own link again (nothing to send if confirmed)
    "accounts.sign_out": dict.fromkeys(ROLES, 302),
    "accounts.sign_out_everywhere": dict.fromkeys(ROLES, SIGN_IN),  # signed out, to sign in again
    "accounts.overview": SIGNED_IN,
    "accounts.change_password": SIGNED_IN,
    "accounts.tokens": SIGNED_IN,
    "accounts.revoke_token": row(404, supplier=302),  # the token is the supplier's
    # a firm's own pages
    "suppliers.my_firm": row(403, supplier=302, other_supplier=302),  # one firm each: straight to it
    "suppliers.manage": OWN_FIRM,
    "suppliers.edit_profile": OWN_FIRM,
    "suppliers.edit_capability /firms/<int:firm_id>/capabilities/new": OWN_FIRM,
    "suppliers.edit_capability /firms/<int:firm_id>/capabilities/<int:capability_id>/edit": OWN_FIRM,
    "suppliers.edit_certificate /firms/<int:firm_id>/certificates/new": OWN_FIRM,
    "suppliers.edit_certificate /firms/<int:firm_id>/certificates/<int:certificate_id>/edit": OWN_FIRM,
    "suppliers.colleagues": OWN_FIRM,
    "suppliers.evidence": OWN_FIRM_OR_STAFF_FILE,
    "suppliers.submit": OWN_FIRM_ACTION,
    "suppliers.upload_logo": OWN_FIRM_ACTION,
    "suppliers.upload_photo": OWN_FIRM_ACTION,
    "suppliers.delete_capability": OWN_FIRM_ACTION,
    "suppliers.delete_certificate": OWN_FIRM_ACTION,
    "suppliers.delete_photo": OWN_FIRM_ACTION,
    "suppliers.remove_colleague": OWN_FIRM_ACTION,
    "suppliers.join_firm": row(302),  # none of them is the invitee: home, with whom it was sent to
    # sourcing needs
    "needs.index": row(403, brand=200, other_brand=200),
    "needs.edit /needs/new": row(403, brand=200, other_brand=200),
    "needs.edit /needs/<int:need_id>/edit": row(403, brand=200, other_brand=404),
    # open to all: public firms making its category see it (the other supplier's firm makes housings)
    "needs.show": row(404, brand=200, staff=200, supplier=200),
    "needs.act": OWN_NEED_ACTION,
    "needs.opportunities": SUPPLIERS,
    "needs.add_attachment": OWN_NEED_ACTION,
    "needs.remove_attachment": OWN_NEED_ACTION,
    "needs.attachment": row(404, brand=200, staff=200, supplier=200),  # whoever sees the need
    "needs.invite_search": OWN_NEED,
    "needs.invite": OWN_NEED_ACTION,
    "needs.quote": row(403, supplier=200, other_supplier=404),
    # the firm's answer to an invitation: only a firm that sees the need (here not invited: refused)
    "needs.decline_invitation": row(403, supplier=302, other_supplier=404),
    # the need the supplier's firm quoted on; sealed: until it closes, not even its brand or staff
    # open the quote's file
    "needs.withdraw": row(403, supplier=302, other_supplier=404),
    "needs.remove_quote_attachment": row(403, supplier=302, other_supplier=404),
    "needs.quote_attachment": row(404, supplier=200),
    # the closed need: its brand and staff compare the quotes, the quoting firm does not
    "needs.compare": row(404, brand=200, staff=200),
    "needs.award": OWN_NEED_ACTION,
    # BOM plans: the owning brand alone; staff and investors see only aggregates across brands
    "bom.index": BRANDS,
    "bom.new": BRANDS,
    "bom.template": BRANDS,
    "bom.show": OWN_PLAN,
    "bom.line": OWN_PLAN,
    "bom.edit_line": OWN_PLAN,
    "bom.revise": OWN_PLAN,
    "bom.compare": OWN_PLAN,
    "bom.confirm": OWN_PLAN_ACTION,
    "bom.correct": OWN_PLAN_ACTION,
    "bom.invite": OWN_PLAN_ACTION,
    "bom.draft_needs": OWN_PLAN_ACTION,
    "bom.save_version": OWN_PLAN_ACTION,
    "bom.priorities": row(403, investor=200, staff=200),
    # introductions: the brand and the firm's people; staff read them but never act
    "introductions.index": row(200, investor=403),
    "introductions.ask": BRANDS,
    "introductions.show": row(404, brand=200, supplier=200, staff=200, investor=403),
    "introductions.accept": row(403, supplier=200, other_supplier=404),  # an empty form: the page again
    "introductions.decline": row(403, supplier=200, other_supplier=404),
    "introductions.withdraw": row(403, brand=200, other_brand=404),  # an empty form: the page again
    "introductions.post_message": row(403, brand=200, supplier=200, other_brand=404, other_supplier=404),
    "introductions.move_stage": row(403, brand=200, supplier=200, other_brand=404, other_supplier=404),
    # EDB staff broker requests to listings nobody runs (an empty form: the page again, with the messages)
    "introductions.broker": row(403, staff=200),
    "introductions.invite_to_claim": row(403, staff=200),
    # investment: the firm's people manage; an investor whose interest it accepted sees the data room
    "investment.mine": SUPPLIERS,
    "investment.edit /investment/firms/<int:firm_id>/new": OWN_FIRM,
    "investment.edit /investment/<int:opportunity_id>/edit": OWN_FIRM,
    "investment.act": OWN_FIRM_ACTION,
    "investment.upload_document": OWN_FIRM,  # an empty form: the page again, with the message
    "investment.delete_document": OWN_FIRM_ACTION,
    "investment.document": row(404, supplier=200, investor=200, staff=200),
    "investment.investors": OWN_FIRM,
    "investment.profile": INVESTORS,
    "investment.matches": INVESTORS,
    "investment.express_interest": INVESTORS,  # an empty form: the page again, with the message
    # an interest's thread is the investor's and the firm's alone, not staff's
    "investment.interest": row(404, supplier=200, investor=200),
    "investment.decide_interest": row(404, supplier=302),
    "investment.move_stage": row(404, supplier=200, investor=200),
    "investment.record_commitment": row(404, supplier=200, investor=200),
    # claims: the supplier's claim (by document) on an unowned listing
    "claims.claim": SIGNED_IN,  # those who may not claim read why
    "claims.confirm_email": dict.fromkeys(ROLES, 302),  # the link is the credential; once used, home
    "claims.mine": SIGNED_IN,
    "claims.document": row(404, supplier=200, staff=200),  # the claimant's and staff's
    "claims.withdraw": row(404, supplier=302),
    "claims.decide": STAFF_ACTION,
    # shortlists: the brand's own; nobody else learns one exists, the firms on it included
    "shortlists.index": BRANDS,
    "shortlists.show": OWN_NEED,
    "shortlists.export": OWN_NEED,
    "shortlists.add": row(403, brand=302, other_brand=302),  # an empty form: back, with the message
    "shortlists.rename": row(403, brand=422, other_brand=404),  # an empty name: the page, with the message
    "shortlists.delete": OWN_NEED_ACTION,  # not confirmed: the list again, with the message
    "shortlists.note": OWN_NEED_ACTION,
    "shortlists.remove": OWN_NEED_ACTION,
    "shortlists.invite": row(403, brand=422, other_brand=404),  # no need chosen: the page, with the message
    # notifications: each person's own
    "notifications.index": SIGNED_IN,
    "notifications.email_settings": SIGNED_IN,
    "notifications.read_all": row(302),
    "notifications.open_notice": row(404, supplier=302),  # the notice is the supplier's
    # the JSON API, called with each role's token
    "api.openapi_document": PUBLIC,
    "api.documentation": PUBLIC,
    "api.taxonomy": PUBLIC,
    "api.supplier_list": PUBLIC,
    "api.supplier": PUBLIC,
    "api.supplier_opportunities": api_row(403, supplier=200, other_supplier=404, staff=200),
    "api.create_need": api_row(403, brand=422, other_brand=422),
    "api.need": api_row(404, supplier=200, brand=200, staff=200, investor=403),
    "api.need_matches": api_row(403, brand=200, other_brand=404, staff=200),
    # operations: load balancers ask without signing in
    "operations.healthz": PUBLIC,
    "operations.readyz": PUBLIC,
    "operations.metrics": dict.fromkeys(ROLES, 404),  # closed unless opened to the monitoring hosts
    # EDB staff
    "staff.home": STAFF,
    "staff.people": STAFF,
    "staff.deactivate_account": STAFF_ACTION,
    "staff.review_address": STAFF,  # an account whose address waits for EDB staff to confirm it
    "staff.firms": STAFF,
    "staff.review_firm": STAFF,
    "staff.queue": STAFF,
    "staff.audit_trail": STAFF,
    "staff.audit_trail_csv": STAFF,
    "staff.imports_page": STAFF,
    "staff.export_suppliers_csv": STAFF,
    "staff.decide_firm": STAFF_ACTION,
    "staff.decide_profile_changes": STAFF_ACTION,
    "staff.review_item": STAFF_ACTION,
    "staff.add_firm": STAFF,
    "staff.choose_duplicate": STAFF,
    "staff.compare_duplicate": STAFF,
    "staff.undo_merge": STAFF_ACTION,
    "money.index": STAFF,
    "dashboard.index": STAFF,
    "dashboard.phases": STAFF,
    "dashboard.table_csv": STAFF,
    "dashboard.set_phase": row(403, staff=400),  # an empty form: the page again, with the message
    "dashboard.set_targets": row(403, staff=400),
    "investment.review": STAFF,
    "investment.decide": STAFF_ACTION,
    "compliance.cases": STAFF,
    "compliance.open_case": STAFF,
    "compliance.case": STAFF,
    "compliance.document": STAFF,
    "compliance.add_note": STAFF_FORM,
    "compliance.attach_document": STAFF_FORM,
    "compliance.close_case": STAFF_FORM,
    "compliance.set_standing": STAFF_FORM,
    # the firm's side of compliance: its standing, and its response to the case (an empty one: 422)
    "standing.show": OWN_FIRM,
    "standing.respond": row(404, supplier=422),
}


def answer(response) -> int | str:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and urlsplit(location).path == "/account/sign-in":
        return SIGN_IN
    return response.status_code


def test_every_route_has_a_row(app):
    keys = rules_by_key(app)
    missing = sorted(f"{key} ({rule.rule})" for key, rule in keys.items() if key not in TABLE)
    assert not missing, "routes without a row in TABLE (add the status each role gets): " + ", ".join(missing)
    stale = sorted(set(TABLE) - set(keys))
    assert not stale, f"rows for routes that no longer exist: {', '.join(stale)}"
    assert all(set(statuses) == set(ROLES) for statuses in TABLE.values())


def _acting_last(statuses: dict) -> list[str]:
    """Roles that are refused first: at most one role per action may act (and change what the next sees)."""
    refused = (SIGN_IN, 403, 404)
    return sorted(ROLES, key=lambda role: statuses[role] not in refused)


# GET routes that change something (a confirmation link is spent): each gets a world of its own.
CHANGING_GETS = {"accounts.verify_email", "claims.confirm_email"}


def _is_read(app, key) -> bool:
    rule = rules_by_key(app).get(key)
    return rule is not None and "GET" in rule.methods and key not in CHANGING_GETS


def _wrong_answers(app, world, key) -> str | None:
    """What each role gets from the route, against the table; None when all agree."""
    rule = rules_by_key(app)[key]
    url = url_for_rule(rule, world)
    method = "GET" if "GET" in rule.methods else "POST"
    api = rule.rule.startswith("/api/")
    found = {}
    for role in _acting_last(TABLE[key]):
        client, headers = app.test_client(), {}
        if role != "anonymous" and api:
            headers["Authorization"] = f"Bearer {world.cast.token(role)}"
        elif role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = getattr(world.cast, role).get_id()
                session["_fresh"] = True
        body = {"json": {}} if api and method == "POST" else {}
        found[role] = answer(client.open(url, method=method, headers=headers, **body))
    wrong = {role: f"{found[role]} (table: {TABLE[key][role]})" for role in ROLES if found[role] != TABLE[key][role]}
    return f"{method} {url}: {wrong}" if wrong else None


def test_each_role_reads_each_page_as_the_table_says(app, world):
    """Pages that only read share one world (building it costs a second; there are a hundred)."""
    wrong = []
    for key in sorted(TABLE):
        if _is_read(app, key):
            limiter.reset()  # the API's per-token allowance is for one route at a time here
            wrong.append(_wrong_answers(app, world, key))
    assert not any(wrong), "\n".join(filter(None, wrong))


@pytest.mark.parametrize("key", sorted(TABLE))
def test_each_role_gets_the_status_of_each_action_in_the_table(app, request, key):
    """Actions (and links that are spent) each act on a world of their own."""
    if rules_by_key(app).get(key) is None:
        pytest.skip(f"{key} is not in the URL map (test_every_route_has_a_row names it)")
    if _is_read(app, key):
        pytest.skip("a page that only reads: checked by test_each_role_reads_each_page_as_the_table_says")
    wrong = _wrong_answers(app, request.getfixturevalue("world"), key)
    assert wrong is None, wrong
