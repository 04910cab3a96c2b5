"""Per-rep counts for the manager view: one GROUP BY over calls and their debriefs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from salestui.domain.clock import now, today
from salestui.domain.enums import CallStatus, Outcome
from salestui.domain.team import RepCounts
from salestui.store import rules
from salestui.store.rules import CALL, DEBRIEF, tally

if TYPE_CHECKING:
    from salestui.store.core import Store


def rep_counts(store: Store) -> list[RepCounts]:
    """Calls held, advances, debriefs and overdue follow-ups per owner, by the rules the rep's stats use."""
    moment = now()
    held = rules.held()
    upcoming = sa.and_(CALL.c.status == CallStatus.PLANNED.value, CALL.c.scheduled_at >= moment)
    query = (
        sa.select(
            CALL.c.owner,
            tally(held),
            tally(sa.and_(held, CALL.c.outcome == Outcome.ADVANCE.value)),
            tally(sa.and_(held, rules.debriefed())),
            tally(rules.follow_up_overdue(today())),
            tally(upcoming),
        )
        .select_from(CALL.outerjoin(DEBRIEF, DEBRIEF.c.call_id == CALL.c.id))
        .group_by(CALL.c.owner)
        .order_by(CALL.c.owner)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    return [RepCounts(str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows]
