"""Calendar import, the database side: load what matching needs, apply the plan in ONE transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, or_, select

from salestui.domain import calendar as cal
from salestui.domain.clock import now
from salestui.domain.enums import CallStatus, Outcome
from salestui.domain.stats import is_held
from salestui.store import tables as t

if TYPE_CHECKING:
    from salestui.io.ics_import import CalendarFile
    from salestui.store.core import Store

DOMAIN_SETTING = "calendar_domain"
DATABASE_ID_SETTING = "database_id"
_CHUNK = 500


def database_id(store: Store) -> str:
    """This database's random id (made once by migration 0009_import_origin), for calendar UIDs.

    ``""`` if the setting is gone and the database cannot record a new one (read-only).
    """
    with store.reading() as session:
        row = session.get(t.Setting, DATABASE_ID_SETTING)
        if row is not None and row.value:
            return row.value
    import secrets

    from salestui.store.core import StoreError

    made = secrets.token_hex(4)
    try:
        with store.transaction() as session:
            if session.get(t.Setting, DATABASE_ID_SETTING) is None:
                session.add(t.Setting(key=DATABASE_ID_SETTING, value=made))
    except StoreError:
        return ""
    return database_id(store)


def imported_uids(store: Store) -> set[str]:
    """The calendar UIDs of the rep's calls imported before: the only events outside the import
    window worth reading (they move or cancel those calls)."""
    with store.reading() as session:
        rows = session.exec(
            select(t.Call.calendar_uid).where(
                or_(t.Call.owner == store.owner, t.Call.owner == ""), col(t.Call.calendar_uid).is_not(None)
            )
        ).all()
    return {uid for uid in rows if uid}


def own_domain(store: Store) -> str:
    """The rep's own e-mail domain as set with ``salestui config domain`` (``""`` when not set)."""
    with store.reading() as session:
        row = session.get(t.Setting, DOMAIN_SETTING)
        return row.value if row is not None else ""


def set_own_domain(store: Store, value: str) -> str:
    """Record the rep's own e-mail domain (``rep@oursales.com`` or ``oursales.com``); returns it."""
    from salestui.store.accounts import InvalidInput

    domain = value.strip().lower().rpartition("@")[2].strip(".")
    if domain and "." not in domain:
        raise InvalidInput(f"{value!r} is not a domain (e.g. oursales.com).")
    with store.transaction() as session:
        row = session.get(t.Setting, DOMAIN_SETTING)
        if row is None:
            session.add(t.Setting(key=DOMAIN_SETTING, value=domain))
        else:
            row.value, row.updated_at = domain, now()
            session.add(row)
    return domain


def apply_import(
    store: Store,
    read: CalendarFile,
    window: tuple[datetime, datetime],
    add_contacts: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[cal.ImportPlan, str, bool]:
    """Match the file's events, then create, move and cancel calls in one transaction.

    Returns the plan that was applied, the rep's own domain and whether it was guessed.
    """
    with store.transaction() as session:
        setting = session.get(t.Setting, DOMAIN_SETTING)
        directory = _directory(session, store)
        own = setting.value if setting is not None and setting.value else ""
        guessed = not own and not read.owner
        if not own:
            account_domains = {cal.web_domain(w) for w in directory.websites.values()}
            account_domains |= {email.rpartition("@")[2] for _c, _a, email in directory.contacts}
            own = cal.guess_own_domain(read.events, read.owner, account_domains)
        matcher = cal.Matcher(directory, [own])
        existing = _existing(session, store, read)
        plan = cal.plan_import(read.events, matcher, existing, window, read.series)
        _Writer(session, store, existing, progress).apply(plan, add_contacts)
    return plan, own, guessed


def _directory(session: Session, store: Store) -> cal.Directory:
    """The rep's accounts (website, name) and their contacts' e-mails."""
    mine = or_(t.Account.owner == store.owner, t.Account.owner == "")
    accounts = session.exec(select(t.Account.id, t.Account.name, t.Account.website).where(mine)).all()
    ids = [row[0] for row in accounts]
    contacts = session.exec(
        select(t.Contact.id, t.Contact.account_id, t.Contact.email).where(
            col(t.Contact.account_id).in_(ids), t.Contact.email != ""
        )
    ).all()
    people = session.exec(
        select(t.Contact.id, t.Contact.account_id, t.Contact.name, t.Contact.email, t.Contact.notes).where(
            col(t.Contact.account_id).in_(ids)
        )
    ).all()
    return cal.Directory(
        websites={row[0]: row[2] for row in accounts if row[0] is not None},
        contacts=[(row[0], row[1], row[2]) for row in contacts if row[0] is not None],
        names={row[0]: row[1] for row in accounts if row[0] is not None},
        people=[(row[0], row[1], row[2], row[3], row[4]) for row in people if row[0] is not None],
    )


def _existing(session: Session, store: Store, read: CalendarFile) -> list[cal.ExistingCall]:
    """The rep's calls imported before, and those the file's salestui events refer to."""
    exported = [e.exported[1] for e in read.events if e.exported is not None and e.exported[0] == "call"]
    query = select(t.Call).where(
        or_(t.Call.owner == store.owner, t.Call.owner == ""),
        or_(col(t.Call.calendar_uid).is_not(None), col(t.Call.id).in_(exported or [-1])),
    )
    calls = session.exec(query).all()
    ids = [c.id for c in calls if c.id is not None]
    contacts: dict[int, set[int]] = defaultdict(set)
    notes: dict[int, str] = {}
    debriefed: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for call_id, contact_id in session.exec(
            select(t.CallContact.call_id, t.CallContact.contact_id).where(col(t.CallContact.call_id).in_(chunk))
        ).all():
            contacts[call_id].add(contact_id)
        for call_id, text in session.exec(
            select(t.CallNote.call_id, t.CallNote.text)
            .where(col(t.CallNote.call_id).in_(chunk), col(t.CallNote.text).startswith(cal.NOTE_HEADING))
            .order_by(col(t.CallNote.id))
        ).all():
            notes.setdefault(call_id, text)
        debriefed |= set(session.exec(select(t.Debrief.call_id).where(col(t.Debrief.call_id).in_(chunk))).all())
    return [
        cal.ExistingCall(
            id=c.id,
            account_id=c.account_id,
            uid=c.calendar_uid,
            occurrence=c.calendar_occurrence,
            scheduled_at=c.scheduled_at,
            status=CallStatus(c.status),
            held=held(c),
            debriefed=c.id in debriefed,
            objective=c.objective,
            contact_ids=frozenset(contacts[c.id]),
            calendar_note=notes.get(c.id),
        )
        for c in calls
        if c.id is not None
    ]


def held(row: t.Call) -> bool:
    """Started, ended, done or given an outcome (other than cancelled): an import never changes it."""
    outcome = Outcome(row.outcome) if row.outcome else None
    return row.started_at is not None or row.status == CallStatus.DONE.value or is_held(outcome)


class _Writer:
    """Writes an import plan inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        store: Store,
        existing: list[cal.ExistingCall],
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.session = session
        self.store = store
        self.accounts = {c.id: c.account_id for c in existing}
        self.progress = progress
        self.done = 0
        self.total = 0
        self.new_contacts: dict[tuple[int, str], int] = {}
        self.stamp = now()

    def step(self) -> None:
        """One call written: report progress every 50 and at the end."""
        self.done += 1
        if self.progress is not None and (self.done % 50 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def apply(self, plan: cal.ImportPlan, add_contacts: bool) -> None:
        """Contacts first (calls refer to them), then new calls, moves and cancellations."""
        self.total = len(plan.creates) + len(plan.updates) + len(plan.cancels) or 1
        if add_contacts:
            for (account_id, email), person in sorted(plan.offered.items()):
                row = t.Contact(account_id=account_id, name=person.name or _name_from(email), email=email)
                self.session.add(row)
                self.session.flush()
                assert row.id is not None
                self.new_contacts[(account_id, email)] = row.id
            # A contact found by name who has no e-mail yet takes the attendee's (nothing is lost).
            for contact_id, email in sorted(plan.emails.items()):
                known = self.session.get(t.Contact, contact_id)
                if known is not None and not known.email.strip():
                    known.email = email
                    self.session.add(known)
        template = [
            item.text
            for item in self.session.exec(
                select(t.ChecklistTemplateItem).order_by(col(t.ChecklistTemplateItem.position))
            ).all()
        ]
        self._create_all(plan.creates, template)
        for update in plan.updates:
            self._update(update)
            self.step()
        for cancel in plan.cancels:
            self._change(cancel.call_id, status=CallStatus.CANCELLED.value, outcome=Outcome.CANCELLED.value)
            self.step()
        if self.progress is not None:
            self.progress(self.total, self.total)

    def _joining(self, account_id: int, event: cal.CalendarEvent) -> list[int]:
        """Contacts created by this import who attend ``event``."""
        found = (self.new_contacts.get((account_id, p.email)) for p in event.participants)
        return [c for c in found if c is not None]

    def _create_all(self, creates: list[cal.Create], template: list[str]) -> None:
        """New calls with their checklists, contacts and notes: Core inserts in chunks, not ORM objects
        (building thousands of SQLModel instances took 20 ms a call)."""
        stamp = self.stamp
        for start in range(0, len(creates), _CHUNK):
            chunk = creates[start : start + _CHUNK]
            rows = [
                {
                    "account_id": c.account_id,
                    "scheduled_at": c.event.start,
                    "kind": c.kind.value,
                    "status": CallStatus.PLANNED.value,
                    "objective": c.event.summary,
                    "goal": "",
                    "strategy": "",
                    "expected_return": "",
                    "owner": self.store.owner,
                    "calendar_uid": c.event.uid,
                    "calendar_occurrence": c.event.occurrence,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "version": 1,
                }
                for c in chunk
            ]
            ids = (
                self.session.execute(insert(t.Call).returning(col(t.Call.id), sort_by_parameter_order=True), rows)
                .scalars()
                .all()
            )
            checklist, attending, notes = [], [], []
            for call_id, create in zip(ids, chunk, strict=True):
                checklist += [
                    {
                        "call_id": call_id,
                        "position": p,
                        "text": text,
                        "done": False,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                    for p, text in enumerate(template)
                ]
                joining = [*create.contact_ids, *self._joining(create.account_id, create.event)]
                attending += [{"call_id": call_id, "contact_id": c} for c in dict.fromkeys(joining)]
                note = cal.calendar_note(create.event)
                if note:
                    notes.append(
                        {"call_id": call_id, "at": stamp, "text": note, "created_at": stamp, "updated_at": stamp}
                    )
            for table, batch in ((t.ChecklistItem, checklist), (t.CallContact, attending), (t.CallNote, notes)):
                if batch:
                    self.session.execute(insert(table), batch)
            for _ in chunk:
                self.step()

    def _update(self, update: cal.Update) -> None:
        values: dict[str, Any] = {}
        if update.scheduled_at is not None:
            values["scheduled_at"] = update.scheduled_at
        if update.objective is not None:
            values["objective"] = update.objective
        if update.reinstate:
            values.update(status=CallStatus.PLANNED.value, outcome=None)
        if update.rekey:
            values["calendar_occurrence"] = update.event.occurrence
        self._change(update.call_id, **values)
        account_id = self.accounts.get(update.call_id)
        joining = self._joining(account_id, update.event) if account_id is not None else []
        present = set(
            self.session.exec(select(t.CallContact.contact_id).where(t.CallContact.call_id == update.call_id)).all()
        )
        for contact_id in dict.fromkeys([*update.add_contact_ids, *joining]):
            if contact_id not in present:
                self.session.add(t.CallContact(call_id=update.call_id, contact_id=contact_id))
        if update.note is not None:
            note = self.session.exec(
                select(t.CallNote)
                .where(t.CallNote.call_id == update.call_id, col(t.CallNote.text).startswith(cal.NOTE_HEADING))
                .order_by(col(t.CallNote.id))
            ).first()
            if note is None:
                self.session.add(t.CallNote(call_id=update.call_id, text=update.note, at=self.stamp))
            else:
                note.text, note.updated_at = update.note, self.stamp
                self.session.add(note)

    def _change(self, call_id: int, **values: Any) -> None:
        """Set fields and bump the version, so a plan open in the app notices the change."""
        row = self.session.get(t.Call, call_id)
        if row is None:
            return
        for key, value in values.items():
            setattr(row, key, value)
        row.version += 1
        row.updated_at = self.stamp
        self.session.add(row)


def _name_from(email: str) -> str:
    """``jane.doe@acme.com`` -> ``Jane Doe`` for an attendee the calendar gives no name."""
    local = email.partition("@")[0]
    words = [w for w in local.replace("_", ".").replace("-", ".").split(".") if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or email


def count_imported(store: Store) -> int:
    """How many of the rep's calls came from a calendar (for tests and the summary)."""
    with store.reading() as session:
        return int(
            session.exec(select(func.count()).select_from(t.Call).where(col(t.Call.calendar_uid).is_not(None))).one()
        )
