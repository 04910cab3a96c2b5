"""What counts as what: "held", "debriefed", "needs a debrief", "follow-up overdue".

Each rule is defined here once, in plain Python, and once as SQL in ``salestui.store.rules``
(which every list, filter, count and figure uses); a store test checks that both give the same
answer on the same calls. Change a rule in both places or in neither.

"Needs a debrief" is also kept as day rows of the SQLite stats summary (migration
``0014_pending_started``: keyed by the earlier of the planned time and the start) and written
as plain SQL for ``salestui agenda`` (``store/quick.py``); ``tests/test_needs_debrief_agree.py``
checks all of them against ``needs_debrief`` on calls of every shape, on both backends.
"""

from __future__ import annotations

from datetime import date, datetime

from salestui.domain.enums import CallStatus, DebriefState, Outcome
from salestui.domain.models import Debrief


def is_held(outcome: Outcome | None) -> bool:
    """A call was held when it has an outcome other than cancelled (the base of every rate)."""
    return outcome is not None and outcome is not Outcome.CANCELLED


def state_of(written: bool, finished: bool) -> DebriefState:
    """The debrief state from whether a debrief row exists and whether it was finished."""
    if not written:
        return DebriefState.NONE
    return DebriefState.DONE if finished else DebriefState.DRAFT


def debrief_state(debrief: Debrief | None) -> DebriefState:
    """Not written, a draft (saved as typed, never finished), or done."""
    return state_of(debrief is not None, debrief is not None and debrief.finished)


def is_debriefed(debrief: Debrief | None) -> bool:
    """Only a finished debrief counts as debriefed; a draft counts nowhere."""
    return debrief_state(debrief) is DebriefState.DONE


def needs_debrief(
    scheduled_at: datetime | None,
    status: CallStatus,
    outcome: Outcome | None,
    state: DebriefState,
    moment: datetime,
    started_at: datetime | None = None,
) -> bool:
    """A call needs a debrief when it was started or its time has passed, it was not cancelled and
    its debrief is not finished (a call held before its planned time needs it at once)."""
    return (
        ((scheduled_at is not None and scheduled_at < moment) or (started_at is not None and started_at <= moment))
        and status is not CallStatus.CANCELLED
        and outcome is not Outcome.CANCELLED
        and state is not DebriefState.DONE
    )


def follows(earlier_at: datetime | None, later_at: datetime | None, later_status: CallStatus) -> bool:
    """Whether a call of the same account at ``later_at`` follows up a call at ``earlier_at``.

    Any call scheduled later that was not cancelled does, held or only booked; a drafted next
    call that was cancelled does not.
    """
    return (
        earlier_at is not None
        and later_at is not None
        and later_at > earlier_at
        and later_status is not CallStatus.CANCELLED
    )


def follow_up_overdue(debrief: Debrief | None, followed: bool, today: date) -> bool:
    """A finished debrief's follow-up date has passed (before ``today``) and no later call ``followed``."""
    return (
        is_debriefed(debrief)
        and debrief is not None
        and debrief.follow_up is not None
        and debrief.follow_up < today
        and not followed
    )


def happened_at(
    started_at: datetime | None,
    ended_at: datetime | None,
    scheduled_at: datetime | None,
    created_at: datetime | None = None,
) -> datetime | None:
    """When a call took place: started, else ended, else planned (else when it was entered)."""
    for moment in (started_at, ended_at, scheduled_at, created_at):
        if moment is not None:
            return moment
    return None


def in_review(
    scheduled_at: datetime | None,
    status: CallStatus,
    outcome: Outcome | None,
    started_at: datetime | None,
    moment: datetime,
) -> bool:
    """Review lists a call that was held, cancelled or started, or whose planned time has passed."""
    return (
        outcome is not None
        or status is not CallStatus.PLANNED
        or started_at is not None
        or (scheduled_at is not None and scheduled_at <= moment)
    )


def can_delete(status: CallStatus, outcome: Outcome | None, started_at: datetime | None) -> bool:
    """Only a call never held may be deleted (a cancelled one too); anything held stays in history."""
    return started_at is None and (outcome is None or outcome is Outcome.CANCELLED) and status is not CallStatus.DONE
