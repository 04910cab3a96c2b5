"""Practice keeps its card and its clock when help or the palette closes, or data changes elsewhere."""

from __future__ import annotations

from datetime import timedelta

from textual.command import CommandPalette

from salestui.domain import clock
from salestui.domain.enums import CallKind, QuestionKind
from salestui.messages import DataChanged
from salestui.screens.practice import PracticeScreen
from tests.helpers import make_app, open_plan, settle, wait_modal, wait_ready, wait_screen


def _card(screen: PracticeScreen) -> str:
    return str(screen.query_one("#practice-progress").render())


async def test_practice_keeps_its_card_and_clock_after_help_and_palette(db_path, store, frozen_now):
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, frozen_now, CallKind.DISCOVERY, objective="Find the pain")
    for text in ("What breaks today?", "Who signs?", "What does it cost you?"):
        store.calls.add_question(call_id, text, QuestionKind.PROBLEM, "the pain")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await open_plan(pilot, call_id)
        await pilot.press("escape")  # leave the objective field: the screen's keys work
        await pilot.press("P")
        screen = await wait_screen(pilot, PracticeScreen)
        await pilot.press("right", "right")
        assert "card 3 of" in _card(screen)
        started = screen.started_at
        clock.freeze(frozen_now + timedelta(minutes=2))
        screen._tick()
        assert "2:00" in str(screen.query_one("#practice-clock").render())

        await pilot.press("f1")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "card 3 of" in _card(screen)
        assert screen.started_at == started
        assert "2:00" in str(screen.query_one("#practice-clock").render())

        await pilot.press("ctrl+p")
        await wait_modal(pilot, CommandPalette)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "card 3 of" in _card(screen)
        assert screen.started_at == started

        # Another window changed something (live refresh): the rehearsal goes on where it was.
        loads = screen.loads_shown
        screen.post_message(DataChanged(None, None))
        await settle(pilot)
        assert screen.loads_shown > loads
        assert "card 3 of" in _card(screen)
        assert screen.started_at == started
