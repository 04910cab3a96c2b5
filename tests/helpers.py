"""Helpers for Pilot tests: start the real app on a file and wait for what workers do."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from salestui.app import SalesApp


def make_app(db_path: Path) -> SalesApp:
    """The real app on a database file (the test owns the file)."""
    return SalesApp(db_path, owner="tester")


async def wait_ready(pilot: Pilot[int]) -> None:
    """Wait until the store is open and the first load has finished."""
    app = pilot.app
    assert isinstance(app, SalesApp)
    for _ in range(200):
        if app.store is not None:
            break
        await pilot.pause(0.05)
    assert app.store is not None, "store did not open"
    await settle(pilot)


async def settle(pilot: Pilot[int]) -> None:
    """Let workers and the messages they post finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot[int], text: str) -> None:
    """Type text key by key (brackets and spaces included)."""
    keys = []
    for char in text:
        keys.append({" ": "space", "[": "left_square_bracket", "]": "right_square_bracket"}.get(char, char))
    await pilot.press(*keys)
