"""Stats from ``stats_summary`` (migration 0007_perf): the triggers keep it equal to grouping every call.

Each step edits through the store as the screens do (plan, outcome, draft, finish, move, cancel,
delete with its cascade) and then compares the summary with the grouped queries PostgreSQL uses,
and the "needs a debrief" count with the rule's own count. The plans checked at the end are why
stats stay under 100 ms at 100,000 calls.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, Outcome
from salestui.domain.outcomes import OutcomeChoice
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
    for dim in ("kinds", "months", "accounts", "practised"):
        mine, theirs = getattr(summary, dim), getattr(grouped, dim)
        assert sorted((r.key, r.outcome.value, r.calls, r.debriefed) for r in mine) == sorted(
            (r.key, r.outcome.value, r.calls, r.debriefed) for r in theirs
        ), dim
    for dim in ("ladder_kinds", "ladder_months", "ladder_accounts"):
        assert sorted(getattr(summary, dim), key=repr) == sorted(getattr(grouped, dim), key=repr), dim
    assert [r.key for r in summary.months] == [r.key for r in grouped.months]  # newest first
    assert [r.key for r in summary.ladder_months] == [r.key for r in grouped.ladder_months]
    assert sorted(summary.bands, key=repr) == sorted(grouped.bands, key=repr)
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
    # The ladder and practice facets live in other tables: advances and practice runs move them.
    store.calls.set_advance(second, AdvanceLevel.STRETCH, "Signs the order")
    store.calls.secure(second, AdvanceLevel.STRETCH)  # lost -> advance at stretch
    _same_rows(store)
    store.calls.secure(second, AdvanceLevel.TARGET)  # the secured rung moves
    store.calls.record_practice(second, 300, ["price"])
    store.calls.record_practice(first, 120, [])
    _same_rows(store)
    store.calls.secure_unplanned(first, "Intro to the CFO")
    store.calls.record_choice(second, OutcomeChoice.CONTINUATION)  # no advance secured any more
    _same_rows(store)
    with store.transaction() as session:  # edits no screen makes, which the triggers still follow
        session.execute(sa.text("UPDATE advance SET level = 'fallback' WHERE secured"))
        session.execute(
            sa.text("UPDATE practice_run SET call_id = :to WHERE call_id = :from"), {"to": today, "from": first}
        )
        session.execute(sa.text("DELETE FROM advance WHERE call_id = :id AND secured"), {"id": first})
    _same_rows(store)
    store.calls.secure(second, AdvanceLevel.STRETCH)
    with store.transaction() as session:
        session.execute(sa.text("DELETE FROM practice_run WHERE call_id = :id"), {"id": second})
    store.calls.secure_unplanned(first, "Intro to the CFO")
    _same_rows(store)
    store.calls.delete(first)  # its finished debrief and secured advance go with it (cascade)
    store.calls.delete(today)  # with its practice runs
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


@pytest.mark.sqlite_only("reads SQLite's EXPLAIN QUERY PLAN")
def test_stats_queries_read_indexes_not_every_call(store, frozen_now):
    # The summary's primary key; account names by rowid.
    assert "SEARCH s USING INDEX sqlite_autoindex_stats_summary_1 (dim=?)" in _plan(
        store, sa.text(review_module._SUMMARY)
    )
    assert "sqlite_autoindex_stats_summary_1 (dim=? AND key<?)" in _plan(
        store, review_module._PENDING_BEFORE.bindparams(day="2026-11-23")
    )
    call = review_module._call
    overdue = (
        sa.select(sa.func.count()).select_from(call).where(*store.review._where(ReviewFilter(follow_up_overdue=True)))
    )
    plan = _plan(store, overdue)
    # The open follow-ups dated before today (one range), then each one's call by its id: calls are
    # never scanned whole.
    assert "ix_stats_summary_follow_up_due (follow_up<?)" in plan
    assert "SEARCH call USING INTEGER PRIMARY KEY (rowid=?)" in plan
    assert "SCAN" not in plan
    counted = _plan(store, store.review._overdue_query())
    assert "ix_stats_summary_follow_up_due (follow_up<?)" in counted and "SCAN call" not in counted
    dated, undated = store.review._today_needing(frozen_now)
    # A seek from today on (the upper bound may be checked per row: a call started early counts too),
    # and one on the calls with no planned time (started today).
    assert "SEARCH call USING INDEX ix_call_scheduled_id (scheduled_at>?" in _plan(store, dated)
    assert "SEARCH call USING INDEX ix_call_scheduled_id (scheduled_at=?" in _plan(store, undated)


def test_stats_break_down_the_busiest_accounts_in_both_paths(store, frozen_now, monkeypatch):
    """SQLite ranks accounts in SQL (``_SUMMARY``), PostgreSQL with ``stats.busiest``: the same accounts."""
    monkeypatch.setattr(review_module, "BUSIEST_ACCOUNTS", 2)
    held = {"Acme": 3, "Globex": 2, "Azure": 2, "Hooli": 1}  # Azure and Globex tie: the name decides
    for name, calls in held.items():
        account = store.accounts.create(name).id
        for day in range(calls):
            _held(store, account, frozen_now - timedelta(days=10 + day))
        if name == "Hooli":  # cancelled calls are not held: five of them do not make Hooli busy
            for day in range(5):
                cancelled = store.calls.create(account, frozen_now - timedelta(days=20 + day), objective="x")
                store.calls.set_outcome(cancelled, Outcome.CANCELLED)
    _same_rows(store)
    stats = store.review.stats()
    assert [r.key for r in stats.by_account] == ["Acme", "Azure"]
    assert sorted(g.key for g in stats.ladder.by_account) == ["Acme", "Azure"]
    assert stats.overall.held == 8  # the rates over all accounts are whole
