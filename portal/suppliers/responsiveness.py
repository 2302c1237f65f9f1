"""How fast a firm answers brands: the rolling median that matching weighs and the profile shows.

What counts as a request, and its answer:
- an introduction request: answered when the firm accepts or declines;
- an invitation to quote on a need: answered when the firm quotes or says it will not.

A request the firm never answered counts as slower than any answer once its time is up (an
introduction after `UNANSWERED_AFTER_DAYS`, an invitation once its quote deadline has passed: a
missed deadline). One still within its time is not counted yet; nor is one the brand withdrew
before any answer. Only requests made in the last `WINDOW_DAYS` count, and a firm with fewer than
`MINIMUM_COUNTED` of them is not judged (matching gives it the neutral score and says so).

The result is stored per firm (`FirmResponsiveness`) so matching reads it with the candidates, and
is worked out again in the transaction that records each answer, and for every firm by the daily
`flask responsiveness refresh` (time alone moves requests past their limit and out of the window).
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import click
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.formatting import format_number
from portal.i18n import Phrase, language_option
from portal.introductions.models import Introduction, Stage
from portal.jobs import runs_once
from portal.needs.models import NeedInvitation, NeedStatus, Quote, SourcingNeed
from portal.suppliers.models import FirmResponsiveness
from portal.timeutil import utcnow
from portal.transactions import one_act

WINDOW_DAYS = 365
MINIMUM_COUNTED = 3
UNANSWERED_AFTER_DAYS = 30
NEVER = math.inf  # an unanswered request: slower than any answer
SECONDS_A_DAY = 86400
CHUNK = 5000  # ids per IN (...) list


class ResponsivenessChanged(Exception):
    """Two refreshes wrote the same firm's figure at once; the next run writes it again."""


@dataclass(frozen=True)
class Request:
    """One request a firm was asked to answer: when, when it answered (None: not yet) and when its
    time is up (None: it never runs out, as for a request the brand withdrew)."""

    asked_at: datetime
    answered_at: datetime | None
    due_at: datetime | None


@dataclass(frozen=True)
class Responsiveness:
    median_days: float | None  # NEVER when most requests went unanswered
    counted: int

    @property
    def judged(self) -> bool:
        return self.counted >= MINIMUM_COUNTED and self.median_days is not None


def _aware(moment: datetime) -> datetime:
    """SQLite returns times without their zone; every time the portal stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def response_days(request: Request, now: datetime) -> float | None:
    """Days the firm took to answer; NEVER when its time ran out first; None while it may still answer."""
    asked = _aware(request.asked_at)
    if request.answered_at is not None:
        return max(0.0, (_aware(request.answered_at) - asked).total_seconds() / SECONDS_A_DAY)
    if request.due_at is not None and _aware(request.due_at) <= now:
        return NEVER
    return None


def measure(requests: Iterable[Request], now: datetime) -> Responsiveness:
    """The median days to answer over the requests of the last `WINDOW_DAYS`; judged from `MINIMUM_COUNTED` on."""
    since = now - timedelta(days=WINDOW_DAYS)
    counted = [
        days
        for request in requests
        if _aware(request.asked_at) >= since and (days := response_days(request, now)) is not None
    ]
    if len(counted) < MINIMUM_COUNTED:
        return Responsiveness(None, len(counted))
    return Responsiveness(statistics.median(counted), len(counted))


def days_for_matching(median_days: float | None, counted: int | None, unanswered_mostly: bool | None) -> float | None:
    """What matching weighs, from a stored figure: its median, NEVER when half or more went
    unanswered, None when too few were counted (or the firm was never asked)."""
    if counted is None or counted < MINIMUM_COUNTED:
        return None
    return NEVER if unanswered_mostly else median_days


def days_of(firm_id: int) -> float | None:
    """One firm's stored figure, as matching weighs it."""
    return days_in(db.session.get(FirmResponsiveness, firm_id))


def days_in(row: FirmResponsiveness | None) -> float | None:
    """`days_of` for a figure already read (a profile reads it with the firm)."""
    return None if row is None else days_for_matching(row.median_days, row.counted, row.unanswered_mostly)


def in_words(days: float | None) -> str:
    """The profile's sentence about how fast the firm answers, from `days_of`."""
    if days is None:
        return Phrase("Not enough answers yet to say how fast it answers.")
    if days == NEVER:
        return Phrase("Half or more of the requests to it in the last year went unanswered.")
    if days <= 1:
        return Phrase("Usually answers within a day.")
    return Phrase("Usually answers within %(days)s days.", days=math.ceil(days))


# --- reading the requests ------------------------------------------------------------------------


def _end_of(day: date) -> datetime:
    """A quote deadline is the last day quotes are taken: the firm's time is up when it ends."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def requests_of(firm_ids: Iterable[int] | None, since: datetime) -> dict[int, list[Request]]:
    """Each firm's requests made since `since` (every firm's when `firm_ids` is None)."""
    found: dict[int, list[Request]] = defaultdict(list)
    ids = None if firm_ids is None else sorted(set(firm_ids))
    introductions = select(
        Introduction.firm_id, Introduction.requested_at, Introduction.answered_at, Introduction.stage
    ).where(Introduction.requested_at >= since)
    if ids is not None:
        introductions = introductions.where(Introduction.firm_id.in_(ids))
    for firm_id, asked, answered, stage in db.session.execute(introductions):
        due = None if stage == Stage.WITHDRAWN else _aware(asked) + timedelta(days=UNANSWERED_AFTER_DAYS)
        found[firm_id].append(Request(asked, answered, due))
    invitations = (
        select(NeedInvitation.firm_id, NeedInvitation.invited_at, NeedInvitation.declined_at, Quote.sent_at)
        .add_columns(SourcingNeed.deadline, SourcingNeed.status)
        .join(SourcingNeed, SourcingNeed.id == NeedInvitation.need_id)
        .outerjoin(Quote, (Quote.need_id == NeedInvitation.need_id) & (Quote.firm_id == NeedInvitation.firm_id))
        .where(NeedInvitation.invited_at >= since, SourcingNeed.status != NeedStatus.DRAFT)
    )
    if ids is not None:
        invitations = invitations.where(NeedInvitation.firm_id.in_(ids))
    for firm_id, invited, declined, quoted, deadline, status in db.session.execute(invitations):
        answers = [moment for moment in (declined, quoted) if moment is not None]
        answered = min(answers, key=_aware) if answers else None
        due = None if status == NeedStatus.CANCELLED else _end_of(deadline)
        found[firm_id].append(Request(invited, answered, due))
    return found


def _store(firm_id: int, result: Responsiveness, now: datetime) -> None:
    """Insert or replace the firm's row in one statement: two colleagues answering at once never
    collide on a firm's first row (the later figure stands; the daily refresh settles it)."""
    never = result.median_days == NEVER
    values = {
        "median_days": None if never else result.median_days,
        "unanswered_mostly": never,
        "counted": result.counted,
        "computed_at": now,
    }
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(
        insert(FirmResponsiveness)
        .values(firm_id=firm_id, **values)
        .on_conflict_do_update(index_elements=["firm_id"], set_=values)
    )


def refresh(firm_ids: Iterable[int], now: datetime | None = None) -> None:
    """Work the given firms' responsiveness out again, in the caller's transaction (the act that
    recorded an answer)."""
    now = now or utcnow()
    ids = sorted(set(firm_ids))
    requests = requests_of(ids, now - timedelta(days=WINDOW_DAYS))
    for firm_id in ids:
        _store(firm_id, measure(requests.get(firm_id, ()), now), now)


def refresh_all(now: datetime | None = None) -> int:
    """Every firm asked anything in the window; a stored figure with nothing left in the window
    goes. Returns how many firms were worked out."""
    now = now or utcnow()
    with one_act(ResponsivenessChanged):
        requests = requests_of(None, now - timedelta(days=WINDOW_DAYS))
        for firm_id in sorted(requests):
            _store(firm_id, measure(requests[firm_id], now), now)
        stale = sorted(set(db.session.scalars(select(FirmResponsiveness.firm_id))) - set(requests))
        for start in range(0, len(stale), CHUNK):
            chunk = stale[start : start + CHUNK]
            db.session.execute(delete(FirmResponsiveness).where(FirmResponsiveness.firm_id.in_(chunk)))
    return len(requests)


@click.group("responsiveness")
def responsiveness_cli():
    """How fast firms answer brands."""


@responsiveness_cli.command("refresh")
@runs_once("responsiveness-refresh")
@language_option
def refresh_command():
    """Work out every firm's median days to answer again (run daily from cron: requests pass their
    limit and leave the 12-month window with time alone)."""
    firms = refresh_all()
    click.echo(
        _(
            "Responsiveness worked out for %(firms)s firm(s) asked anything in the last %(days)s days.",
            firms=format_number(firms),
            days=WINDOW_DAYS,
        )
    )
