"""Introductions to listings nobody runs on the portal: EDB staff broker them.

Nobody could answer such a request, so it goes to the staff's queue instead: staff contact the firm
off-line, record what came of it with a note (the brand is told in the portal), and may invite the
firm to claim its listing so that it answers on the portal from then on. The brand is told at once
that EDB brokers the request, and how long that usually takes, measured from the brokered requests
staff have answered.
"""

from datetime import timedelta
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.claims.service import listing_reference
from portal.extensions import db
from portal.i18n import N_
from portal.introductions.models import ENDING_BROKER_OUTCOMES, BrokerOutcome, Introduction, Stage
from portal.introductions.service import IntroductionChanged, IntroductionRefused, _move, _transaction, needs_broker
from portal.mail import external_url, portal_path, send_mail_to
from portal.notifications import notify
from portal.timeutil import as_utc, utcnow
from portal.transactions import check_version

# Fewer answered requests than this and the median says little: the default estimate is shown, as such.
MIN_SAMPLE = 5
DEFAULT_DAYS = 5
NOTE_MAX = 2000
SAMPLE = 200  # the most recent answered requests the estimate is taken from


class BrokerRefused(IntroductionRefused):
    """The act does not apply to the request as it is; the message is for the staff member."""


def broker_queue() -> list[Introduction]:
    """Brokered requests that wait for staff, oldest first."""
    return list(
        db.session.scalars(
            select(Introduction)
            .where(
                Introduction.brokered.is_(True),
                Introduction.broker_outcome.is_(None),
                Introduction.stage == Stage.REQUESTED,
            )
            .options(selectinload(Introduction.firm))
            .order_by(Introduction.requested_at, Introduction.id)
        )
    )


def usual_turnaround() -> tuple[int | float, bool]:
    """(days, measured): the median time staff took to record an outcome of recent brokered requests,
    or DEFAULT_DAYS with measured False while fewer than MIN_SAMPLE were answered."""
    rows = db.session.execute(
        select(Introduction.requested_at, Introduction.broker_answered_at)
        .where(Introduction.brokered.is_(True), Introduction.broker_answered_at.is_not(None))
        .order_by(Introduction.broker_answered_at.desc())
        .limit(SAMPLE)
    ).all()
    if len(rows) < MIN_SAMPLE:
        return DEFAULT_DAYS, False
    days = round(median((as_utc(answered) - as_utc(asked)) / timedelta(days=1) for asked, answered in rows), 1)
    return (int(days) if days.is_integer() else days), True


def _check_waiting(intro: Introduction) -> None:
    if not intro.brokered:
        raise BrokerRefused(N_("This request went to the firm itself; EDB does not broker it."))
    if intro.broker_outcome is not None or intro.stage != Stage.REQUESTED:
        raise BrokerRefused(N_("This request is no longer waiting for EDB."))


def record_outcome(intro: Introduction, by, outcome, note: str, expected_version: int | None = None) -> None:
    """Staff record what the firm said (or that it could not be reached); the brand is told in the
    portal. "Not interested" and "unreachable" end the request; "interested" leaves it for the firm
    to answer once it runs its listing."""
    check_version(intro, expected_version, IntroductionChanged)
    _check_waiting(intro)
    outcome = BrokerOutcome(outcome)
    note = (note or "").strip()
    if not note:
        raise BrokerRefused(N_("Write a note of what the firm said: the brand reads it."))
    if len(note) > NOTE_MAX:
        raise BrokerRefused(N_("Keep it to %(limit)s characters."), limit=NOTE_MAX)
    with _transaction():
        intro.broker_outcome, intro.broker_note, intro.broker_answered_at = outcome, note, utcnow()
        if outcome in ENDING_BROKER_OUTCOMES:
            _move(intro, Stage.DECLINED, by)
            intro.decline_reason, intro.open_key, intro.answered_at = note, None, utcnow()
        db.session.flush()
        audit.record("introduction.brokered", intro, actor=by, after={"outcome": outcome}, note=note)
        _tell_brand(intro)


def _tell_brand(intro: Introduction) -> None:
    firm = intro.firm.display_name
    subject = {
        BrokerOutcome.INTERESTED: _l("EDB reached %(firm)s: the firm is interested", firm=firm),
        BrokerOutcome.NOT_INTERESTED: _l("EDB reached %(firm)s: the firm is not interested", firm=firm),
        BrokerOutcome.UNREACHABLE: _l("EDB could not reach %(firm)s", firm=firm),
    }[intro.broker_outcome]
    link = portal_path("introductions.show", intro_id=intro.id)
    notify(intro.brand_user, "intro_brokered", f"intro:{intro.id}:brokered", subject, intro.broker_note, link)


def invite_to_claim(intro: Introduction, by, email: str) -> None:
    """E-mail the firm a link to sign up and claim its listing, naming the brand's request."""
    if not intro.brokered or not needs_broker(intro.firm):
        raise BrokerRefused(N_("The listing is run by an account holder already; they answer on the portal."))
    firm = intro.firm
    with _transaction():
        send_mail_to(
            email,
            _l("%(firm)s: claim your listing on the EDB Supplier Portal", firm=firm.display_name),
            _l(
                "EDB lists %(firm)s on its Supplier Portal, where global brands look for local suppliers. "
                "%(organisation)s asked to be introduced to your firm. Claim the listing to answer them and "
                "to receive sourcing needs:\n\n%(link)s",
                firm=firm.display_name,
                organisation=intro.organisation or _l("A brand"),
                link=external_url("accounts.sign_up", claim=listing_reference(firm)),
            ),
            kind="claim_invitation",
        )
        audit.record("introduction.claim_invited", intro, actor=by, after={"email": email})
