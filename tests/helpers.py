"""Helpers for Pilot tests: start the real app on a file and wait for what it does, by event.

Every wait here ends on something the app reports (the store opened, a screen posted
``DataScreen.Loaded``, the writer's queue drained, the worker pool emptied). The timeouts are
only a guard against a hang and fail with what was awaited; no wait is a bare sleep.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual.pilot import Pilot
from textual.screen import Screen

from salestui.app import SalesApp
from salestui.screens.base import DataScreen

if TYPE_CHECKING:
    from salestui.screens.plan import PlanScreen

GUARD = 30.0
"""Seconds before a wait gives up with a message: a hang, not a slow machine, trips it."""

S = TypeVar("S", bound=DataScreen)


def make_app(db_path: Path) -> SalesApp:
    """The real app on a database file (the test owns the file), or on the PostgreSQL database
    the test's ``store`` opened in its place (``tests.pg.target_of``)."""
    from tests.pg import target_of

    return SalesApp(target_of(db_path), owner="tester")


def _app(pilot: Pilot[int]) -> SalesApp:
    app = pilot.app
    assert isinstance(app, SalesApp)
    return app


async def wait_ready(pilot: Pilot[int]) -> None:
    """Wait until the store is open and the home screen shows its first load."""
    app = _app(pilot)
    try:
        await asyncio.wait_for(app.store_opened.wait(), GUARD)
    except TimeoutError:
        raise AssertionError("the store did not open") from None
    home = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
    if isinstance(home, DataScreen):
        await wait_loaded(pilot, home)
    await settle(pilot)


async def wait_loaded(pilot: Pilot[int], screen: DataScreen, after: int = 0) -> None:
    """Wait until ``screen`` has shown more than ``after`` loads (its ``Loaded`` message)."""
    try:
        await asyncio.wait_for(screen.wait_for_load(after), GUARD)
    except TimeoutError:
        raise AssertionError(f"{type(screen).__name__} did not show its data") from None
    await pilot.pause()


async def wait_screen(pilot: Pilot[int], kind: type[S]) -> S:
    """Wait until a screen of ``kind`` is on top and has shown its data; return it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GUARD
    while not isinstance(pilot.app.screen, kind):
        if loop.time() > deadline:
            raise AssertionError(f"{kind.__name__} did not open (on top: {type(pilot.app.screen).__name__})")
        await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    await wait_loaded(pilot, screen)
    return screen


async def wait_modal(pilot: Pilot[int], kind: type[Screen[object]]) -> Screen[object]:
    """Wait until a popup of ``kind`` is on top."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GUARD
    while not isinstance(pilot.app.screen, kind):
        if loop.time() > deadline:
            raise AssertionError(f"{kind.__name__} did not open (on top: {type(pilot.app.screen).__name__})")
        await settle(pilot)
    return pilot.app.screen


async def flush(pilot: Pilot[int]) -> None:
    """Wait until every save asked for so far has committed, and its result reached the screen."""
    store = getattr(pilot.app, "store", None)  # a bare test app has no store
    if store is not None:
        drained = await asyncio.to_thread(store.writer.flush, GUARD)
        assert drained, "the writer did not drain"
    await pilot.pause()


async def settle(pilot: Pilot[int]) -> None:
    """Let saves, reads and the messages they post finish.

    Three rounds: a save's result may ask for a load, whose result may move the focus.
    """
    for _ in range(3):
        await flush(pilot)
        try:
            await asyncio.wait_for(pilot.app.workers.wait_for_complete(), GUARD)
        except TimeoutError:
            running = [w.description for w in pilot.app.workers if not w.is_finished]
            raise AssertionError(f"workers still running after {GUARD} s: {running}") from None
        await pilot.pause()
    # Scrolling to the focused field animates: a snapshot must not catch it half-way.
    await pilot.wait_for_scheduled_animations()


async def open_plan(pilot: Pilot[int], call_id: int) -> PlanScreen:
    """Open a call's plan as the app does and wait until it shows its record."""
    from salestui.screens.plan import PlanScreen

    _app(pilot).open_plan(call_id)
    return await wait_screen(pilot, PlanScreen)


async def type_text(pilot: Pilot[int], text: str) -> None:
    """Type text key by key (brackets and spaces included)."""
    keys = []
    for char in text:
        keys.append({" ": "space", "[": "left_square_bracket", "]": "right_square_bracket"}.get(char, char))
    await pilot.press(*keys)


async def palette(pilot: Pilot[int], query: str) -> None:
    """Run a palette command by typing its name: wait until the palette's search has finished
    (its hits come from a worker) and the best hit is highlighted, then press enter."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    palette_screen = await wait_modal(pilot, CommandPalette)
    await type_text(pilot, query)
    await settle(pilot)
    hits = palette_screen.query_one(CommandList)
    # "No matches found" is a disabled option the palette adds half a second after an empty search.
    found = [hits.get_option_at_index(i) for i in range(hits.option_count)]
    assert any(not option.disabled for option in found), f"the palette found nothing for {query!r}"
    await pilot.press("enter")
    await settle(pilot)


def toasts(app: object) -> list[str]:
    """The messages the app has toasted, oldest first."""
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def focus_by_tab(pilot: Pilot[int], widget_id: str, limit: int = 40) -> None:
    """Press tab until the widget with ``widget_id`` has focus (keys only)."""
    for _ in range(limit):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"could not reach #{widget_id} with tab")


async def settle_failing(pilot: Pilot[int]) -> None:
    """Wait for workers, including the one expected to fail (wait_for_complete would re-raise)."""
    import contextlib

    from textual.worker import WorkerFailed

    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def reopen_plan(db_path: Path, call_id: int):  # type: ignore[no-untyped-def]
    """A call's plan as a fresh process would read it from the file."""
    from salestui.store.core import open_store
    from tests.pg import target_of

    store = open_store(target_of(db_path), owner="tester")
    try:
        return store.calls.plan(call_id)
    finally:
        store.close()
