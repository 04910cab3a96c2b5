"""The mine/everyone choice (issue 29 item 5): kept in the settings and restored at start; review
(pages, count, search) and stats follow it, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from salestui.app import SalesApp
from salestui.domain.enums import Outcome
from salestui.domain.review import ReviewFilter
from salestui.screens.review import ReviewScreen
from salestui.screens.stats import StatsScreen
from salestui.settings import from_mapping, load
from salestui.store.core import open_store
from salestui.widgets.call_table import CallTable
from salestui.widgets.review_table import ReviewTable
from tests.helpers import palette, settle, wait_ready, wait_screen

OTHER = "[/] [TODO]"


def _two_reps(where, now):  # type: ignore[no-untyped-def]
    """``me``: two held calls; the other rep (a name that looks like markup): three, one on a shared word."""
    ids: dict[str, list[int]] = {"me": [], OTHER: []}
    for owner, count in (("me", 2), (OTHER, 3)):
        store = open_store(where, owner=owner)
        account = store.accounts.create(f"{owner} account")
        store.accounts.add_note(account.id, "customer", "zebrafish research")
        for day in range(count):
            call = store.calls.create(account.id, now - timedelta(days=day + 1), objective=f"{owner} objective {day}")
            store.calls.set_outcome(call, Outcome.CONTINUATION if day else Outcome.LOST)
            ids[owner].append(call)
        store.calls.create(account.id, now + timedelta(days=1), objective=f"{owner} ahead")
        store.close()
    return ids


def test_review_and_stats_reads_follow_the_scope(db_target, frozen_now):
    ids = _two_reps(db_target, frozen_now)
    store = open_store(db_target, owner="me")
    try:
        everyone, mine = store.review.scoped(None), store.review.scoped("me")
        assert store.review.scoped(None) is store.review  # the old call sites read everyone's
        assert {line.id for line in mine.first_page().lines} == set(ids["me"])
        assert {line.id for line in everyone.first_page().lines} == set(ids["me"] + ids[OTHER])
        assert {line.owner for line in everyone.first_page().lines} == {"me", OTHER}
        assert {line.id for line in mine.last_page().lines} == set(ids["me"])
        assert mine.count() == 2 and everyone.count() == 5
        assert (
            mine.count(ReviewFilter(outcome=Outcome.LOST)) == 1
            and everyone.count(ReviewFilter(outcome=Outcome.LOST)) == 2
        )
        found = mine.search("zebrafish")
        assert [hit.account_name for hit in found] == ["me account"]
        assert len(everyone.search("zebrafish")) == 2
        assert {hit.call_id for hit in mine.search("objective")} == set(ids["me"])
        assert {hit.call_id for hit in everyone.search("objective")} == set(ids["me"] + ids[OTHER])
        assert mine.stats().overall.held == 2 and everyone.stats().overall.held == 5
        assert sum(r.held for r in mine.stats().by_account) == 2
    finally:
        store.close()


def test_a_rep_alone_keeps_the_quick_counts(any_store, frozen_now):
    """One owner: the scoped read gives the unscoped numbers (summary and quick counts still apply)."""
    account = any_store.accounts.create("Solo")
    for day in range(3):
        call = any_store.calls.create(account.id, frozen_now - timedelta(days=day + 1), objective="solo")
        any_store.calls.set_outcome(call, Outcome.CONTINUATION)
    mine = any_store.review.scoped(any_store.owner)
    assert mine.count() == any_store.review.count() == 3
    assert mine.stats() == any_store.review.stats()
    with any_store.reading() as session:
        assert mine._all_mine(session)  # noqa: SLF001
        assert not any_store.review.scoped("somebody else")._all_mine(session)  # noqa: SLF001


def test_the_scope_setting_is_read_checked_and_written(config_dir: Path):
    assert from_mapping({"scope": "Everyone"}).scope == "everyone"
    wrong = from_mapping({"scope": "all of them"})
    assert wrong.scope == "mine" and any("scope" in p for p in wrong.problems)
    assert load().scope == "mine"


async def test_the_choice_is_kept_and_restored_and_review_and_stats_follow_it(db_target, frozen_now):
    where = db_target
    ids = _two_reps(where, frozen_now)
    app = SalesApp(where, owner="me", settings=load())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.store is not None and not app.store.team_view
        await palette(pilot, "Everyone's or my records")
        assert app.store.team_view
        await settle(pilot)
    assert load().scope == "everyone"  # kept for the next start

    app = SalesApp(where, owner="me", settings=load())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.store is not None and app.store.team_view  # restored: home is not empty of the team's
        upcoming = app.screen.query_one("#upcoming", CallTable)
        assert {c.objective for c in upcoming.calls} == {"me ahead", f"{OTHER} ahead"}
        assert "Rep" in [str(c.label) for c in upcoming.columns.values()]
        await pilot.press("v")
        review = await wait_screen(pilot, ReviewScreen)
        table = review.query_one(ReviewTable)
        assert {line.id for line in table.lines} == set(ids["me"] + ids[OTHER]) and review.match_count == 5
        assert table.shown_columns[:3] == ("when", "account", "owner")
        owners = {table.texts_at(i)["owner"] for i in range(table.row_count)}
        assert OTHER in owners  # the rep's name literally, in its own column
        assert any(OTHER in str(table.get_row_at(i)[0]) for i in range(table.row_count))  # and drawn
        await pilot.press("t")
        stats = await wait_screen(pilot, StatsScreen)
        assert stats.sub_title == "everyone's calls"
        assert "of 5 calls held" in str(stats.query_one("#headline").render())
        await pilot.press("escape")
        await settle(pilot)
        await palette(pilot, "Everyone's or my records")  # back to mine, on review
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await settle(pilot)
        table = review.query_one(ReviewTable)
        assert {line.id for line in table.lines} == set(ids["me"]) and review.match_count == 2
        assert "Rep" not in [str(c.label) for c in table.columns.values()]
        assert app.is_running
    assert load().scope == "mine"
