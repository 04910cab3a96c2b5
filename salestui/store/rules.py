"""The counting rules as SQL: one expression per rule, used by every list, filter, count and figure.

The plain-Python twin of each rule is in ``salestui.domain.rules`` (read the definitions there);
``tests/test_rules_store.py`` checks that both give the same answer on the same calls.

Each function takes the ``call`` and ``debrief`` tables (or aliases of them) of the query it
goes into; ``debrief`` may come from an outer join, where a missing row reads as NULL.
Joins of calls to debriefs read ``finished_at`` from the index ``ix_debrief_call_finished``.
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
ACCOUNT: sa.Table = t.Account.__table__  # type: ignore[attr-defined]

Rule = sa.ColumnElement[bool]

#: The calls waiting for their follow-up (a finished debrief with a follow-up date, no later call
#: that was not cancelled) with that date: migration 0019_speed's table, kept by triggers.
FOLLOW_UP_OPEN = sa.table(
    "stats_summary_follow_up",
    sa.column("call_id", sa.Integer()),
    sa.column("account_id", sa.Integer()),
    sa.column("follow_up", sa.Date()),
)


def held(call: sa.FromClause = CALL) -> Rule:
    """``rules.is_held``: an outcome other than cancelled."""
    return sa.and_(call.c.outcome.is_not(None), call.c.outcome != Outcome.CANCELLED.value)


def debriefed(debrief: sa.FromClause = DEBRIEF) -> Rule:
    """``rules.is_debriefed``: a finished debrief (false for a draft, and for no debrief: NULL)."""
    return debrief.c.finished_at.is_not(None)


def count_debriefed(debrief: sa.FromClause = DEBRIEF) -> sa.ColumnElement[int]:
    """How many rows of a group are ``debriefed``: ``tally(debriefed())`` read from the index alone."""
    return sa.func.count(debrief.c.finished_at)


def debrief_state(debrief: sa.FromClause = DEBRIEF) -> sa.ColumnElement[str]:
    """``rules.debrief_state`` as a column: ``none``, ``draft`` or ``done``."""
    return sa.case(
        (debrief.c.id.is_(None), DebriefState.NONE.value),
        (debrief.c.finished_at.is_(None), DebriefState.DRAFT.value),
        else_=DebriefState.DONE.value,
    )


def needs_debrief(moment: datetime, call: sa.FromClause = CALL, debrief: sa.FromClause = DEBRIEF) -> Rule:
    """``rules.needs_debrief``: it took place (or its time passed), not cancelled, debrief not finished.

    A call that was started needs its debrief whatever its planned time: one held before its
    planned time, or with no time set, needs it at once.
    """
    return sa.and_(
        sa.or_(
            sa.and_(call.c.scheduled_at.is_not(None), call.c.scheduled_at < moment),
            sa.and_(call.c.started_at.is_not(None), call.c.started_at <= moment),
        ),
        call.c.status != CallStatus.CANCELLED.value,
        sa.or_(call.c.outcome.is_(None), call.c.outcome != Outcome.CANCELLED.value),
        sa.not_(debriefed(debrief)),
    )


def follow_up_overdue(today: date, call: sa.FromClause = CALL) -> Rule:
    """``rules.follow_up_overdue``: a finished debrief's follow-up date passed and no later call followed.

    A later call follows (``rules.follows``) when it was not cancelled. Which calls still wait for
    their follow-up does not depend on the day: ``FOLLOW_UP_OPEN`` (migration 0019_speed, kept by
    triggers on calls and debriefs, both backends) holds them with their dates, a few per account;
    the overdue ones are those dated before ``today``, one index range. Found from the calls
    instead (each account's latest call that was not cancelled, then the calls from it on), the
    count was 73 ms at 100,000 calls on PostgreSQL. ``tests/test_rules_store.py`` checks it
    against the domain, ``tests/test_speed_summary.py`` the table against every kind of write.
    """
    return call.c.id.in_(overdue_follow_ups(today))


def overdue_follow_ups(today: date) -> sa.Select[Any]:
    """The calls ``follow_up_overdue`` selects, read from ``FOLLOW_UP_OPEN`` alone (``call_id``)."""
    return sa.select(FOLLOW_UP_OPEN.c.call_id).where(FOLLOW_UP_OPEN.c.follow_up < today)


def happened_at(call: sa.FromClause = CALL) -> sa.ColumnElement[Any]:
    """``rules.happened_at``: started, else ended, else planned; a call with no time at all falls
    back to when it was entered, so a held call with no time still has a place in review.

    The index ``ix_call_happened_id`` (migration 0008_review_time) is on this very expression.
    """
    return sa.func.coalesce(
        call.c.started_at, call.c.ended_at, call.c.scheduled_at, call.c.created_at, type_=t.UTCDateTime()
    )


def in_review(moment: datetime, call: sa.FromClause = CALL) -> Rule:
    """``rules.in_review``: held, cancelled, started, or its planned time has passed."""
    return sa.or_(
        call.c.outcome.is_not(None),
        call.c.status != CallStatus.PLANNED.value,
        call.c.started_at.is_not(None),
        sa.and_(call.c.scheduled_at.is_not(None), call.c.scheduled_at <= moment),
    )


def ahead(moment: datetime, call: sa.FromClause = CALL) -> Rule:
    """Exactly ``not in_review``: planned, not started, no outcome, and no planned time passed.

    Spelled out so that an index finds these few rows (a rep's calendar ahead); review counts
    every call in it as all calls less these, where counting ``in_review`` itself scans the table.
    """
    return sa.and_(
        call.c.outcome.is_(None),
        call.c.status == CallStatus.PLANNED.value,
        call.c.started_at.is_(None),
        sa.or_(call.c.scheduled_at.is_(None), call.c.scheduled_at > moment),
    )


def tally(condition: Rule) -> sa.ColumnElement[int]:
    """How many rows of a group meet ``condition`` (0 for none)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)
