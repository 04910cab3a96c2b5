"""Debriefs, and drafting the next call with the carry-over in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from salestui.domain import models as m
from salestui.domain.carryover import carry_over
from salestui.domain.clock import local, now
from salestui.domain.enums import CallKind, CallStatus
from salestui.store import convert
from salestui.store import tables as t
from salestui.store.accounts import InvalidInput
from salestui.store.calls import add_unasked, load_plans

if TYPE_CHECKING:
    from salestui.store.core import Store

_FIELDS = {"went_well", "do_differently", "customer_feedback", "lessons", "next_step", "follow_up", "rating"}


@dataclass(frozen=True, slots=True)
class Finished:
    """What finishing a debrief wrote: the debrief as saved and the drafted next call, if any."""

    debrief: m.Debrief
    next_call_id: int | None = None
    next_call_at: datetime | None = None


class DebriefRepo:
    """Read, write and amend debriefs."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, call_id: int) -> m.Debrief | None:
        """The debrief of a call, if written."""
        with self._store.reading() as session:
            row = session.exec(select(t.Debrief).where(t.Debrief.call_id == call_id)).first()
            return convert.debrief(row) if row else None

    def same_slot(self, call_id: int) -> int:
        """How many other planned calls of ``call_id``'s account are at its very time (read only).

        A follow-up drafted onto a slot the account already has a call in (two debriefs with the
        same follow-up date) is told about, not silently doubled.
        """
        with self._store.reading() as session:
            call = session.get(t.Call, call_id)
            if call is None or call.scheduled_at is None:
                return 0
            others = session.exec(
                select(t.Call.id).where(
                    t.Call.account_id == call.account_id,
                    t.Call.id != call_id,
                    t.Call.status == CallStatus.PLANNED.value,
                    t.Call.scheduled_at == call.scheduled_at,
                )
            ).all()
            return len(others)

    def save(self, call_id: int, version: int | None = None, **fields: Any) -> m.Debrief:
        """Create or amend a call's debrief (autosave); marks a planned call done. Refuses stale edits.

        Never finishes it: a debrief saved only as typed stays a draft, and its call stays in
        "Needs a debrief". An already finished debrief stays finished when amended.
        """
        with self._store.transaction() as session:
            return convert.debrief(self._save(session, call_id, version, fields))

    def finish(
        self, call_id: int, version: int | None = None, follow_up_at: datetime | None = None, **fields: Any
    ) -> Finished:
        """Save the last edits, mark the debrief finished and, with ``follow_up_at``, draft the next call.

        All or nothing. The first finish sets ``finished_at``; finishing again keeps that time.
        """
        with self._store.transaction() as session:
            row = self._save(session, call_id, version, fields, finish=True)
            next_id = None
            if follow_up_at is not None:
                next_id = self._draft(session, call_id, follow_up_at, CallKind.CHECK_IN)
                session.flush()
                session.refresh(row)
            drafted = session.get(t.Call, next_id) if next_id is not None else None
            return Finished(convert.debrief(row), next_id, drafted.scheduled_at if drafted else None)

    def draft_next_call(
        self, call_id: int, when: datetime, kind: CallKind = CallKind.CHECK_IN, session: Session | None = None
    ) -> int:
        """Draft the account's next call at ``when``, prefilled with the carry-over; links it to the debrief.

        Drafting the next call finishes the debrief (as ``finish`` does): a debrief with a drafted
        next call is never a draft. Re-drafting moves the still-planned drafted call instead of
        creating a second one.
        """

        def run(active: Session) -> int:
            self._save(active, call_id, None, {}, finish=True, create=False)
            return self._draft(active, call_id, when, kind)

        if session is not None:
            return run(session)
        with self._store.transaction() as active:
            return run(active)

    # -- inside a transaction ------------------------------------------------------------------
    def _save(
        self,
        session: Session,
        call_id: int,
        version: int | None,
        fields: dict[str, Any],
        finish: bool = False,
        create: bool = True,
    ) -> t.Debrief:
        unknown = set(fields) - _FIELDS
        if unknown:
            raise ValueError(f"unknown debrief fields: {sorted(unknown)}")
        rating = fields.get("rating")
        if rating is not None and not 1 <= int(rating) <= 5:
            raise InvalidInput("The rating goes from 1 to 5.")
        follow_up = fields.get("follow_up")
        if follow_up is not None and not isinstance(follow_up, date):
            raise InvalidInput("The follow-up must be a date.")
        row = session.exec(select(t.Debrief).where(t.Debrief.call_id == call_id)).first()
        if row is None and not create:
            raise InvalidInput("Write the debrief before drafting the next call.")
        # Only finishing sets the flag, once; autosave and later amendments leave it as it is.
        finishing = {"finished_at": now()} if finish and (row is None or row.finished_at is None) else {}
        if row is None:
            call = session.get(t.Call, call_id)
            if call is None:
                from salestui.store.core import NotFound

                raise NotFound("That call was deleted in another window.")
            row = t.Debrief(call_id=call_id, **fields)
            row.finished_at = finishing.get("finished_at")
            session.add(row)
            if call.status == CallStatus.PLANNED.value:
                call.status = CallStatus.DONE.value
                call.updated_at = now()
                session.add(call)
            session.flush()
        elif fields or finishing:
            assert row.id is not None
            # A stale version refuses edited fields; finishing alone changes no text, so it is not refused.
            expected = version if fields else None
            self._store.update_fields(t.Debrief, row.id, {**fields, **finishing}, expected, session=session)
            session.refresh(row)
        return row

    def _draft(self, session: Session, call_id: int, when: datetime, kind: CallKind) -> int:
        debrief = session.exec(select(t.Debrief).where(t.Debrief.call_id == call_id)).first()
        if debrief is None:
            raise InvalidInput("Write the debrief before drafting the next call.")
        if debrief.next_call_id is not None:
            existing = session.get(t.Call, debrief.next_call_id)
            if existing is not None:
                same_day = (
                    existing.scheduled_at is not None and local(existing.scheduled_at).date() == local(when).date()
                )
                if existing.status == CallStatus.PLANNED.value:
                    if not same_day:  # keep a time the rep already set in the plan
                        existing.scheduled_at, existing.updated_at = when, now()
                        session.add(existing)
                    return debrief.next_call_id
                if same_day:  # already held: nothing new was asked for
                    return debrief.next_call_id
        previous = load_plans(session, [call_id])[0]
        carried = carry_over(previous)
        strategy_lines = carried.strategy_lines()
        new_id = self._store.calls.create(
            previous.account_id,
            when,
            kind,
            contact_ids=previous.contact_ids,
            session=session,
            objective=debrief.next_step.strip(),
            strategy="\n".join(strategy_lines),
            carried_from_call_id=call_id,
        )
        for position, objection in enumerate(carried.open_objections):
            session.add(
                t.Objection(call_id=new_id, position=position, text=objection.text, response=objection.response)
            )
        add_unasked(session, new_id, (), carried.unasked_questions)
        for advance in carried.open_advances:
            session.add(
                t.Advance(call_id=new_id, level=advance.level.value, action=advance.action, owner=advance.owner)
            )
        debrief.next_call_id = new_id
        debrief.updated_at = now()
        debrief.version += 1  # an open debrief screen must see this as a change
        session.add(debrief)
        return new_id
