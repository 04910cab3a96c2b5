"""Stats from ``stats_summary`` (migration 0007_perf): the triggers keep it equal to grouping every call.

Each step edits through the store as the screens do (plan, outcome, draft, finish, move, cancel,
delete with its cascade) and then compares the summary with the grouped queries PostgreSQL uses,
and the "needs a debrief" count with the rule's own count. The plans checked at the end are why
stats stay under 100 ms at 100,000 calls.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, Outcome
from salestui.domain.review import ReviewFilter
from salestui.store import review as review_module
from salestui.store.core import Store
from salestui.store.review import NEEDS_DEBRIEF


def _same_rows(store: Store) -> None:
    with store.reading() as session:
        grouped = store.review._grouped(session)
        summary = store.review._summary(session)
        counted = store.review._count(session, NEEDS_DEBRIEF)
        summed = store.review._needs_debrief_count(session)
    for mine, theirs in zip(summary[:3], grouped[:3], strict=True):
        assert sorted((r.key, r.outcome.value, r.calls, r.debriefed) for r in mine if r.outcome) == sorted(
            (r.key, r.outcome.value, r.calls, r.debriefed) for r in theirs if r.outcome
        )
    assert [r.key for r in summary[1]] == [r.key for r in grouped[1]]  # months newest first
    assert sorted(summary[3], key=repr) == sorted(grouped[3], key=repr)
    assert summed == counted


def _held(store: Store, account: int, when, level: AdvanceLevel = AdvanceLevel.TARGET) -> int:  # type: ignore[no-untyped-def]
    call = store.calls.create(account, when, objective="Pilot scope")
    store.calls.set_advance(call, AdvanceLevel.TARGET, "Agrees to a pilot")
    store.calls.start(call)
    store.calls.secure(call, level)
    store.calls.end(call)
    return call


def test_summary_follows_every_kind_of_edit(store, frozen_now):
    acme, globex = store.accounts.create("Acme").id, store.accounts.create("Globex").id
    _same_rows(store)
    first = _held(store, acme, frozen_now - timedelta(days=40))
    second = _held(store, acme, frozen_now - timedelta(days=3))
    today = _held(store, globex, frozen_now - timedelta(hours=2))  # today's calls: counted live
    store.calls.create(globex, frozen_now + timedelta(days=2), objective="Later")  # not due yet
    undated = store.calls.create(globex, None, objective="Someday")
    _same_rows(store)
    store.debriefs.save(first, went_well="Rapport")  # a draft: not debriefed
    _same_rows(store)
    store.debriefs.finish(first, lessons="Bring the CFO")
    store.debriefs.finish(today, lessons="Short")
    _same_rows(store)
    store.calls.set_outcome(second, Outcome.LOST)
    store.calls.update(second, kind=CallKind.DEMO.value, readiness_at_start=80)
    store.calls.update(first, scheduled_at=frozen_now - timedelta(days=100), account_id=globex)
    _same_rows(store)
    store.calls.set_outcome(today, Outcome.CANCELLED)
    store.calls.update(second, status=CallStatus.CANCELLED.value)
    store.calls.update(undated, scheduled_at=frozen_now - timedelta(days=1))
    _same_rows(store)
    store.calls.delete(first)  # its finished debrief goes with it (cascade)
    store.calls.delete(today)
    _same_rows(store)
    with store.reading() as session:
        left = session.execute(sa.text("SELECT sum(calls), sum(debriefed) FROM stats_summary WHERE dim = 'kind'"))
        assert tuple(left.one()) == (1, 0)  # only ``second`` has an outcome now
    stats = store.review.stats()
    assert stats.overall.held == 1 and stats.without_debrief == store.review.count(ReviewFilter(needs_debrief=True))


def test_summary_matches_the_demo_data(demo_store):
    _same_rows(demo_store)


def _plan(store: Store, query: sa.Executable) -> str:
    with store.reading() as session:
        sql = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]
        return "\n".join(row[3] for row in session.execute(sa.text("EXPLAIN QUERY PLAN " + sql)).all())


def test_stats_queries_read_indexes_not_every_call(store, frozen_now):
    # The summary's primary key; account names by rowid.
    assert "SEARCH s USING INDEX sqlite_autoindex_stats_summary_1 (dim=?)" in _plan(
        store, sa.text(review_module._SUMMARY)
    )
    assert "sqlite_autoindex_stats_summary_1 (dim=? AND key<?)" in _plan(
        store, review_module._PENDING_BEFORE.bindparams(day="2026-11-23")
    )
    call, debrief = review_module._call, review_module._debrief
    overdue = (
        sa.select(sa.func.count()).select_from(call).where(*store.review._where(ReviewFilter(follow_up_overdue=True)))
    )
    plan = _plan(store, overdue)
    # The latest kept call of each account is one seek; calls are never scanned whole.
    assert "MATERIALIZE latest_kept" in plan and "ix_call_account_latest (account_id=?" in plan
    assert "SCAN call" not in plan and "SCAN due_call" not in plan and "SCAN kept" not in plan
    today = sa.select(sa.func.count()).select_from(call.outerjoin(debrief, debrief.c.call_id == call.c.id))
    today = today.where(*store.review._where(NEEDS_DEBRIEF), call.c.scheduled_at >= frozen_now)
    # A seek from today on (the upper bound may be checked per row: a call started early counts too).
    assert "SEARCH call USING INDEX ix_call_scheduled_id (scheduled_at>?" in _plan(store, today)
