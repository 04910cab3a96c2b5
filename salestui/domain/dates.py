"""Parse the dates and times reps type: ISO, relative ("+2d 14:30") and named days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_RELATIVE = re.compile(r"^(?:\+|in\s+)(\d{1,4})\s*(d|day|days|w|week|weeks|h|hour|hours)$")
_PAST = re.compile(r"^-(\d{1,4})\s*(d|day|days|w|week|weeks)$|^(\d{1,4})\s*(d|day|days|w|week|weeks)\s+ago$")
_DEFAULT_TIME = time(9, 0)

HINT = 'e.g. "2026-12-01 14:30", "tomorrow 10:00", "+2d 14:30", "fri 9:00"'


@dataclass(frozen=True, slots=True)
class Parsed:
    """A successful parse."""

    value: datetime


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


def parse_when(text: str, now: datetime, zone: tzinfo | None = None) -> Parsed | Invalid:
    """Parse ``text`` as a local date and time relative to aware ``now``; never raises."""
    try:
        return _parse_when(text, now, zone)
    except (ValueError, OverflowError):
        return Invalid(f"Not a date I understand: {HINT}")


def _parse_when(text: str, now: datetime, zone: tzinfo | None) -> Parsed | Invalid:
    cleaned = " ".join(text.replace("\x00", "").split()).lower()
    if not cleaned:
        return Invalid("Enter a date and time, " + HINT)
    local_now = now.astimezone(zone) if zone else now.astimezone()
    tz = local_now.tzinfo
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
            return Parsed((local_now + timedelta(hours=amount)).replace(second=0, microsecond=0))
        offset_day = today + timedelta(days=amount * (7 if unit == "w" else 1))
        offset_time = " ".join(rest)
        at = _parse_time(offset_time) if rest else local_now.time().replace(second=0, microsecond=0)
        if at is None:
            return Invalid(f"Not a time: {offset_time!r}, " + HINT)
        return Parsed(datetime.combine(offset_day, at, tz))
    day = _parse_day(parts[0], today)
    if day is None:
        return Invalid(f"Not a date I understand: {HINT}")
    time_text = " ".join(parts[1:])
    at = _parse_time(time_text) if time_text else _DEFAULT_TIME
    if at is None:
        return Invalid(f"Not a time: {time_text!r}, " + HINT)
    return Parsed(datetime.combine(day, at, tz))


def parse_date(text: str, today: date) -> date | Invalid:
    """Parse a date (ISO, relative or named day) for due and follow-up dates; never raises."""
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
