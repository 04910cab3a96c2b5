"""The counting rules in the store, on SQLite and PostgreSQL: drafts, held, overdue follow-ups.

A draft debrief (saved as typed, never finished) keeps its call in "Needs a debrief" and counts
nowhere as debriefed; finishing moves it out. Home, review, stats and team figures use the same
SQL rules (``store/rules.py``), and those agree with their plain-Python twins (``domain/rules.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from salestui.domain import rules as domain
from salestui.domain.enums import AdvanceLevel, CallStatus, DebriefState, Outcome
from salestui.domain.review import ReviewFilter
from salestui.store import rules
from salestui.store.accounts import InvalidInput
from salestui.store.core import Store
from salestui.store.team import rep_counts

NEEDS_DEBRIEF = ReviewFilter(needs_debrief=True)
OVERDUE = ReviewFilter(follow_up_overdue=True)


def _held_call(store: Store, now: datetime, days_ago: int = 3, name: str = "Initech") -> int:
    account = store.accounts.create(name)
    call = store.calls.create(account.id, now - timedelta(days=days_ago), objective="Pilot scope")
    store.calls.set_advance(call, AdvanceLevel.TARGET, "Agrees to a pilot")
    store.calls.start(call)
    store.calls.secure(call, AdvanceLevel.TARGET)
    store.calls.end(call)
    return call


def _needing(store: Store) -> list[int]:
    return [c.id for c in store.calls.needing_debrief()]


def _team(store: Store) -> tuple[int, int, int]:
    (counts,) = rep_counts(store)
    return counts.calls_held, counts.debriefed, counts.overdue_follow_ups


def test_a_draft_stays_in_needs_a_debrief_until_finished(any_store, frozen_now):
    store = any_store
    call = _held_call(store, frozen_now)
    store.debriefs.save(call, went_well="Rapport with the CFO")  # autosave, then the rep left
    assert not store.debriefs.get(call).finished
    assert _needing(store) == [call]
    assert [c.id for c in store.review.first_page(NEEDS_DEBRIEF).lines] == [call]
    assert store.review.count(NEEDS_DEBRIEF) == 1
    (line,) = store.review.first_page().lines
    assert line.debrief_state is DebriefState.DRAFT and not line.debriefed
    assert store.calls.history(store.calls.plan(call).account_id)[0].debrief_state is DebriefState.DRAFT

    finished = store.debriefs.finish(call, lessons="Bring the CFO")
    assert finished.debrief.finished and finished.debrief.finished_at == frozen_now
    assert finished.debrief.went_well == "Rapport with the CFO"  # the draft's words are kept
    assert _needing(store) == [] and store.review.count(NEEDS_DEBRIEF) == 0
    (line,) = store.review.first_page().lines
    assert line.debrief_state is DebriefState.DONE and line.debriefed


def test_autosave_never_finishes_and_finishing_again_keeps_the_first_time(store, frozen_now):
    from salestui.domain import clock

    call = _held_call(store, frozen_now)
    for n in range(3):
        store.debriefs.save(call, lessons=f"edit {n}")
    assert store.debriefs.get(call).finished_at is None
    store.debriefs.finish(call)
    later = frozen_now + timedelta(days=2)
    clock.freeze(later)
    amended = store.debriefs.save(call, lessons="amended after finishing")
    assert amended.finished_at == frozen_now  # amending keeps it finished, and when
    again = store.debriefs.finish(call, amended.version, rating=4)
    assert again.debrief.finished_at == frozen_now and again.debrief.rating == 4


def test_finishing_a_stale_window_without_edits_is_not_refused(store, frozen_now):
    call = _held_call(store, frozen_now)
    mine = store.debriefs.save(call, lessons="a")
    store.debriefs.save(call, mine.version, lessons="other window")
    finished = store.debriefs.finish(call, mine.version)  # nothing typed since: only the flag is set
    assert finished.debrief.finished and finished.debrief.lessons == "other window"


def test_only_finished_debriefs_count_in_stats_and_team(any_store, frozen_now):
    store = any_store
    call = _held_call(store, frozen_now)
    store.debriefs.save(call, lessons="draft")
    assert _team(store) == (1, 0, 0)
    if store.engine.dialect.name == "sqlite":  # stats group by month with strftime (SQLite)
        stats = store.review.stats()
        assert (stats.overall.held, stats.overall.debriefed, stats.without_debrief) == (1, 0, 1)
    store.debriefs.finish(call)
    assert _team(store) == (1, 1, 0)
    if store.engine.dialect.name == "sqlite":
        stats = store.review.stats()
        assert (stats.overall.held, stats.overall.debriefed, stats.without_debrief) == (1, 1, 0)


def test_a_draft_is_no_carry_over_source(any_store, frozen_now):
    store = any_store
    earlier = _held_call(store, frozen_now, days_ago=10)
    account_id = store.calls.plan(earlier).account_id
    store.debriefs.save(earlier, lessons="Lumbergh decides")
    upcoming = store.calls.create(account_id, frozen_now + timedelta(days=2))
    assert store.calls.previous_debriefed(account_id, before_call_id=upcoming) is None
    with pytest.raises(InvalidInput, match="Nothing to carry over"):
        store.calls.pull_carry_over(upcoming, "")
    store.debriefs.finish(earlier)
    previous = store.calls.previous_debriefed(account_id, before_call_id=upcoming)
    assert previous is not None and previous.id == earlier
    plan, _version = store.calls.pull_carry_over(upcoming, "")
    assert "Lesson: Lumbergh decides" in plan.strategy


def test_a_drafts_follow_up_date_is_not_overdue(any_store, frozen_now):
    store = any_store
    call = _held_call(store, frozen_now, days_ago=9)
    store.debriefs.save(call, follow_up=(frozen_now - timedelta(days=2)).date())
    assert store.review.count(OVERDUE) == 0 and _team(store)[2] == 0
    store.debriefs.finish(call)
    assert store.review.count(OVERDUE) == 1 and _team(store)[2] == 1


def test_stats_and_team_agree_when_the_drafted_next_call_is_cancelled(any_store, frozen_now):
    store = any_store
    call = _held_call(store, frozen_now, days_ago=9)
    finished = store.debriefs.finish(
        call, follow_up_at=frozen_now - timedelta(days=2), follow_up=(frozen_now - timedelta(days=2)).date()
    )
    assert finished.next_call_id is not None
    # The drafted next call is booked (its time already passed): the follow-up happened.
    assert store.review.count(OVERDUE) == 0 and _team(store)[2] == 0
    store.calls.set_outcome(finished.next_call_id, Outcome.CANCELLED)  # ... then it was cancelled
    assert store.calls.plan(finished.next_call_id).status is CallStatus.CANCELLED
    assert [c.id for c in store.review.first_page(OVERDUE).lines] == [call]
    assert store.review.count(OVERDUE) == 1
    assert _team(store)[2] == 1
    if store.engine.dialect.name == "sqlite":
        assert store.review.stats().overdue_follow_ups == 1
    # Held: the cancelled call is not held in either view.
    held, _debriefed, _overdue = _team(store)
    assert held == 1
    if store.engine.dialect.name == "sqlite":
        assert store.review.stats().overall.held == 1
    # A new call booked later with the account follows up again, in both.
    store.calls.create(store.calls.plan(call).account_id, frozen_now + timedelta(days=1))
    assert store.review.count(OVERDUE) == 0 and _team(store)[2] == 0


def test_sql_rules_agree_with_their_domain_twins(any_store, frozen_now):
    """Every combination of outcome, status and debrief state, judged by SQL and by Python."""
    store = any_store
    past, future = frozen_now - timedelta(days=5), frozen_now + timedelta(days=5)
    overdue_day = (frozen_now - timedelta(days=1)).date()
    ids = []
    for n, outcome in enumerate([None, Outcome.ADVANCE, Outcome.CONTINUATION, Outcome.LOST, Outcome.CANCELLED]):
        for state in DebriefState:
            for when in (past, future, None):
                account = store.accounts.create(f"Account {n} {state} {when}")
                call = store.calls.create(account.id, when)
                if outcome is Outcome.ADVANCE:
                    store.calls.secure_unplanned(call, "Signs the order")
                elif outcome is not None:
                    store.calls.set_outcome(call, outcome)
                if state is DebriefState.DRAFT:
                    store.debriefs.save(call, follow_up=overdue_day)
                elif state is DebriefState.DONE:
                    store.debriefs.finish(call, follow_up=overdue_day)
                ids.append(call)
        # One account whose earlier call was followed by a later one, and one whose later call was cancelled.
        account = store.accounts.create(f"Followed {n}")
        first = store.calls.create(account.id, past)
        store.debriefs.finish(first, follow_up=overdue_day)
        later = store.calls.create(account.id, past + timedelta(days=1))
        if outcome is not None:
            store.calls.set_outcome(later, outcome)
        ids += [first, later]
    # Two calls at the same time: neither is later than the other, so neither follows the other up.
    account = store.accounts.create("Same time")
    for _ in range(2):
        tied = store.calls.create(account.id, past)
        store.debriefs.finish(tied, follow_up=overdue_day)
        ids.append(tied)

    call, debrief = rules.CALL, rules.DEBRIEF
    today = overdue_day + timedelta(days=1)
    query = (
        sa.select(
            call.c.id,
            rules.held(),
            rules.debriefed(),
            rules.debrief_state(),
            rules.needs_debrief(frozen_now),
            rules.follow_up_overdue(today),
            rules.count_debriefed(),
        )
        .select_from(call.outerjoin(debrief, debrief.c.call_id == call.c.id))
        .group_by(call.c.id, debrief.c.id)  # one row per call: count_debriefed is an aggregate
        .order_by(call.c.id)
    )
    with store.reading() as session:
        judged = {row[0]: tuple(row[1:]) for row in session.execute(query).all()}
    plans = {plan.id: plan for plan in (store.calls.plan(i) for i in ids)}
    for plan in plans.values():
        state = domain.debrief_state(plan.debrief)
        others = [p for p in plans.values() if p.account_id == plan.account_id and p.id != plan.id]
        followed = any(domain.follows(plan.scheduled_at, p.scheduled_at, p.status) for p in others)
        expected = (
            domain.is_held(plan.outcome),
            domain.is_debriefed(plan.debrief),
            state.value,
            domain.needs_debrief(plan.scheduled_at, plan.status, plan.outcome, state, frozen_now, plan.started_at),
            domain.follow_up_overdue(plan.debrief, followed, today),
            int(domain.is_debriefed(plan.debrief)),
        )
        assert tuple(bool(v) if i not in (2, 5) else v for i, v in enumerate(judged[plan.id])) == expected, plan
    # The combinations really exercise every rule both ways.
    columns = list(zip(*judged.values(), strict=True))
    assert all(set(map(bool, column)) == {True, False} for i, column in enumerate(columns) if i != 2)
    assert sum(columns[5]) == sum(map(bool, columns[1]))
    assert set(columns[2]) == {"none", "draft", "done"}


def test_review_counts_all_calls_less_the_ones_ahead_exactly_as_in_review(any_store, frozen_now):
    """``count()`` of the whole review is all calls less ``rules.ahead``; it must equal counting
    ``rules.in_review`` row by row, whatever the mix (each kind of call below is in or out)."""
    store = any_store
    account = store.accounts.create("Initech").id
    calls = store.calls
    past, future = frozen_now - timedelta(days=2), frozen_now + timedelta(days=2)
    calls.create(account, future, objective="ahead: planned, later")
    calls.create(account, None, objective="ahead: planned, no time yet")
    calls.create(account, past, objective="in review: its time passed")
    calls.create(account, frozen_now, objective="in review: due this very moment")
    started_early = calls.create(account, future, objective="in review: started before its time")
    calls.start(started_early)
    cancelled = calls.create(account, future, objective="in review: cancelled ahead of time")
    calls.cancel(cancelled)
    _held_call(store, frozen_now, name="Globex")
    with store.reading() as session:
        by_rule = session.execute(
            sa.select(sa.func.count()).select_from(rules.CALL).where(rules.in_review(frozen_now))
        ).scalar_one()
        ahead = session.execute(
            sa.select(sa.func.count()).select_from(rules.CALL).where(rules.ahead(frozen_now))
        ).scalar_one()
        total = session.execute(sa.select(sa.func.count()).select_from(rules.CALL)).scalar_one()
    assert (by_rule, ahead, total) == (5, 2, 7)
    assert store.review.count(ReviewFilter()) == by_rule == len(store.review.first_page(ReviewFilter()).lines)
