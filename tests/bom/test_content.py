"""Local content worked out by hand: value and line shares, per phase against its target, and
the lines that block the most value first."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from portal.bom.content import LineFacts, local_content
from portal.dashboard.schedule import BEHIND, MET

ON = date(2026, 12, 1)


def _target(share):
    return SimpleNamespace(local_share=share, starts_on=date(2026, 1, 1), due_on=date(2027, 1, 1))


def test_shares_per_device_and_per_phase_worked_out_by_hand():
    lines = [
        LineFacts(1, Decimal("2.00"), True, 1),  # charger, local
        LineFacts(2, Decimal("0.50"), True, 1),  # cable, local
        LineFacts(3, Decimal("1.50"), False, 1),  # housing, not local
        LineFacts(4, Decimal("14.00"), False, 2),  # mainboard, not local
        LineFacts(5, Decimal("6.00"), True, 3),  # battery, local
        LineFacts(6, None, False, 3),  # camera in a currency without a rate
        LineFacts(7, Decimal("0.10"), False, None),  # foam: no category
    ]
    content = local_content(lines, {1: _target(60), 2: _target(20)}, [1, 2, 3], ON)
    whole = content.whole
    # valued: 2 + 0.5 + 1.5 + 14 + 6 + 0.1 = 24.1; local 2 + 0.5 + 6 = 8.5 -> 35.27%
    assert (whole.value, whole.local_value, whole.unvalued) == (Decimal("24.10"), Decimal("8.50"), 1)
    assert round(whole.value_share, 2) == 35.27
    # lines: 3 local of 7
    assert round(whole.line_share, 2) == 42.86
    phase_1, phase_2, phase_3 = content.phases
    # phase 1: 2.5 of 4.0 = 62.5% against a 60% target: met
    assert (phase_1.value_share, phase_1.line_share, phase_1.target, phase_1.status) == (62.5, 200 / 3, 60, MET)
    # phase 2: 0 of 14 against 20%, eleven months of twelve gone: behind
    assert (phase_2.value_share, phase_2.status) == (0.0, BEHIND)
    # phase 3: 6 of 6 valued (the camera is counted by line only); no target set
    assert (phase_3.value_share, phase_3.line_share, phase_3.target, phase_3.status) == (100.0, 50.0, None, None)
    # blocking: most value first, lines without a value last
    assert [line.line_id for line in content.blocking] == [4, 3, 7, 6]


def test_a_bom_without_values_has_no_value_share_but_a_line_share():
    content = local_content([LineFacts(1, None, True, 1), LineFacts(2, None, False, 1)], {}, [1, 2, 3], ON)
    assert content.whole.value_share is None and content.whole.line_share == 50.0
    assert content.phases[1].lines == 0 and content.phases[1].line_share is None
