"""Sealed quotes: a firm sends one per need and may revise or withdraw it until the deadline; the
brand reads them only once the need has closed, compares them and awards one or more.

Sealed means sealed: before the need closes, the brand and EDB staff alike see only how many
quotes arrived. Afterwards the brand compares them and staff may read them (to settle disputes)
but only the brand awards. A firm only ever sees its own quote.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit, uploads
from portal.compliance.service import is_excluded_from_matching
from portal.extensions import db
from portal.i18n import N_
from portal.matching.sourcing import LISTED_LEAD_TIME
from portal.money.rates import rates_on
from portal.needs import notices
from portal.needs.models import CURRENCIES, NeedAttachment, NeedStatus, Quote, QuoteStatus, SourcingNeed
from portal.needs.service import (
    NeedChanged,
    NeedRefused,
    effective_status,
    is_accepting_quotes,
    quotes_unsealed,
    sees_responses,
    transaction,
    verdicts_for,
)
from portal.suppliers import responsiveness
from portal.suppliers.models import Firm, FirmMember
from portal.timeutil import today, utcnow
from portal.transactions import check_version

FIELDS = ("unit_price", "currency", "min_order_quantity", "lead_time_days", "valid_until", "notes")
MAX_UNIT_PRICE = Decimal("99999999.9999")  # what Numeric(12, 4) holds
SORTS = ("price", "lead_time")
ALREADY_SENT = N_("Your firm has already sent a quote on this need; revise it instead.")


class QuoteChanged(NeedRefused):
    def __init__(self):
        super().__init__(N_("Your quote was changed by a colleague meanwhile; reload it and try again."))


# --- rules ---------------------------------------------------------------------------------------


def quote_problems(data: dict, need: SourcingNeed, day: date | None = None) -> dict[str, str]:
    """Each field of a quote that breaks a rule, with the message for the firm (empty when fine).

    The form shows these next to the fields; the service refuses a quote that has any.
    """
    day = day or today()
    problems = {}
    price = data.get("unit_price")
    if price is None or not isinstance(price, Decimal) or not price.is_finite() or price <= 0:
        problems["unit_price"] = N_("Enter a unit price above 0.")
    elif price > MAX_UNIT_PRICE or price.as_tuple().exponent < -4:
        problems["unit_price"] = N_("Enter a unit price below 100,000,000 with at most 4 decimals.")
    if data.get("currency") not in CURRENCIES:
        problems["currency"] = N_("Choose a currency from the list.")
    for name, message in (
        ("min_order_quantity", N_("Enter a minimum order quantity of 1 or more.")),
        ("lead_time_days", N_("Enter a lead time of 1 day or more.")),
    ):
        value = data.get(name)
        if not isinstance(value, int) or value < 1 or value > 10_000_000:
            problems[name] = message
    valid_until = data.get("valid_until")
    if not isinstance(valid_until, date):
        problems["valid_until"] = N_("Enter the date the quote is valid until.")
    elif valid_until < day:
        problems["valid_until"] = N_("The validity date cannot be in the past.")
    elif valid_until < need.deadline:
        problems["valid_until"] = N_("Keep the quote valid at least until the deadline, %(date)s.")
    return problems


def quote_refusal(need: SourcingNeed, firm: Firm, day: date | None = None) -> NeedRefused | None:
    """Why `firm` cannot send or change a quote on the need now; None when it can. Whether the
    firm sees the need at all is `service.viewing_firms`: a firm that does not gets a 404."""
    if not is_accepting_quotes(need, day):
        if effective_status(need, day) == NeedStatus.CLOSED:
            return NeedRefused(N_("Quotes for this need closed on %(date)s."), date=need.deadline.isoformat())
        return NeedRefused(N_("This need is not taking quotes."))
    if not firm.is_public or is_excluded_from_matching(firm, day):
        return NeedRefused(N_("Your firm cannot quote at the moment; contact EDB staff."))
    return None


def quote_of(need: SourcingNeed, firm: Firm) -> Quote | None:
    return db.session.scalar(select(Quote).where(Quote.need_id == need.id, Quote.firm_id == firm.id))


def can_read_quote(quote: Quote, user, day: date | None = None) -> bool:
    """Its firm's people always; the need's owner and staff once quotes are unsealed."""
    if user is None or not user.is_authenticated:
        return False
    member = db.session.scalar(
        select(FirmMember.id).where(FirmMember.firm_id == quote.firm_id, FirmMember.user_id == user.id)
    )
    if member is not None:
        return True
    return sees_responses(quote.need, user) and quotes_unsealed(quote.need, day)


def _refuse_unless_open_to(need: SourcingNeed, firm: Firm) -> None:
    # Lock the need's row (PostgreSQL) and read its state again, so a quote never lands on a need
    # the brand closed in the same instant.
    db.session.refresh(need, with_for_update=True)
    refusal = quote_refusal(need, firm)
    if refusal is not None:
        raise refusal


def _check(data: dict, need: SourcingNeed) -> None:
    problems = quote_problems(data, need)
    if problems:
        raise NeedRefused(next(iter(problems.values())), date=need.deadline.isoformat())


def _store(upload) -> uploads.StoredFile | None:
    return uploads.store_document(upload, NeedRefused) if upload else None


def _attach(quote: Quote, stored: uploads.StoredFile | None, by) -> None:
    if stored is not None:
        quote.attachments.append(NeedAttachment.from_upload(stored, quote.need_id, by))


def _snapshot(quote: Quote) -> dict:
    return {**audit.snapshot(quote, FIELDS), "status": quote.status}


# --- the firm's acts -----------------------------------------------------------------------------


def send_quote(need: SourcingNeed, firm: Firm, data: dict, upload, by) -> Quote:
    """The firm's first quote on the need; a second is refused (revise the first instead)."""
    _refuse_unless_open_to(need, firm)
    if quote_of(need, firm) is not None:
        raise NeedRefused(ALREADY_SENT)
    _check(data, need)
    stored = _store(upload)
    with transaction(stored and stored.path, conflict=QuoteChanged):
        quote = Quote(need_id=need.id, firm_id=firm.id, sent_by_id=by.id, status=QuoteStatus.SENT, **_fields(data))
        db.session.add(quote)
        _attach(quote, stored, by)
        try:
            db.session.flush()
        except IntegrityError as error:  # a colleague's quote landed first
            raise NeedRefused(ALREADY_SENT) from error
        audit.record("quote.sent", quote, actor=by, after=_snapshot(quote), firm_id=firm.id)
        responsiveness.refresh([firm.id])
    return quote


def _fields(data: dict) -> dict:
    return {name: data[name] for name in FIELDS if name != "notes"} | {"notes": (data.get("notes") or "").strip()}


def revise_quote(quote: Quote, data: dict, upload, by, expected_version: int | None = None) -> None:
    """Change the quote (a withdrawn one is sent again) until the deadline."""
    check_version(quote, expected_version, QuoteChanged)
    _refuse_unless_open_to(quote.need, quote.firm)
    _check(data, quote.need)
    stored = _store(upload)
    before = _snapshot(quote)
    with transaction(stored and stored.path, conflict=QuoteChanged):
        for name, value in _fields(data).items():
            setattr(quote, name, value)
        quote.status = QuoteStatus.REVISED
        quote.sent_by_id = by.id
        quote.updated_at = utcnow()  # a new attachment alone still counts as a revision
        _attach(quote, stored, by)
        audit.record("quote.revised", quote, actor=by, before=before, after=_snapshot(quote), firm_id=quote.firm_id)


def withdraw_quote(quote: Quote, by, expected_version: int | None = None) -> None:
    check_version(quote, expected_version, QuoteChanged)
    _refuse_unless_open_to(quote.need, quote.firm)
    if not quote.is_live:
        raise NeedRefused(N_("This quote is already withdrawn."))
    before = {"status": quote.status}
    with transaction(conflict=QuoteChanged):
        quote.status = QuoteStatus.WITHDRAWN
        after = {"status": quote.status}
        audit.record("quote.withdrawn", quote, actor=by, before=before, after=after, firm_id=quote.firm_id)


def remove_quote_attachment(quote: Quote, attachment: NeedAttachment, by) -> None:
    _refuse_unless_open_to(quote.need, quote.firm)
    path, filename = attachment.path, attachment.filename
    with transaction(conflict=QuoteChanged):
        quote.attachments.remove(attachment)
        quote.updated_at = utcnow()
        audit.record("quote.attachment_removed", quote, actor=by, before={"filename": filename}, firm_id=quote.firm_id)
    uploads.discard(path)


# --- the brand's side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteRow:
    """One line of the comparison table."""

    quote: Quote
    firm_name: str
    verdict: object  # matching's Match or NearMiss for the firm, or None when it no longer qualifies
    converted: object = None  # money.rates.Converted into the need's currency; None without a rate

    @property
    def reasons(self) -> list:
        """The match's reasons beside a quote: the listing's lead time gives way to the quoted one."""
        reasons = getattr(self.verdict, "reasons", ())
        return [r for r in reasons if getattr(r, "message", None) != LISTED_LEAD_TIME]


def live_quotes(need: SourcingNeed) -> list[Quote]:
    return list(
        db.session.scalars(
            select(Quote)
            .where(Quote.need_id == need.id, Quote.status != QuoteStatus.WITHDRAWN)
            .options(selectinload(Quote.attachments), selectinload(Quote.firm))
            .order_by(Quote.id)
        )
    )


def comparison(need: SourcingNeed, sort: str = "price") -> list[QuoteRow]:
    """Live quotes side by side, cheapest (or quickest) first. Prices in other currencies are
    converted into the need's with the rate of the day and ordered with them, the original shown
    beside; a price whose currency has no rate that day follows, ordered within its currency."""
    if not quotes_unsealed(need):
        raise NeedRefused(N_("Quotes stay sealed until the need closes."))
    quotes = live_quotes(need)
    verdicts = verdicts_for(need, [q.firm_id for q in quotes]) if quotes else {}
    book = rates_on(today())
    rows = [
        QuoteRow(q, q.firm.display_name, verdicts.get(q.firm_id), book.convert(q.unit_price, q.currency, need.currency))
        for q in quotes
    ]

    def price(row: QuoteRow):
        if row.converted is not None:
            return (False, "", row.converted.value)
        return (True, row.quote.currency, row.quote.unit_price)

    def by_price(row: QuoteRow):
        return (*price(row), row.quote.lead_time_days, row.firm_name.lower())

    def by_lead_time(row: QuoteRow):
        return (row.quote.lead_time_days, *price(row), row.firm_name.lower())

    return sorted(rows, key=by_lead_time if sort == "lead_time" else by_price)


def award(need: SourcingNeed, quote_ids, by, expected_version: int | None = None) -> list[Quote]:
    """Award the chosen quotes: the need is awarded, each live quote marked awarded or not
    selected, each quoting firm told its own outcome; one transaction with its audit entries."""
    check_version(need, expected_version, NeedChanged)
    if need.status == NeedStatus.AWARDED:
        raise NeedRefused(N_("This need is already awarded."))
    if effective_status(need) != NeedStatus.CLOSED:
        raise NeedRefused(N_("Quotes can be awarded once the need has closed."))
    quotes = live_quotes(need)
    chosen = {int(i) for i in quote_ids or ()}
    if not chosen:
        raise NeedRefused(N_("Choose at least one quote to award."))
    if not chosen <= {q.id for q in quotes}:
        raise NeedRefused(N_("Only quotes received on this need can be awarded."))
    before = {"status": need.status}
    winners = sorted(q.firm_id for q in quotes if q.id in chosen)
    with transaction():
        need.status = NeedStatus.AWARDED
        need.closed_at = need.closed_at or utcnow()
        need.awarded_at = utcnow()
        for quote in quotes:
            quote.status = QuoteStatus.AWARDED if quote.id in chosen else QuoteStatus.NOT_SELECTED
        after = {"status": need.status, "quote_ids": sorted(chosen), "firm_ids": winners}
        audit.record("need.awarded", need, actor=by, before=before, after=after)
        for quote in quotes:
            after = {"status": quote.status}
            audit.record(f"quote.{quote.status.value}", quote, actor=by, after=after, firm_id=quote.firm_id)
            notices.outcome(need, quote.firm_id, quote.id in chosen)
    return [q for q in quotes if q.id in chosen]


# --- the supplier's list -------------------------------------------------------------------------


def quotes_of(firm: Firm) -> list[Quote]:
    """The firm's quotes, newest first, with their needs (for the opportunities page)."""
    return list(
        db.session.scalars(
            select(Quote)
            .where(Quote.firm_id == firm.id)
            .options(selectinload(Quote.need))
            .order_by(Quote.updated_at.desc(), Quote.id.desc())
        )
    )


def quote_attachment(quote: Quote, attachment_id: int) -> NeedAttachment | None:
    return next((a for a in quote.attachments if a.id == attachment_id), None)
