"""Meetings from an iCalendar file (Outlook, Google Calendar, Apple Calendar) as planned calls.

Reading is the ``icalendar`` library's (VTIMEZONE blocks, Windows zone names such as
"W. Europe Standard Time", folded or over-long lines); recurring events are expanded by
``recurring-ical-events`` (RRULE, RDATE, EXDATE, moved occurrences with RECURRENCE-ID, DST),
which also applies Google's ``X-WR-TIMEZONE``. What the events change is decided by
``salestui.domain.calendar`` and written by ``salestui.store.calendar`` in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salestui.domain.calendar import Attendee, CalendarEvent, Skip, plain
from salestui.io.ics import parse_uid
from salestui.io.report import ImportReport

if TYPE_CHECKING:
    from icalendar import Calendar, Component

    from salestui.domain.calendar import ImportPlan
    from salestui.store.core import Store

Progress = Callable[[int, int], None]

DEFAULT_DAYS = 90
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
    """``days`` days from ``start`` (aware)."""
    if days < 1:
        raise ValueError("--days must be 1 or more")
    return start, start + timedelta(days=days)


def read_calendar(data: bytes, window: tuple[datetime, datetime], database_id: str = "") -> CalendarFile:
    """Events with a start in ``window`` (occurrences of recurring ones), plus single events and
    moved occurrences outside it, which only move or cancel calls imported before.

    ``database_id`` tells this database's own exported events (see ``ics.parse_uid``).

    Raises :class:`CalendarError` when the data is not an iCalendar file at all.
    """
    import recurring_ical_events
    from icalendar import Calendar

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise CalendarError("the file is empty")
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise CalendarError("not an iCalendar file (no BEGIN:VCALENDAR at the start)")
    data = _known_zones_by_name(data)
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise CalendarError(f"not a readable iCalendar file ({_first_line(error)})") from None
    if isinstance(calendar, list) or calendar.name != "VCALENDAR":
        raise CalendarError("not an iCalendar file (expected one VCALENDAR)")
    problems = _drop_unreadable(calendar)
    cancelled_all = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    series = {
        str(c.get("UID"))
        for c in calendar.walk("VEVENT")
        if any(key in c for key in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    start, end = window
    found: dict[tuple[str, str], CalendarEvent] = {}
    # Single events and moved occurrences outside the window: a call imported before follows them.
    for component in calendar.walk("VEVENT"):
        if "RRULE" in component or "RDATE" in component:
            continue
        event = _event(component, series, cancelled_all, False, database_id)
        if event.start is not None and not start <= event.start < end:
            found[event.key] = event
    try:
        occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end)
        for component in occurrences:
            event = _event(component, series, cancelled_all, True, database_id)
            if event.start is None or start <= event.start < end:
                found[event.key] = event
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        raise CalendarError(f"its recurring events cannot be expanded ({_first_line(error)})") from None
    return CalendarFile(
        events=sorted(found.values(), key=lambda e: (e.day, e.start or datetime.min.replace(tzinfo=UTC), e.uid)),
        series=series,
        owner=_calendar_owner(calendar),
        problems=problems,
    )


_VTIMEZONE = re.compile(rb"BEGIN:VTIMEZONE\r?\n(?:(?!END:VTIMEZONE).)*?END:VTIMEZONE\r?\n", re.DOTALL)
_TZID = re.compile(rb"^TZID:(.*?)\r?$", re.MULTILINE)


def _known_zones_by_name(data: bytes) -> bytes:
    """Drop the VTIMEZONE blocks of Windows zone names the time zone database knows.

    Outlook writes "W. Europe Standard Time" with a VTIMEZONE whose rules start in 1601: the
    zone built from it walks four centuries of transitions on every lookup (80 s for a few
    thousand meetings). Without the block, icalendar maps the name to its IANA zone
    (Europe/Berlin), whose rules for the years meetings happen in are the same. Blocks of
    other names ("Customized Time Zone") stay and are used as written.
    """
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # a future icalendar may move it: then the blocks stay (slower, still right)
        return data

    def keep(block: re.Match[bytes]) -> bytes:
        found = _TZID.search(block[0])
        name = found[1].decode("utf-8", "replace").strip().strip('"/') if found else ""
        return b"" if name in WINDOWS_TO_OLSON else block[0]

    return _VTIMEZONE.sub(keep, data)


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
        day = moment.astimezone().date()
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
    """Floating times (no zone) are the rep's local time."""
    return moment if moment.tzinfo is not None else moment.astimezone()


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
    from salestui.store.calendar import apply_import, database_id

    window = window_of(start or now(), days)
    try:
        data = Path(path).expanduser().read_bytes()
    except IsADirectoryError:
        raise CalendarError("it is a folder, not a file") from None
    read = read_calendar(data, window, database_id(store))
    report = CalendarReport()
    report.lines += read.problems
    plan, own, guessed = apply_import(store, read, window, add_contacts=add_contacts, progress=progress)
    _fill(report, plan, add_contacts)
    report.contacts_created = len(plan.offered) if add_contacts else 0
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
        when = first.day.isoformat() if first.start is None else first.start.astimezone().strftime("%Y-%m-%d %H:%M")
        more = f" (and {len(events) - 1} more occurrence{'s' if len(events) > 2 else ''})" if len(events) > 1 else ""
        lines.append(f"{when} {first.summary or '(no title)'!r}{more}: {reason}")
    return lines
