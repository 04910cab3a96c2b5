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


class HeldStore:
    """The app's store kept from opening (SQLAlchemy still importing, as on a cold start) until
    ``release`` is set; ``shown_early`` is set when home has shown the calls read without it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.shown_early = asyncio.Event()
        real_open, real_show_early = core.open_store, HomeScreen.show_early

        def slow_open(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.release.wait(GUARD)
            return real_open(*args, **kwargs)

        def show_early(screen: HomeScreen, *args, **kwargs):  # type: ignore[no-untyped-def]
            real_show_early(screen, *args, **kwargs)
            self.shown_early.set()

        monkeypatch.setattr(core, "open_store", slow_open)
        monkeypatch.setattr(HomeScreen, "show_early", show_early)

    async def home_shown_early(self, pilot) -> HomeScreen:  # type: ignore[no-untyped-def]
        """Home once it shows calls read before the store opened (not ``settle``: that waits for
        the open worker, held here on purpose)."""
        try:
            await asyncio.wait_for(self.shown_early.wait(), GUARD)
        except TimeoutError:
            raise AssertionError("home showed no calls before the store opened") from None
        await pilot.pause()
        home = pilot.app.screen
        assert isinstance(home, HomeScreen) and home.upcoming.row_count > 0
        return home


async def test_home_lists_arrive_before_the_store_opens_and_keys_wait_for_it(
    db_path, demo_store, frozen_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected_upcoming = [c.id for c in demo_store.calls.upcoming(limit=50)]
    expected_debriefs = [c.id for c in demo_store.calls.needing_debrief(limit=50)]
    demo_store.close()
    held = HeldStore(monkeypatch)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await held.home_shown_early(pilot)
        assert app.store is None and home.loads_shown == 0
        assert [int(str(key.value)) for key in home.upcoming.rows] == expected_upcoming
        assert [int(str(key.value)) for key in home.undebriefed.rows] == expected_debriefs
        # The rep opens the first call and types at once: the plan holds the keys until its record is shown.
        await pilot.press("enter")
        await pilot.pause()
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        await pilot.press(*"abc")
        held.release.set()
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
    """``s`` on the calls shown before the store opened opens the picker at once; its list and
    the start follow once the store opens, not "still opening"."""
    from salestui.modals.confirm import Confirm
    from salestui.modals.picker import Picker
    from salestui.screens.incall import InCallScreen
    from tests.helpers import settle, wait_screen

    first = demo_store.calls.upcoming(limit=1)[0].id
    demo_store.close()
    held = HeldStore(monkeypatch)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await held.home_shown_early(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.store is None
        assert isinstance(app.screen, Picker)
        await pilot.press("enter")  # before the list came: picks once it does
        held.release.set()
        while not isinstance(app.screen, (Confirm, InCallScreen)):
            await settle(pilot)
        if isinstance(app.screen, Confirm):  # hours ahead: asked first
            await pilot.press("y")
        call = await wait_screen(pilot, InCallScreen)
        assert call.call_id == first
