"""Calendar events to planned calls: who the meeting is with, and what an import changes.

Plain rules, no file format and no database: ``salestui.io.ics_import`` reads events from an
iCalendar file, ``salestui.store.calendar`` applies the changes :func:`plan_import` decides.

An event becomes a call for an account when an attendee's e-mail is a contact of the account,
else when an attendee's domain is the account's website or one of its contacts' e-mail domains.
The rep's own domain never matches, nor do public mail domains (a customer's gmail address
would otherwise pull every gmail attendee into that account). A call remembers its event's UID
and occurrence, so importing again updates instead of adding, and a moved meeting moves it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from salestui.domain.enums import CallKind, CallStatus
from salestui.domain.imports import find_contact, index_contact

# Mail services anyone can sign up to: their domain says nothing about the company.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "t-online.de",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "mail.com",
        "zoho.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "orange.fr",
        "free.fr",
        "libero.it",
    }
)

# A moved series keeps its calls when the new occurrence is this close to the old one.
SERIES_SHIFT = timedelta(hours=23)

_KIND_WORDS: tuple[tuple[CallKind, tuple[str, ...]], ...] = (
    (CallKind.DEMO, ("demo", "demonstration", "walkthrough", "walk-through", "showcase")),
    (CallKind.PROPOSAL, ("proposal", "quote", "offer", "pricing", "business case")),
    (CallKind.NEGOTIATION, ("negotiation", "negotiate", "contract", "terms", "legal review")),
    (CallKind.CHECK_IN, ("check-in", "check in", "checkin", "catch up", "catch-up", "qbr", "review", "sync")),
    (CallKind.DISCOVERY, ("discovery", "intro", "introduction", "first meeting", "kick-off", "kickoff")),
)
_KIND_CUES = tuple(
    (kind, re.compile("(?<![a-z])(?:" + "|".join(re.escape(cue) for cue in cues) + ")(?![a-z])"))
    for kind, cues in _KIND_WORDS
)


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone invited: e-mail in lower case, and the display name the calendar gives."""

    email: str
    name: str = ""

    @property
    def domain(self) -> str:
        """The part after ``@``."""
        return self.email.rpartition("@")[2]


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One occurrence of a calendar event (a single event has one)."""

    uid: str
    occurrence: str
    """``""`` for a single event; the occurrence's original start (``20270316T090000Z``) in a series."""
    start: datetime | None
    """Aware UTC start; ``None`` for an all-day event."""
    day: date
    """The (local) day it falls on, for messages."""
    summary: str = ""
    location: str = ""
    description: str = ""
    cancelled: bool = False
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
    in_window: bool = True
    """False for a single event or moved occurrence outside the window: it only updates a call already imported."""
    exported: tuple[str, int] | None = None
    """``("call", id)`` or ``("followup", id)`` for an event salestui itself exported."""

    @property
    def all_day(self) -> bool:
        """True when the event has a date but no time."""
        return self.start is None

    @property
    def key(self) -> tuple[str, str]:
        """What a call stores to find this occurrence again."""
        return self.uid, self.occurrence

    @property
    def participants(self) -> tuple[Attendee, ...]:
        """Organizer and attendees, each e-mail once."""
        seen: dict[str, Attendee] = {}
        for person in (self.organizer, *self.attendees):
            if person is not None and person.email and person.email not in seen:
                seen[person.email] = person
        return tuple(seen.values())


@dataclass(frozen=True, slots=True)
class Directory:
    """The rep's accounts and contacts, as matching needs them."""

    websites: Mapping[int, str]
    """Account id -> website (any form: ``https://www.acme.com/de``)."""
    contacts: Sequence[tuple[int, int, str]]
    """(contact id, account id, e-mail) of every contact."""
    names: Mapping[int, str] = field(default_factory=dict)
    """Account id -> name, for messages."""
    people: Sequence[tuple[int, int, str, str, str]] = ()
    """(contact id, account id, name, e-mail, notes) of every contact, with or without an e-mail:
    an attendee is matched to them by ``imports.find_contact``, the rule of every contact import."""


@dataclass(frozen=True, slots=True)
class ExistingCall:
    """A call already in the database that an event may refer to."""

    id: int
    account_id: int
    uid: str | None
    occurrence: str | None
    scheduled_at: datetime | None
    status: CallStatus
    held: bool
    """Started, ended or given an outcome: history that an import never changes."""
    debriefed: bool
    objective: str
    contact_ids: frozenset[int]
    calendar_note: str | None
    """Text of the note the last import wrote from the event's location and description."""


@dataclass(frozen=True, slots=True)
class Create:
    """A new planned call for an event."""

    event: CalendarEvent
    account_id: int
    contact_ids: tuple[int, ...]
    new_contacts: tuple[Attendee, ...]
    kind: CallKind


@dataclass(frozen=True, slots=True)
class Update:
    """Changes to a call imported before (never its plan text)."""

    call_id: int
    event: CalendarEvent
    scheduled_at: datetime | None = None
    """The new time when the meeting moved."""
    add_contact_ids: tuple[int, ...] = ()
    objective: str | None = None
    """The event's summary, for a call whose objective is still empty."""
    note: str | None = None
    """New text of the calendar note (location, description)."""
    reinstate: bool = False
    """The meeting is on again after it was cancelled."""
    rekey: bool = False
    """The call now stands for another occurrence of its series (the series moved)."""


@dataclass(frozen=True, slots=True)
class Cancel:
    """A planned call whose meeting was cancelled or removed from its series."""

    call_id: int
    event: CalendarEvent | None
    reason: str


@dataclass(frozen=True, slots=True)
class Skip:
    """An event that gives no call, and why."""

    event: CalendarEvent
    reason: str


@dataclass
class ImportPlan:
    """Everything an import will do, decided before anything is written."""

    creates: list[Create] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    cancels: list[Cancel] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    unchanged: int = 0
    offered: dict[tuple[int, str], Attendee] = field(default_factory=dict)
    """(account id, e-mail) -> attendee at a matched account's domain who is not a contact yet."""
    emails: dict[int, str] = field(default_factory=dict)
    """Contact id -> the e-mail of the attendee found by name, for a contact that has none yet."""


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str, *, lines: bool = False) -> str:
    """Calendar text as it may enter the database: no control characters (ANSI escapes, NUL)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not lines:
        text = " ".join(text.split())
    return _UNSAFE.sub("", text).strip()


def web_domain(website: str) -> str:
    """``https://www.Acme.com/de`` -> ``acme.com``; ``""`` when there is none."""
    text = website.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.split("/", 1)[0].split("?", 1)[0].split("@")[-1].split(":", 1)[0]
    text = text.removeprefix("www.").strip(".")
    return text if "." in text else ""


def _within(domain: str, parent: str) -> bool:
    """``eu.acme.com`` is within ``acme.com``."""
    return domain == parent or domain.endswith("." + parent)


def guess_own_domain(
    events: Iterable[CalendarEvent], calendar_owner: str = "", account_domains: Iterable[str] = ()
) -> str:
    """The rep's own e-mail domain: the calendar owner's, else the one in the most meetings.

    The rep is organizer or attendee of every meeting in their own calendar, a customer only of
    theirs. Ties go to a domain that is no account's, then to the one that organizes more.
    """
    owner = calendar_owner.strip().lower()
    if "@" in owner:
        return owner.rpartition("@")[2]
    meetings: Counter[str] = Counter()
    organized: Counter[str] = Counter()
    for event in events:
        meetings.update({person.domain for person in event.participants if person.domain})
        if event.organizer is not None and event.organizer.domain:
            organized[event.organizer.domain] += 1
    if not meetings:
        return ""
    customers = set(account_domains)
    best = max(meetings, key=lambda d: (meetings[d], d not in customers, organized[d], d))
    return best


def suggest_kind(summary: str) -> CallKind:
    """The kind of call a meeting title suggests (``Demo for Acme`` -> demo); discovery otherwise."""
    words = summary.lower()
    for kind, cues in _KIND_CUES:
        if cues.search(words):
            return kind
    return CallKind.DISCOVERY


def calendar_note(event: CalendarEvent, limit: int = 2000) -> str:
    """The in-call note holding the meeting's location and description (``""`` when it has neither)."""
    parts = []
    if event.location:
        parts.append(f"Where: {event.location}")
    description = "\n".join(line for line in event.description.splitlines() if line.strip(" _-=*"))
    if description:
        parts.append(description)
    if not parts:
        return ""
    text = "\n".join([NOTE_HEADING, *parts])
    return text if len(text) <= limit else text[: limit - 1] + "…"


NOTE_HEADING = "From the calendar:"


class Matcher:
    """Finds the account of a meeting from its participants."""

    def __init__(self, directory: Directory, own_domains: Iterable[str]) -> None:
        self.own = tuple(d for d in (o.strip().lower().lstrip("@") for o in own_domains) if d)
        self.by_email: dict[str, tuple[int, int]] = {}
        self.by_domain: dict[str, set[int]] = defaultdict(set)
        for account_id, website in directory.websites.items():
            domain = web_domain(website)
            if domain and not self._ignored(domain):
                self.by_domain[domain].add(account_id)
        self.contact_email: dict[str, int] = {}
        self.contact_name: dict[tuple[int, str], int] = {}
        self.account_of: dict[int, int] = {}
        self.has_email: set[int] = set()
        self.emails: dict[int, str] = {}
        """Contacts without an e-mail found by name -> the attendee's address (``--add-contacts`` fills it)."""
        people = directory.people or [(c, a, "", e, "") for c, a, e in directory.contacts]
        for contact_id, account_id, name, email, notes in people:
            index_contact(self.contact_email, self.contact_name, contact_id, account_id, name, email, notes)
            self.account_of[contact_id] = account_id
            if email.strip():
                self.has_email.add(contact_id)
        for contact_id, account_id, email in directory.contacts:
            address = email.strip().lower()
            if "@" not in address:
                continue
            self.by_email.setdefault(address, (contact_id, account_id))
            domain = address.rpartition("@")[2]
            if not self._ignored(domain):
                self.by_domain[domain].add(account_id)

    def _ignored(self, domain: str) -> bool:
        return domain in PUBLIC_MAIL_DOMAINS or any(_within(domain, own) for own in self.own)

    def is_own(self, person: Attendee) -> bool:
        """True for the rep's colleagues (the rep's own domain)."""
        return any(_within(person.domain, own) for own in self.own)

    def accounts_of_domain(self, domain: str) -> set[int]:
        """Accounts whose website or contacts use ``domain`` (or a domain it is under)."""
        if self._ignored(domain):
            return set()
        found: set[int] = set()
        parts = domain.split(".")
        for start in range(len(parts) - 1):
            found |= self.by_domain.get(".".join(parts[start:]), set())
        return found

    def match(self, event: CalendarEvent) -> tuple[int, tuple[int, ...], tuple[Attendee, ...]] | None:
        """(account id, its contacts attending, unknown attendees at its domain), or ``None``."""
        people = [p for p in event.participants if not self.is_own(p)]
        votes: Counter[int] = Counter(self.by_email[p.email][1] for p in people if p.email in self.by_email)
        if not votes:
            for person in people:
                votes.update(self.accounts_of_domain(person.domain))
        if not votes:
            return None
        account_id = max(votes, key=lambda a: (votes[a], -a))
        # One rule with the CSV and vCard imports: any address, else the name within the account.
        known = {p: find_contact(self.contact_email, self.contact_name, account_id, p.name, [p.email]) for p in people}
        contacts = tuple(sorted({c for c in known.values() if c is not None and self.account_of.get(c) == account_id}))
        unknown = tuple(p for p in people if known[p] is None and account_id in self.accounts_of_domain(p.domain))
        for person, contact_id in known.items():
            if contact_id in contacts and contact_id not in self.has_email and "@" in person.email:
                self.emails.setdefault(contact_id, person.email)
        return account_id, contacts, unknown


def plan_import(
    events: Sequence[CalendarEvent],
    matcher: Matcher,
    existing: Sequence[ExistingCall],
    window: tuple[datetime, datetime],
    series: Iterable[str] = (),
) -> ImportPlan:
    """Decide what importing ``events`` does to the calls in ``existing``.

    ``series`` names the UIDs of recurring events in the file: their occurrences that had a call
    and are gone from the window (an EXDATE added later, a series moved) cancel or move it.
    """
    result = ImportPlan()
    by_key = {(c.uid, c.occurrence): c for c in existing if c.uid is not None}
    by_id = {c.id: c for c in existing}
    seen_keys: set[tuple[str, str]] = set()
    pending: list[Create] = []
    for event in sorted(events, key=lambda e: (e.day, e.start.timestamp() if e.start else 0.0, e.uid)):
        seen_keys.add(event.key)
        own = event.exported is not None and event.exported[0] == "call"
        call = by_id.get(event.exported[1]) if event.exported is not None and own else by_key.get(event.key)
        if event.exported is not None and call is None:
            if event.in_window:
                reason = (
                    "exported from salestui; its call is not in this database"
                    if own
                    else "a follow-up reminder exported from salestui"
                )
                result.skips.append(Skip(event, reason))
            continue
        if call is not None and own:
            _sync_exported(result, event, call)
            continue
        if call is not None:
            _sync(result, event, call, matcher)
            continue
        if not event.in_window:
            continue
        if event.cancelled:
            result.skips.append(Skip(event, "cancelled"))
        elif event.all_day:
            result.skips.append(Skip(event, "all-day event"))
        else:
            found = matcher.match(event)
            if found is None:
                result.skips.append(Skip(event, _no_account(event, matcher)))
            else:
                account_id, contact_ids, unknown = found
                for person in unknown:
                    result.offered.setdefault((account_id, person.email), person)
                pending.append(Create(event, account_id, contact_ids, unknown, suggest_kind(event.summary)))
    _moved_or_removed(result, pending, existing, seen_keys, set(series), window)
    result.emails = dict(matcher.emails)
    result.creates.extend(pending)
    return result


def _no_account(event: CalendarEvent, matcher: Matcher) -> str:
    others = sorted({p.domain for p in event.participants if not matcher.is_own(p) and p.domain})
    if not others:
        return "no matching account (no one outside your domain is invited)"
    shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
    return f"no matching account for {shown}"


def _sync(result: ImportPlan, event: CalendarEvent, call: ExistingCall, matcher: Matcher) -> None:
    """An event whose call exists: cancel, move, or fill in what is still empty."""
    if call.held:
        if event.cancelled and event.in_window:
            result.skips.append(Skip(event, "cancelled in the calendar, but the call took place: left as it is"))
        else:
            result.unchanged += 1
        return
    if event.cancelled:
        if call.status is CallStatus.CANCELLED:
            result.unchanged += 1
        else:
            result.cancels.append(Cancel(call.id, event, "cancelled in the calendar"))
        return
    if event.all_day:
        if event.in_window:
            result.skips.append(Skip(event, "now an all-day event: its call is left as it is"))
        return
    found = matcher.match(event)
    add: tuple[int, ...] = ()
    if found is not None:
        account_id, contact_ids, unknown = found
        add = tuple(c for c in contact_ids if c not in call.contact_ids)
        for person in unknown:
            result.offered.setdefault((account_id, person.email), person)
    note = calendar_note(event)
    update = Update(
        call.id,
        event,
        scheduled_at=event.start if event.start != call.scheduled_at else None,
        add_contact_ids=add,
        objective=event.summary if not call.objective.strip() and event.summary else None,
        note=note if note and note != (call.calendar_note or "") else None,
        reinstate=call.status is CallStatus.CANCELLED and not call.debriefed,
    )
    if update == Update(call.id, event):
        result.unchanged += 1
    else:
        result.updates.append(update)


def _sync_exported(result: ImportPlan, event: CalendarEvent, call: ExistingCall) -> None:
    """An event salestui exported (``call-<id>@salestui``): only its time comes back."""
    if call.held or call.status is not CallStatus.PLANNED or event.all_day or event.cancelled:
        result.unchanged += 1
    elif event.start != call.scheduled_at:
        result.updates.append(Update(call.id, event, scheduled_at=event.start))
    else:
        result.unchanged += 1


def occurrence_start(occurrence: str) -> datetime | None:
    """``20270316T090000Z`` -> that moment (aware UTC); ``None`` for a date or ``""``."""
    try:
        return datetime.strptime(occurrence, "%Y%m%dT%H%M%S%z")
    except ValueError:
        return None


def _near(occurrence: str, original: datetime) -> bool:
    """Whether an occurrence key is within a day of another occurrence's original start."""
    moment = occurrence_start(occurrence)
    return moment is not None and abs(moment - original) < SERIES_SHIFT


def _moved_or_removed(
    result: ImportPlan,
    pending: list[Create],
    existing: Sequence[ExistingCall],
    seen: set[tuple[str, str]],
    series: set[str],
    window: tuple[datetime, datetime],
) -> None:
    """Calls of occurrences no longer in their series: moved with the series, or cancelled."""
    start, end = window
    for call in existing:
        if call.uid not in series or not call.occurrence or (call.uid, call.occurrence) in seen:
            continue
        original = occurrence_start(call.occurrence)
        if call.held or original is None or not start <= original < end:
            continue
        twin = next((c for c in pending if c.event.uid == call.uid and _near(c.event.occurrence, original)), None)
        if twin is None:
            if call.status is not CallStatus.CANCELLED:
                result.cancels.append(Cancel(call.id, None, "removed from its recurring series"))
            continue
        pending.remove(twin)
        event = twin.event
        note = calendar_note(event)
        result.updates.append(
            Update(
                call.id,
                event,
                scheduled_at=event.start if event.start != call.scheduled_at else None,
                add_contact_ids=tuple(c for c in twin.contact_ids if c not in call.contact_ids),
                objective=event.summary if not call.objective.strip() and event.summary else None,
                note=note if note and note != (call.calendar_note or "") else None,
                reinstate=call.status is CallStatus.CANCELLED and not call.debriefed,
                rekey=True,
            )
        )
