"""The debrief's preview says what finishing will carry to the next call, word for word."""

from __future__ import annotations

from textual.widgets import Static

from salestui.modals.debrief_done import DebriefDone
from salestui.screens.debrief import DebriefScreen
from tests.helpers import make_app, settle, type_text, wait_ready


def _carrying(text: str) -> str:
    return text[text.index("carrying") :].strip()


async def test_preview_names_what_finishing_carries(db_path, demo_store, frozen_now):
    call_id = next(c.id for c in demo_store.calls.needing_debrief() if c.account_name == "Stark Logistics")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_debrief(call_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        await pilot.press("enter")  # the outcome as prefilled
        await type_text(pilot, "rapport")
        await pilot.press("tab")
        await type_text(pilot, "scope first")
        await pilot.press("tab")
        await type_text(pilot, "dispatch decides")
        await pilot.press("tab", "tab")
        await type_text(pilot, "+7d")
        await settle(pilot)
        preview = str(screen.query_one("#finish_hint", Static).render())
        assert "carrying 2 lessons" in preview  # do differently and lessons: one line each
        await pilot.press("ctrl+s")
        await settle(pilot)
        done = app.screen
        assert isinstance(done, DebriefDone)
        told = " ".join(str(w.render()) for w in done.query(Static))
        assert _carrying(preview) in told
