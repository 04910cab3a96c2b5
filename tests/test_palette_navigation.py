"""The command palette reaches every screen by name, and escape comes back home."""

from __future__ import annotations

import pytest

from salestui.screens.home import HomeScreen
from tests.helpers import make_app, palette, settle, wait_ready

ROUTES = [
    ("Go to accounts", "AccountsScreen", False),
    ("New account", "AccountsScreen", False),
    ("Plan a call", "PlanScreen", True),
    ("Start call", "InCallScreen", True),
    ("Debrief call", "DebriefScreen", True),
    ("Go to review", "ReviewScreen", False),
    ("Go to stats", "StatsScreen", False),
    ("Help", "HelpScreen", False),
]


async def _back_home(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        if isinstance(pilot.app.screen, HomeScreen):
            return
        # Leaving a call that is under way asks first.
        await pilot.press("y" if type(pilot.app.screen).__name__ == "Confirm" else "escape")
        await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen), type(pilot.app.screen).__name__


@pytest.mark.parametrize(("command", "screen", "picks"), ROUTES)
async def test_palette_reaches_screen_and_back(db_path, demo_store, command, screen, picks):
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, command)
        if picks:  # a picker asks which account or call
            assert type(app.screen).__name__ == "Picker"
            await pilot.press("enter")
            await settle(pilot)
            if type(app.screen).__name__ == "Confirm":  # starting a call that is not ready asks first
                await pilot.press("y")
                await settle(pilot)
        names = [type(s).__name__ for s in app.screen_stack]
        assert screen in names, names
        await _back_home(pilot)


async def test_help_lists_the_keys_of_the_screen(db_path, demo_store):
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Plan call" in text and "Start call" in text and "Quit" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_empty_database_offers_demo_data(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        empty = app.screen.query_one("#empty")
        assert empty.display and "demo data" in str(empty.render())
        await pilot.press("D")
        await settle(pilot)
        await settle(pilot)
        assert app.screen.query_one("#upcoming").display
        assert app.store is not None and app.store.calls.count() == 10
