"""Coaching notes on calls and colleagues riding along: writes, lists, and the team's upcoming calls.

On a team database (PostgreSQL) the row-level security of migration 0017_coaching decides who
may write: a manager coaches any rep's call, a rep their own; only the call's owner marks a note
done (checked here too, so a login that bypasses row-level security keeps the rule); a rider
writes what they saw. On SQLite the one rep may do all of it (notes from a ride-along, typed in).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from salestui.domain import models as m
from salestui.domain.clock import now
from salestui.domain.coaching import ITEM_PARTS, HeldCall, Part, Pin
from salestui.domain.enums import CallKind, CallStatus, Outcome
from salestui.store import rules
from salestui.store import tables as t
from salestui.store.accounts import InvalidInput
from salestui.text import entered

if TYPE_CHECKING:
    from salestui.store.core import Store

NOT_YOURS_TO_COACH = "Only a manager or the call's own rep can coach this call."
NOT_YOURS_TO_MARK = "Only the call's own rep marks its coaching done."
NOT_YOUR_NOTE = "Only whoever wrote a coaching note can change or remove it."
NOT_YOUR_RIDE = "Only the call's own rep names who rides along."
NOT_YOUR_SEAT = "Only the colleague who rode along (or the call's rep) writes what they saw."


def note_of(row: Any) -> m.CoachingNote:
    """A ``coaching_note`` row (table object or plain row) to its read model."""
    return m.CoachingNote(
        id=int(row.id),
        call_id=int(row.call_id),
        part=str(row.part),
        text=str(row.text),
        author=str(row.author),
        part_id=row.part_id,
        done=bool(row.done),
        done_at=row.done_at,
        created_at=row.created_at,
    )


def rider_of(row: Any) -> m.Rider:
    """A ``call_rider`` row to its read model."""
    return m.Rider(id=int(row.id), call_id=int(row.call_id), name=str(row.name), saw=str(row.saw), saw_at=row.saw_at)


def _refused(store: Store, message: str) -> Any:
    """Turn row-level security's refusal into a message about coaching."""
    from contextlib import contextmanager

    from salestui.store.core import OTHER_REPS, NotYours

    @contextmanager
    def guard() -> Any:
        try:
            yield
        except NotYours as error:
            raise NotYours(message) from error
        except Exception as error:
            if str(error) == OTHER_REPS:
                raise NotYours(message) from error
            raise

    return guard()


def _call(session: Session, call_id: int) -> t.Call:
    from salestui.store.core import NotFound

    row = session.get(t.Call, call_id)
    if row is None:
        raise NotFound(f"There is no call #{call_id}.")
    return row


def add_note(
    store: Store, call_id: int, text: str, pin: Pin | None = None, author: str | None = None
) -> m.CoachingNote:
    """Coach a call: a note pinned to a part of its plan, written as the store's owner (``author``:
    someone else's words the rep types in, e.g. the demo's manager; a team database refuses it)."""
    body = entered(text, lines=True).strip()
    if not body:
        raise InvalidInput("A coaching note needs some text.")
    pin = pin or Pin(Part.PLAN)
    with _refused(store, NOT_YOURS_TO_COACH), store.transaction() as session:
        _call(session, call_id)
        if pin.part in ITEM_PARTS:
            table: Any = t.Objection if pin.part is Part.OBJECTION else t.Question
            item = session.get(table, pin.part_id) if pin.part_id is not None else None
            if item is None or item.call_id != call_id:
                raise InvalidInput(f"That {pin.part.value} is not on this call's plan.")
        row = t.CoachingNote(
            call_id=call_id,
            part=pin.part.value,
            part_id=pin.part_id if pin.part in ITEM_PARTS else None,
            text=body,
            author=" ".join((author or store.owner).split()) or store.owner,
        )
        session.add(row)
        session.flush()
        return note_of(row)


def set_done(store: Store, note_id: int, done: bool = True) -> m.CoachingNote:
    """The call's owner marks a note done (or open again)."""
    from salestui.store.core import NotFound, NotYours

    with _refused(store, NOT_YOURS_TO_MARK), store.transaction() as session:
        row = session.get(t.CoachingNote, note_id)
        if row is None:
            raise NotFound("That coaching note was removed.")
        if _call(session, row.call_id).owner not in (store.owner, ""):
            raise NotYours(NOT_YOURS_TO_MARK)
        row.done, row.done_at, row.updated_at = done, now() if done else None, now()
        session.add(row)
        session.flush()
        return note_of(row)


def delete_note(store: Store, note_id: int) -> None:
    """Remove a note (its author only)."""
    from salestui.store.core import NotYours

    with _refused(store, NOT_YOUR_NOTE), store.transaction() as session:
        row = session.get(t.CoachingNote, note_id)
        if row is None:
            return
        if row.author != store.owner and store.engine.dialect.name != "sqlite":
            raise NotYours(NOT_YOUR_NOTE)
        session.delete(row)


def notes(store: Store, call_id: int | None = None, limit: int = 500) -> list[tuple[m.CoachingNote, m.CallSummary]]:
    """Coaching notes with their call: one call's, or those on calls still planned (open first)."""
    from salestui.store.calls import load_plans
    from salestui.store.convert import summarise

    query = select(t.CoachingNote).join(t.Call, col(t.Call.id) == t.CoachingNote.call_id)
    if call_id is not None:
        query = query.where(t.CoachingNote.call_id == call_id)
    else:
        query = query.where(t.Call.status == CallStatus.PLANNED.value, col(t.Call.started_at).is_(None))
    query = query.order_by(
        col(t.CoachingNote.done), col(t.Call.scheduled_at), col(t.CoachingNote.call_id), col(t.CoachingNote.id)
    ).limit(limit)
    with store.reading() as session:
        rows = [note_of(r) for r in session.exec(query).all()]
        calls = {s.id: s for s in summarise(load_plans(session, [r.call_id for r in rows]))}
    return [(note, calls[note.call_id]) for note in rows if note.call_id in calls]


# -- riders -------------------------------------------------------------------------------------
def set_riders(store: Store, call_id: int, names: Iterable[str]) -> tuple[m.Rider, ...]:
    """Name who rides along (the list replaces the last one; what a kept rider saw stays)."""
    from salestui.store.core import NotYours

    wanted: list[str] = []
    for name in names:
        cleaned = " ".join(entered(name).split())
        if cleaned and cleaned.casefold() not in {w.casefold() for w in wanted}:
            wanted.append(cleaned)
    with _refused(store, NOT_YOUR_RIDE), store.transaction() as session:
        call = _call(session, call_id)
        if call.owner not in (store.owner, "") and store.engine.dialect.name != "sqlite":
            raise NotYours(NOT_YOUR_RIDE)
        existing = list(session.exec(select(t.CallRider).where(t.CallRider.call_id == call_id)).all())
        keep = {w.casefold() for w in wanted}
        for row in existing:
            if row.name.casefold() not in keep:
                session.delete(row)
        have = {row.name.casefold() for row in existing}
        for name in wanted:
            if name.casefold() not in have:
                session.add(t.CallRider(call_id=call_id, name=name))
        session.flush()
        found = session.exec(select(t.CallRider).where(t.CallRider.call_id == call_id).order_by(col(t.CallRider.id)))
        return tuple(rider_of(r) for r in found.all())


def save_saw(store: Store, rider_id: int, text: str) -> m.Rider:
    """What a rider saw on the call: their own field, never the rep's debrief text."""
    from salestui.store.core import NotFound

    body = entered(text, lines=True).strip()
    with _refused(store, NOT_YOUR_SEAT), store.transaction() as session:
        row = session.get(t.CallRider, rider_id)
        if row is None:
            raise NotFound("That colleague is no longer named on the call.")
        row.saw, row.saw_at, row.updated_at = body, now() if body else None, now()
        session.add(row)
        session.flush()
        return rider_of(row)


def my_rides(store: Store, limit: int = 50) -> list[tuple[m.Rider, m.CallSummary]]:
    """Calls the store's owner rides along on (named as a rider), newest first."""
    from salestui.store.calls import load_plans
    from salestui.store.convert import summarise

    query = (
        select(t.CallRider)
        .join(t.Call, col(t.Call.id) == t.CallRider.call_id)
        .where(sa.func.lower(t.CallRider.name) == store.owner.lower())
        .order_by(rules.happened_at().desc(), col(t.Call.id).desc())
        .limit(limit)
    )
    with store.reading() as session:
        rows = [rider_of(r) for r in session.exec(query).all()]
        calls = {s.id: s for s in summarise(load_plans(session, [r.call_id for r in rows]))}
    return [(rider, calls[rider.call_id]) for rider in rows if rider.call_id in calls]


# -- the manager's view ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TeamCall:
    """One upcoming call of a rep, as the manager's list shows it."""

    id: int
    owner: str
    scheduled_at: datetime | None
    account_name: str
    kind: CallKind
    readiness: int
    practised: bool
    coached: int
    """Coaching notes on it."""
    open_notes: int
    """Of those, not yet marked done."""
    riders: tuple[str, ...] = ()


def upcoming_by_rep(store: Store, owner: str | None = None, limit: int = 300) -> list[TeamCall]:
    """Every rep's (or one rep's) planned calls from now on, by rep then time."""
    from salestui.domain.readiness import readiness
    from salestui.store.calls import load_plans

    query = select(t.Call.id).where(
        t.Call.status == CallStatus.PLANNED.value,
        col(t.Call.started_at).is_(None),
        sa.or_(col(t.Call.scheduled_at) >= now(), col(t.Call.scheduled_at).is_(None)),
    )
    if owner is not None:
        query = query.where(t.Call.owner == owner)
    query = query.order_by(col(t.Call.owner), col(t.Call.scheduled_at).is_(None), col(t.Call.scheduled_at)).limit(limit)
    with store.reading() as session:
        ids = [int(i) for i in session.exec(query).all() if i is not None]
        call = rules.CALL
        owners = {
            int(r[0]): str(r[1]) for r in session.execute(sa.select(call.c.id, call.c.owner).where(call.c.id.in_(ids)))
        }
        plans = load_plans(session, ids)
    return [
        TeamCall(
            id=plan.id,
            owner=str(owners.get(plan.id, "")),
            scheduled_at=plan.scheduled_at,
            account_name=plan.account_name,
            kind=plan.kind,
            readiness=readiness(plan).score,
            practised=plan.practice is not None,
            coached=len(plan.coaching),
            open_notes=sum(1 for n in plan.coaching if not n.done),
            riders=tuple(r.name for r in plan.riders),
        )
        for plan in plans
    ]


def held_calls(store: Store, owner: str | None = None) -> list[HeldCall]:
    """Every held call (or one rep's): advanced or not, coached or not, ridden along or not."""
    call = rules.CALL
    note = t.CoachingNote.__table__  # type: ignore[attr-defined]
    rider = t.CallRider.__table__  # type: ignore[attr-defined]
    query = sa.select(
        call.c.outcome == Outcome.ADVANCE.value,
        sa.exists().where(note.c.call_id == call.c.id),
        sa.exists().where(rider.c.call_id == call.c.id),
    ).where(rules.held())
    if owner is not None:
        query = query.where(call.c.owner == owner)
    with store.reading() as session:
        return [HeldCall(_true(a), _true(c), _true(r)) for a, c, r in session.execute(query).all()]


def _true(value: Any) -> bool:
    # SQLite gives a comparison or EXISTS as 1/0, PostgreSQL as true/false.
    return value in (1, True, "1", "true", "True")


def children(session: Session, children_of: Any | None) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """Coaching notes and riders of the calls (``children_of``: ids, a subquery, or ``None`` for all)."""
    out: list[dict[int, list[Any]]] = []
    for table in (t.CoachingNote, t.CallRider):
        columns = getattr(table, "__table__").columns  # noqa: B009  (a union of table classes)
        query = sa.select(*columns).order_by(columns["id"])
        if children_of is not None:
            query = query.where(columns["call_id"].in_(children_of))
        grouped: dict[int, list[Any]] = {}
        for row in session.execute(query).all():
            grouped.setdefault(row.call_id, []).append(row)
        out.append(grouped)
    return out[0], out[1]


def attach(plans: Sequence[m.CallPlan], notes: dict[int, list[Any]], riders: dict[int, list[Any]]) -> list[m.CallPlan]:
    """The plans with their coaching notes and riders."""
    from dataclasses import replace

    return [
        replace(
            plan,
            coaching=tuple(note_of(r) for r in notes.get(plan.id, ())),
            riders=tuple(rider_of(r) for r in riders.get(plan.id, ())),
        )
        if plan.id in notes or plan.id in riders
        else plan
        for plan in plans
    ]
