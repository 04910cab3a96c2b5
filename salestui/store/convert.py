"""Table rows to domain read models; the UI only ever sees the latter.

Imports no SQLAlchemy: the standard-library reader (``quick.py``) converts its plain rows here
too, so both paths give the same read models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from salestui.domain import models as m
from salestui.domain.enums import (
    AccountStatus,
    Achieved,
    AdvanceLevel,
    CallKind,
    CallStatus,
    ContactRole,
    Handling,
    Outcome,
    QuestionKind,
    ResearchCategory,
)
from salestui.domain.readiness import readiness
from salestui.domain.rules import debrief_state, happened_at

if TYPE_CHECKING:
    from salestui.store import tables as t

_LEVEL_ORDER = {level.value: index for index, level in enumerate(AdvanceLevel)}


def _id(row_id: int | None) -> int:
    if row_id is None:  # only unflushed rows lack an id
        raise ValueError("row has no id yet")
    return row_id


def account(row: t.Account) -> m.Account:
    """Account row to read model."""
    return m.Account(
        id=_id(row.id),
        name=row.name,
        industry=row.industry,
        status=AccountStatus(row.status),
        website=row.website,
        phone=row.phone,
        city=row.city,
        notes=row.notes,
        version=row.version,
        owner=row.owner,
    )


def contact(row: t.Contact) -> m.Contact:
    """Contact row to read model."""
    return m.Contact(
        id=_id(row.id),
        account_id=row.account_id,
        name=row.name,
        title=row.title,
        role=ContactRole(row.role),
        email=row.email,
        phone=row.phone,
        notes=row.notes,
        version=row.version,
    )


def research_note(row: t.ResearchNote) -> m.ResearchNote:
    """Research note row to read model."""
    return m.ResearchNote(
        id=_id(row.id),
        account_id=row.account_id,
        category=ResearchCategory(row.category),
        body=row.body,
        source=row.source,
        version=row.version,
    )


def comparison(row: t.CompetitorComparison) -> m.Comparison:
    """Competitor comparison row to read model."""
    return m.Comparison(
        id=_id(row.id),
        account_id=row.account_id,
        competitor=row.competitor,
        their_strengths=row.their_strengths,
        their_weaknesses=row.their_weaknesses,
        our_edge=row.our_edge,
        version=row.version,
    )


def debrief(row: t.Debrief) -> m.Debrief:
    """Debrief row to read model."""
    return m.Debrief(
        id=_id(row.id),
        call_id=row.call_id,
        went_well=row.went_well,
        do_differently=row.do_differently,
        customer_feedback=row.customer_feedback,
        lessons=row.lessons,
        next_step=row.next_step,
        follow_up=row.follow_up,
        rating=row.rating,
        next_call_id=row.next_call_id,
        updated_at=row.updated_at,
        version=row.version,
        finished_at=row.finished_at,
    )


def call_plan(
    row: t.Call,
    account_name: str,
    contact_ids: Iterable[int],
    checklist: Iterable[t.ChecklistItem],
    objections: Iterable[t.Objection],
    advances: Iterable[t.Advance],
    notes: Iterable[t.CallNote],
    debrief_row: t.Debrief | None,
    questions: Iterable[t.Question] = (),
    practice_runs: Iterable[t.PracticeRun] = (),
) -> m.CallPlan:
    latest = max(practice_runs, key=lambda r: (r.at, r.id or 0), default=None)
    """A call with its children to the full plan read model."""
    return m.CallPlan(
        id=_id(row.id),
        account_id=row.account_id,
        account_name=account_name,
        scheduled_at=row.scheduled_at,
        kind=CallKind(row.kind),
        status=CallStatus(row.status),
        objective=row.objective,
        goal=row.goal,
        strategy=row.strategy,
        expected_return=row.expected_return,
        contact_ids=tuple(sorted(contact_ids)),
        checklist=tuple(
            m.ChecklistItem(id=_id(c.id), position=c.position, text=c.text, done=c.done)
            for c in sorted(checklist, key=lambda c: (c.position, c.id or 0))
        ),
        objections=tuple(
            m.Objection(
                id=_id(o.id),
                text=o.text,
                response=o.response,
                raised=o.raised,
                handling=Handling(o.handling),
                came_up_unplanned=o.came_up_unplanned,
                position=o.position,
            )
            for o in sorted(objections, key=lambda o: (o.position, o.id or 0))
        ),
        advances=tuple(
            m.Advance(
                id=_id(a.id),
                level=AdvanceLevel(a.level),
                action=a.action,
                owner=a.owner,
                due=a.due,
                secured=a.secured,
            )
            for a in sorted(advances, key=lambda a: (_LEVEL_ORDER.get(a.level, len(_LEVEL_ORDER)), a.id or 0))
        ),
        questions=tuple(
            m.Question(
                id=_id(q.id),
                text=q.text,
                kind=QuestionKind(q.kind),
                hope=q.hope,
                asked=q.asked,
                answer=q.answer,
                position=q.position,
            )
            for q in sorted(questions, key=lambda q: (q.position, q.id or 0))
        ),
        practice=m.PracticeRun(
            id=_id(latest.id),
            at=latest.at,
            seconds=latest.seconds,
            shaky=tuple(line for line in latest.shaky.splitlines() if line.strip()),
        )
        if latest is not None
        else None,
        notes=tuple(
            m.CallNote(id=_id(n.id), at=n.at, text=n.text) for n in sorted(notes, key=lambda n: (n.at, n.id or 0))
        ),
        outcome=Outcome(row.outcome) if row.outcome else None,
        achieved=Achieved(row.achieved) if row.achieved else None,
        started_at=row.started_at,
        ended_at=row.ended_at,
        readiness_at_start=row.readiness_at_start,
        carried_from_call_id=row.carried_from_call_id,
        version=row.version,
        debrief=debrief(debrief_row) if debrief_row else None,
        owner=row.owner,
    )


def summarise(plans: Iterable[m.CallPlan]) -> list[m.CallSummary]:
    """List lines for plans; readiness is live for planned calls and frozen once a call started."""
    return [
        m.CallSummary(
            id=p.id,
            account_id=p.account_id,
            account_name=p.account_name,
            scheduled_at=p.scheduled_at,
            kind=p.kind,
            status=p.status,
            objective=p.objective,
            outcome=p.outcome,
            readiness=p.readiness_at_start if p.readiness_at_start is not None else readiness(p).score,
            debrief_state=debrief_state(p.debrief),
            follow_up=p.debrief.follow_up if p.debrief else None,
            happened_at=happened_at(p.started_at, p.ended_at, p.scheduled_at),
            owner=p.owner,
        )
        for p in plans
    ]
