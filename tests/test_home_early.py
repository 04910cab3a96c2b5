"""Home shows its calls before the full store is open, read with the standard library (issue 19)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from textual.widgets import Input, TextArea

from salestui.screens.home import HomeScreen
from salestui.screens.plan import PlanScreen
from salestui.store import core
from tests.helpers import GUARD, make_app, settle


def hold_the_store(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Keep the app's store from opening (SQLAlchemy still importing, as on a cold start) until set."""
    release = threading.Event()
    real_open = core.open_store

    def slow_open(*args, **kwargs):  # type: ignore[no-untyped-def]
        release.wait(GUARD)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(core, "open_store", slow_open)
    return release


async def home_shown_early(pilot) -> HomeScreen:  # type: ignore[no-untyped-def]
    """Home once it shows calls read before the store opened."""
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GUARD
    while home.upcoming.row_count == 0:
        assert loop.time() < deadline, "home showed no calls before the store opened"
        await pilot.pause(0.01)  # not settle: it waits for the open worker, held here on purpose
    return home


async def test_home_lists_arrive_before_the_store_opens_and_keys_wait_for_it(
    db_path, demo_store, frozen_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected_upcoming = [c.id for c in demo_store.calls.upcoming(limit=50)]
    expected_debriefs = [c.id for c in demo_store.calls.needing_debrief(limit=50)]
    demo_store.close()
    release = hold_the_store(monkeypatch)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await home_shown_early(pilot)
        assert app.store is None and home.loads_shown == 0
        assert [int(str(key.value)) for key in home.upcoming.rows] == expected_upcoming
        assert [int(str(key.value)) for key in home.undebriefed.rows] == expected_debriefs
        # The rep opens the first call and types at once: the plan holds the keys until its record is shown.
        await pilot.press("enter")
        await pilot.pause(0.01)
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        await pilot.press(*"abc")
        release.set()
        await asyncio.wait_for(app.store_opened.wait(), GUARD)
        await asyncio.wait_for(plan.wait_for_load(), GUARD)
        await settle(pilot)
        field = plan.focused
        assert isinstance(field, Input | TextArea)
        assert (field.value if isinstance(field, Input) else field.text).endswith("abc")
        await pilot.press("escape", "escape")
        await asyncio.wait_for(home.wait_for_load(), GUARD)
        assert [int(str(key.value)) for key in home.upcoming.rows] == expected_upcoming


async def test_a_new_database_shows_nothing_early(db_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from salestui.store.quick import early_home

    assert early_home(str(db_path)) is None  # no file yet
    db_path.write_bytes(b"not a database at all")
    assert early_home(str(db_path)) is None
    assert early_home("postgresql://rep@localhost/sales") is None


async def test_a_key_pressed_on_the_early_home_runs_once_the_store_opens(
    db_path, demo_store, frozen_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``s`` on the calls shown before the store opened starts the call then, not "still opening"."""
    from salestui.screens.incall import InCallScreen
    from tests.helpers import wait_screen

    first = demo_store.calls.upcoming(limit=1)[0].id
    demo_store.close()
    release = hold_the_store(monkeypatch)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await home_shown_early(pilot)
        await pilot.press("s")
        await pilot.pause(0.01)
        assert app.store is None
        release.set()
        call = await wait_screen(pilot, InCallScreen)
        assert call.call_id == first
