"""The counting rules as SQL: one expression per rule, used by every list, filter, count and figure.

The plain-Python twin of each rule is in ``salestui.domain.rules`` (read the definitions there);
``tests/test_rules_store.py`` checks that both give the same answer on the same calls.

Each function takes the ``call`` and ``debrief`` tables (or aliases of them) of the query it
goes into; ``debrief`` may come from an outer join, where a missing row reads as NULL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from salestui.domain.enums import CallStatus, DebriefState, Outcome
from salestui.store import tables as t

#: The table of ``t.Call`` and ``t.Debrief`` (Core columns; the same tables the ORM classes map).
CALL: sa.Table = t.Call.__table__  # type: ignore[attr-defined]
DEBRIEF: sa.Table = t.Debrief.__table__  # type: ignore[attr-defined]

Rule = sa.ColumnElement[bool]


def held(call: Any = CALL) -> Rule:
    """``rules.is_held``: an outcome other than cancelled."""
    return sa.and_(call.c.outcome.is_not(None), call.c.outcome != Outcome.CANCELLED.value)


def debriefed(debrief: Any = DEBRIEF) -> Rule:
    """``rules.is_debriefed``: a finished debrief (false for a draft and for no debrief at all)."""
    return sa.and_(debrief.c.id.is_not(None), debrief.c.finished_at.is_not(None))


def debrief_state(debrief: Any = DEBRIEF) -> sa.ColumnElement[str]:
    """``rules.debrief_state`` as a column: ``none``, ``draft`` or ``done``."""
    return sa.case(
        (debrief.c.id.is_(None), DebriefState.NONE.value),
        (debrief.c.finished_at.is_(None), DebriefState.DRAFT.value),
        else_=DebriefState.DONE.value,
    )


def needs_debrief(moment: datetime, call: Any = CALL, debrief: Any = DEBRIEF) -> Rule:
    """``rules.needs_debrief``: time passed, not cancelled, debrief not finished."""
    return sa.and_(
        call.c.scheduled_at.is_not(None),
        call.c.scheduled_at < moment,
        call.c.status != CallStatus.CANCELLED.value,
        sa.or_(call.c.outcome.is_(None), call.c.outcome != Outcome.CANCELLED.value),
        sa.not_(debriefed(debrief)),
    )


def followed(call: Any = CALL) -> Rule:
    """``rules.follows`` for some call of the account: a later call that was not cancelled exists."""
    later = sa.alias(CALL, "later")
    return (
        sa.select(later.c.id)
        .where(
            later.c.account_id == call.c.account_id,
            later.c.status != CallStatus.CANCELLED.value,
            later.c.scheduled_at > call.c.scheduled_at,
        )
        .exists()
    )


def follow_up_overdue(today: date, call: Any = CALL, debrief: Any = DEBRIEF) -> Rule:
    """``rules.follow_up_overdue``: a finished debrief's follow-up date passed and no later call followed."""
    return sa.and_(
        debriefed(debrief),
        debrief.c.follow_up.is_not(None),
        debrief.c.follow_up < today,
        sa.not_(followed(call)),
    )


def tally(condition: Rule) -> sa.ColumnElement[int]:
    """How many rows of a group meet ``condition`` (0 for none)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)
