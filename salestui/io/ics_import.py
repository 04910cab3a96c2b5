"""Meetings from an iCalendar file (Outlook, Google Calendar, Apple Calendar) as planned calls.

Reading is the ``icalendar`` library's (VTIMEZONE blocks, Windows zone names such as
"W. Europe Standard Time", folded or over-long lines); recurring events are expanded by
``recurring-ical-events`` (RRULE, RDATE, EXDATE, moved occurrences with RECURRENCE-ID, DST),
which also applies Google's ``X-WR-TIMEZONE``. What the events change is decided by
``salestui.domain.calendar`` and written by ``salestui.store.calendar`` in one transaction.

Before any of that, the file is read at the byte level (``_prepare``): folds are joined before
decoding (a fold may split a UTF-8 character), a file that is not UTF-8 is read as Windows-1252,
and only the events that can matter are handed to ``icalendar``: those starting in the window,
recurring ones, and those of calls imported before. Time and memory stay bounded whatever the
file: a meeting repeating more often than daily is skipped, a series keeps its first
``MAX_OCCURRENCES`` occurrences, a time zone whose rules repeat more often than yearly is refused,
more than ``MAX_EVENTS`` meetings in the window refuse the file, and so does expansion running
past ``TIME_BUDGET`` seconds.
"""

from __future__ import annotations

import re
import time as _time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salestui.domain.calendar import Attendee, CalendarEvent, Skip, plain
from salestui.domain.clock import local
from salestui.domain.dates import MAX_DAYS
from salestui.domain.validation import EARLIEST_YEAR, LATEST_YEAR
from salestui.io.ics import parse_uid
from salestui.io.report import ImportReport

if TYPE_CHECKING:
    from icalendar import Calendar, Component

    from salestui.domain.calendar import ImportPlan
    from salestui.store.core import Store

Progress = Callable[[int, int], None]

DEFAULT_DAYS = 90
FIRST_YEAR, LAST_YEAR = EARLIEST_YEAR, LATEST_YEAR
"""The window lies within the years a call may have (``domain.validation``), refused in one line otherwise."""
MAX_EVENTS = 5000
"""Meetings (single events and occurrences) in one import; more refuse the file: a shorter window."""
MAX_OCCURRENCES = 400
"""Occurrences of one series in the window; the first ones are kept and the rest named."""
TIME_BUDGET = 30.0
"""Seconds of reading and expanding before the file is refused."""
_SUBDAILY = {"SECONDLY", "MINUTELY", "HOURLY"}
_LONGEST_LINE = 500  # a title or location longer than this is pasted text, not a title
_NOT_PEOPLE = {"ROOM", "RESOURCE", "UNKNOWN"}


class CalendarError(ValueError):
    """The file cannot be read as a calendar; the message says why in one line."""


@dataclass
class CalendarFile:
    """The events of a file within a window, and what could not be read."""

    events: list[CalendarEvent]
    series: set[str]
    """UIDs of recurring events."""
    owner: str = ""
    """The calendar owner's e-mail when the file names it (Google calls the calendar after it)."""
    problems: list[str] = field(default_factory=list)
    """One line per event that could not be read."""


@dataclass
class CalendarReport(ImportReport):
    """What a calendar import did: the shared counts plus cancelled, unchanged and contacts."""

    cancelled: int = 0
    unchanged: int = 0
    contacts_created: int = 0
    offered: list[str] = field(default_factory=list)
    """Attendees at a matched account's domain who are not contacts (``--add-contacts`` adds them)."""
    lines: list[str] = field(default_factory=list)
    """One line per skipped event, with the reason."""
    notes: list[str] = field(default_factory=list)

    def summary(self, what: str = "calendar") -> str:
        """One line of counts, then a line per skipped event, offered contact and note."""
        head = (
            f"{what}: {self.created} created, {self.updated} updated, {self.cancelled} cancelled, "
            f"{len(self.lines)} skipped"
        )
        extra = []
        if self.unchanged:
            extra.append(f"{self.unchanged} unchanged")
        if self.contacts_created:
            extra.append(f"{self.contacts_created} contact{'s' if self.contacts_created != 1 else ''} added")
        out = [head + (", " + ", ".join(extra) if extra else "")]
        out += [f"  skipped {line}" for line in self.lines]
        if self.offered:
            out.append(f"  {len(self.offered)} attendee(s) could become contacts (import again with --add-contacts):")
            out += [f"    {line}" for line in self.offered]
        out += [f"  note: {note}" for note in self.notes]
        return "\n".join(out)

    def toast(self) -> str:
        """The summary for a toast: the counts and the first few skipped events."""
        lines = self.summary().split("\n")
        return "\n".join(lines[:6] + ([f"… and {len(lines) - 6} more lines"] if len(lines) > 6 else []))


def window_of(start: datetime, days: int) -> tuple[datetime, datetime]:
    """``days`` days from ``start`` (aware); raises ValueError in one line for a window out of range."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"--days must be between 1 and {MAX_DAYS} (ten years)")
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise ValueError(f"--from must be a date between {FIRST_YEAR} and {LAST_YEAR}")
    end = start + timedelta(days=days)
    if end.year > LAST_YEAR:
        raise ValueError(f"the window must end within {LAST_YEAR}: a shorter --days")
    return start, end


def read_calendar(
    data: bytes, window: tuple[datetime, datetime], database_id: str = "", known_uids: Collection[str] | None = None
) -> CalendarFile:
    """Events with a start in ``window`` (occurrences of recurring ones), plus single events and
    moved occurrences outside it, which only move or cancel calls imported before.

    ``database_id`` tells this database's own exported events (see ``ics.parse_uid``);
    ``known_uids`` are the UIDs of calls imported before: a single event outside the window is read
    only when it is one of them (``None`` reads them all).

    Raises :class:`CalendarError` when the data is not an iCalendar file at all, or when it holds
    more than an import reads in bounded time and memory (one line says which).
    """
    from icalendar import Calendar

    deadline = _time.monotonic() + TIME_BUDGET
    text, problems = _prepare(data, window, database_id, known_uids, deadline)
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as error:
        raise CalendarError(f"not a readable iCalendar file ({_first_line(error)})") from None
    del text
    if isinstance(calendar, list) or calendar.name != "VCALENDAR":
        raise CalendarError("not an iCalendar file (expected one VCALENDAR)")
    problems += _drop_unreadable(calendar)
    problems += _floating_zones(calendar)
    cancelled_all = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    series = {
        str(c.get("UID"))
        for c in calendar.walk("VEVENT")
        if any(key in c for key in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    start, end = window
    found: dict[tuple[str, str], CalendarEvent] = {}
    singles: list[Component] = []
    by_series: dict[str, list[Component]] = {}
    for component in calendar.walk("VEVENT"):
        uid = str(component.get("UID"))
        if uid in series:
            by_series.setdefault(uid, []).append(component)
        if "RRULE" in component or "RDATE" in component:
            continue
        # Single events and moved occurrences outside the window: a call imported before follows them.
        event = _event(component, series, cancelled_all, False, database_id)
        if event.start is not None and not start <= event.start < end:
            found[event.key] = event
        elif uid not in series:
            singles.append(component)
    try:
        in_window = 0
        for component in _of(calendar, singles).between(start, end):
            event = _event(component, series, cancelled_all, True, database_id)
            if event.start is None or start <= event.start < end:
                found[event.key] = event
                in_window += 1
        for uid, components in by_series.items():
            in_window += _expand(
                uid, components, calendar, window, found, problems, deadline, cancelled_all, series, database_id
            )
            if in_window > MAX_EVENTS:
                raise CalendarError(_too_many())
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        raise CalendarError(f"its recurring events cannot be expanded ({_first_line(error)})") from None
    return CalendarFile(
        events=sorted(found.values(), key=lambda e: (e.day, e.start or datetime.min.replace(tzinfo=UTC), e.uid)),
        series=series,
        owner=_calendar_owner(calendar),
        problems=problems,
    )


def _expand(
    uid: str,
    components: list[Component],
    calendar: Calendar,
    window: tuple[datetime, datetime],
    found: dict[tuple[str, str], CalendarEvent],
    problems: list[str],
    deadline: float,
    cancelled_all: bool,
    series: set[str],
    database_id: str,
) -> int:
    """Add one series' occurrences in ``window`` to ``found`` (at most ``MAX_OCCURRENCES``, none
    for a series repeating more often than daily); returns how many were added."""
    start, end = window
    title = plain(str(components[0].get("SUMMARY", ""))) or "(no title)"
    too_often = _more_often_than_daily(components)
    if too_often:
        problems.append(f"{title!r}: repeats {too_often}, more often than daily: the series is skipped")
        for key in [key for key in found if key[0] == uid]:
            del found[key]
        return 0
    kept, last = 0, start.date()
    for component in _of(calendar, components).after(start):
        if _time.monotonic() > deadline:
            raise CalendarError(f"its recurring events take more than {TIME_BUDGET:.0f} s to expand: a shorter --days")
        event = _event(component, series, cancelled_all, True, database_id)
        if event.start is not None and event.start >= end:
            break
        if event.start is None and event.day >= end.date():
            break
        if event.start is not None and event.start < start:
            continue
        if kept == MAX_OCCURRENCES:
            problems.append(
                f"{title!r}: repeats more than {MAX_OCCURRENCES} times in the window: "
                f"the first {MAX_OCCURRENCES} are imported (up to {last.isoformat()})"
            )
            break
        found[event.key] = event
        kept, last = kept + 1, event.day
    return kept


def _too_many() -> str:
    return f"more than {MAX_EVENTS} meetings in the window: import a shorter window (--days)"


def _of(calendar: Calendar, components: list[Component]) -> Any:
    """A query over ``components`` alone (with the calendar's zones and X-WR-TIMEZONE): one series
    at a time, so a series is capped without expanding the others."""
    import recurring_ical_events
    from icalendar import Calendar

    part = Calendar()
    for key in ("X-WR-TIMEZONE", "METHOD"):
        if key in calendar:
            part[key] = calendar[key]
    part.subcomponents = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"] + list(components)
    return recurring_ical_events.of(part, skip_bad_series=True)


_EVERY = {"SECONDLY": "every second", "MINUTELY": "every minute", "HOURLY": "every hour"}


def _more_often_than_daily(components: list[Component]) -> str | None:
    """How often a series repeats when that is more than once a day (``"every minute"``), else ``None``."""
    for component in components:
        rules = component.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            freq = str((rule.get("FREQ") or [""])[0]).upper()
            if freq in _EVERY:
                return _EVERY[freq]
            times = 1
            for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
                times *= max(1, len(rule.get(part) or []))
            if times > 1:
                return f"{times} times a day"
    return None


# -- the byte level: folds, encoding, what is worth parsing ----------------------------------------
_BLOCK = re.compile(rb"^BEGIN:(VEVENT|VTIMEZONE)[ \t]*\r?\n.*?^END:\1[ \t]*(?:\r?\n|\Z)", re.M | re.S | re.I)
_FIRST_BEGIN = re.compile(rb"^BEGIN:(?!VCALENDAR)", re.M | re.I)
_UID = re.compile(rb"^UID[;:](?:[^:\r\n]*:)?([^\r\n]*)", re.M | re.I)
_START_DAY = re.compile(rb"^DTSTART[^:\r\n]*:(\d{4})(\d{2})(\d{2})", re.M | re.I)
_RECURRING = re.compile(rb"^(?:RRULE|RDATE)[;:]", re.M | re.I)
_RECURRENCE_ID = re.compile(rb"^RECURRENCE-ID[^:\r\n]*:([^\r\n]*)", re.M | re.I)
_SEQUENCE = re.compile(rb"^SEQUENCE[^:\r\n]*:\s*(\d{1,9})", re.M | re.I)
_SUMMARY = re.compile(rb"^SUMMARY[^:\r\n]*:([^\r\n]*)", re.M | re.I)
_TZID = re.compile(r"^TZID[^:\r\n]*:([^\r\n]*)", re.M | re.I)
_FREQ = re.compile(r"^RRULE[^:\r\n]*:[^\r\n]*FREQ=([A-Z]+)", re.M | re.I)
_SLACK = timedelta(days=2)  # a start day written in a far zone may be a day off the window's


def _decoding(data: bytes) -> str:
    """``utf-8``, or ``cp1252`` (``latin-1`` when even that fails) for a file that is not UTF-8;
    checked a megabyte at a time so a big file is never held twice as text."""
    import codecs

    check = codecs.getincrementaldecoder("utf-8")()
    try:
        for at in range(0, len(data), 1 << 20):
            check.decode(data[at : at + (1 << 20)])
        check.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return "latin-1"
        return "cp1252"


def _text(value: bytes, encoding: str) -> str:
    return value.decode(encoding, "replace")


def _prepare(
    data: bytes,
    window: tuple[datetime, datetime],
    database_id: str,
    known_uids: Collection[str] | None,
    deadline: float,
) -> tuple[str, list[str]]:
    """The calendar text ``icalendar`` is to parse, and one line per problem found on the way.

    Folds are joined at the byte level, before decoding (a fold may split a UTF-8 character);
    only the calendar's own lines, its zones and the events that can matter are kept.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise CalendarError("the file is empty")
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise CalendarError("not an iCalendar file (no BEGIN:VCALENDAR at the start)")
    problems: list[str] = []
    if b"\n " in data or b"\n\t" in data:  # bytes.replace is ten times a regex's speed on 50 MB
        data = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").replace(b"\n ", b"").replace(b"\n\t", b"")
    encoding = _decoding(data)
    if encoding != "utf-8":
        name = "Windows-1252 (Western European)" if encoding == "cp1252" else "Latin-1"
        problems.append(f"the file is not UTF-8: read as {name}; check names with accents")
    first = _FIRST_BEGIN.search(data)
    head = data[: first.start()] if first else data
    zones: list[bytes] = []
    blocks: list[bytes] = []
    recurring: set[bytes] = set()
    for kind, block in _blocks(data):
        if _time.monotonic() > deadline:
            raise CalendarError(f"it takes more than {TIME_BUDGET:.0f} s to read: is it a calendar?")
        if kind == b"VTIMEZONE":
            zones.append(block)
            continue
        blocks.append(block)
        if _RECURRING.search(block) and (uid := _UID.search(block)):
            recurring.add(uid[1].strip())
    if data.count(b"\nBEGIN:VEVENT") > len(blocks):
        raise CalendarError("not a readable iCalendar file (an event has no END:VEVENT: is the file cut short?)")
    order = _worth_reading(blocks, recurring, window, database_id, known_uids, encoding, problems)
    del blocks
    parts = [_text(head, encoding)]
    parts += [_zone_kept(_text(zone, encoding), problems) for zone in zones]
    parts += [_text(block, encoding) for block in order]
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts), problems


def _blocks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """``(b"VEVENT", block)`` and ``(b"VTIMEZONE", block)`` in file order; a block without its END
    line is left out. Upper-case names are found with ``bytes.find`` (fast on 50 MB); a file that
    writes them otherwise goes through a case-blind regex."""
    if any(odd in data for odd in (b"\nbegin:", b"\nBegin:", b"\nend:", b"\nEnd:")):
        for match in _BLOCK.finditer(data):
            yield match[1].upper(), match[0]
        return
    at = 0
    while True:
        begin = data.find(b"\nBEGIN:V", at)
        if begin < 0:
            return
        begin += 1
        line_end = data.find(b"\n", begin)
        kind = data[begin + 6 : line_end if line_end >= 0 else len(data)].strip()
        if kind not in (b"VEVENT", b"VTIMEZONE"):
            at = begin
            continue
        end = data.find(b"\nEND:" + kind, begin)
        if end < 0:
            return
        stop = data.find(b"\n", end + 1)
        stop = len(data) if stop < 0 else stop + 1
        if kind == b"VEVENT":
            nested = data.find(b"\nBEGIN:VEVENT", begin, end)
            if nested >= 0:  # an event cut short: the next one starts before its END
                at = nested
                continue
        yield kind, data[begin:stop]
        at = stop - 1


def _worth_reading(
    blocks: list[bytes],
    recurring: set[bytes],
    window: tuple[datetime, datetime],
    database_id: str,
    known_uids: Collection[str] | None,
    encoding: str,
    problems: list[str],
) -> list[bytes]:
    """The events to parse: recurring ones, those starting in the window (at most ``MAX_EVENTS``)
    and those of calls imported before; of two with one UID, the higher SEQUENCE (or the first)."""
    first_day, last_day = (window[0] - _SLACK).date(), (window[1] + _SLACK).date()
    kept: dict[tuple[bytes, bytes], tuple[int, bytes]] = {}
    in_window = 0
    for block in blocks:
        found_uid = _UID.search(block)
        uid = found_uid[1].strip() if found_uid else b""
        if uid and uid not in recurring:
            day = _START_DAY.search(block)
            try:
                start = date(int(day[1]), int(day[2]), int(day[3])) if day else None
            except ValueError:
                start = None
            if start is None or first_day <= start <= last_day:
                in_window += 1
                if in_window > MAX_EVENTS:
                    raise CalendarError(_too_many())
            elif known_uids is not None:
                text_uid = _text(uid, encoding)
                if text_uid not in known_uids and parse_uid(text_uid, database_id) is None:
                    continue  # outside the window and never imported: nothing to create, move or cancel
        if len(block) > _LONGEST_EVENT:
            block = _shortened(block, encoding, problems)
        moved = _RECURRENCE_ID.search(block)
        key = (uid or b"\0%d" % len(kept), moved[1].strip() if moved else b"")  # no UID: named later
        sequence = _SEQUENCE.search(block)
        rank = int(sequence[1]) if sequence else 0
        if key in kept:
            title = _SUMMARY.search(block)
            name = plain(_text(title[1], encoding)) if title else "(no title)"
            earlier = kept[key][0]
            which = "the one with the higher SEQUENCE" if rank != earlier else "the first"
            problems.append(f"{name!r}: another event has the same UID {_text(uid, encoding)[:80]!r}: kept {which}")
            if rank > earlier:
                kept[key] = (rank, block)
            continue
        kept[key] = (rank, block)
    return [block for _rank, block in kept.values()]


_LONGEST_EVENT = 256 * 1024
_LONGEST_PROPERTY = 32 * 1024


def _shortened(block: bytes, encoding: str, problems: list[str]) -> bytes:
    """An event of more than 256 KB with each line cut to 32 KB, and a line saying so: a meeting's
    text is never that long, and parsing a 50 MB description took 22 s and 340 MB."""
    lines = block.split(b"\n")
    if all(len(line) <= _LONGEST_PROPERTY for line in lines):
        return block  # many ordinary lines (a long guest list): nothing to cut
    title = _SUMMARY.search(block)
    name = plain(_text(title[1], encoding))[:80] if title else "(no title)"
    problems.append(
        f"{name!r}: the event is {len(block) / 1e6:.1f} MB long: each of its lines was cut to "
        f"{_LONGEST_PROPERTY // 1024} KB"
    )
    cut = [line[:_LONGEST_PROPERTY].rstrip(b"\r") if len(line) > _LONGEST_PROPERTY else line for line in lines]
    if encoding == "utf-8":  # never leave half a character at a cut
        cut = [line.decode("utf-8", "ignore").encode() for line in cut]
    return b"\n".join(cut)


def _zone_kept(block: str, problems: list[str]) -> str:
    """A VTIMEZONE block as kept: refused when its rules repeat more often than yearly (building
    the zone from them never ends), dropped for a Windows name the zone database knows."""
    found = _TZID.search(block)
    name = found[1].strip().strip('"') if found else ""
    odd = {freq.upper() for freq in _FREQ.findall(block)} - {"YEARLY"}
    if odd:
        problems.append(f"time zone {plain(name)!r} refused: its rules repeat {'/'.join(sorted(odd)).lower()}")
        return ""
    return _known_zones_by_name(block, name)


def _known_zones_by_name(block: str, name: str) -> str:
    """Drop the VTIMEZONE block of a Windows zone name the time zone database knows.

    Outlook writes "W. Europe Standard Time" with a VTIMEZONE whose rules start in 1601: the
    zone built from it walks four centuries of transitions on every lookup (80 s for a few
    thousand meetings). Without the block, icalendar maps the name to its IANA zone
    (Europe/Berlin), whose rules for the years meetings happen in are the same. Blocks of
    other names ("Customized Time Zone") stay and are used as written.
    """
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # a future icalendar may move it: then the blocks stay (slower, still right)
        return block
    return "" if name.strip("/") in WINDOWS_TO_OLSON else block


def _floating_zones(calendar: Calendar) -> list[str]:
    """Name every TZID the file neither defines nor the zone database knows: those times are read
    as the calendar's zone (X-WR-TIMEZONE) or the rep's own, never as UTC without a word."""
    from salestui.domain.clock import zone_name

    unknown: dict[str, int] = {}
    for component in calendar.walk("VEVENT"):
        start = component.get("DTSTART")
        zone = getattr(start, "params", {}).get("TZID") if start is not None else None
        if zone and isinstance(getattr(start, "dt", None), datetime) and start.dt.tzinfo is None:
            unknown[str(zone)] = unknown.get(str(zone), 0) + 1
    own = str(calendar.get("X-WR-TIMEZONE", "")) or zone_name()
    return [
        f"unknown time zone {plain(name)!r} on {count} event{'s' if count != 1 else ''}: times read as {own}"
        for name, count in unknown.items()
    ]


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return plain(text[0])[:120] if text else type(error).__name__


def _drop_unreadable(calendar: Calendar) -> list[str]:
    """Remove events a reader would trip over; one line each says which and why."""
    import zoneinfo

    problems = []
    zone = calendar.get("X-WR-TIMEZONE")
    if zone is not None:
        try:
            zoneinfo.ZoneInfo(str(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            del calendar["X-WR-TIMEZONE"]
            problems.append(f"unknown calendar time zone {plain(str(zone))!r}: times read as written")
    kept = []
    for component in calendar.subcomponents:
        if component.name != "VEVENT":
            kept.append(component)
            continue
        reason = _unreadable(component)
        if reason is None:
            kept.append(component)
        else:
            summary = plain(str(component.get("SUMMARY", ""))) or "(no title)"
            problems.append(f"{summary!r}: {reason}")
    calendar.subcomponents[:] = kept
    return problems


def _unreadable(component: Component) -> str | None:
    if not str(component.get("UID", "")).strip():
        return "no UID, so a later import could not find it again"
    try:
        start = component["DTSTART"].dt
        if not isinstance(start, date):
            return "no start time"
        for key in ("DTEND", "RECURRENCE-ID"):
            if key in component:
                _ = component[key].dt
        if "RRULE" in component:
            from dateutil.rrule import rrulestr

            rule = component["RRULE"]
            rules = rule if isinstance(rule, list) else [rule]
            for item in rules:
                rrulestr(item.to_ical().decode(), dtstart=start if isinstance(start, datetime) else None)
    except KeyError:
        return "no start time"
    except (ValueError, TypeError, AttributeError) as error:
        return f"unreadable ({_first_line(error)})"
    return None


def _event(
    component: Component, series: set[str], cancelled_all: bool, in_window: bool, database_id: str
) -> CalendarEvent:
    uid = str(component.get("UID"))
    start = component["DTSTART"].dt
    occurrence = ""
    if uid in series:
        recurrence = component.get("RECURRENCE-ID")
        occurrence = _key(recurrence.dt if recurrence is not None else start)
    if isinstance(start, datetime):
        moment: datetime | None = _aware(start).astimezone(UTC)
        assert moment is not None
        day = local(moment).date()
    else:
        moment, day = None, start
    return CalendarEvent(
        uid=uid,
        occurrence=occurrence,
        start=moment,
        day=day,
        summary=plain(str(component.get("SUMMARY", "")))[:_LONGEST_LINE],
        location=plain(str(component.get("LOCATION", "")))[:_LONGEST_LINE],
        description=plain(str(component.get("DESCRIPTION", "")), lines=True),
        cancelled=cancelled_all or str(component.get("STATUS", "")).upper() == "CANCELLED",
        organizer=_person(component.get("ORGANIZER")),
        attendees=tuple(p for p in (_person(a) for a in _many(component.get("ATTENDEE"))) if p is not None),
        in_window=in_window,
        exported=parse_uid(uid, database_id),
    )


def _aware(moment: datetime) -> datetime:
    """Floating times (no zone) are the rep's local time, in the IANA zone of that date."""
    from salestui.domain.clock import local_zone

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=local_zone())


def _key(value: date | datetime) -> str:
    """The occurrence key: its original start in UTC (``20270316T090000Z``), or the day."""
    if isinstance(value, datetime):
        return _aware(value).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _person(value: Any) -> Attendee | None:
    """An ORGANIZER or ATTENDEE: ``mailto:`` value or Apple's ``EMAIL`` parameter; rooms are not people."""
    if value is None:
        return None
    params = getattr(value, "params", {})
    if str(params.get("CUTYPE", "INDIVIDUAL")).upper() in _NOT_PEOPLE:
        return None
    address = str(params.get("EMAIL", "")) or str(value)
    if address.lower().startswith("mailto:"):
        address = address[7:]
    address = plain(address).strip("<>").lower()
    if "@" not in address or " " in address:
        return None
    return Attendee(email=address, name=plain(str(params.get("CN", ""))).strip("'\""))


def _calendar_owner(calendar: Calendar) -> str:
    name = plain(str(calendar.get("X-WR-CALNAME", "")))
    return name.lower() if "@" in name and " " not in name else ""


# -- the import ------------------------------------------------------------------------------------
def import_calendar(
    store: Store,
    path: Path,
    start: datetime | None = None,
    days: int = DEFAULT_DAYS,
    add_contacts: bool = False,
    progress: Progress | None = None,
) -> CalendarReport:
    """Read ``path`` and make its meetings planned calls, all in one transaction."""
    from salestui.domain.clock import now
    from salestui.store.calendar import apply_import, database_id, imported_uids

    window = window_of(start or now(), days)
    try:
        data = Path(path).expanduser().read_bytes()
    except IsADirectoryError:
        raise CalendarError("it is a folder, not a file") from None
    read = read_calendar(data, window, database_id(store), imported_uids(store))
    del data
    report = CalendarReport()
    report.lines += read.problems
    plan, own, guessed = apply_import(store, read, window, add_contacts=add_contacts, progress=progress)
    _fill(report, plan, add_contacts)
    report.contacts_created = len(plan.offered) if add_contacts else 0
    if add_contacts and plan.emails:
        report.notes.append(f"{len(plan.emails)} contact(s) found by name took the attendee's e-mail address")
    if own and guessed:
        report.notes.append(f"your own domain was taken to be {own} (set it with: salestui config domain NAME)")
    return report


def import_for_toast(store: Store, path: Path) -> tuple[bool, str]:
    """Import for the TUI: ``(True, summary)``, or ``(False, why not)`` in one line."""
    from salestui.store.core import StoreError

    try:
        return True, import_calendar(store, path).toast()
    except OSError as problem:
        return False, f"Cannot read {path}: {problem.strerror or problem}"
    except (CalendarError, StoreError) as problem:
        return False, f"{path.name}: {problem} (nothing was imported)"


def _fill(report: CalendarReport, plan: ImportPlan, add_contacts: bool) -> None:
    report.created = len(plan.creates)
    report.updated = len(plan.updates)
    report.cancelled = len(plan.cancels)
    report.unchanged = plan.unchanged
    report.lines += skipped_lines(plan.skips)
    if not add_contacts:
        report.offered = sorted(f"{p.name} <{p.email}>" if p.name else p.email for p in plan.offered.values())


def skipped_lines(skips: Iterable[Skip]) -> list[str]:
    """One line per skipped event: a series skipped for one reason is one line with its count."""
    groups: dict[tuple[str, str], list[CalendarEvent]] = {}
    for skip in skips:
        groups.setdefault((skip.event.uid, skip.reason), []).append(skip.event)
    lines = []
    for (_uid, reason), events in groups.items():
        first = events[0]
        when = first.day.isoformat() if first.start is None else local(first.start).strftime("%Y-%m-%d %H:%M")
        more = f" (and {len(events) - 1} more occurrence{'s' if len(events) > 2 else ''})" if len(events) > 1 else ""
        lines.append(f"{when} {first.summary or '(no title)'!r}{more}: {reason}")
    return lines
