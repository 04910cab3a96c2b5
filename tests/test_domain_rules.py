"""The counting rules in plain Python: held, debrief state, needs a debrief, follow-up overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from salestui.domain.enums import CallStatus, DebriefState, Outcome
from salestui.domain.models import Debrief
from salestui.domain.rules import (
    debrief_state,
    follow_up_overdue,
    follows,
    is_debriefed,
    is_held,
    needs_debrief,
)

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
TODAY = NOW.date()
DRAFT = Debrief(id=1, call_id=1, lessons="typed, never finished", follow_up=date(2026, 11, 20))
DONE = Debrief(id=1, call_id=1, lessons="finished", follow_up=date(2026, 11, 20), finished_at=NOW)


def test_cancelled_and_open_calls_are_not_held():
    assert is_held(Outcome.CONTINUATION) and is_held(Outcome.LOST) and is_held(Outcome.ADVANCE)
    assert not is_held(Outcome.CANCELLED) and not is_held(None)


def test_only_a_finished_debrief_counts_as_debriefed():
    assert debrief_state(None) is DebriefState.NONE
    assert debrief_state(DRAFT) is DebriefState.DRAFT and not DRAFT.finished and not is_debriefed(DRAFT)
    assert debrief_state(DONE) is DebriefState.DONE and DONE.finished and is_debriefed(DONE)


def test_a_past_call_needs_a_debrief_until_it_is_finished():
    past = NOW - timedelta(days=1)
    for state in (DebriefState.NONE, DebriefState.DRAFT):
        assert needs_debrief(past, CallStatus.DONE, Outcome.CONTINUATION, state, NOW)
    assert not needs_debrief(past, CallStatus.DONE, Outcome.CONTINUATION, DebriefState.DONE, NOW)
    assert not needs_debrief(past, CallStatus.CANCELLED, Outcome.CANCELLED, DebriefState.NONE, NOW)
    assert not needs_debrief(past, CallStatus.DONE, Outcome.CANCELLED, DebriefState.NONE, NOW)
    assert not needs_debrief(NOW + timedelta(hours=1), CallStatus.PLANNED, None, DebriefState.NONE, NOW)
    assert not needs_debrief(None, CallStatus.PLANNED, None, DebriefState.NONE, NOW)


def test_a_later_call_follows_up_unless_it_was_cancelled():
    earlier = NOW - timedelta(days=5)
    assert follows(earlier, NOW + timedelta(days=1), CallStatus.PLANNED)
    assert follows(earlier, NOW - timedelta(days=1), CallStatus.DONE)
    assert not follows(earlier, NOW + timedelta(days=1), CallStatus.CANCELLED)  # the drafted call was cancelled
    assert not follows(earlier, earlier - timedelta(days=1), CallStatus.DONE)
    assert not follows(earlier, None, CallStatus.PLANNED)


def test_follow_up_overdue_needs_a_finished_debrief_a_past_date_and_nothing_since():
    assert follow_up_overdue(DONE, followed=False, today=TODAY)
    assert not follow_up_overdue(DONE, followed=True, today=TODAY)
    assert not follow_up_overdue(DRAFT, followed=False, today=TODAY)  # a draft promised nothing yet
    assert not follow_up_overdue(None, followed=False, today=TODAY)
    assert not follow_up_overdue(DONE, followed=False, today=date(2026, 11, 20))  # due today: not overdue yet
    assert not follow_up_overdue(Debrief(id=2, call_id=2, finished_at=NOW), followed=False, today=TODAY)
