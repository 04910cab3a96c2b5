"""Debriefs, and drafting the next call with the carry-over in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from salestui.domain import models as m
from salestui.domain.carryover import carry_over
from salestui.domain.clock import now
from salestui.domain.enums import CallKind, CallStatus
from salestui.store import convert
from salestui.store import tables as t
from salestui.store.accounts import InvalidInput
from salestui.store.calls import load_plans

if TYPE_CHECKING:
    from salestui.store.core import Store

_FIELDS = {"went_well", "do_differently", "customer_feedback", "lessons", "next_step", "follow_up", "rating"}


class DebriefRepo:
    """Read, write and amend debriefs."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, call_id: int) -> m.Debrief | None:
        """The debrief of a call, if written."""
        with self._store.reading() as session:
            row = session.exec(select(t.Debrief).where(t.Debrief.call_id == call_id)).first()
            return convert.debrief(row) if row else None

    def save(self, call_id: int, version: int | None = None, **fields: Any) -> m.Debrief:
        """Create or amend a call's debrief; marks a planned call done. Refuses stale edits."""
        unknown = set(fields) - _FIELDS
        if unknown:
            raise ValueError(f"unknown debrief fields: {sorted(unknown)}")
        rating = fields.get("rating")
        if rating is not None and not 1 <= int(rating) <= 5:
            raise InvalidInput("The rating goes from 1 to 5.")
        with self._store.transaction() as session:
            row = session.exec(select(t.Debrief).where(t.Debrief.call_id == call_id)).first()
            if row is None:
                row = t.Debrief(call_id=call_id, **fields)
                session.add(row)
                call = session.get(t.Call, call_id)
                if call is not None and call.status == CallStatus.PLANNED.value:
                    call.status = CallStatus.DONE.value
                    call.updated_at = now()
                    session.add(call)
                session.flush()
            elif fields:
                assert row.id is not None
                self._store.update_fields(t.Debrief, row.id, fields, version, session=session)
                session.refresh(row)
            return convert.debrief(row)

    def draft_next_call(
        self, call_id: int, when: datetime, kind: CallKind = CallKind.CHECK_IN, session: Session | None = None
    ) -> int:
        """Draft the account's next call at ``when``, prefilled with the carry-over; links it to the debrief.

        Re-drafting moves the already drafted call instead of creating a second one.
        """

        def run(active: Session) -> int:
            debrief = active.exec(select(t.Debrief).where(t.Debrief.call_id == call_id)).first()
            if debrief is None:
                raise InvalidInput("Write the debrief before drafting the next call.")
            if debrief.next_call_id is not None:
                existing = active.get(t.Call, debrief.next_call_id)
                if existing is not None:
                    existing.scheduled_at, existing.updated_at = when, now()
                    active.add(existing)
                    return debrief.next_call_id
            previous = load_plans(active, [call_id])[0]
            carried = carry_over(previous)
            strategy_lines = [f"Lesson: {line}" for line in carried.lessons] + [
                f"Do differently: {line}" for line in carried.do_differently
            ]
            new_id = self._store.calls.create(
                previous.account_id,
                when,
                kind,
                contact_ids=previous.contact_ids,
                session=active,
                objective=debrief.next_step,
                strategy="\n".join(strategy_lines),
                carried_from_call_id=call_id,
            )
            for position, objection in enumerate(carried.open_objections):
                active.add(
                    t.Objection(call_id=new_id, position=position, text=objection.text, response=objection.response)
                )
            for advance in carried.open_advances:
                active.add(
                    t.Advance(call_id=new_id, level=advance.level.value, action=advance.action, owner=advance.owner)
                )
            debrief.next_call_id = new_id
            debrief.updated_at = now()
            debrief.version += 1  # an open debrief screen must see this as a change
            active.add(debrief)
            return new_id

        if session is not None:
            return run(session)
        with self._store.transaction() as active:
            return run(active)
