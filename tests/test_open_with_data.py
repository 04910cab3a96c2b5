"""Reads that open a screen or a popup open it only where the rep still is: call detail with its data, pickers, the call menu."""

from __future__ import annotations

import asyncio
import threading

import pytest
from textual.widgets import Static

from salestui import app as app_module
from salestui.screens.call_detail import CallDetailScreen
from salestui.screens.home import HomeScreen
from salestui.screens.review import ReviewScreen
from salestui.store.review import ReviewRepo
from tests.helpers import GUARD, make_app, settle, wait_ready


class Held:
    """A store method, counted, and held until ``release`` is set (``hold=False``: released already)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: type, name: str, hold: bool = True) -> None:
        self.calls = 0
        self.release = threading.Event()
        self.asked = threading.Event()
        if not hold:
            self.release.set()
        real = getattr(owner, name)

        def held(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.calls += 1
            self.asked.set()
            self.release.wait(GUARD)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, held)

    async def until_asked(self) -> None:
        assert await asyncio.to_thread(self.asked.wait, GUARD), "the read was never asked for"


async def _review(pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen) and screen.table.row_count
    return screen


def _title(screen: CallDetailScreen) -> str:
    return str(screen.query_one("#title", Static).render())


async def test_the_detail_shows_its_data_in_its_first_frame_from_one_read(
    db_path, demo_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_store.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _review(pilot)
        shown_before_first_visit: list[bool] = []
        real_show = CallDetailScreen._show

        def show(screen: CallDetailScreen, detail) -> None:  # type: ignore[no-untyped-def]
            shown_before_first_visit.append(not screen._visited)
            real_show(screen, detail)

        monkeypatch.setattr(CallDetailScreen, "_show", show)
        held = Held(monkeypatch, ReviewRepo, "detail", hold=False)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CallDetailScreen)
        assert shown_before_first_visit == [True]  # filled at mount, before it was first shown
        assert held.calls == 1 and detail.loads_shown == 1  # opening did not read it again
        assert "Objective" in str(detail.query_one("#plan", Static).render())


async def test_leaving_review_before_the_detail_is_read_opens_nothing(
    db_path, demo_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_store.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _review(pilot)
        held = Held(monkeypatch, ReviewRepo, "detail")
        await pilot.press("enter")
        await held.until_asked()
        await pilot.press("escape")  # back home while the read is still going
        assert isinstance(app.screen, HomeScreen)
        held.release.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(screen, CallDetailScreen) for screen in app.screen_stack)


async def test_enter_pressed_twice_opens_one_detail(db_path, demo_store, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_store.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _review(pilot)
        held = Held(monkeypatch, ReviewRepo, "detail")
        await pilot.press("enter")
        await held.until_asked()
        await pilot.press("down", "enter")  # changed their mind: the second call wins
        second = review.table.lines[review.table.cursor_row].id
        held.release.set()
        await settle(pilot)
        details = [screen for screen in app.screen_stack if isinstance(screen, CallDetailScreen)]
        assert len(details) == 1 and details[0] is app.screen and details[0].call_id == second


async def test_a_slow_read_opens_the_detail_at_once_and_fills_it_when_read(
    db_path, demo_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_store.close()
    monkeypatch.setattr(app_module, "OPEN_WAIT", 0.05)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _review(pilot)
        held = Held(monkeypatch, ReviewRepo, "detail")
        await pilot.press("enter")
        await held.until_asked()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + GUARD
        while not isinstance(app.screen, CallDetailScreen):  # the timer opens it; the read is still held
            assert loop.time() < deadline, "the detail did not open while its read was slow"
            await pilot.pause(0.01)
        detail = app.screen
        assert "Loading" in _title(detail)
        held.release.set()
        await settle(pilot)
        assert app.screen is detail and "Loading" not in _title(detail)
        assert detail.loads_shown >= 1 and detail.detail is not None


async def _ask_then_leave_for_review(pilot, held: Held, key: str) -> None:  # type: ignore[no-untyped-def]
    """Press ``key`` on home, go to review while its read is held, then let the read finish."""
    await wait_ready(pilot)
    await pilot.press(key)
    await held.until_asked()
    await pilot.press("v")  # the rep went to review meanwhile
    held.release.set()
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)


async def test_a_picker_read_after_the_rep_moved_on_stays_closed(
    db_path, demo_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salestui.modals.picker import Picker
    from salestui.store.accounts import AccountRepo

    demo_store.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        # plan a call: which account? (the choices are being read)
        await _ask_then_leave_for_review(pilot, Held(monkeypatch, AccountRepo, "rows"), "n")
        assert not any(isinstance(screen, Picker) for screen in app.screen_stack)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")  # asked again and waited for: the picker opens
        await settle(pilot)
        assert isinstance(app.screen, Picker)


async def test_the_call_menu_read_after_the_rep_moved_on_stays_closed(
    db_path, demo_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salestui.modals.call_menu import CallMenu
    from salestui.store.calls import CallRepo

    demo_store.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        # cancel or delete the selected upcoming call (its facts are being read)
        await _ask_then_leave_for_review(pilot, Held(monkeypatch, CallRepo, "plan"), "x")
        assert not any(isinstance(screen, CallMenu) for screen in app.screen_stack)


async def test_a_detail_that_cannot_be_read_opens_nothing(db_path, demo_store, monkeypatch: pytest.MonkeyPatch) -> None:
    from salestui.store.core import NotFound

    demo_store.close()
    monkeypatch.setattr(app_module, "OPEN_WAIT", 0.05)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _review(pilot)

        def gone(repo: ReviewRepo, call_id: int):  # type: ignore[no-untyped-def]
            raise NotFound(f"call {call_id}")  # deleted in another window meanwhile

        monkeypatch.setattr(ReviewRepo, "detail", gone)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.2)  # well past OPEN_WAIT: the timer must not open it either
        assert app.screen is review
        assert not any(isinstance(screen, CallDetailScreen) for screen in app.screen_stack)
