"""A stage machine: the table of moves a domain declares, the check that a move applies to the
state a row is in, and the move itself with its audit entry."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from portal import audit

if TYPE_CHECKING:
    from portal.audit.models import AuditEntry


@dataclass(frozen=True)
class StageMachine:
    """`moves` maps each action to (the states it may start from, the state it leads to); a move's
    audit entry is named `<kind>.<action>`. `refusal(state, target)` is the domain's exception for
    a move that does not apply. Who may make a move is the domain's `can_*` rule, checked first."""

    kind: str
    moves: dict[str, tuple[set[Enum], Enum]]
    refusal: Callable[[Enum, Enum], Exception]

    def allowed(self, state: Enum) -> set[str]:
        """The actions that apply to a row in `state`."""
        return {action for action, (sources, _target) in self.moves.items() if state in sources}

    def check(self, action: str, state: Enum) -> Enum:
        """The state `action` leads to from `state`; the domain's refusal when it does not apply."""
        sources, target = self.moves[action]
        if state not in sources:
            raise self.refusal(state, target)
        return target

    def move(
        self,
        row: Any,
        action: str,
        by: Any,
        *,
        state: Enum | None = None,
        note: str = "",
        firm_id: int | None = None,
        **after: Any,
    ) -> "AuditEntry":
        """Check and make the move in the caller's transaction (`transactions.one_act`); returns the
        audit entry. `state` is the one the domain reads the move from, when not the stored status."""
        target = self.check(action, row.status if state is None else state)
        before = {"status": row.status}
        row.status = target
        return audit.record(
            f"{self.kind}.{action}",
            row,
            actor=by,
            before=before,
            after={"status": target, **after},
            note=note,
            firm_id=firm_id,
        )
