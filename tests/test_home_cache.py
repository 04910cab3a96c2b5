"""Home's lists of the last session, shown at once, marked, and replaced by the live read (issue 32)."""

from __future__ import annotations

import asyncio
import dataclasses
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from salestui import home_cache
from salestui.app import SalesApp
from salestui.domain.models import CallSummary
from salestui.screens.home import CACHED_NOTE, HomeScreen
from salestui.store import core, quick
from salestui.widgets.cached_calls import CachedCalls
from tests.helpers import GUARD, settle, wait_ready

OWNER = "tester"


def _ids(home: HomeScreen, key: str = "upcoming") -> list[int]:
    """The calls a home list shows: the last session's (drawn as text) or its table's."""
    for cached in home.query(f"#{key}-cached").results(CachedCalls):
        return [call.id for call in cached.calls] if cached.display else []
    table = home.query_one(f"#{key}")
    return [int(str(row.value)) for row in table.rows] if table.display else []  # type: ignore[attr-defined]


def _note(home: HomeScreen) -> str | None:
    status = home.query_one("#status", Static)
    return str(status.render()) if status.display else None


class Gates:
    """The early read and the store held until released, so the cached rows can be looked at."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.early = threading.Event()
        self.store = threading.Event()
        real_early, real_open = quick.early_home, core.open_store

        def early_home(*args: Any, **kwargs: Any) -> Any:
            assert self.early.wait(GUARD)
            return real_early(*args, **kwargs)

        def open_store(*args: Any, **kwargs: Any) -> Any:
            assert self.store.wait(GUARD)
            return real_open(*args, **kwargs)

        monkeypatch.setattr(quick, "early_home", early_home)
        monkeypatch.setattr(core, "open_store", open_store)


async def _home(pilot: Any) -> HomeScreen:
    for _ in range(int(GUARD / 0.01)):
        await pilot.pause(0.01)
        home = pilot.app.screen
        if isinstance(home, HomeScreen) and home.query("#upcoming, #upcoming-cached") and _ids(home):
            return home
    raise AssertionError("home showed no calls")


async def _live(pilot: Any, home: HomeScreen) -> None:
    for _ in range(int(GUARD / 0.01)):
        if not home.cached_shown:
            return
        await pilot.pause(0.01)
    raise AssertionError("the live read never replaced the cached lists")


def test_a_cached_line_has_the_fields_of_a_call_summary() -> None:
    assert tuple(f.name for f in dataclasses.fields(CallSummary)) == home_cache.FIELDS


async def test_the_terminal_app_keeps_home_in_a_private_file_in_the_cache_dir(
    db_path, demo_store, frozen_now, cache_dir: Path
) -> None:
    upcoming = [c.id for c in demo_store.calls.upcoming(limit=50)]
    demo_store.close()
    async with SalesApp(db_path, owner=OWNER).run_test() as pilot:  # tests' apps keep nothing
        await wait_ready(pilot)
        await settle(pilot)
    assert not cache_dir.exists()
    async with SalesApp(db_path, owner=OWNER, home_cache=True).run_test() as pilot:
        await wait_ready(pilot)
        await settle(pilot)
    path = home_cache.path_for(str(db_path), OWNER)
    assert path.parent == cache_dir and path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert [c.id for c in home_cache.load(str(db_path), OWNER).upcoming] == upcoming  # type: ignore[union-attr]
    # Another rep, or another file, has a cache of its own.
    assert home_cache.path_for(str(db_path), "someone") != path
    assert home_cache.path_for(str(db_path.with_name("other.db")), OWNER) != path
    assert "tester" not in path.name and db_path.stem not in path.name


async def test_cached_home_shows_at_once_marked_and_the_live_read_drops_deleted_calls(
    db_path, demo_store, frozen_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    upcoming = demo_store.calls.upcoming(limit=50)
    home_cache.save(str(db_path), OWNER, upcoming, demo_store.calls.needing_debrief(limit=50), False)
    gone = upcoming[0].id
    demo_store.calls.delete_unheld(gone)  # deleted after the last session
    kept = [c.id for c in demo_store.calls.upcoming(limit=50)]
    demo_store.close()
    gates = Gates(monkeypatch)
    app = SalesApp(db_path, owner=OWNER, home_cache=True)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await _home(pilot)
        # The last session's lists, before any read of the database, and marked as such.
        assert app.store is None and home.cached_shown
        assert _ids(home) == [c.id for c in upcoming] and gone in _ids(home)
        assert _note(home) == CACHED_NOTE
        gates.early.set()  # the live read lands
        await _live(pilot, home)
        assert gone not in _ids(home) and _ids(home) == kept
        assert _note(home) is None
        gates.store.set()
        await asyncio.wait_for(app.store_opened.wait(), GUARD)
        await asyncio.wait_for(home.wait_for_load(), GUARD)
        assert _ids(home) == kept


async def test_a_database_emptied_since_shows_no_cached_call_once_read(
    db_path, store, frozen_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = store.accounts.create("Acme").id
    for day in (25, 26):
        store.calls.create(account, frozen_now.replace(day=day), objective=f"Call on the {day}th")
    every = store.calls.upcoming(limit=50)
    assert len(every) == 2 and not store.calls.needing_debrief(limit=50)
    home_cache.save(str(db_path), OWNER, every, [], False)
    for call in every:
        store.calls.delete_unheld(call.id)
    store.close()
    gates = Gates(monkeypatch)
    app = SalesApp(db_path, owner=OWNER, home_cache=True)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await _home(pilot)
        assert home.cached_shown and _ids(home) == [c.id for c in every]
        gates.early.set()  # the live lists are both empty: the early read must still replace the cached ones
        await _live(pilot, home)
        assert _ids(home) == [] and home.upcoming.row_count == 0 and _note(home) is None
        gates.store.set()
        await asyncio.wait_for(home.wait_for_load(), GUARD)
        assert _ids(home) == []


def test_a_cache_file_anyone_else_could_write_or_a_damaged_one_is_ignored(db_path, demo_store, frozen_now) -> None:
    home_cache.save(str(db_path), OWNER, demo_store.calls.upcoming(limit=5), [], False)
    path = home_cache.path_for(str(db_path), OWNER)
    assert home_cache.load(str(db_path), OWNER) is not None
    path.chmod(0o644)
    assert home_cache.load(str(db_path), OWNER) is None
    path.chmod(0o600)
    path.write_text('{"version": 1, "upcoming": [{"id": "x"}]')
    assert home_cache.load(str(db_path), OWNER) is None
    path.write_text('{"version": 999, "upcoming": [], "undebriefed": []}')
    assert home_cache.load(str(db_path), OWNER) is None
    # A password in a server's URL never decides the file name (nor is it written anywhere).
    assert home_cache.path_for("postgresql://rep:one@h/db", OWNER) == home_cache.path_for(
        "postgresql://rep:two@h/db", OWNER
    )


def test_text_that_looks_like_markup_comes_back_as_typed(db_path, demo_store, frozen_now) -> None:
    account = demo_store.accounts.create("[b]Acme[/] [TODO]").id
    call = demo_store.calls.create(account, frozen_now.replace(day=28), objective="[/] close [red]x")
    home_cache.save(str(db_path), OWNER, demo_store.calls.upcoming(limit=50), [], False)
    cached = home_cache.load(str(db_path), OWNER)
    assert cached is not None
    line = next(c for c in cached.upcoming if c.id == call)
    assert (line.account_name, line.objective) == ("[b]Acme[/] [TODO]", "[/] close [red]x")
    original = next(c for c in demo_store.calls.upcoming(limit=50) if c.id == call)
    assert all(getattr(line, name) == getattr(original, name) for name in home_cache.FIELDS)


async def test_the_first_frame_draws_the_cached_rows_as_text_in_the_columns_the_tables_then_use(
    db_path, demo_store, frozen_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No DataTable on home's first frame (issue 32: ~100 ms of styles and cells); the cached rows
    are drawn in the columns of the tables that replace them, so nothing jumps when they land."""
    from textual.widgets import DataTable

    account = demo_store.accounts.create("[/] Hostile [TODO]").id
    demo_store.calls.create(account, frozen_now.replace(day=27), objective="[b]not bold[/b] [TODO]")
    for day in range(1, 23):  # more calls needing a debrief than fit: that table scrolls
        demo_store.calls.create(account, frozen_now.replace(day=day, hour=8), objective=f"Held on the {day}th")
    home_cache.save(
        str(db_path),
        OWNER,
        demo_store.calls.upcoming(limit=50),
        demo_store.calls.needing_debrief(limit=50),
        False,
    )
    demo_store.close()
    gates = Gates(monkeypatch)
    app = SalesApp(db_path, owner=OWNER, home_cache=True)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await _home(pilot)
        assert not home.query(DataTable) and home.cached_shown
        lists = {key: home.query_one(f"#{key}-cached", CachedCalls) for key in ("upcoming", "undebriefed")}
        drawn = {key: shown.render().plain.splitlines() for key, shown in lists.items()}  # type: ignore[union-attr]
        # Only the lines that fit are built (the first frame waits for them).
        assert len(drawn["undebriefed"]) == lists["undebriefed"].size.height < 1 + len(lists["undebriefed"].calls)
        assert any("[/] Hostile [TODO]" in line and "[b]not bold[/b] [TODO]" in line for line in drawn["upcoming"])
        gates.early.set()
        await _live(pilot, home)
        await pilot.pause()
        for key, lines in drawn.items():
            table = home.query_one(f"#{key}", DataTable)
            assert not home.query(f"#{key}-cached")
            assert len(lines) == min(1 + table.row_count, table.size.height)
            assert key == "upcoming" or table.max_scroll_y > 0  # the scrolling case is covered
            # Each column's title starts where the cached header put it.
            x = 0
            for column in table.ordered_columns:
                assert lines[0][x:].startswith(f" {column.label.plain}"), (key, column.label.plain, lines[0])
                x += column.get_render_width(table)
        gates.store.set()
        await asyncio.wait_for(app.store_opened.wait(), GUARD)
