"""Issue 31, item 10: the new-account name suggested from the filter is selected (typing replaces
it); a follow-up drafted onto a slot the account already has planned is warned about; home shows
another program's import (the CLI) live, without leaving and coming back."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from textual.widgets import Input

from salestui.domain.carryover import follow_up_at
from salestui.domain.enums import CallKind
from salestui.modals.account_form import AccountForm
from salestui.modals.debrief_done import DebriefDone
from salestui.screens.accounts import AccountsScreen
from salestui.screens.debrief import DebriefScreen
from salestui.screens.home import HomeScreen
from salestui.store.core import open_store
from tests.helpers import make_app, settle, type_text, wait_modal, wait_ready, wait_screen


def _toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


def _screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join("".join(s.text for s in strip) for strip in app.screen._compositor.render_strips())


async def test_new_account_name_from_the_filter_is_replaced_by_typing(db_path, store):
    store.accounts.create("Initech")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.action_research()
        await wait_screen(pilot, AccountsScreen)
        await type_text(pilot, "Wayn")
        await pilot.press("ctrl+n")
        form = await wait_modal(pilot, AccountForm)
        name = form.query_one("#f-name", Input)
        assert name.value == "Wayn" and app.focused is name
        assert name.selected_text == "Wayn"  # kept, but selected
        await type_text(pilot, "Acme Corp")
        assert name.value == "Acme Corp"


async def test_a_follow_up_drafted_onto_a_planned_slot_is_warned(db_path, store, frozen_now):
    account = store.accounts.create("Initech")
    first = store.calls.create(account.id, frozen_now - timedelta(days=2), CallKind.DISCOVERY, objective="Pain")
    second = store.calls.create(account.id, frozen_now - timedelta(days=1), CallKind.DEMO, objective="Demo")
    for call_id in (first, second):
        store.calls.start(call_id)
        store.calls.end(call_id)
    day = (frozen_now + timedelta(days=7)).date()
    # The first debrief already drafted a follow-up on that day.
    store.debriefs.save(first, went_well="rapport", follow_up=day)
    drafted = store.debriefs.finish(first, follow_up_at=follow_up_at(day, frozen_now))
    assert drafted.next_call_id is not None
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_debrief(second)
        await wait_screen(pilot, DebriefScreen)
        await pilot.press("5", "enter")  # continuation, confirmed
        await pilot.press("tab", "tab", "tab", "tab")  # to the follow-up date
        await type_text(pilot, day.isoformat())
        await pilot.press("ctrl+s")
        await wait_modal(pilot, DebriefDone)
        await settle(pilot)
        warned = [t for t in _toasts(app) if "already has another call planned" in t]
        assert warned, _toasts(app)
        assert "Initech" in warned[0]


async def test_home_shows_an_import_from_another_program_live(db_path, store, frozen_now):
    account = store.accounts.create("Initech")
    store.calls.create(account.id, frozen_now + timedelta(days=3), CallKind.DEMO, objective="Existing demo")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Existing demo" in _screen_text(app)
        # The CLI (another process, its own store) imports calls while home is shown.
        other = open_store(db_path, owner="tester")
        try:
            with other.transaction() as session:
                for hours in (1, 2, 3):
                    other.calls.create(
                        account.id,
                        frozen_now + timedelta(hours=hours),
                        CallKind.CHECK_IN,
                        session=session,
                        objective=f"Imported check-in {hours}",
                    )
        finally:
            other.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 2.5
        while "Imported check-in 1" not in _screen_text(app):
            assert loop.time() < deadline, "home did not show the import within 2.5 s"
            await pilot.pause(0.05)
        assert isinstance(app.screen, HomeScreen)
