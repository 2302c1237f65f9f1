"""An opportunity's life: a firm writes and submits it, EDB staff review it, the firm closes or
withdraws it. Each act is one transaction with its audit entry."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import audit
from portal.compliance.service import is_excluded_from_matching
from portal.extensions import db
from portal.i18n import N_
from portal.investment.models import Opportunity
from portal.investment.notices import firm_people, notify
from portal.investment.rules import ChangedMeanwhile, InvestmentRefused, S, transaction
from portal.mail import portal_path
from portal.stages import StageMachine
from portal.suppliers import service as suppliers
from portal.suppliers.models import Firm, ListingStatus
from portal.taxonomy.models import ComponentCategory
from portal.timeutil import utcnow
from portal.transactions import check_version

FIELDS = ("title", "purpose", "amount_min", "amount_max", "currency", "instruments", "stage", "use_of_funds",
          "show_amount")  # fmt: skip


# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "submit": ({S.DRAFT, S.CHANGES_REQUESTED}, S.SUBMITTED),
    "approve": ({S.SUBMITTED}, S.PUBLISHED),
    "request_changes": ({S.SUBMITTED}, S.CHANGES_REQUESTED),
    "reject": ({S.SUBMITTED}, S.REJECTED),
    "close": ({S.PUBLISHED}, S.CLOSED),
    "withdraw": ({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED}, S.WITHDRAWN),
}


FIRM_ACTIONS = ("submit", "close", "withdraw")
EDITABLE = {S.DRAFT, S.CHANGES_REQUESTED}


def _refused(state: S, _target: S) -> InvestmentRefused:
    return InvestmentRefused(N_("This opportunity is “%(status)s”; that is no longer possible."), status=state.label)


OPPORTUNITY_STAGES = StageMachine("investment", TRANSITIONS, _refused)


def opportunities_of(user) -> list[tuple[Firm, list[Opportunity]]]:
    """Each of the user's firms with its opportunities, newest first."""
    found = []
    for firm in suppliers.firms_of(user):
        rows = db.session.scalars(
            select(Opportunity).where(Opportunity.firm_id == firm.id).order_by(Opportunity.created_at.desc())
        )
        found.append((firm, list(rows)))
    return found


def exact_snapshot(obj, fields) -> dict:
    """audit.snapshot with amounts as exact strings (the trail is JSON, which has no decimals)."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in audit.snapshot(obj, fields).items()}


def _facts(opportunity: Opportunity) -> dict:
    return {**exact_snapshot(opportunity, FIELDS), "category_slugs": sorted(c.slug for c in opportunity.categories)}


def _apply(opportunity: Opportunity, data: dict) -> None:
    for name in FIELDS:
        setattr(opportunity, name, data.get(name))
    slugs = data.get("category_slugs") or []
    opportunity.categories = list(
        db.session.scalars(select(ComponentCategory).where(ComponentCategory.slug.in_(slugs)))
    )


def create_opportunity(firm: Firm, data: dict, by) -> Opportunity:
    """Start a draft; any member firm may write one, only a verified firm may submit it."""
    with transaction():
        opportunity = Opportunity(firm=firm, created_by_id=by.id, status=S.DRAFT)
        db.session.add(opportunity)
        _apply(opportunity, data)
        db.session.flush()
        audit.record("investment.created", opportunity, actor=by, after=_facts(opportunity), firm_id=firm.id)
    return opportunity


def update_opportunity(opportunity: Opportunity, data: dict, by) -> None:
    if opportunity.status not in EDITABLE:
        raise InvestmentRefused(
            N_(
                "Only a draft, or an opportunity staff sent back for changes, can be edited; withdraw it and post a new one."
            )
        )
    before = _facts(opportunity)
    with transaction():
        _apply(opportunity, data)
        after = _facts(opportunity)
        if after != before:
            audit.record(
                "investment.updated", opportunity, actor=by, before=before, after=after, firm_id=opportunity.firm_id
            )


def allowed_actions(opportunity: Opportunity) -> set[str]:
    return OPPORTUNITY_STAGES.allowed(opportunity.status)


def submission_problems(opportunity: Opportunity) -> list[str]:
    """Why the firm may not put the opportunity before investors now: the firm rules of the portal."""
    firm = opportunity.firm
    problems = []
    if firm.status != ListingStatus.VERIFIED:
        problems.append(N_("The firm's listing must be verified by EDB before it can offer an investment opportunity."))
    if firm.suspended:
        problems.append(N_("The firm's listing is suspended; opportunities wait until EDB reinstates it."))
    if is_excluded_from_matching(firm):
        problems.append(
            N_(
                "A compliance decision (incentives withdrawn or licence suspended) keeps the firm out of matching for now."
            )
        )
    return problems


def _transition(opportunity: Opportunity, action: str, by, expected_version: int | None = None, note: str = ""):
    """Check and apply one move of the table above, with its audit entry, in the caller's transaction."""
    check_version(opportunity, expected_version, ChangedMeanwhile)
    OPPORTUNITY_STAGES.move(opportunity, action, by, note=note, firm_id=opportunity.firm_id)


def submit(opportunity: Opportunity, by) -> None:
    problems = submission_problems(opportunity)
    if problems:
        raise InvestmentRefused.of_all(problems)
    with transaction():
        _transition(opportunity, "submit", by)
        opportunity.submitted_at = utcnow()
        opportunity.review_reason = ""


def close(opportunity: Opportunity, by) -> None:
    """The firm found its capital or partner (or stops looking): off the public list, threads stay."""
    with transaction():
        _transition(opportunity, "close", by)


def withdraw(opportunity: Opportunity, by) -> None:
    with transaction():
        _transition(opportunity, "withdraw", by)


def firm_act(opportunity: Opportunity, action: str, by) -> None:
    {"submit": submit, "close": close, "withdraw": withdraw}[action](opportunity, by)


def _tell_firm(opportunity: Opportunity, subject, body, kind: str) -> None:
    link = portal_path("investment.show", opportunity_id=opportunity.id)
    notify(firm_people(opportunity), subject, body, link, kind, f"{opportunity.id}:{opportunity.version}")


def approve(opportunity: Opportunity, by, expected_version: int | None = None) -> None:
    """Publish the opportunity, if its firm still may offer one."""
    check_version(opportunity, expected_version, ChangedMeanwhile)
    problems = submission_problems(opportunity)
    if problems:
        raise InvestmentRefused.of_all(problems)
    with transaction():
        _transition(opportunity, "approve", by, expected_version)
        opportunity.published_at = utcnow()
        opportunity.review_reason = ""
        _tell_firm(
            opportunity,
            _l("Published: %(title)s", title=opportunity.title),
            _l("EDB staff approved your investment opportunity; investors can now find it."),
            "investment_published",
        )


def _decide_with_reason(opportunity: Opportunity, action: str, by, reason: str, expected_version, subject, body):
    reason = (reason or "").strip()
    if not reason:
        raise InvestmentRefused(N_("Give the reason; the firm reads it."))
    with transaction():
        _transition(opportunity, action, by, expected_version, note=reason)
        opportunity.review_reason = reason
        _tell_firm(opportunity, subject, lambda: f"{body}\n\n{reason}", f"investment_{action}")


def request_changes(opportunity: Opportunity, by, reason: str, expected_version: int | None = None) -> None:
    _decide_with_reason(
        opportunity,
        "request_changes",
        by,
        reason,
        expected_version,
        _l("Changes requested: %(title)s", title=opportunity.title),
        _l("EDB staff reviewed your investment opportunity and ask for these changes before publishing it:"),
    )


def reject(opportunity: Opportunity, by, reason: str, expected_version: int | None = None) -> None:
    _decide_with_reason(
        opportunity,
        "reject",
        by,
        reason,
        expected_version,
        _l("Not accepted: %(title)s", title=opportunity.title),
        _l("EDB staff did not accept your investment opportunity:"),
    )


REVIEW_ACTIONS = {"approve": approve, "request_changes": request_changes, "reject": reject}


def review(opportunity: Opportunity, action: str, by, reason: str, expected_version: int | None) -> None:
    """Staff's decision; approving needs no reason, the other two do."""
    if action == "approve":
        approve(opportunity, by, expected_version)
    else:
        REVIEW_ACTIONS[action](opportunity, by, reason, expected_version)
