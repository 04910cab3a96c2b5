"""The rep's own numbers, computed from small aggregated rows (the store groups in SQL).

A call is *held* when it has an outcome other than cancelled (``rules.is_held``); the advance
rate is the share of held calls that ended in an advance, the debrief rate the share of held calls
with a finished debrief (a draft does not count). Readiness bands use the readiness frozen when the call
started, so later edits of the plan do not rewrite history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from salestui.domain.calibration import Calibration
from salestui.domain.enums import Outcome
from salestui.domain.readiness import band_of
from salestui.domain.rules import is_held

BANDS: tuple[str, ...] = ("low", "medium", "high")
NOT_RECORDED = "not recorded"
BUSIEST_ACCOUNTS = 10
"""Accounts stats break down: the ones with the most held calls (a rep may have thousands)."""


@dataclass(frozen=True, slots=True)
class StatRow:
    """Calls of one group with one outcome: ``calls`` of them, ``debriefed`` of those with a finished debrief."""

    key: str
    outcome: Outcome | None
    calls: int
    debriefed: int = 0


@dataclass(frozen=True, slots=True)
class Rate:
    """Counts and rates of one group of calls."""

    key: str
    held: int
    advances: int
    continuations: int
    lost: int
    cancelled: int
    debriefed: int

    @property
    def advance_rate(self) -> float | None:
        """Advances / held calls, or ``None`` with no held call."""
        return self.advances / self.held if self.held else None

    @property
    def continuation_rate(self) -> float | None:
        """Continuations / held calls."""
        return self.continuations / self.held if self.held else None

    @property
    def debrief_rate(self) -> float | None:
        """Held calls with a finished debrief / held calls."""
        return self.debriefed / self.held if self.held else None


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything the stats screen shows."""

    overall: Rate
    by_month: tuple[Rate, ...]
    by_account: tuple[Rate, ...]
    """The ``BUSIEST_ACCOUNTS`` accounts with the most held calls (``busiest``)."""
    by_kind: tuple[Rate, ...]
    by_band: tuple[Rate, ...]
    overdue_follow_ups: int
    without_debrief: int
    ladder: Ladder | None = None
    """Which rung held calls ended on, overall and per month, call kind and busiest account."""
    practised: tuple[Rate, ...] = ()
    """Advance rates of calls rehearsed on the practice screen (``practised``) and the rest."""


@dataclass(frozen=True, slots=True)
class Ladder:
    """The calibrated ladder: rung counts and readings, overall and per group."""

    overall: Calibration
    by_month: tuple[Calibration, ...]
    by_kind: tuple[Calibration, ...]
    by_account: tuple[Calibration, ...]


def rate(rows: Iterable[StatRow], key: str = "all") -> Rate:
    """Fold rows into one group's counts."""
    held = advances = continuations = lost = cancelled = debriefed = 0
    for row in rows:
        if row.outcome is Outcome.CANCELLED:
            cancelled += row.calls
        if not is_held(row.outcome):
            continue
        held += row.calls
        debriefed += row.debriefed
        if row.outcome is Outcome.ADVANCE:
            advances += row.calls
        elif row.outcome is Outcome.CONTINUATION:
            continuations += row.calls
        elif row.outcome is Outcome.LOST:
            lost += row.calls
    return Rate(key, held, advances, continuations, lost, cancelled, debriefed)


def busiest(rows: Iterable[StatRow], limit: int = BUSIEST_ACCOUNTS) -> set[str]:
    """Keys of the ``limit`` groups with the most held calls; ties go to the first key in order."""
    held: dict[str, int] = {}
    for row in rows:
        held[row.key] = held.get(row.key, 0) + (row.calls if is_held(row.outcome) else 0)
    return set(sorted(held, key=lambda key: (-held[key], key))[:limit])


def rates_by_key(rows: Iterable[StatRow]) -> tuple[Rate, ...]:
    """One rate per key, in the order keys first appear."""
    groups: dict[str, list[StatRow]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    return tuple(rate(members, key) for key, members in groups.items())


def band_key(readiness_at_start: int | None) -> str:
    """Band of a readiness frozen at call start (``not recorded`` for calls never started)."""
    return NOT_RECORDED if readiness_at_start is None else band_of(readiness_at_start)


def rates_by_band(rows: Iterable[tuple[int | None, Outcome | None, int, int]]) -> tuple[Rate, ...]:
    """Advance rate per readiness band from (readiness_at_start, outcome, calls, debriefed) rows.

    Always returns low, medium, high (possibly empty) in that order, then ``not recorded`` if any.
    """
    banded = [StatRow(band_key(score), outcome, calls, debriefed) for score, outcome, calls, debriefed in rows]
    found = {r.key: r for r in rates_by_key(banded)}
    ordered = [found.get(band, Rate(band, 0, 0, 0, 0, 0, 0)) for band in BANDS]
    if NOT_RECORDED in found and found[NOT_RECORDED].held:
        ordered.append(found[NOT_RECORDED])
    return tuple(ordered)


def best_first(rates: Iterable[Rate], minimum_held: int = 1) -> tuple[Rate, ...]:
    """Groups with at least ``minimum_held`` held calls, highest advance rate first (then most calls)."""
    kept = [r for r in rates if r.held >= minimum_held]
    return tuple(sorted(kept, key=lambda r: (-(r.advance_rate or 0.0), -r.held, r.key)))


PRACTISED, NOT_PRACTISED = "practised", "not practised"


def practice_line(rates: Iterable[Rate]) -> str:
    """``Practised calls advance in 75% (4 held), the others in 40% (10 held).``"""
    by_key = {r.key: r for r in rates}
    done, other = by_key.get(PRACTISED), by_key.get(NOT_PRACTISED)
    if done is None or not done.held:
        return "No practised call has been held yet: P on a plan rehearses it."
    others = (
        f"the others in {percent(other.advance_rate)} ({other.held:,} held)" if other and other.held else "no others"
    )
    return f"Practised calls advance in {percent(done.advance_rate)} ({done.held:,} held), {others}."


def percent(value: float | None) -> str:
    """``42%`` or a dash when there is nothing to divide."""
    return "—" if value is None else f"{round(value * 100)}%"


def preparation_pays(bands: Iterable[Rate]) -> bool | None:
    """Whether high-readiness calls advance more often than low ones (``None`` without data for both)."""
    by_key = {r.key: r for r in bands}
    high, low = by_key.get("high"), by_key.get("low")
    if not high or not low or high.advance_rate is None or low.advance_rate is None:
        return None
    return high.advance_rate > low.advance_rate
