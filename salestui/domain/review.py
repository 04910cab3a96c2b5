"""Review filters and search hits: plain values the review screen and the store share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from salestui.domain.enums import CallKind, Outcome
from salestui.domain.models import CallSummary

T = TypeVar("T")


class Period(StrEnum):
    """Which calls by date the review shows."""

    ALL = "all"
    THIS_WEEK = "this_week"
    LAST_30_DAYS = "last_30_days"
    QUARTER = "quarter"
    CUSTOM = "custom"


PERIOD_LABELS: dict[Period, str] = {
    Period.ALL: "any time",
    Period.THIS_WEEK: "this week",
    Period.LAST_30_DAYS: "last 30 days",
    Period.QUARTER: "this quarter",
    Period.CUSTOM: "custom",
}


WEEK_START = 0
"""First day of the week for "this week": 0 Monday ... 6 Sunday (the rep's ``week_start`` setting)."""


def set_week_start(index: int) -> None:
    """Start weeks on ``index`` (0 Monday ... 6 Sunday) from now on (set once at start-up)."""
    global WEEK_START
    WEEK_START = index % 7


def period_bounds(
    period: Period, today: date, start: date | None = None, end: date | None = None
) -> tuple[date | None, date | None]:
    """First day and the day after the last day of ``period`` (``None`` = open ended)."""
    if period is Period.THIS_WEEK:
        first = today - timedelta(days=(today.weekday() - WEEK_START) % 7)
        return first, first + timedelta(days=7)
    if period is Period.LAST_30_DAYS:
        return today - timedelta(days=29), today + timedelta(days=1)
    if period is Period.QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1
        begin = date(today.year, first_month, 1)
        after = date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
        return begin, after
    if period is Period.CUSTOM:
        return start, end + timedelta(days=1) if end else None
    return None, None


def _next(options: Sequence[T], current: T) -> T:
    index = options.index(current) if current in options else -1
    return options[(index + 1) % len(options)]


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """Combinable review filters; every field left at its default means "no filter"."""

    account_id: int | None = None
    account_name: str = ""
    outcome: Outcome | None = None
    period: Period = Period.ALL
    start: date | None = None
    end: date | None = None
    kind: CallKind | None = None
    needs_debrief: bool = False
    follow_up_overdue: bool = False

    @property
    def active(self) -> bool:
        """True when anything is filtered."""
        return self != ReviewFilter()

    def cleared(self) -> ReviewFilter:
        """No filter at all."""
        return ReviewFilter()

    def with_(self, **changes: object) -> ReviewFilter:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def next_outcome(self) -> ReviewFilter:
        """The next outcome filter: advance, continuation, lost, cancelled, any."""
        return replace(self, outcome=_next((None, *Outcome), self.outcome))

    def next_period(self) -> ReviewFilter:
        """The next period: this week, last 30 days, this quarter, any time."""
        periods = (Period.ALL, Period.THIS_WEEK, Period.LAST_30_DAYS, Period.QUARTER)
        return replace(self, period=_next(periods, self.period), start=None, end=None)

    def next_kind(self) -> ReviewFilter:
        """The next call kind."""
        return replace(self, kind=_next((None, *CallKind), self.kind))

    def summary(self) -> str:
        """The filters in one line, e.g. ``account Initech · outcome advance · last 30 days``."""
        parts: list[str] = []
        if self.account_id is not None:
            parts.append(f"account {self.account_name or self.account_id}")
        if self.outcome is not None:
            parts.append(f"outcome {self.outcome.value}")
        if self.period is Period.CUSTOM:
            if self.start is None and self.end is None:
                parts.append("all dates")
            elif self.end is None:
                parts.append(f"from {self.start}")
            elif self.start is None:
                parts.append(f"until {self.end}")
            else:
                parts.append(f"{self.start} to {self.end}")
        elif self.period is not Period.ALL:
            parts.append(PERIOD_LABELS[self.period])
        if self.kind is not None:
            parts.append(f"kind {self.kind.value.replace('_', '-')}")
        if self.needs_debrief:
            parts.append("needs debrief")
        if self.follow_up_overdue:
            parts.append("follow-up overdue")
        return " · ".join(parts) if parts else "all past calls"


@dataclass(frozen=True, slots=True)
class PageCursor:
    """Where a keyset page starts or ends: the (happened_at, id) of an edge line."""

    at: datetime
    id: int


def cursor_of(line: CallSummary) -> PageCursor:
    """The keyset cursor of a review line (review lines always have a time: ``happened_at``)."""
    assert line.happened_at is not None
    return PageCursor(line.happened_at, line.id)


class HitSource(StrEnum):
    """Which text a search hit was found in."""

    CALL = "call"
    OBJECTION = "objection"
    NOTE = "note"
    DEBRIEF = "debrief"
    RESEARCH = "research"
    ACCOUNT = "account"
    ADVANCE = "advance"
    QUESTION = "question"


HIT_LABELS: dict[HitSource, str] = {
    HitSource.CALL: "Objective",
    HitSource.OBJECTION: "Objection",
    HitSource.NOTE: "Note",
    HitSource.DEBRIEF: "Debrief",
    HitSource.RESEARCH: "Research",
    HitSource.ACCOUNT: "Account",
    HitSource.ADVANCE: "Advance",
    HitSource.QUESTION: "Question",
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked full-text match: where it was found, a snippet, and the spans to highlight."""

    source: HitSource
    account_id: int
    account_name: str
    call_id: int | None
    scheduled_at: datetime | None
    snippet: str
    spans: tuple[tuple[int, int], ...] = field(default=())
    rank: float = 0.0
    happened_at: datetime | None = None
    """When the hit's call took place (``rules.happened_at``): what the hit shows."""


@dataclass(frozen=True, slots=True)
class WindowMove:
    """Where the review window lands after a page arrives at one of its edges."""

    lines: tuple[object, ...]
    has_newer: bool
    has_older: bool
    cursor: int
    start: int
    """Position of the window's first line among all matching lines."""
    more: tuple[str, int] | None = None
    """A long jump that needs another page: (direction, rows still to move)."""


def slide_window(
    lines: Sequence[object],
    page: Sequence[object],
    page_has_newer: bool,
    page_has_older: bool,
    *,
    direction: str,
    cursor: int,
    move: int,
    start: int,
    total: int,
    window: int,
    had_newer: bool,
    had_older: bool,
) -> WindowMove:
    """Add a page at one edge of the window, drop lines beyond ``window`` at the other, move the cursor.

    ``direction`` is ``older``/``newer`` (a page beyond the edge), ``first`` or ``last``.
    """
    if direction == "older":
        merged = [*lines, *page]
        drop = max(0, len(merged) - window)
        kept = tuple(merged[drop:])
        target = cursor - drop + move
        more = ("older", target - (len(kept) - 1)) if target >= len(kept) and page_has_older else None
        return WindowMove(kept, had_newer or drop > 0, page_has_older, target, start + drop, more)
    if direction == "newer":
        merged = [*page, *lines]
        excess = max(0, len(merged) - window)
        kept = tuple(merged[: len(merged) - excess])
        target = cursor + len(page) + move
        more = ("newer", target) if target < 0 and page_has_newer else None
        return WindowMove(kept, page_has_newer, had_older or excess > 0, target, max(0, start - len(page)), more)
    if direction == "last":
        return WindowMove(tuple(page), page_has_newer, False, len(page) - 1, max(0, total - len(page)))
    return WindowMove(tuple(page), False, page_has_older, 0, 0)


def position_line(matching: int, filtered: bool, at: int) -> str:
    """Where the cursor is among the matching calls (``at`` counts from 1), or why there are none."""
    if matching:
        return f"call {at:,} of {matching:,}"
    return "No calls match." if filtered else "No past calls yet: they appear here after their time."
