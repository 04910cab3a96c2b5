"""Calls: plans (checklist, objections, advance ladder), the in-call record, and call lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from salestui.domain import models as m
from salestui.domain.checklist import DEFAULT_TEMPLATE
from salestui.domain.clock import call_end, now
from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, Handling, Outcome, QuestionKind
from salestui.domain.outcomes import OutcomeChoice, level_of, outcome_of
from salestui.domain.readiness import readiness
from salestui.domain.rules import can_delete, is_held
from salestui.store import convert, rules
from salestui.store import tables as t
from salestui.store.accounts import InvalidInput
from salestui.store.convert import summarise
from salestui.store.scope import owner_filter
from salestui.text import entered

if TYPE_CHECKING:
    from salestui.domain.questions import BankQuestion
    from salestui.store.core import Store


class CallRepo:
    """Create, plan, run and list calls."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- creating and reading ---------------------------------------------------------------
    def create(
        self,
        account_id: int,
        scheduled_at: datetime | None = None,
        kind: CallKind = CallKind.DISCOVERY,
        contact_ids: Iterable[int] = (),
        session: Session | None = None,
        **fields: Any,
    ) -> int:
        """Plan a new call; its checklist starts from the template. Returns the call id."""

        def run(active: Session) -> int:
            row = t.Call(
                account_id=account_id,
                scheduled_at=scheduled_at,
                kind=CallKind(kind).value,
                owner=self._store.owner,
                **fields,
            )
            active.add(row)
            active.flush()
            assert row.id is not None
            template = active.exec(select(t.ChecklistTemplateItem).order_by(t.ChecklistTemplateItem.position)).all()
            for position, item in enumerate(template):
                active.add(t.ChecklistItem(call_id=row.id, position=position, text=item.text))
            for contact_id in contact_ids:
                active.add(t.CallContact(call_id=row.id, contact_id=contact_id))
            return row.id

        if session is not None:
            return run(session)
        with self._store.transaction() as active:
            return run(active)

    def plan(self, call_id: int) -> m.CallPlan:
        """The full plan of one call."""
        from salestui.store.core import NotFound

        with self._store.reading() as session:
            plans = load_plans(session, [call_id])
        if not plans:
            raise NotFound("That call no longer exists.")
        return plans[0]

    def update(self, call_id: int, version: int | None = None, **fields: Any) -> int:
        """Save edited plan fields (objective, goal, strategy, ...); returns the new version."""
        if "kind" in fields:
            fields["kind"] = CallKind(fields["kind"]).value
        new_version = self._store.update_fields(t.Call, call_id, fields, version)
        assert new_version is not None
        return new_version

    def delete(self, call_id: int) -> None:
        """Delete a call and everything under it."""
        self._store.delete_row(t.Call, call_id)

    def cancel(self, call_id: int) -> None:
        """Cancel a call not held: it stays in history with the outcome "cancelled"."""
        with self._store.transaction() as session:
            row = session.get(t.Call, call_id)
            if row is None:
                from salestui.store.core import NotFound

                raise NotFound("That call no longer exists.")
            if is_held(Outcome(row.outcome) if row.outcome else None) or row.started_at is not None:
                raise InvalidInput("This call already took place: record its outcome in the debrief instead.")
            self._clear_secured(session, call_id)
            row.outcome = Outcome.CANCELLED.value
            _record_outcome(row)
            session.add(row)

    def delete_unheld(self, call_id: int) -> None:
        """Delete a call that was never held (planned or cancelled); a held call stays in history."""
        with self._store.transaction() as session:
            row = session.get(t.Call, call_id)
            if row is None:
                return
            if not can_delete(CallStatus(row.status), Outcome(row.outcome) if row.outcome else None, row.started_at):
                raise InvalidInput("This call took place: it stays in your history (a held call is never deleted).")
            session.expunge(row)
            self._store.delete_row(t.Call, call_id, session)

    def count(self) -> int:
        """Number of calls."""
        with self._store.reading() as session:
            return int(session.exec(select(func.count()).select_from(t.Call)).one())

    # -- lists -----------------------------------------------------------------------------------
    def upcoming(self, limit: int = 20) -> list[m.CallSummary]:
        """Planned calls from now on, soonest first (and planned calls with no time yet).

        A call already started is not upcoming, whatever its planned time: it took place
        (``rules.happened_at``) and needs its debrief.
        """
        query = (
            select(t.Call.id)
            .where(
                t.Call.status == CallStatus.PLANNED.value,
                col(t.Call.scheduled_at) >= now(),
                col(t.Call.started_at).is_(None),
            )
            .order_by(col(t.Call.scheduled_at), col(t.Call.id))
            .limit(limit)
        )
        undated = (
            select(t.Call.id)
            .where(
                t.Call.status == CallStatus.PLANNED.value,
                col(t.Call.scheduled_at).is_(None),
                col(t.Call.started_at).is_(None),
            )
            .order_by(col(t.Call.id))
            .limit(limit)
        )
        query = owner_filter(query, self._store, t.Call.owner)
        undated = owner_filter(undated, self._store, t.Call.owner)
        with self._store.reading() as session:
            ids = list(session.exec(query).all()) + list(session.exec(undated).all())
            return summarise(load_plans(session, ids[:limit]))

    def left_midway(self, limit: int = 20) -> list[m.CallSummary]:
        """Calls started and never ended (the rep left mid-way): they resume with ``s``, newest first."""
        query = (
            select(t.Call.id)
            .where(
                col(t.Call.started_at).is_not(None),
                col(t.Call.ended_at).is_(None),
                t.Call.status == CallStatus.PLANNED.value,
            )
            .order_by(col(t.Call.started_at).desc(), col(t.Call.id).desc())
            .limit(limit)
        )
        query = owner_filter(query, self._store, t.Call.owner)
        with self._store.reading() as session:
            return summarise(load_plans(session, list(session.exec(query).all())))

    def needing_debrief(self, limit: int = 20) -> list[m.CallSummary]:
        """Calls that need a debrief (``rules.needs_debrief``: a draft does not count): newest first
        by when they took place (``rules.happened_at``)."""
        query = (
            select(t.Call.id)
            .outerjoin(t.Debrief, col(t.Debrief.call_id) == t.Call.id)
            .where(rules.needs_debrief(now()))
            .order_by(rules.happened_at().desc(), col(t.Call.id).desc())
            .limit(limit)
        )
        query = owner_filter(query, self._store, t.Call.owner)
        with self._store.reading() as session:
            return summarise(load_plans(session, list(session.exec(query).all())))

    def history(self, account_id: int, limit: int = 200) -> list[m.CallSummary]:
        """Calls of one account, newest first."""
        query = (
            select(t.Call.id)
            .where(t.Call.account_id == account_id)
            .order_by(col(t.Call.scheduled_at).desc(), col(t.Call.id).desc())
            .limit(limit)
        )
        with self._store.reading() as session:
            return summarise(load_plans(session, list(session.exec(query).all())))

    def previous_debriefed(self, account_id: int, before_call_id: int | None = None) -> m.CallPlan | None:
        """The account's latest call with a finished debrief (not ``before_call_id``): the carry-over source."""
        query = (
            select(t.Call.id)
            .join(t.Debrief, col(t.Debrief.call_id) == t.Call.id)
            .where(t.Call.account_id == account_id, rules.debriefed())
            .order_by(rules.happened_at().desc(), col(t.Call.id).desc())
            .limit(1)
        )
        if before_call_id is not None:
            query = query.where(t.Call.id != before_call_id)
        with self._store.reading() as session:
            ids = list(session.exec(query).all())
            plans = load_plans(session, ids)
        return plans[0] if plans else None

    # -- plan parts ------------------------------------------------------------------------------
    def set_contacts(self, call_id: int, contact_ids: Iterable[int]) -> None:
        """Replace who attends the call."""
        with self._store.transaction() as session:
            session.execute(delete(t.CallContact).where(col(t.CallContact.call_id) == call_id))
            for contact_id in set(contact_ids):
                session.add(t.CallContact(call_id=call_id, contact_id=contact_id))
            self._touch(session, call_id)

    def set_advance(
        self,
        call_id: int,
        level: AdvanceLevel,
        action: str,
        owner: str = "",
        due: date | None = None,
    ) -> int:
        """Write the ladder rung ``level`` (creating it if needed); returns the advance id."""
        if level is AdvanceLevel.UNPLANNED:
            raise ValueError("unplanned advances are recorded with secure_unplanned()")
        with self._store.transaction() as session:
            row = session.exec(
                select(t.Advance).where(t.Advance.call_id == call_id, t.Advance.level == level.value)
            ).first()
            if row is None:
                row = t.Advance(call_id=call_id, level=level.value)
            row.action, row.owner, row.due, row.updated_at = action, owner, due, now()
            session.add(row)
            session.flush()
            self._touch(session, call_id)
            assert row.id is not None
            return row.id

    def add_objection(
        self, call_id: int, text: str, response: str = "", came_up_unplanned: bool = False, raised: bool = False
    ) -> int:
        """Add an objection (planned, or one that came up in the call); returns its id."""
        with self._store.transaction() as session:
            position = session.exec(
                select(func.coalesce(func.max(t.Objection.position) + 1, 0)).where(t.Objection.call_id == call_id)
            ).one()
            row = t.Objection(
                call_id=call_id,
                position=position,
                text=text,
                response=response,
                came_up_unplanned=came_up_unplanned,
                raised=raised or came_up_unplanned,
                handling=Handling.RAISED.value if (raised or came_up_unplanned) else Handling.NOT_RAISED.value,
            )
            session.add(row)
            session.flush()
            self._touch(session, call_id)
            assert row.id is not None
            return row.id

    def update_objection(self, objection_id: int, **fields: Any) -> None:
        """Save objection fields (text, response, raised, handling)."""
        if "handling" in fields:
            handling = Handling(fields["handling"])
            fields["handling"] = handling.value
            fields.setdefault("raised", handling is not Handling.NOT_RAISED)
        self._store.update_fields(t.Objection, objection_id, fields)

    def set_raised(self, objection_id: int, raised: bool) -> None:
        """Mark an objection raised (or not) during the call."""
        with self._store.transaction() as session:
            row = session.get(t.Objection, objection_id)
            if row is None:
                return
            row.raised = raised
            if not raised:
                row.handling = Handling.NOT_RAISED.value
            elif row.handling == Handling.NOT_RAISED.value:
                row.handling = Handling.RAISED.value
            row.updated_at = now()
            session.add(row)

    def delete_objection(self, objection_id: int) -> None:
        """Remove an objection."""
        self._delete_child(t.Objection, objection_id)

    def add_checklist_item(self, call_id: int, text: str) -> int:
        """Append an item to a call's checklist; returns its id."""
        with self._store.transaction() as session:
            position = session.exec(
                select(func.coalesce(func.max(t.ChecklistItem.position) + 1, 0)).where(
                    t.ChecklistItem.call_id == call_id
                )
            ).one()
            row = t.ChecklistItem(call_id=call_id, position=position, text=text)
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def set_checklist_done(self, item_id: int, done: bool) -> None:
        """Tick or untick a checklist item."""
        self._store.update_fields(t.ChecklistItem, item_id, {"done": done})

    def rename_checklist_item(self, item_id: int, text: str) -> None:
        """Change a checklist item's text."""
        self._store.update_fields(t.ChecklistItem, item_id, {"text": text})

    def delete_checklist_item(self, item_id: int) -> None:
        """Remove a checklist item."""
        self._delete_child(t.ChecklistItem, item_id)

    def move_checklist_item(self, item_id: int, offset: int) -> None:
        """Move an item up (negative) or down (positive) within its call's checklist."""
        self._move(t.ChecklistItem, item_id, offset)

    def _move(self, table: Any, row_id: int, offset: int) -> None:
        """Move a positioned child row of a call by ``offset`` places, renumbering its siblings."""
        with self._store.transaction() as session:
            item = session.get(table, row_id)
            if item is None:
                return
            items = list(
                session.exec(
                    select(table).where(table.call_id == item.call_id).order_by(table.position, table.id)
                ).all()
            )
            index = items.index(item)
            target = max(0, min(len(items) - 1, index + offset))
            items.insert(target, items.pop(index))
            for position, row in enumerate(items):
                if row.position != position:
                    row.position = position
                    session.add(row)

    def pull_carry_over(self, call_id: int, strategy: str, version: int | None = None) -> tuple[m.CallPlan, int]:
        """Pull the previous debrief's carry-over into this plan, in one transaction.

        Adds the unresolved objections not already listed, appends lessons and do-differently
        lines (not already there) to ``strategy`` (the text the rep sees now), and fills empty
        ladder rungs with the unsecured advances. Pulling twice adds nothing new. Returns the plan
        and the call's new version.
        """
        from salestui.domain.carryover import carry_over
        from salestui.store.core import NotFound

        with self._store.transaction() as session:
            current = load_plans(session, [call_id])
            if not current:
                raise NotFound("That call no longer exists.")
            plan = current[0]
            previous_id = session.exec(
                select(t.Call.id)
                .join(t.Debrief, col(t.Debrief.call_id) == t.Call.id)
                .where(t.Call.account_id == plan.account_id, t.Call.id != call_id, rules.debriefed())
                .order_by(col(t.Call.scheduled_at).desc(), col(t.Call.id).desc())
                .limit(1)
            ).first()
            previous = load_plans(session, [previous_id])[0] if previous_id is not None else None
            carried = carry_over(previous)
            if carried.empty:
                raise InvalidInput("Nothing to carry over: no earlier debriefed call with this account.")
            known = {o.text.strip().lower() for o in plan.objections}
            position = max((o.position for o in plan.objections), default=-1) + 1
            for objection in carried.open_objections:
                if objection.text.strip().lower() in known:
                    continue
                known.add(objection.text.strip().lower())
                session.add(
                    t.Objection(call_id=call_id, position=position, text=objection.text, response=objection.response)
                )
                position += 1
            add_unasked(session, call_id, plan.questions, carried.unasked_questions)
            lines = carried.strategy_lines()
            present = {line.strip() for line in strategy.splitlines()}
            added = [line for line in lines if line not in present]
            new_strategy = "\n".join([strategy.rstrip("\n")] + added) if strategy.strip() else "\n".join(added)
            for advance in carried.open_advances:
                row = session.exec(
                    select(t.Advance).where(t.Advance.call_id == call_id, t.Advance.level == advance.level.value)
                ).first()
                if row is None:
                    row = t.Advance(call_id=call_id, level=advance.level.value)
                elif row.action.strip():
                    continue
                row.action, row.owner, row.updated_at = advance.action, advance.owner, now()
                session.add(row)
            fields: dict[str, Any] = {"strategy": new_strategy}
            if plan.carried_from_call_id is None and previous is not None:
                fields["carried_from_call_id"] = previous.id
            new_version = self._store.update_fields(t.Call, call_id, fields, version, session=session)
            assert new_version is not None
            session.flush()
            # The version bump was a Core UPDATE: reload the rows, not the stale identity map.
            session.expire_all()
            return load_plans(session, [call_id])[0], new_version

    # -- questions to ask -------------------------------------------------------------------------
    def add_question(self, call_id: int, text: str, kind: QuestionKind = QuestionKind.NONE, hope: str = "") -> int:
        """Append a question to ask in the call; returns its id."""
        with self._store.transaction() as session:
            return self._add_question(session, call_id, text, QuestionKind(kind), hope)

    def add_questions(self, call_id: int, questions: Iterable[tuple[str, QuestionKind, str]]) -> list[int]:
        """Append several questions (text, kind, hope) in one transaction; returns their ids."""
        with self._store.transaction() as session:
            return [
                self._add_question(session, call_id, text, QuestionKind(kind), hope) for text, kind, hope in questions
            ]

    def _add_question(self, session: Session, call_id: int, text: str, kind: QuestionKind, hope: str) -> int:
        if not entered(text).strip():
            raise InvalidInput("A question needs its text.")
        position = session.exec(
            select(func.coalesce(func.max(t.Question.position) + 1, 0)).where(t.Question.call_id == call_id)
        ).one()
        row = t.Question(call_id=call_id, position=position, text=text, kind=kind.value, hope=hope)
        session.add(row)
        session.flush()
        self._touch(session, call_id)
        assert row.id is not None
        return row.id

    def update_question(self, question_id: int, **fields: Any) -> None:
        """Save question fields (text, kind, hope, asked, answer)."""
        if "kind" in fields:
            fields["kind"] = QuestionKind(fields["kind"]).value
        if "text" in fields and not entered(fields["text"]).strip():
            raise InvalidInput("A question needs its text.")
        self._store.update_fields(t.Question, question_id, fields)

    def set_asked(self, question_id: int, asked: bool, answer: str | None = None) -> None:
        """Tick a question asked in the call (or untick it), with the answer heard if one was typed."""
        fields: dict[str, Any] = {"asked": asked}
        if answer is not None:
            fields["answer"] = answer.strip()
        self._store.update_fields(t.Question, question_id, fields)

    def delete_question(self, question_id: int) -> None:
        """Remove a question."""
        self._delete_child(t.Question, question_id)

    def move_question(self, question_id: int, offset: int) -> None:
        """Move a question up (negative) or down (positive) within its call's list."""
        self._move(t.Question, question_id, offset)

    # -- the question bank (built in per call kind; the rep's own version in a setting) ----------
    def question_bank(self, kind: CallKind) -> tuple[BankQuestion, ...]:
        """The bank ``Q`` offers for ``kind``: the rep's edited one, or the built-in one."""
        import json

        from salestui.domain.questions import BankQuestion, bank

        with self._store.reading() as session:
            row = session.get(t.Setting, f"question_bank.{CallKind(kind).value}")
        if row is None:
            return bank(kind)
        return tuple(BankQuestion(text, QuestionKind(k), hope) for text, k, hope in json.loads(row.value))

    def set_question_bank(self, kind: CallKind, questions: Sequence[BankQuestion] | None) -> None:
        """Save the rep's bank for ``kind`` (``None`` restores the built-in one)."""
        import json

        key = f"question_bank.{CallKind(kind).value}"
        value = json.dumps([[q.text, q.kind.value, q.hope] for q in questions or ()], ensure_ascii=False)
        with self._store.transaction() as session:
            row = session.get(t.Setting, key)
            if questions is None:
                if row is not None:
                    session.delete(row)
                return
            row = row or t.Setting(key=key)
            row.value, row.updated_at = value, now()
            session.add(row)

    # -- practice ----------------------------------------------------------------------------------
    def record_practice(self, call_id: int, seconds: int, shaky: Sequence[str]) -> m.PracticeRun:
        """Record a rehearsal of the call and tick its "practised" checklist item, in one transaction."""
        from salestui.domain.practice import is_practice_item

        lines = [" ".join(entered(item).split()) for item in shaky]
        with self._store.transaction() as session:
            row = t.PracticeRun(
                call_id=call_id, at=now(), seconds=max(0, seconds), shaky="\n".join(x for x in lines if x)
            )
            session.add(row)
            for item in session.exec(select(t.ChecklistItem).where(t.ChecklistItem.call_id == call_id)).all():
                if is_practice_item(item.text) and not item.done:
                    item.done, item.updated_at = True, now()
                    session.add(item)
            self._touch(session, call_id)
            session.flush()
            assert row.id is not None
            return m.PracticeRun(row.id, row.at, row.seconds, tuple(line for line in row.shaky.splitlines() if line))

    # -- checklist template -----------------------------------------------------------------------
    def template(self) -> list[str]:
        """The checklist template new calls start from."""
        with self._store.reading() as session:
            rows = session.exec(select(t.ChecklistTemplateItem).order_by(t.ChecklistTemplateItem.position)).all()
            return [r.text for r in rows]

    def set_template(self, items: Sequence[str]) -> None:
        """Replace the checklist template (empty lines dropped)."""
        cleaned = [i.strip() for i in items if i.strip()]
        with self._store.transaction() as session:
            session.execute(delete(t.ChecklistTemplateItem))
            for position, text in enumerate(cleaned):
                session.add(t.ChecklistTemplateItem(position=position, text=text))

    def reset_template(self) -> None:
        """Restore the default checklist template."""
        self.set_template(DEFAULT_TEMPLATE)

    # -- in the call ---------------------------------------------------------------------------
    def start(self, call_id: int) -> m.CallPlan:
        """Start the call: record the time and the readiness at this moment (history, not live)."""
        with self._store.transaction() as session:
            row = session.get(t.Call, call_id)
            if row is None:
                from salestui.store.core import NotFound

                raise NotFound("That call no longer exists.")
            if row.started_at is None:
                plan = load_plans(session, [call_id])[0]
                row.started_at = now()
                row.readiness_at_start = readiness(plan).score
                row.updated_at = now()
                session.add(row)
        return self.plan(call_id)

    def secure(self, call_id: int, level: AdvanceLevel | None) -> None:
        """Record the outcome picked in the call: a ladder rung, or ``None`` for continuation only."""
        with self._store.transaction() as session:
            self._clear_secured(session, call_id)
            row = session.get(t.Call, call_id)
            if row is None:
                return
            if level is None:
                row.outcome = Outcome.CONTINUATION.value
            else:
                advance = session.exec(
                    select(t.Advance).where(t.Advance.call_id == call_id, t.Advance.level == level.value)
                ).first()
                if advance is None or not advance.action.strip():
                    raise InvalidInput(f"No {level.value} advance was planned for this call.")
                advance.secured = True
                session.add(advance)
                row.outcome = Outcome.ADVANCE.value
            _record_outcome(row)
            session.add(row)

    def secure_unplanned(self, call_id: int, action: str) -> None:
        """Record an advance the customer offered that was not on the ladder."""
        cleaned = entered(action).strip()
        if not cleaned:
            raise InvalidInput("Type what the customer committed to.")
        with self._store.transaction() as session:
            self._clear_secured(session, call_id)
            session.execute(
                delete(t.Advance).where(
                    col(t.Advance.call_id) == call_id, col(t.Advance.level) == AdvanceLevel.UNPLANNED.value
                )
            )
            session.flush()
            session.add(t.Advance(call_id=call_id, level=AdvanceLevel.UNPLANNED.value, action=cleaned, secured=True))
            row = session.get(t.Call, call_id)
            if row is not None:
                row.outcome = Outcome.ADVANCE.value
                _record_outcome(row)
                session.add(row)

    def record_choice(self, call_id: int, choice: OutcomeChoice, unplanned_text: str = "") -> None:
        """Record a debrief's outcome choice with the same calls the in-call keys use."""
        level = level_of(choice)
        if choice is OutcomeChoice.UNPLANNED:
            self.secure_unplanned(call_id, unplanned_text)
        elif level is not None:
            self.secure(call_id, level)
        else:
            self.set_outcome(call_id, outcome_of(choice))

    def set_outcome(self, call_id: int, outcome: Outcome | None) -> None:
        """Record an outcome with no advance (continuation, lost, cancelled) or clear it."""
        with self._store.transaction() as session:
            self._clear_secured(session, call_id)
            row = session.get(t.Call, call_id)
            if row is None:
                return
            row.outcome = outcome.value if outcome else None
            _record_outcome(row)
            session.add(row)

    def add_note(self, call_id: int, text: str) -> m.CallNote:
        """Append a timestamped in-call note."""
        cleaned = entered(text).strip()
        if not cleaned:
            raise InvalidInput("An empty note was not added.")
        row = t.CallNote(call_id=call_id, text=cleaned, at=now())
        with self._store.transaction() as session:
            session.add(row)
            session.flush()
            assert row.id is not None
            return m.CallNote(id=row.id, at=row.at, text=row.text)

    def end(self, call_id: int, seconds: float | None = None) -> None:
        """End the call: it is done (its outcome stays as picked). ``seconds`` is its length on a
        monotonic clock: a wall clock set back during the call never ends it before it started."""
        with self._store.transaction() as session:
            row = session.get(t.Call, call_id)
            if row is None:
                return
            moment = now()
            row.started_at = row.started_at or moment
            row.ended_at = call_end(row.started_at, moment, seconds)
            if row.status == CallStatus.PLANNED.value:
                row.status = CallStatus.DONE.value
            row.updated_at = moment
            session.add(row)

    # -- helpers -----------------------------------------------------------------------------------
    def _clear_secured(self, session: Session, call_id: int) -> None:
        for advance in session.exec(select(t.Advance).where(t.Advance.call_id == call_id, t.Advance.secured)).all():
            advance.secured = False
            session.add(advance)
        session.flush()

    def _touch(self, session: Session, call_id: int) -> None:
        row = session.get(t.Call, call_id)
        if row is not None:
            row.updated_at = now()
            session.add(row)

    def _delete_child(self, table: type[Any], row_id: int) -> None:
        self._store.delete_row(table, row_id)


def _record_outcome(row: t.Call) -> None:
    """Keep the status in step with the outcome: cancelled, or a call that took place after all."""
    if row.outcome == Outcome.CANCELLED.value:
        row.status = CallStatus.CANCELLED.value
    elif row.status == CallStatus.CANCELLED.value:
        row.status = CallStatus.DONE.value
    row.updated_at = now()


def add_unasked(session: Session, call_id: int, present: Sequence[m.Question], unasked: Sequence[m.Question]) -> None:
    """Add the carried-over ``unasked`` questions to a call, except those it already lists."""
    known = {" ".join(q.text.lower().split()) for q in present}
    position = max((q.position for q in present), default=-1) + 1
    for question in unasked:
        key = " ".join(question.text.lower().split())
        if key in known:
            continue
        known.add(key)
        session.add(
            t.Question(
                call_id=call_id, position=position, text=question.text, kind=question.kind.value, hope=question.hope
            )
        )
        position += 1


def load_plans(session: Session, call_ids: Sequence[int]) -> list[m.CallPlan]:
    """Load full plans for ``call_ids`` in their order, with one query per child table (no N+1)."""
    if not call_ids:
        return []
    ids = list(dict.fromkeys(call_ids))
    calls = {c.id: c for c in session.exec(select(t.Call).where(col(t.Call.id).in_(ids))).all()}
    account_ids = {c.account_id for c in calls.values()}
    names = dict(session.execute(select(t.Account.id, t.Account.name).where(col(t.Account.id).in_(account_ids))).all())
    return assemble_plans(session, [calls[i] for i in ids if i in calls], names, ids)


def assemble_plans(
    session: Session, calls: Sequence[Any], names: Mapping[int, str], children_of: Any | None
) -> list[m.CallPlan]:
    """Full plans of ``calls`` (call rows or table objects, in the order given), reading each
    child table once as plain rows. ``children_of`` is what the children's ``call_id`` must be in
    (a list of ids or a subquery); ``None`` reads every child row (a whole-database export)."""

    def children(table: Any) -> dict[int, list[Any]]:
        columns = table.__table__.columns
        query = select(*columns)
        if children_of is not None:
            query = query.where(columns["call_id"].in_(children_of))
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in session.execute(query).all():
            grouped[row.call_id].append(row)
        return grouped

    contacts = children(t.CallContact)
    checklist = children(t.ChecklistItem)
    objections = children(t.Objection)
    advances = children(t.Advance)
    notes = children(t.CallNote)
    questions = children(t.Question)
    practice = children(t.PracticeRun)
    debriefs = {rows[0].call_id: rows[0] for rows in children(t.Debrief).values()}
    from salestui.store import coaching

    coached, riders = coaching.children(session, children_of)
    # Plain rows read like table objects (an attribute per column), which is all the converter needs.
    plans = [
        convert.call_plan(
            row,
            names.get(row.account_id, ""),
            [c.contact_id for c in contacts[row.id]],
            checklist[row.id],
            objections[row.id],
            advances[row.id],
            notes[row.id],
            debriefs.get(row.id),
            questions[row.id],
            practice[row.id],
        )
        for row in calls
    ]
    return coaching.attach(plans, coached, riders)
