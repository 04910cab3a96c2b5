"""Is the advance ladder calibrated? Which rung held calls end on, and what that says.

A rep who reaches the stretch most of the time aims too low; one who leaves with only the
fallback (or a continuation) most of the time prepares the target too little. The thresholds
are here, in one place, and the readings are tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from salestui.domain.enums import AdvanceLevel, Outcome

RUNGS: tuple[str, ...] = ("stretch", "target", "fallback", "unplanned", "continuation", "lost")
"""Where a held call ended, best first: a ladder rung, an unplanned advance, no advance, lost."""

MIN_CALLS = 5
"""Fewer held calls than this are too few to read anything into."""
STRETCH_TOO_OFTEN = 0.5
"""Stretch reached in this share of calls or more: the stretch is not a stretch."""
FALLBACK_TOO_OFTEN = 0.4
"""Fallback only in this share of calls or more: the target is not prepared well enough."""
CONTINUATION_TOO_OFTEN = 0.3
"""No advance at all (continuation) in this share of calls or more: the calls end without an ask."""


def rung_of(outcome: Outcome | None, secured: AdvanceLevel | None) -> str | None:
    """Where a call ended (one of ``RUNGS``), or ``None`` for a call not held (no outcome, cancelled)."""
    if outcome is Outcome.ADVANCE:
        return secured.value if secured is not None else AdvanceLevel.UNPLANNED.value
    if outcome is Outcome.CONTINUATION:
        return "continuation"
    if outcome is Outcome.LOST:
        return "lost"
    return None


@dataclass(frozen=True, slots=True)
class LadderRow:
    """Held calls of one group that ended on one rung."""

    key: str
    rung: str
    calls: int


@dataclass(frozen=True, slots=True)
class Calibration:
    """Counts per rung for one group of held calls, with rates and a one-line reading."""

    key: str
    counts: tuple[tuple[str, int], ...]

    @property
    def held(self) -> int:
        """Held calls in the group."""
        return sum(n for _, n in self.counts)

    def count(self, rung: str) -> int:
        """Calls that ended on ``rung``."""
        return dict(self.counts).get(rung, 0)

    def rate(self, rung: str) -> float | None:
        """Share of held calls that ended on ``rung`` (``None`` with no held call)."""
        return self.count(rung) / self.held if self.held else None

    @property
    def reading(self) -> str:
        """One line: what the spread of rungs says about the ladder."""
        return reading(self)


def _pct(value: float) -> str:
    return f"{round(value * 100)} %"


def reading(group: Calibration) -> str:
    """The first of: too few calls; stretch too often; fallback only too often; continuations too often; fine."""
    held = group.held
    if held < MIN_CALLS:
        return f"{held} held call{'s' if held != 1 else ''}: too few to read (needs {MIN_CALLS})"
    stretch, fallback = group.count("stretch") / held, group.count("fallback") / held
    continuation = group.count("continuation") / held
    if stretch >= STRETCH_TOO_OFTEN:
        return f"stretch reached in {_pct(stretch)} of calls: aim higher"
    if fallback >= FALLBACK_TOO_OFTEN:
        return f"fallback only in {_pct(fallback)} of calls: prepare the target better"
    if continuation >= CONTINUATION_TOO_OFTEN:
        return f"no advance in {_pct(continuation)} of calls: plan a fallback you can always ask for"
    reached = (group.count("stretch") + group.count("target")) / held
    return f"target reached or beaten in {_pct(reached)} of calls: the ladder is calibrated"


def calibrate(rows: Iterable[LadderRow], key: str = "all") -> Calibration:
    """Fold rows (of any keys) into one group's counts, in ``RUNGS`` order."""
    totals = dict.fromkeys(RUNGS, 0)
    for row in rows:
        if row.rung in totals:
            totals[row.rung] += row.calls
    return Calibration(key, tuple(totals.items()))


def calibrate_by_key(rows: Iterable[LadderRow]) -> tuple[Calibration, ...]:
    """One calibration per key, in the order keys first appear."""
    groups: dict[str, list[LadderRow]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    return tuple(calibrate(members, key) for key, members in groups.items())
