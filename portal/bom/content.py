"""Local content of a BOM: the share of its value, and of its lines, that firms in Pakistan can
make today, for the whole device and for each phase of the policy against the phase's target.

Pure arithmetic on facts the caller gathers (each line's value in the plan's currency, whether it
is local today, its category's phase). A line whose cost is missing, or whose currency has no rate
on the day, is left out of the value share and listed, never guessed; it still counts by line.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from portal.dashboard.schedule import schedule_status


@dataclass(frozen=True)
class LineFacts:
    line_id: int
    value: Decimal | None  # per device, in the plan's currency; None when it cannot be known
    local: bool
    phase: int | None  # of the line's category; None for an unmapped line


@dataclass
class Share:
    lines: int = 0
    local_lines: int = 0
    value: Decimal = Decimal(0)
    local_value: Decimal = Decimal(0)
    unvalued: int = 0  # lines left out of the value share

    def add(self, line: LineFacts) -> None:
        self.lines += 1
        self.local_lines += line.local
        if line.value is None:
            self.unvalued += 1
            return
        self.value += line.value
        if line.local:
            self.local_value += line.value

    @property
    def value_share(self) -> float | None:
        """Percent of the valued lines' worth that is local; None when no line has a value."""
        return float(100 * self.local_value / self.value) if self.value else None

    @property
    def line_share(self) -> float | None:
        return 100 * self.local_lines / self.lines if self.lines else None


@dataclass
class PhaseShare(Share):
    phase: int = 0
    target: int | None = None  # the phase's local-share target, percent
    status: str | None = None  # schedule.MET, ON_TRACK, BEHIND, NOT_STARTED


@dataclass
class LocalContent:
    whole: Share
    phases: list[PhaseShare]
    blocking: list[LineFacts] = field(default_factory=list)  # not local, most value first


def local_content(lines: list[LineFacts], targets: dict, phases, on: date) -> LocalContent:
    """Shares for the whole BOM and per phase; `targets` maps a phase to its PhaseTarget (or
    nothing), judged with the dashboard's schedule rule on the value share."""
    whole = Share()
    by_phase = {phase: PhaseShare(phase=phase) for phase in phases}
    for line in lines:
        whole.add(line)
        if line.phase in by_phase:
            by_phase[line.phase].add(line)
    for phase, share in by_phase.items():
        target = targets.get(phase)
        if target is not None and target.local_share is not None:
            share.target = target.local_share
            share.status = schedule_status(share.value_share, target.local_share, target.starts_on, target.due_on, on)
    blocking = sorted(
        (line for line in lines if not line.local),
        key=lambda line: (line.value is None, -(line.value or 0), line.line_id),
    )
    return LocalContent(whole, [by_phase[p] for p in phases], blocking)
