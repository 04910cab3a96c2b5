"""Parse the dates and times reps type: ISO, relative ("+2d 14:30") and named days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from salestui.domain.clock import local_zone, zone_name
from salestui.domain.validation import moment as outside_years

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_RELATIVE = re.compile(r"^(?:\+|in\s+)(\d{1,4})\s*(d|day|days|w|week|weeks|h|hour|hours)$")
_PAST = re.compile(r"^-(\d{1,4})\s*(d|day|days|w|week|weeks)$|^(\d{1,4})\s*(d|day|days|w|week|weeks)\s+ago$")
_DEFAULT_TIME = time(9, 0)

MAX_DAYS = 3660
"""The longest span a command takes in ``--days`` (agenda, calendar import): ten years."""

HINT = 'e.g. "2026-12-01 14:30", "tomorrow 10:00", "+2d 14:30", "fri 9:00"'


@dataclass(frozen=True, slots=True)
class Parsed:
    """A successful parse: an aware moment with the fixed UTC offset it has on that date."""

    value: datetime
    note: str | None = None
    """What the hint must say besides the time: a wall time that happens twice, and which one this is."""


@dataclass(frozen=True, slots=True)
class Invalid:
    """A failed parse with a message in plain words."""

    message: str


def _parse_time(text: str) -> time | None:
    match = _TIME.match(text.strip().lower())
    if not match:
        return None
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _parse_day(word: str, today: date) -> date | None:
    word = word.lower()
    if word in ("today", "now"):
        return today
    if word in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if word == "yesterday":
        return today - timedelta(days=1)
    if word[:3] in _WEEKDAYS and len(word) >= 3:
        ahead = (_WEEKDAYS.index(word[:3]) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None


def _span(delta: timedelta) -> str:
    minutes = abs(int(delta.total_seconds())) // 60
    if minutes == 60:
        return "an hour"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def _fixed(moment: datetime) -> datetime:
    """``moment`` with the fixed offset it has: unambiguous, and equal to the same instant in UTC
    (an aware time in a fold never equals a time in another zone, PEP 495)."""
    return moment.astimezone(timezone(moment.utcoffset() or timedelta(0)))


def localize(day: date, at: time, zone: tzinfo, which: str | None = None) -> Parsed | Invalid:
    """``at`` on ``day`` as the wall clock in ``zone`` shows it, with the offset of *that* date.

    A time skipped by a change of clocks is refused with the time that exists instead; a time the
    clocks show twice is the first one unless ``which`` names the second's abbreviation ("EST"),
    and the note says so. Never shifted in silence."""
    naive = datetime.combine(day, at)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    before, after = first.utcoffset(), second.utcoffset()
    shown = f"{at:%H:%M}"
    if before == after or before is None or after is None:
        if which is not None:
            return Invalid(f"{which.upper()!r} is not a zone of {zone_name(zone)}, " + HINT)
        return Parsed(_fixed(first))
    back_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back_trip != naive:  # a gap: the clocks jumped over this time
        moved = first.astimezone(UTC).astimezone(zone)
        return Invalid(
            f"{shown} does not exist on {day.isoformat()} in {zone_name(zone)} "
            f"(clocks go forward {_span(after - before)}): {moved:%H:%M}?"
        )
    names = (first.tzname() or "", second.tzname() or "")
    if which is not None and which.upper() not in (names[0].upper(), names[1].upper()):
        return Invalid(f"{shown} on {day.isoformat()} is {names[0]} or {names[1]}, not {which.upper()}")
    chosen = second if which is not None and which.upper() == names[1].upper() != names[0].upper() else first
    other = names[1] if chosen is first else names[0]
    note = (
        f"{shown} happens twice on {day.isoformat()} in {zone_name(zone)} (clocks go back "
        f"{_span(before - after)}): this is the {'first' if chosen is first else 'second'}, {chosen.tzname()}"
    )
    if names[0] != names[1]:
        note += f'; "{day.isoformat()} {shown} {other}" for the other'
    return Parsed(_fixed(chosen), note)


def shown_when(moment: datetime, zone: tzinfo | None = None) -> str:
    """How a stored moment is shown for typing back: ``2027-11-07 01:30``, with the zone's
    abbreviation when that wall time happens twice (``2027-11-07 01:30 EST``), so reading it
    back gives the same instant, never the other 01:30."""
    zone = zone if zone is not None else local_zone()
    wall = moment.astimezone(zone)
    text = wall.strftime("%Y-%m-%d %H:%M")
    naive = wall.replace(tzinfo=None)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset() and first.tzname() != second.tzname():
        text += f" {wall.tzname()}"
    return text


def parse_when(text: str, now: datetime, zone: tzinfo | None = None) -> Parsed | Invalid:
    """Parse ``text`` as a date and time on the wall clock of ``zone`` (the user's zone by
    default) relative to aware ``now``; never raises."""
    try:
        parsed = _parse_when(text, now, zone if zone is not None else local_zone())
    except (ValueError, OverflowError):
        return Invalid(f"Not a date I understand: {HINT}")
    # The years a call may have: the rule the JSON import applies too (domain.validation).
    wrong = outside_years(parsed.value, "The date") if isinstance(parsed, Parsed) else None
    return Invalid(wrong) if wrong else parsed


_ZONE_WORD = re.compile(r"^(.*\d(?:\s*[ap]m)?)\s+([a-z+-][a-z0-9+-]{1,5})$")


def _zone_word(time_text: str) -> tuple[str, str | None]:
    """``("01:30", "est")`` from ``"01:30 est"``: which of a time shown twice is meant."""
    match = _ZONE_WORD.match(time_text)
    if match is None or match[2] in ("am", "pm"):
        return time_text, None
    return match[1], match[2]


def _parse_when(text: str, now: datetime, zone: tzinfo) -> Parsed | Invalid:
    cleaned = " ".join(text.replace("\x00", "").split()).lower()
    if not cleaned:
        return Invalid("Enter a date and time, " + HINT)
    local_now = now.astimezone(zone)
    today = local_now.date()
    cleaned = cleaned.replace("t", " ", 1) if re.match(r"^\d{4}-\d{2}-\d{2}t", cleaned) else cleaned
    parts = cleaned.split(" ")
    # Relative offsets: "+2d", "+2d 14:30", "in 3 days", "+3h".
    joined_rel = " ".join(parts[:3]) if parts[0] == "in" else parts[0]
    rel = _RELATIVE.match(joined_rel)
    if rel:
        amount, unit = int(rel[1]), rel[2][0]
        rest = parts[3:] if parts[0] == "in" else parts[1:]
        if unit == "h":
            if rest:
                return Invalid("An hour offset takes no time of day, " + HINT)
            # Hours are elapsed time, counted in UTC: "+3h" across a change of clocks is still 3 hours.
            later = (now.astimezone(UTC) + timedelta(hours=amount)).replace(second=0, microsecond=0)
            return Parsed(_fixed(later.astimezone(zone)))
        offset_day = today + timedelta(days=amount * (7 if unit == "w" else 1))
        offset_time, which = _zone_word(" ".join(rest))
        at = _parse_time(offset_time) if rest else local_now.time().replace(second=0, microsecond=0)
        if at is None:
            return Invalid(f"Not a time: {offset_time!r}, " + HINT)
        return localize(offset_day, at, zone, which)
    day = _parse_day(parts[0], today)
    if day is None:
        return Invalid(f"Not a date I understand: {HINT}")
    time_text, which = _zone_word(" ".join(parts[1:]))
    at = _parse_time(time_text) if time_text else _DEFAULT_TIME
    if at is None:
        return Invalid(f"Not a time: {time_text!r}, " + HINT)
    return localize(day, at, zone, which)


def parse_date(text: str, today: date) -> date | Invalid:
    """Parse a date (ISO, relative or named day) for due and follow-up dates; never raises."""
    day = _parse_date(text, today)
    wrong = outside_years(day, "The date") if isinstance(day, date) else None
    return Invalid(wrong) if wrong else day


def _parse_date(text: str, today: date) -> date | Invalid:
    cleaned = " ".join(text.replace("\x00", "").split()).lower()
    if not cleaned:
        return Invalid("Enter a date, e.g. 2026-12-01, +7d, tomorrow, fri")
    try:
        rel = _RELATIVE.match(cleaned)
        if rel and rel[2][0] in "dw":
            return today + timedelta(days=int(rel[1]) * (7 if rel[2][0] == "w" else 1))
        past = _PAST.match(cleaned)
        if past:
            amount, unit = (past[1], past[2]) if past[1] else (past[3], past[4])
            return today - timedelta(days=int(amount) * (7 if unit[0] == "w" else 1))
        day = _parse_day(cleaned, today)
    except (ValueError, OverflowError):
        day = None
    return day if day is not None else Invalid("Not a date: use e.g. 2026-12-01, +7d, -30d, tomorrow, fri")
