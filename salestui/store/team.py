"""Per-rep counts for the manager view: one GROUP BY over calls and their debriefs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from salestui.domain.clock import now
from salestui.domain.enums import CallStatus, Outcome
from salestui.domain.team import RepCounts
from salestui.store import tables as t

if TYPE_CHECKING:
    from salestui.store.core import Store


def rep_counts(store: Store) -> list[RepCounts]:
    """Calls held, advances, debriefs and overdue follow-ups per owner (plain counts)."""
    moment = now()
    today = moment.date()
    # Same definition as the rep's own stats (domain.stats.is_held): an outcome, not cancelled.
    held = and_(col(t.Call.outcome).is_not(None), t.Call.outcome != Outcome.CANCELLED.value)
    upcoming = and_(t.Call.status == CallStatus.PLANNED.value, col(t.Call.scheduled_at) >= moment)
    # A follow-up is overdue when its date has passed and nothing followed: no next call
    # drafted from the debrief and no later call with the account.
    later = aliased(t.Call)
    followed = (
        select(later.id)
        .where(
            later.account_id == t.Call.account_id,
            later.status != CallStatus.CANCELLED.value,
            col(later.scheduled_at) > col(t.Call.scheduled_at),
        )
        .exists()
    )
    overdue = and_(col(t.Debrief.follow_up) < today, col(t.Debrief.next_call_id).is_(None), ~followed)

    def tally(condition: object) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)  # type: ignore[arg-type]

    query = (
        select(
            t.Call.owner,
            tally(held),
            tally(and_(held, t.Call.outcome == Outcome.ADVANCE.value)),
            tally(and_(held, col(t.Debrief.id).is_not(None))),
            tally(overdue),
            tally(upcoming),
        )
        .select_from(t.Call)
        .outerjoin(t.Debrief, col(t.Debrief.call_id) == t.Call.id)
        .group_by(t.Call.owner)
        .order_by(t.Call.owner)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    return [RepCounts(str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows]
