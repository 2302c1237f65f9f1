"""Stored values read in Urdu: each role, with Urdu chosen, opens the pages where statuses, stages
and roles show (needs, quotes, opportunities, deals, introductions, listings, the staff queue,
notices, the account) and finds none of them left in English, in their labels or as stored."""

import re
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale

from portal.accounts.models import ROLE_LABELS
from portal.claims.forms import STATUS_LABELS as CLAIM_STATUS_LABELS
from portal.compliance import service as compliance
from portal.compliance.forms import KIND_LABELS, OUTCOME_LABELS, STATUS_LABELS
from portal.compliance.models import CaseKind
from portal.introductions import models as introductions
from portal.introductions.models import Stage
from portal.investment import models as investment
from portal.investment.forms import STAGE_LABELS as VENTURE_STAGE_LABELS
from portal.investment.models import DealStage, OpportunityStatus
from portal.needs import models as needs
from portal.needs.models import NeedStatus
from portal.staff.queue import kinds as queue_kinds
from portal.suppliers import models as suppliers
from portal.suppliers.models import ListingStatus, MemberRole
from portal.timeutil import today
from tests.factories import make_firm, make_need, make_quote
from tests.introductions.builders import make_introduction
from tests.investment.builders import make_interest, make_opportunity

LABELS = (
    ROLE_LABELS,
    suppliers.LISTING_STATUS_LABELS,
    suppliers.REVIEW_STATUS_LABELS,
    needs.NEED_STATUS_LABELS,
    needs.QUOTE_STATUS_LABELS,
    introductions.STAGE_LABELS,
    introductions.OUTCOME_LABELS,
    introductions.BROKER_OUTCOME_LABELS,
    investment.OPPORTUNITY_STATUS_LABELS,
    investment.DEAL_STAGE_LABELS,
    VENTURE_STAGE_LABELS,
    CLAIM_STATUS_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    *STATUS_LABELS.values(),
)
LATIN = {"NDA"}  # a label the trade writes in Latin script in Urdu too


def english_values(app) -> set[str]:
    """Every status, stage and role as an English reader sees it, and as it is stored; less the
    Latin words the Urdu label itself keeps ("چھان بین (Due diligence)")."""
    words = set()
    with app.test_request_context():
        queue = {name: kind.label for name, kind in queue_kinds().items()}
        for labels in (*LABELS, queue, {member: member.label for member in MemberRole}):
            for value, label in labels.items():
                with force_locale("en"):
                    english = {str(label), str(value).replace("_", " ")}
                with force_locale("ur"):
                    urdu = str(label).lower()
                words |= {word for word in english if word.lower() not in urdu}
    return words - LATIN


class PageText(HTMLParser):
    """The words a reader sees: text outside scripts and hidden parts, and the attributes read aloud."""

    SKIPPED = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.texts, self.hidden = [], []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        for name in ("placeholder", "aria-label", "title"):
            if found.get(name):
                self.texts.append(found[name])
        if tag in self.VOID:
            return
        classes = (found.get("class") or "").split()
        self.hidden.append(tag in self.SKIPPED or "hidden" in found or "visually-hidden" in classes)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if data.strip() and not any(self.hidden):
            self.texts.append(data)


def english_left(page: str, values: set[str], theirs: set[str]) -> list[str]:
    parser = PageText()
    parser.feed(page)
    text = " ".join(parser.texts)
    for own in sorted(theirs, key=len, reverse=True):
        text = text.replace(own, " ")
    return sorted(value for value in values if re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text, re.I))


@pytest.fixture
def portal_in_urdu(app, db, users):
    """A listing, a quote on an open need, an introduction in talks, a published opportunity with a
    deal at due diligence, a listing waiting for staff and a compliance notice; everyone reads Urdu."""
    for user in users.values():
        user.language = "ur"
    firm = make_firm("Lahore Boards (Pvt) Ltd", owner=users["supplier"], capabilities=[{"category": "battery"}])
    make_firm("Karachi Cells (Pvt) Ltd", status=ListingStatus.SUBMITTED, capabilities=[{"category": "battery"}])
    need = make_need(users["brand"], status=NeedStatus.OPEN, certifications=("iso-9001",))
    make_quote(need, firm)
    intro = make_introduction(users["brand"], firm, need=need, stage=Stage.IN_TALKS)
    opportunity = make_opportunity(firm, status=OpportunityStatus.PUBLISHED)
    interest = make_interest(opportunity, users["investor"], accepted=True, stage=DealStage.DUE_DILIGENCE)
    case = compliance.open_case(firm, CaseKind.INCENTIVE_BREACH, "Exports below the condition.", users["staff"])
    compliance.set_standing(
        case, "incentive", "under_review", today(), None, users["staff"], case.version, note="Checking exports."
    )
    return {"firm": firm, "need": need, "intro": intro, "opportunity": opportunity, "interest": interest}


def test_each_role_reads_every_status_stage_and_role_in_urdu(app, client, login, users, portal_in_urdu):
    firm, need, intro = portal_in_urdu["firm"], portal_in_urdu["need"], portal_in_urdu["intro"]
    opportunity, interest = portal_in_urdu["opportunity"], portal_in_urdu["interest"]
    walks = {
        "supplier": [
            "/needs/opportunities",
            f"/firms/{firm.id}/",
            f"/firms/{firm.id}/standing",
            "/investment/mine",
            f"/investment/{opportunity.id}",
            "/introductions/",
            f"/introductions/{intro.id}",
            "/notifications/",
            "/account/",
        ],
        "brand": ["/needs/", f"/needs/{need.id}", "/introductions/", f"/introductions/{intro.id}", "/account/"],
        "investor": ["/investment/matches", f"/investment/interests/{interest.id}", "/account/"],
        "staff": ["/staff/queue", "/staff/firms", f"/staff/firms/{firm.id}", "/account/"],
    }
    values = english_values(app)
    theirs = {u.full_name for u in users.values()} | {u.organisation for u in users.values()}
    theirs |= {u.email for u in users.values()} | {"Lahore Boards (Pvt) Ltd", "Karachi Cells (Pvt) Ltd"}
    theirs |= {need.title, need.organisation, need.description, opportunity.title, opportunity.use_of_funds}
    theirs |= {"We would like to talk.", "We make phones.", "Exports below the condition.", "Checking exports."}
    left = {}
    for role, paths in walks.items():
        login(role)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert 'lang="ur"' in response.text, path
            if found := english_left(response.text, values, theirs):
                left[f"{role} {path}"] = found
    assert left == {}
