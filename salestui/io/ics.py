"""Upcoming calls and follow-up dates as an iCalendar (RFC 5545) file.

Each event has a stable UID (``call-<id>-<database id>@salestui``, ``followup-<debrief id>-<database
id>@salestui``: the random id of the database keeps two reps' ``call-8`` apart) and a
SEQUENCE that grows with the record's version, so a calendar that imports the file again updates
its events instead of adding copies. Escaping and line folding are the ``icalendar`` library's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from salestui import __version__
from salestui.domain.clock import local, now
from salestui.domain.enums import LADDER, label
from salestui.domain.models import Contact

if TYPE_CHECKING:
    from icalendar import Calendar

    from salestui.store.bulk import CalendarCall, FollowUp
    from salestui.store.core import Store

D = TypeVar("D", date, datetime)

DOMAIN = "salestui"
CALL_LENGTH = timedelta(hours=1)  # calls have no planned length yet: an hour holds the slot


def _uid(kind: str, record_id: int, database_id: str) -> str:
    return f"{kind}-{record_id}-{database_id}@{DOMAIN}" if database_id else f"{kind}-{record_id}@{DOMAIN}"


def call_uid(call_id: int, database_id: str) -> str:
    """The UID of a call's event."""
    return _uid("call", call_id, database_id)


def follow_up_uid(debrief_id: int, database_id: str) -> str:
    """The UID of a follow-up date's event."""
    return _uid("followup", debrief_id, database_id)


def parse_uid(uid: str, database_id: str) -> tuple[str, int] | None:
    """``call-12-<this database's id>@salestui`` -> ``("call", 12)``, ``followup-3-…`` -> ``("followup", 3)``.

    A calendar that took in our export and is imported back carries these UIDs: its events are
    salestui's own calls and follow-ups, not new meetings. The UIDs of older exports
    (``call-12@salestui``) count as ours too; another database's (another id) do not: they are
    meetings like any other.
    """
    name, at, domain = uid.strip().partition("@")
    kind, dash, rest = name.partition("-")
    number, _, owner = rest.partition("-")
    if not (at and domain == DOMAIN and dash and kind in ("call", "followup") and number.isdigit()):
        return None
    return (kind, int(number)) if owner in ("", database_id) else None


def _call_description(item: CalendarCall, contacts: Mapping[int, Contact]) -> str:
    plan = item.plan
    lines = [f"Objective: {plan.objective or '—'}", f"Goal: {plan.goal or '—'}"]
    attending = sorted((contacts[i].name for i in plan.contact_ids if i in contacts), key=str.lower)
    if attending:
        lines.append("With: " + ", ".join(attending))
    for level in LADDER:
        advance = plan.advance(level)
        lines.append(f"{label(level)}: {advance.action if advance and advance.action.strip() else '—'}")
    if plan.objections:
        lines.append("Objections:")
        lines += [f"- {o.text}" + (f" → {o.response}" if o.response.strip() else "") for o in plan.objections]
    return "\n".join(lines)


def _plus(start: D, length: timedelta) -> D:
    """``start + length``, or ``start`` itself where that would pass the year 9999 (a call imported
    or typed at the very end of the calendar still exports, as an event with no length)."""
    try:
        return start + length
    except OverflowError:
        return start


def build_calendar(
    calls: list[CalendarCall],
    follow_ups: list[FollowUp],
    contacts: Mapping[int, Contact],
    length: timedelta = CALL_LENGTH,
    database_id: str = "",
) -> Calendar:
    """The calendar of the given calls (each ``length`` long: the rep's default call length) and follow-ups."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//salestui//salestui {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "salestui calls")
    for item in calls:
        plan = item.plan
        assert plan.scheduled_at is not None
        event = Event()
        event.add("uid", call_uid(plan.id, database_id))
        # DTSTAMP is when the information last changed, not when the file was written:
        # exporting unchanged data twice gives the same file.
        event.add("dtstamp", item.updated_at)
        event.add("last-modified", item.updated_at)
        event.add("sequence", max(0, plan.version - 1))
        event.add("dtstart", plan.scheduled_at)
        event.add("dtend", _plus(plan.scheduled_at, length))
        summary = f"{label(plan.kind)}: {plan.account_name}"
        event.add("summary", f"{summary} — {plan.objective}" if plan.objective.strip() else summary)
        event.add("description", _call_description(item, contacts))
        event.add("categories", ["salestui", "Call"])
        calendar.add_component(event)
    for follow in follow_ups:
        debrief = follow.debrief
        assert debrief.follow_up is not None
        event = Event()
        event.add("uid", follow_up_uid(debrief.id, database_id))
        stamp = debrief.updated_at or now()
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", max(0, debrief.version - 1))
        event.add("dtstart", debrief.follow_up)
        event.add("dtend", _plus(debrief.follow_up, timedelta(days=1)))
        event.add("summary", f"Follow up: {follow.account_name}")
        lines = [f"Next step: {debrief.next_step or '—'}"]
        if debrief.lessons.strip():
            lines.append(f"Lessons: {debrief.lessons}")
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")  # a reminder, not busy time
        event.add("categories", ["salestui", "Follow-up"])
        calendar.add_component(event)
    return calendar


def calendar_ics(
    store: Store,
    account_id: int | None = None,
    moment: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    length: timedelta = CALL_LENGTH,
) -> str:
    """Planned calls from now on and follow-up dates from today on, as iCalendar text (CRLF lines)."""
    from salestui.store import bulk
    from salestui.store.calendar import database_id

    at = moment or now()
    calls, follow_ups = bulk.calendar(store, since=at, from_day=local(at).date(), account_id=account_id)
    contacts = bulk.contacts_by_id(store, account_id)
    if progress is not None:
        progress(len(calls) + len(follow_ups), len(calls) + len(follow_ups))
    data: bytes = build_calendar(calls, follow_ups, contacts, length, database_id(store)).to_ical()
    return data.decode("utf-8")
