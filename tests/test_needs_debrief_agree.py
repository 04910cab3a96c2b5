"""One meaning of "needs a debrief" (``domain.rules.needs_debrief``) on SQLite and PostgreSQL.

The rule is written in Python (``domain/rules.py``), in SQL (``store/rules.py``, which review's
filter and home's list use), as summary rows kept by triggers (``stats_summary``, SQLite: the
count review and stats show) and in plain SQL for ``salestui agenda`` (``store/quick.py``).
Calls of every shape, some of them started or planned on earlier days (the summary's whole
days) and some today, must land in the same place in all of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from salestui.domain import clock
from salestui.domain import rules as domain
from salestui.domain.enums import AdvanceLevel, CallStatus
from salestui.domain.review import ReviewFilter
from salestui.store import quick
from salestui.store.core import Store

NEEDS_DEBRIEF = ReviewFilter(needs_debrief=True)


def _at(moment: datetime) -> None:
    clock.freeze(moment)


def _shapes(store: Store, now: datetime) -> dict[str, int]:
    """Calls of every shape, named by what they are; the clock is left at ``now``."""
    account = store.accounts.create("Initech").id
    calls: dict[str, int] = {}

    def create(name: str, when: datetime | None) -> int:
        calls[name] = store.calls.create(account, when, objective=name)
        return calls[name]

    def held(name: str, when: datetime | None, started: datetime) -> int:
        call = create(name, when)
        store.calls.set_advance(call, AdvanceLevel.TARGET, "Agrees to a pilot")
        _at(started)
        store.calls.start(call)
        store.calls.secure(call, AdvanceLevel.TARGET)
        store.calls.end(call)
        _at(now)
        return call

    def started(name: str, when: datetime | None, at: datetime) -> int:
        call = create(name, when)
        _at(at)
        store.calls.start(call)
        _at(now)
        return call

    create("planned past", now - timedelta(days=2))
    create("planned earlier today", now - timedelta(minutes=30))
    create("planned later today", now + timedelta(hours=3))
    create("planned future", now + timedelta(days=3))
    create("planned without time", None)
    started("started without time today", None, now - timedelta(minutes=5))
    started("started without time days ago", None, now - timedelta(days=4))
    started("started early today", now + timedelta(days=10), now - timedelta(minutes=10))
    started("started early days ago", now + timedelta(days=10), now - timedelta(days=5))
    held("ended", now - timedelta(days=3), now - timedelta(days=3))
    held("ended without time", None, now - timedelta(days=6))
    held("ended early", now + timedelta(days=9), now - timedelta(days=2))
    store.debriefs.save(held("draft", now - timedelta(days=7), now - timedelta(days=7)), went_well="Rapport")
    store.debriefs.finish(held("finished", now - timedelta(days=8), now - timedelta(days=8)), lessons="CFO")
    store.debriefs.finish(held("finished without time", None, now - timedelta(days=8)), lessons="CFO")
    store.calls.cancel(create("cancelled", now - timedelta(days=1)))
    store.calls.update(create("status cancelled", now - timedelta(days=1)), status=CallStatus.CANCELLED.value)
    return calls


def test_every_writing_of_needs_a_debrief_agrees(any_store, frozen_now):
    store = any_store
    calls = _shapes(store, frozen_now)
    names = {call: name for name, call in calls.items()}

    def by_domain() -> set[str]:
        wanted = set()
        for name, call in calls.items():
            plan = store.calls.plan(call)
            state = domain.debrief_state(plan.debrief)
            if domain.needs_debrief(plan.scheduled_at, plan.status, plan.outcome, state, clock.now(), plan.started_at):
                wanted.add(name)
        return wanted

    wanted = by_domain()
    assert wanted == {
        "planned past",
        "planned earlier today",
        "started without time today",
        "started without time days ago",
        "started early today",
        "started early days ago",
        "ended",
        "ended without time",
        "ended early",
        "draft",
    }
    listed = {names[c.id] for c in store.calls.needing_debrief(limit=100)}  # home: the SQL rule
    assert listed == wanted
    page = store.review.first_page(NEEDS_DEBRIEF, limit=100)
    assert {names[c.id] for c in page.lines} == wanted  # review's filter
    assert store.review.count(NEEDS_DEBRIEF) == len(wanted)  # review's count (the summary on SQLite)
    if store.engine.dialect.name == "sqlite":  # stats group months with strftime (SQLite only)
        assert store.review.stats().without_debrief == len(wanted)  # stats
        path = Path(str(store.engine.url.database))
        found = quick.agenda(path, frozen_now, frozen_now + timedelta(days=30), owner="tester", debriefs=100)
        assert {names[c.id] for c in found.needing_debrief} == wanted  # ``salestui agenda``
        assert found.more_debriefs == 0
        early = quick.home_lists(path, frozen_now, owner="tester", limit=100)
        assert {names[c.id] for c in early.needing_debrief} == wanted  # home before the store opens

    # A day later the summary's whole days hold today's calls: still the same answer everywhere.
    _at(frozen_now + timedelta(days=1))
    later = by_domain()
    assert later == wanted | {"planned later today"}
    assert {names[c.id] for c in store.calls.needing_debrief(limit=100)} == later
    assert store.review.count(NEEDS_DEBRIEF) == len(later)
    if store.engine.dialect.name == "sqlite":
        assert store.review.stats().without_debrief == len(later)


def test_migration_0014_recounts_a_summary_that_missed_started_calls(db_path, frozen_now):
    """A file summarised by 0011's rule (a call started without a time never counted) is recounted."""
    from salestui.store.core import open_store
    from salestui.store.engine import make_engine, migrate, sqlite_url
    from tests.test_migrations import _downgrade

    store = open_store(db_path, owner="tester")
    _shapes(store, frozen_now)
    wanted = store.review.count(NEEDS_DEBRIEF)
    store.close()
    engine = make_engine(sqlite_url(db_path))
    _downgrade(engine, "0013_change_notify")  # 0011's summary, rebuilt by 0011's rule
    with engine.begin() as connection:
        old = connection.exec_driver_sql("SELECT sum(calls) FROM stats_summary WHERE dim = 'pending'").scalar()
    migrate(engine)
    with engine.begin() as connection:
        new = connection.exec_driver_sql("SELECT sum(calls) FROM stats_summary WHERE dim = 'pending'").scalar()
    engine.dispose()
    assert new == old + 3  # the three calls started with no planned time
    store = open_store(db_path, owner="tester")
    try:
        assert store.review.count(NEEDS_DEBRIEF) == wanted
    finally:
        store.close()
