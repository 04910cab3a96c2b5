"""What a record may hold: the rules the screens enforce, in one place, for the store and the JSON import.

A rep cannot type an account without a name, tick a contact of another account, debrief a call
that is still to come, end a call before it started or carry a plan over from a call that was
carried over from it. The store's writers and the screens apply these rules one field at a
time; an import file can break any of them, so ``salestui.io.json_io`` checks every record
against the same functions before anything is written and refuses the whole file on the first
problem. Each function returns the problem in plain words, or ``None`` when the value is fine.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from salestui.domain.enums import CallStatus, Outcome
from salestui.text import entered

EARLIEST_YEAR = 1900
"""No call, note or debrief predates this year (a typo like 0026 or an epoch of 0)."""
LATEST_YEAR = 2199
"""Nor follows this one: 9999-12-31 is a placeholder, not a meeting (calendar export cannot write it)."""
NAME_MAX = 500
"""Characters in a name or another one-line field (the calendar import caps titles the same way)."""
TEXT_MAX = 100_000
"""Characters in a multi-line field (notes, strategy, lessons): some forty pages of text."""
RATING = range(1, 6)
"""A debrief's self-rating: 1 to 5."""
READINESS = range(0, 101)
"""Readiness at the start of a call, in percent."""


def required(value: str, what: str) -> str | None:
    """``what`` (``"The account name"``) must hold more than spaces and control characters."""
    return None if entered(value).strip() else f"{what} cannot be empty"


def too_long(value: str, what: str, limit: int = TEXT_MAX) -> str | None:
    """Text longer than ``limit`` characters."""
    return f"{what} is {len(value):,} characters long (at most {limit:,})" if len(value) > limit else None


def record_id(value: int | None, what: str = "the id") -> str | None:
    """Ids the database hands out are whole numbers from 1."""
    return f"{what} {value} is not a record id (ids start at 1)" if value is not None and value < 1 else None


def moment(value: date | None, what: str) -> str | None:
    """A time or a day within ``EARLIEST_YEAR``..``LATEST_YEAR``."""
    if value is None or EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    return f"{what} {value:%Y-%m-%d} is outside the years {EARLIEST_YEAR}-{LATEST_YEAR}"


def call_span(started_at: datetime | None, ended_at: datetime | None) -> str | None:
    """A call cannot end before it started, nor end without having started."""
    if ended_at is None:
        return None
    if started_at is None:
        return "it has an end but no start"
    if ended_at < started_at:
        return f"it ends ({ended_at:%Y-%m-%d %H:%M} UTC) before it starts ({started_at:%Y-%m-%d %H:%M} UTC)"
    return None


def in_range(value: int | None, allowed: range, what: str) -> str | None:
    """A number within ``allowed`` (the rating, readiness)."""
    if value is None or value in allowed:
        return None
    return f"{what} {value} is outside {allowed.start}-{allowed.stop - 1}"


def attendee(call_account: int, contact_account: int | None, contact: int) -> str | None:
    """Only the account's own contacts can attend its call (the plan lists no others)."""
    if contact_account is None or contact_account == call_account:
        return None
    return f"contact {contact} attends, but belongs to account {contact_account}, not the call's account {call_account}"


def finished_debrief(
    scheduled_at: datetime | None,
    status: CallStatus,
    outcome: Outcome | None,
    started_at: datetime | None,
    now: datetime,
) -> str | None:
    """A debrief can be finished only for a call that took place (or was cancelled): one that
    review lists (``rules.in_review``), never a call still to come."""
    from salestui.domain.rules import in_review  # and the domain models: not before the first frame

    if in_review(scheduled_at, status, outcome, started_at, now):
        return None
    when = f" on {scheduled_at:%Y-%m-%d}" if scheduled_at is not None else ""
    return f"it has a finished debrief, but the call is still to come{when} (never started, no outcome)"


def carry_cycle(carried_from: Mapping[int, int | None]) -> list[int] | None:
    """The first chain of calls carried over from each other in a circle (``[3, 5, 3]``), else ``None``.

    ``carried_from`` maps a call to the call its plan was carried over from; a debrief carries
    forward only, so a circle cannot come from the screens.
    """
    done: set[int] = set()
    for start in sorted(carried_from):
        path: list[int] = []
        seen: set[int] = set()
        current: int | None = start
        while current is not None and current not in done:
            if current in seen:
                return [*path[path.index(current) :], current]
            seen.add(current)
            path.append(current)
            current = carried_from.get(current)
        done |= seen
    return None
