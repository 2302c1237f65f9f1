"""Builders for introductions in a chosen state, for the introduction tests."""

from portal.extensions import db
from portal.introductions import service
from portal.introductions.models import Introduction, Outcome, Stage


def make_introduction(brand, firm, *, need=None, stage: Stage = Stage.REQUESTED, message: str = "We make phones."):
    """An introduction brought to `stage` through the service, as the two sides would."""
    intro = service.request_introduction(brand, firm, message, need)
    member = firm.members[0].user
    if stage == Stage.DECLINED:
        service.decline(intro, member, "Fully booked this year.")
    elif stage == Stage.WITHDRAWN:
        service.withdraw(intro, brand, "We found a partner closer to our plant.")
    elif stage != Stage.REQUESTED:
        service.accept(intro, member)
        if stage not in (Stage.INTRODUCED,):
            service.move_stage(intro, brand, stage, Outcome.NO_DEAL if stage == Stage.CLOSED else None)
    return intro


def reloaded(intro) -> Introduction:
    """The introduction as the last request stored it."""
    db.session.expire_all()
    return db.session.get(Introduction, intro.id)
