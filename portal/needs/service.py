"""Sourcing needs: who may see and change one, its life from draft to close, its attachments and the
firms it invites. Quotes and the award are in `quotes.py`; the facts for matching in `matches.py`.

Every rule is one function that pages, the API and notifications share. Deadlines never wait for
cron: an open need whose deadline has passed is closed for every rule (`effective_status`), and
`flask close-due-needs` only writes down what the rules already apply.
"""

from datetime import date

from sqlalchemy import func, or_, select, union

from portal import audit, uploads
from portal.accounts.models import Role
from portal.compliance.service import excluded_firm_ids, is_excluded_from_matching
from portal.denials import NotFound
from portal.extensions import db
from portal.i18n import N_, Refusal
from portal.matching.facts import Match, NearMiss
from portal.needs import notices
from portal.needs.matches import matches_for, need_facts, verdicts_for  # noqa: F401  (the service's API)
from portal.needs.models import (
    NeedAttachment,
    NeedInvitation,
    NeedStatus,
    NeedVisibility,
    Quote,
    QuoteStatus,
    SourcingNeed,
)
from portal.stages import StageMachine
from portal.suppliers import responsiveness
from portal.suppliers.models import Capability, Firm, FirmMember
from portal.taxonomy.models import CertificationType, Process
from portal.timeutil import today, utcnow
from portal.transactions import check_version, one_act

FIELDS = ("title", "category_slug", "description", "features", "quantity_per_month", "quantity_unit",
          "target_unit_price", "currency", "delivery_province", "start_date", "deadline", "visibility")  # fmt: skip

# action: (states it may start from, state it leads to); read against `effective_status`.
TRANSITIONS = {
    "publish": ({NeedStatus.DRAFT}, NeedStatus.OPEN),
    "close": ({NeedStatus.OPEN}, NeedStatus.CLOSED),
    "cancel": ({NeedStatus.DRAFT, NeedStatus.OPEN, NeedStatus.CLOSED}, NeedStatus.CANCELLED),
}


class NeedRefused(Refusal):
    """The act does not apply to the need as it is; the message is for the person acting."""


class NeedChanged(NeedRefused):
    """Someone changed the need after the person acting loaded it (optimistic locking)."""

    def __init__(self):
        super().__init__(N_("Someone changed this need while you were looking at it; reload it and try again."))


def _refused(state: NeedStatus, target: NeedStatus) -> NeedRefused:
    return NeedRefused(
        N_("This need is “%(state)s”; it cannot become “%(target)s”."), state=state.label, target=target.label
    )


NEED_STAGES = StageMachine("need", TRANSITIONS, _refused)


# --- the deadline rule ---------------------------------------------------------------------------


def is_accepting_quotes(need: SourcingNeed, day: date | None = None) -> bool:
    """Open, and its deadline (the last day quotes are taken) has not passed."""
    return need.is_accepting_quotes(day or today())


def effective_status(need: SourcingNeed, day: date | None = None) -> NeedStatus:
    """The state every rule reads: an open need past its deadline is closed, cron or not."""
    if need.status == NeedStatus.OPEN and not is_accepting_quotes(need, day):
        return NeedStatus.CLOSED
    return need.status


def quotes_unsealed(need: SourcingNeed, day: date | None = None) -> bool:
    """Quotes can be read (by the owner, and by staff) once the need has closed: by the brand or
    at its deadline. Before that everyone, staff included, sees only how many arrived."""
    return need.closed_at is not None or effective_status(need, day) == NeedStatus.CLOSED


# --- who sees a need -----------------------------------------------------------------------------


def viewing_firms(need: SourcingNeed, user) -> list[Firm]:
    """The user's firms through which they see the need: public firms it invited or that quoted
    on it, and, while an open-to-all need takes quotes, public firms making its category."""
    if need.status == NeedStatus.DRAFT or user.role != Role.SUPPLIER:
        return []
    firms = list(
        db.session.scalars(
            select(Firm).join(FirmMember).where(FirmMember.user_id == user.id, Firm.is_public).order_by(Firm.id)
        )
    )
    if not firms:
        return []
    ids = [firm.id for firm in firms]
    parts = [
        select(NeedInvitation.firm_id).where(NeedInvitation.need_id == need.id, NeedInvitation.firm_id.in_(ids)),
        select(Quote.firm_id).where(Quote.need_id == need.id, Quote.firm_id.in_(ids)),
    ]
    if need.visibility == NeedVisibility.OPEN and is_accepting_quotes(need):
        parts.append(
            select(Capability.firm_id).where(
                Capability.firm_id.in_(ids),
                Capability.category_slug == need.category_slug,
                Capability.is_verified,
            )
        )
    related = union(*parts)
    seeing = set(db.session.scalars(related))
    return [firm for firm in firms if firm.id in seeing]


def owns(need: SourcingNeed, user) -> bool:
    """The brand user who posted the need: only they edit it, invite firms and award it."""
    return user is not None and user.is_authenticated and user.id == need.owner_id


def sees_responses(need: SourcingNeed, user) -> bool:
    """The owner and staff see the need's matching firms, its invitations and (once unsealed) its quotes."""
    return owns(need, user) or (user is not None and user.is_authenticated and user.is_staff)


def can_award(need: SourcingNeed, user) -> bool:
    """The owner chooses among the quotes once the need has closed."""
    return owns(need, user) and effective_status(need) == NeedStatus.CLOSED


def can_view(need: SourcingNeed, user) -> bool:
    """The owner and staff always; a supplier through one of its firms (`viewing_firms`)."""
    if user is None or not user.is_authenticated:
        return False
    return sees_responses(need, user) or bool(viewing_firms(need, user))


def need_for(need_id: int, user, *, owner: bool = False) -> SourcingNeed:
    """The need if `user` may see it (or owns it, when asked); `NotFound` otherwise, as for a missing one."""
    need = db.session.get(SourcingNeed, need_id)
    allowed = need is not None and (owns(need, user) if owner else can_view(need, user))
    if not allowed:
        raise NotFound()
    return need


def needs_of(user) -> list[SourcingNeed]:
    return list(
        db.session.scalars(
            select(SourcingNeed).where(SourcingNeed.owner_id == user.id).order_by(SourcingNeed.created_at.desc())
        )
    )


def is_editable(need: SourcingNeed, day: date | None = None) -> bool:
    """The brand changes a need, its attachments and invitations while it is a draft or takes quotes."""
    return effective_status(need, day).is_before_close


def _check_editable(need: SourcingNeed) -> None:
    if effective_status(need) == NeedStatus.CLOSED and need.status == NeedStatus.OPEN:
        raise NeedRefused(N_("The deadline has passed: the need is closed and can no longer be changed."))
    if not is_editable(need):
        raise NeedRefused(N_("A closed, awarded or cancelled need can no longer be changed."))


def transaction(stored_path: str | None = None, conflict=NeedChanged):
    """One act of a need or quote: see `portal.transactions.one_act`."""
    return one_act(conflict, stored_path)


def _touch(need: SourcingNeed) -> None:
    # Updating the row bumps (and guards) the version, so attachments count as changes to the need.
    need.updated_at = utcnow()


# --- the need's life -----------------------------------------------------------------------------


def _apply(need: SourcingNeed, data: dict) -> None:
    with db.session.no_autoflush:  # one UPDATE, so one edit is one new version
        for name in FIELDS:
            setattr(need, name, data.get(name))
        slugs = data.get("certification_slugs") or []
        need.required_certifications = list(
            db.session.scalars(select(CertificationType).where(CertificationType.slug.in_(slugs)))
        )
        process_slugs = data.get("process_slugs") or []
        need.processes = list(db.session.scalars(select(Process).where(Process.slug.in_(process_slugs))))


def _facts(need: SourcingNeed) -> dict:
    return {
        **{name: getattr(need, name) for name in FIELDS},
        "certification_slugs": sorted(c.slug for c in need.required_certifications),
        "process_slugs": sorted(p.slug for p in need.processes),
    }


def create_need(user, data: dict) -> SourcingNeed:
    with transaction():
        return new_need(user, data)


def new_need(user, data: dict) -> SourcingNeed:
    """A draft need, written inside the caller's transaction (a BOM drafts several at once)."""
    need = SourcingNeed(owner_id=user.id, organisation=user.organisation)
    db.session.add(need)
    _apply(need, data)
    db.session.flush()
    audit.record("need.created", need, actor=user, after=_facts(need))
    return need


def update_need(need: SourcingNeed, data: dict, by, expected_version: int | None = None) -> None:
    """Change the need; once it is open, invited firms and firms that quoted are told what changed."""
    check_version(need, expected_version, NeedChanged)
    _check_editable(need)
    was_open_to_all = need.visibility == NeedVisibility.OPEN
    with transaction():
        before = _facts(need)
        _apply(need, data)
        after = _facts(need)
        if after != before:
            _touch(need)  # a change to certifications or processes alone is a new version too
        audit.record("need.updated", need, actor=by, before=before, after=after)
        db.session.flush()
        if need.status == NeedStatus.OPEN:
            notices.tell_involved(need, involved_firm_ids(need), lambda: notices.describe_changes(before, after))
            if need.visibility == NeedVisibility.OPEN and not was_open_to_all:
                _announce(need)


def _state_for(need: SourcingNeed, action: str) -> NeedStatus:
    """The state `action` is read against: the effective one, except that closing a need past its
    deadline only writes the close down."""
    if action == "close" and need.status == NeedStatus.OPEN:
        return NeedStatus.OPEN
    return effective_status(need)


def owner_acts(need: SourcingNeed) -> set[str]:
    """The acts (publish, close, cancel) that apply to the need as it is: the buttons its owner sees."""
    return {action for action in TRANSITIONS if action in NEED_STAGES.allowed(_state_for(need, action))}


def transition(need: SourcingNeed, action: str, by, expected_version: int | None = None) -> None:
    """Publish, close or cancel; publishing tells the firms it concerns, closing tells the brand."""
    check_version(need, expected_version, NeedChanged)
    current = _state_for(need, action)
    NEED_STAGES.check(action, current)
    if action == "publish" and need.deadline <= today():
        raise NeedRefused(N_("Set a quote deadline after today before publishing."))
    if action == "close":
        close_need(need, by)
        return
    was_open = need.status == NeedStatus.OPEN
    with transaction():
        if action == "cancel" and quotes_unsealed(need):
            need.closed_at = need.closed_at or utcnow()  # quotes already readable stay readable
        NEED_STAGES.move(need, action, by, state=current)
        db.session.flush()
        if action == "publish":
            _announce(need)
        elif action == "cancel" and was_open:
            notices.tell_involved(need, involved_firm_ids(need), lambda: [notices.cancelled_line()])


def close_need(need: SourcingNeed, by=None) -> None:
    """Stop taking quotes (the brand, or the deadline when `by` is None) and tell the brand, once,
    how many quotes can now be opened."""
    before = {"status": need.status}
    with transaction():
        need.status = NeedStatus.CLOSED
        need.closed_at = need.closed_at or utcnow()
        action = "need.close" if by is not None else "need.closed_at_deadline"
        audit.record(action, need, actor=by, before=before, after={"status": need.status})
        db.session.flush()
        notices.quotes_ready(need, live_quote_count(need))


def due_needs(day: date | None = None) -> list[int]:
    """Ids of open needs whose deadline has passed, oldest deadline first."""
    day = day or today()
    return list(
        db.session.scalars(
            select(SourcingNeed.id)
            .where(SourcingNeed.status == NeedStatus.OPEN, ~SourcingNeed.is_accepting_quotes(day))
            .order_by(SourcingNeed.deadline, SourcingNeed.id)
        )
    )


def close_due_need(need_id: int, day: date | None = None) -> bool:
    """Close one need past its deadline; False when it no longer needs it (closed meanwhile)."""
    need = db.session.get(SourcingNeed, need_id)
    if need is None or need.status != NeedStatus.OPEN or is_accepting_quotes(need, day):
        return False
    try:
        close_need(need)
    except NeedChanged:
        return False  # the brand acted at the same moment; the next run looks again
    return True


def live_quote_count(need: SourcingNeed) -> int:
    """Quotes received and not withdrawn: all the brand sees of them while they are sealed."""
    return db.session.scalar(
        select(func.count(Quote.id)).where(Quote.need_id == need.id, Quote.status != QuoteStatus.WITHDRAWN)
    )


def involved_firm_ids(need: SourcingNeed) -> set[int]:
    """Firms with a stake in the need's changes: those invited and those that quoted."""
    invited = select(NeedInvitation.firm_id).where(NeedInvitation.need_id == need.id)
    quoted = select(Quote.firm_id).where(Quote.need_id == need.id)
    return set(db.session.scalars(invited.union(quoted)))


def _announce(need: SourcingNeed) -> None:
    """On publishing: invited firms are invited; for an open-to-all need every matching firm hears of it."""
    invited = {row.firm_id for row in invitations_of(need)}
    for firm_id in sorted(invited):
        notices.invited(need, firm_id)
    if need.visibility == NeedVisibility.OPEN:
        matches, _ = matches_for(need, near_limit=0)
        notices.matched(need, [firm_id for firm_id in matches.firm_ids() if firm_id not in invited])


# --- attachments ---------------------------------------------------------------------------------


def add_attachment(need: SourcingNeed, upload: tuple[bytes, str], by) -> NeedAttachment:
    """Keep a drawing or specification with the need (checked by content, at most 10 MB)."""
    _check_editable(need)
    stored = uploads.store_document(upload, NeedRefused)
    with transaction(stored.path):
        attachment = NeedAttachment.from_upload(stored, need.id, by)
        db.session.add(attachment)
        _touch(need)
        db.session.flush()
        after = {"attachment_id": attachment.id, "filename": stored.filename}
        audit.record("need.attachment_added", need, actor=by, after=after)
        if need.status == NeedStatus.OPEN:
            notices.tell_involved(
                need, involved_firm_ids(need), lambda: [notices.attachment_line(stored.filename, added=True)]
            )
    return attachment


def remove_attachment(need: SourcingNeed, attachment: NeedAttachment, by) -> None:
    _check_editable(need)
    path, filename, attachment_id = attachment.path, attachment.filename, attachment.id
    with transaction():
        db.session.delete(attachment)
        _touch(need)
        db.session.flush()
        before = {"attachment_id": attachment_id, "filename": filename}
        audit.record("need.attachment_removed", need, actor=by, before=before)
        if need.status == NeedStatus.OPEN:
            notices.tell_involved(
                need, involved_firm_ids(need), lambda: [notices.attachment_line(filename, added=False)]
            )
    uploads.discard(path)


def attachment_of(need: SourcingNeed, attachment_id: int) -> NeedAttachment:
    """One of the need's own attachments (not a quote's); `NotFound` for any other id."""
    attachment = db.session.get(NeedAttachment, attachment_id)
    if attachment is None or attachment.need_id != need.id or attachment.quote_id is not None:
        raise NotFound()
    return attachment


# --- invitations ---------------------------------------------------------------------------------


def invitations_of(need: SourcingNeed) -> list[NeedInvitation]:
    """The firms the brand invited (only the brand and staff ever see this list)."""
    return list(
        db.session.scalars(
            select(NeedInvitation).where(NeedInvitation.need_id == need.id).order_by(NeedInvitation.invited_at)
        )
    )


def is_invited(need: SourcingNeed, firm: Firm) -> bool:
    return (
        db.session.scalar(
            select(NeedInvitation.id).where(NeedInvitation.need_id == need.id, NeedInvitation.firm_id == firm.id)
        )
        is not None
    )


def invitable_firms(name: str, limit: int = 20) -> list[Firm]:
    """Public firms whose trade or legal name contains the text, that compliance does not exclude."""
    name = (name or "").strip()
    if len(name) < 2:
        return []
    pattern = f"%{name.lower()}%"
    excluded = excluded_firm_ids(today())
    query = (
        select(Firm)
        .where(
            Firm.is_public, or_(func.lower(Firm.legal_name).like(pattern), func.lower(Firm.trade_name).like(pattern))
        )
        .order_by(Firm.legal_name, Firm.id)
        .limit(limit + len(excluded))
    )
    return [firm for firm in db.session.scalars(query) if firm.id not in excluded][:limit]


def invite(need: SourcingNeed, firm: Firm, by) -> NeedInvitation:
    """Invite a firm to quote; its people hear of it now, or when the need is published."""
    with transaction():
        return invite_within(need, firm, by)


def invite_within(need: SourcingNeed, firm: Firm, by) -> NeedInvitation:
    """The invitation as part of the caller's act (which commits it), e.g. inviting a whole shortlist."""
    _check_editable(need)
    if not firm.is_public or is_excluded_from_matching(firm):
        raise NeedRefused(N_("Only verified firms taking part in sourcing can be invited."))
    if is_invited(need, firm):
        raise NeedRefused(N_("%(firm)s is already invited."), firm=firm.display_name)
    invitation = NeedInvitation(need_id=need.id, firm_id=firm.id, invited_by_id=by.id)
    db.session.add(invitation)
    db.session.flush()
    after = {"firm_id": firm.id, "firm": firm.display_name}
    audit.record("need.invited", need, actor=by, after=after, firm_id=firm.id)
    if need.status == NeedStatus.OPEN:
        notices.invited(need, firm.id)
    return invitation


# --- the supplier's side -------------------------------------------------------------------------


def decline_invitation(need: SourcingNeed, firm: Firm, by) -> None:
    """The firm answers an invitation with "we will not quote": the brand need not wait for it, and
    the answer counts toward how fast the firm answers, as a quote does."""
    invitation = db.session.scalar(
        select(NeedInvitation).where(NeedInvitation.need_id == need.id, NeedInvitation.firm_id == firm.id)
    )
    if invitation is None:
        raise NeedRefused(N_("%(firm)s was not invited to quote on this need."), firm=firm.display_name)
    if invitation.declined_at is not None:
        raise NeedRefused(N_("%(firm)s already said it will not quote."), firm=firm.display_name)
    if not is_accepting_quotes(need):
        raise NeedRefused(N_("This need no longer takes quotes."))
    if db.session.scalar(select(Quote.id).where(Quote.need_id == need.id, Quote.firm_id == firm.id)):
        raise NeedRefused(N_("%(firm)s has quoted; withdraw the quote instead."), firm=firm.display_name)
    with transaction():
        invitation.declined_at = utcnow()
        audit.record("need.invitation_declined", need, actor=by, after={"firm_id": firm.id}, firm_id=firm.id)
        responsiveness.refresh([firm.id])


def invited_needs(firm: Firm) -> list[SourcingNeed]:
    """Needs that invited the firm and still take quotes, nearest deadline first (not those it
    said it will not quote on)."""
    return list(
        db.session.scalars(
            select(SourcingNeed)
            .join(NeedInvitation, NeedInvitation.need_id == SourcingNeed.id)
            .where(
                NeedInvitation.firm_id == firm.id,
                NeedInvitation.declined_at.is_(None),
                SourcingNeed.is_accepting_quotes(today()),
            )
            .order_by(SourcingNeed.deadline, SourcingNeed.id)
        )
    )


def open_needs_judged(firm: Firm) -> tuple[list, list]:
    """Open-to-all needs taking quotes, judged for this firm: ([(need, Match)] best match first,
    then the nearest deadline; [(need, NearMiss)] nearest deadline first: what certificate it lacks)."""
    categories = {c.category_slug for c in firm.capabilities if c.is_verified}
    if not categories or not firm.is_public:
        return [], []
    needs = db.session.scalars(
        select(SourcingNeed).where(
            SourcingNeed.is_accepting_quotes(today()),
            SourcingNeed.visibility == NeedVisibility.OPEN,
            SourcingNeed.category_slug.in_(categories),
        )
    ).all()
    matched, near = [], []
    for need in needs:
        verdict = verdicts_for(need, [firm.id]).get(firm.id)
        if isinstance(verdict, Match):
            matched.append((need, verdict))
        elif isinstance(verdict, NearMiss):
            near.append((need, verdict))
    return (
        sorted(matched, key=lambda pair: (-pair[1].score, pair[0].deadline, pair[0].id)),
        sorted(near, key=lambda pair: (pair[0].deadline, pair[0].id)),
    )


def opportunities_for(firm: Firm):
    """Open-to-all needs taking quotes that this firm qualifies for, best match first (then the
    nearest deadline)."""
    return open_needs_judged(firm)[0]
