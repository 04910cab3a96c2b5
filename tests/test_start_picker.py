"""``s`` on home: always the picker (the highlighted upcoming call preselected), typed text only
filters it, a call days ahead asks first, and keys typed before the call screen showed never
land in it as a note."""

from __future__ import annotations

from datetime import timedelta

from textual import events
from textual.widgets import Static

from salestui.modals.confirm import Confirm
from salestui.modals.picker import Picker
from salestui.screens.home import HomeScreen
from salestui.screens.incall import InCallScreen
from salestui.widgets.call_table import CallTable
from tests.helpers import make_app, settle, type_text, wait_modal, wait_ready, wait_screen


def _calls(store, now):  # type: ignore[no-untyped-def]
    wayne = store.calls.create(store.accounts.create("Wayne Retail").id, now + timedelta(minutes=30), objective="Intro")
    initech = store.calls.create(store.accounts.create("Initech").id, now + timedelta(days=2), objective="Pilot")
    return wayne, initech


async def test_s_with_the_upcoming_list_focused_opens_the_picker_on_the_highlighted_call(db_path, store, frozen_now):
    wayne, initech = _calls(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#upcoming", CallTable)
        table.focus()
        await pilot.press("down")  # Initech, two days ahead
        assert table.selected_call_id == initech
        await pilot.press("s")
        picker = await wait_modal(pilot, Picker)
        await settle(pilot)
        assert picker.selected == initech  # type: ignore[attr-defined]
        await pilot.press("enter")
        confirm = await wait_modal(pilot, Confirm)
        assert "in 2 days" in str(confirm.query_one(Static).render())
        await pilot.press("n")  # not yet
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert store.calls.plan(initech).started_at is None


async def test_typing_a_name_in_the_picker_starts_that_call_and_saves_no_note(db_path, store, frozen_now):
    wayne, initech = _calls(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("s")
        await type_text(pilot, "Wayne")
        await pilot.press("enter")
        await settle(pilot)
        if isinstance(app.screen, Confirm):  # low readiness: asked first
            await pilot.press("y")
        screen = await wait_screen(pilot, InCallScreen)
        assert screen.call_id == wayne
    assert store.calls.plan(initech).started_at is None
    assert store.calls.plan(wayne).notes == ()


async def test_keys_typed_before_the_call_screen_showed_do_not_reach_it(db_path, store, frozen_now):
    wayne, _ = _calls(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        early = [events.Key("n", "n"), events.Key("e", "e"), events.Key("enter", None)]  # typed before
        app.start_call(wayne)
        screen = await wait_screen(pilot, InCallScreen)
        for key in early:
            app.post_message(key)
        await settle(pilot)
        assert app.focused is not screen.note_input
        assert screen.note_input.value == ""
    assert store.calls.plan(wayne).notes == ()
