"""The manager's comparison of reps: rates from per-rep counts (pure, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RepCounts:
    """What the store counts for one rep (the ``owner`` of the calls)."""

    owner: str
    calls_held: int  # rules.is_held: an outcome was recorded and it is not cancelled
    advances: int  # held calls whose outcome is an advance
    debriefed: int  # held calls with a finished debrief (rules.is_debriefed)
    overdue_follow_ups: int  # rules.follow_up_overdue: date passed, no later call that was not cancelled
    upcoming: int = 0  # planned calls still ahead


@dataclass(frozen=True, slots=True)
class RepFigures:
    """One line of the team table; rates are ``None`` when the rep has held no calls."""

    owner: str
    calls_held: int
    advance_rate: float | None
    debrief_rate: float | None
    overdue_follow_ups: int
    upcoming: int


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def figures(counts: RepCounts) -> RepFigures:
    """Rates for one rep."""
    return RepFigures(
        owner=counts.owner,
        calls_held=counts.calls_held,
        advance_rate=_rate(counts.advances, counts.calls_held),
        debrief_rate=_rate(counts.debriefed, counts.calls_held),
        overdue_follow_ups=counts.overdue_follow_ups,
        upcoming=counts.upcoming,
    )


def team_figures(counts: Iterable[RepCounts]) -> list[RepFigures]:
    """Every rep's figures, by name (case-insensitive); reps with the same name are merged."""
    merged: dict[str, RepCounts] = {}
    for item in counts:
        key = item.owner.strip() or "(no owner)"
        seen = merged.get(key)
        merged[key] = (
            RepCounts(key, item.calls_held, item.advances, item.debriefed, item.overdue_follow_ups, item.upcoming)
            if seen is None
            else total([seen, item], key)
        )
    return [figures(merged[key]) for key in sorted(merged, key=lambda name: (name.casefold(), name))]


def total(counts: Iterable[RepCounts], owner: str = "Team") -> RepCounts:
    """The counts of several reps added up (the team line)."""
    items = list(counts)
    return RepCounts(
        owner=owner,
        calls_held=sum(c.calls_held for c in items),
        advances=sum(c.advances for c in items),
        debriefed=sum(c.debriefed for c in items),
        overdue_follow_ups=sum(c.overdue_follow_ups for c in items),
        upcoming=sum(c.upcoming for c in items),
    )


def percent(rate: float | None) -> str:
    """A rate as a whole percentage, or a dash when there is nothing to divide."""
    return "—" if rate is None else f"{round(rate * 100)}%"
