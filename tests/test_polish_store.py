"""Issue 20 on a real SQLite file: review by when a call happened, cancel and delete, past offsets."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from salestui.domain import clock
from salestui.domain.dates import Invalid, parse_date
from salestui.domain.enums import CallStatus, Outcome
from salestui.domain.review import Period, ReviewFilter
from salestui.domain.rules import happened_at
from salestui.store.accounts import InvalidInput


def _walk(store, flt: ReviewFilter, size: int) -> list[int]:  # type: ignore[no-untyped-def]
    page = store.review.first_page(flt, limit=size)
    seen = [c.id for c in page.lines]
    while page.has_older:
        page = store.review.older(flt, page.last, limit=size)
        seen += [c.id for c in page.lines]
    return seen


def _held_at(store, call_id: int, moment) -> None:  # type: ignore[no-untyped-def]
    """Start and end ``call_id`` with the clock at ``moment`` (then back to the frozen now)."""
    frozen = clock.now()
    clock.freeze(moment)
    store.calls.start(call_id)
    store.calls.set_outcome(call_id, Outcome.CONTINUATION)
    store.calls.end(call_id)
    clock.freeze(frozen)


def test_review_lists_calls_held_early_or_with_no_time_by_when_they_happened(store, frozen_now):
    account = store.accounts.create("Initech").id
    # Planned for next week but held yesterday: review lists it, at yesterday.
    early = store.calls.create(account, frozen_now + timedelta(days=7), objective="held early")
    _held_at(store, early, frozen_now - timedelta(days=1))
    # No time ever set, held two days ago.
    untimed = store.calls.create(account, None, objective="held with no time")
    _held_at(store, untimed, frozen_now - timedelta(days=2))
    # Planned three days ago, never held: overdue.
    overdue = store.calls.create(account, frozen_now - timedelta(days=3), objective="overdue")
    # Planned for tomorrow, then cancelled: it is in history as cancelled.
    cancelled = store.calls.create(account, frozen_now + timedelta(days=1), objective="cancelled")
    store.calls.cancel(cancelled)
    # Planned for tomorrow: not in review yet. No time and never held: not either.
    store.calls.create(account, frozen_now + timedelta(days=1), objective="future")
    store.calls.create(account, None, objective="someday")

    lines = store.review.first_page(limit=50).lines
    by_id = {line.id: line for line in lines}
    assert set(by_id) == {early, untimed, overdue, cancelled}
    assert by_id[early].happened_at == frozen_now - timedelta(days=1)
    assert by_id[untimed].happened_at == frozen_now - timedelta(days=2)
    assert by_id[cancelled].outcome is Outcome.CANCELLED
    # Newest first by when it happened (the cancelled call by its planned time, tomorrow).
    assert [line.id for line in lines] == [cancelled, early, untimed, overdue]
    assert store.review.count() == 4
    # Periods filter on the same time: "this week" (Mon 23 Nov) holds the cancelled call only... and
    # the early call held yesterday (Sunday 22 Nov) belongs to the week before.
    week = [line.id for line in store.review.first_page(ReviewFilter(period=Period.THIS_WEEK)).lines]
    assert week == [cancelled]


def test_keyset_paging_over_review_time_covers_every_call_once(store, frozen_now):
    account = store.accounts.create("Acme").id
    ids = []
    for n in range(17):
        planned = frozen_now + timedelta(days=5) if n % 3 == 0 else frozen_now - timedelta(hours=n // 2)
        call = store.calls.create(account, None if n % 5 == 0 else planned, objective=f"call {n}")
        if n % 3 == 0 or n % 5 == 0:
            _held_at(store, call, frozen_now - timedelta(hours=n))
        ids.append(call)
    everything = [line.id for line in store.review.first_page(limit=100).lines]
    assert sorted(everything) == sorted(ids)
    for size in (1, 4, 6):
        assert _walk(store, ReviewFilter(), size) == everything
    last = store.review.last_page(limit=4)
    back = store.review.newer(ReviewFilter(), last.first, limit=4)
    assert [c.id for c in back.lines] == everything[-8:-4]


@pytest.mark.sqlite_only("reads SQLite's EXPLAIN QUERY PLAN")
def test_review_pages_seek_on_the_happened_at_index(store, db_path, frozen_now):
    account = store.accounts.create("Acme").id
    for n in range(5):
        store.calls.create(account, frozen_now - timedelta(days=n))
    raw = sqlite3.connect(db_path)
    try:
        indexes = {row[1] for row in raw.execute("PRAGMA index_list(call)")}
        assert "ix_call_happened_id" in indexes
        import sqlalchemy as sa

        from salestui.store import rules

        when = rules.happened_at()
        query = (
            sa.select(rules.CALL.c.id)
            .where(rules.in_review(frozen_now))
            .order_by(when.desc(), rules.CALL.c.id.desc())
            .limit(5)
        )
        sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row[-1]) for row in raw.execute("EXPLAIN QUERY PLAN " + sql))
    finally:
        raw.close()
    assert "ix_call_happened_id" in plan and "TEMP B-TREE" not in plan, plan


def test_cancel_keeps_the_call_and_delete_refuses_held_calls(store, frozen_now):
    account = store.accounts.create("Initech").id
    planned = store.calls.create(account, frozen_now + timedelta(days=2))
    store.calls.cancel(planned)
    plan = store.calls.plan(planned)
    assert plan.outcome is Outcome.CANCELLED and plan.status is CallStatus.CANCELLED
    # A cancelled call was never held: it may still be deleted.
    store.calls.delete_unheld(planned)
    assert store.calls.count() == 0

    held = store.calls.create(account, frozen_now - timedelta(days=1))
    _held_at(store, held, frozen_now - timedelta(days=1))
    with pytest.raises(InvalidInput):
        store.calls.delete_unheld(held)
    with pytest.raises(InvalidInput):
        store.calls.cancel(held)
    assert store.calls.plan(held).outcome is Outcome.CONTINUATION


def test_past_offsets_and_an_empty_range():
    today = date(2026, 11, 30)
    assert parse_date("-30d", today) == date(2026, 10, 31)
    assert parse_date("-2w", today) == date(2026, 11, 16)
    assert parse_date("3 days ago", today) == date(2026, 11, 27)
    assert isinstance(parse_date("-", today), Invalid)
    assert ReviewFilter(period=Period.CUSTOM).summary() == "all dates"
    assert ReviewFilter(period=Period.CUSTOM, start=today).summary() == "from 2026-11-30"
    assert ReviewFilter(period=Period.CUSTOM, start=today, end=today).summary() == "2026-11-30 to 2026-11-30"


def test_happened_at_prefers_started_then_ended_then_planned(frozen_now):
    a, b, c = frozen_now, frozen_now + timedelta(hours=1), frozen_now + timedelta(hours=2)
    assert happened_at(a, b, c) == a
    assert happened_at(None, b, c) == b
    assert happened_at(None, None, c) == c
    assert happened_at(None, None, None) is None


def test_a_call_held_before_its_planned_time_needs_its_debrief_at_once(store, frozen_now):
    account = store.accounts.create("Initech").id
    early = store.calls.create(account, frozen_now + timedelta(days=7))
    _held_at(store, early, frozen_now - timedelta(hours=2))
    store.calls.create(account, frozen_now + timedelta(days=1))  # still to come: no debrief yet
    assert [c.id for c in store.calls.needing_debrief()] == [early]
    assert [c.id for c in store.review.first_page(ReviewFilter(needs_debrief=True)).lines] == [early]
    # The carry-over comes from the latest debriefed call by when it took place.
    store.debriefs.finish(early, lessons="bring the CFO")
    previous = store.calls.previous_debriefed(account)
    assert previous is not None and previous.id == early
    assert happened_at(previous.started_at, previous.ended_at, previous.scheduled_at) == frozen_now - timedelta(hours=2)
