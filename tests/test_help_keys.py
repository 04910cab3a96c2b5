"""Help shows the screen's keys first in the rep's words, the focused field's editing keys last
under "Editing text", aligned, nothing twice (issue 31, item 6)."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from salestui.screens.account import AccountScreen
from salestui.screens.help import KEY_COLUMN, HelpScreen
from tests.helpers import make_app, open_plan, settle, wait_modal, wait_ready, wait_screen


async def _help_text(pilot) -> str:  # type: ignore[no-untyped-def]
    await pilot.press("f1")
    screen = await wait_modal(pilot, HelpScreen)
    await settle(pilot)
    return "\n".join(str(s.render()) for s in screen.query(Static))


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("  ")]


async def test_help_in_a_text_field_starts_with_the_screen_and_ends_with_editing(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    call = store.calls.create(account, frozen_now + timedelta(days=1), objective="Find the pain")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        plan = await open_plan(pilot, call)
        assert type(plan.focused).__name__ == "TextInput"
        text = await _help_text(pilot)
        headings = [h for h in text.splitlines() if h and h[0] != " "][1:]  # after the intro
        keys_headings = [h for h in headings if not h.startswith("ctrl+p opens")]
        assert keys_headings[0].startswith("Plan"), keys_headings
        assert keys_headings[-1] == "Editing text", keys_headings
        for name in ("TextInput", "VerticalScroll", "Scroll Up", "Focus Next"):
            assert name not in text, name
        assert "Start call" in text and "Move cursor left a word" in text
        # Aligned: every description starts in the same column, a long key gets a line of its own.
        rows = _rows(text)
        indent = " " * (2 + KEY_COLUMN)
        for index, row in enumerate(rows):
            if row.startswith(indent):
                assert rows[index - 1].strip() and not rows[index - 1].startswith(indent), row
            elif index + 1 < len(rows) and rows[index + 1].startswith(indent):
                pass  # a long key alone on its line: its text on the next, in the column
            else:
                assert row[1 + KEY_COLUMN] == " " and row[2 + KEY_COLUMN] != " ", row
        assert "ctrl+shift+rightMove" not in text
        assert "ctrl+shift+right" in text


async def test_help_on_the_account_lists_each_key_once_in_the_reps_words(db_path, demo_store):
    account = demo_store.accounts.rows()[0].id
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account)
        await wait_screen(pilot, AccountScreen)
        await pilot.press("2")  # the contacts tab: the contact list has focus
        await settle(pilot)
        text = await _help_text(pilot)
        headings = [h for h in text.splitlines() if h and h[0] != " "][1:]
        assert headings[0] == "Account", headings
        for name in ("ContactTable", "CallTable", "InCall", "(focused)\n  up"):
            assert name not in text, name
        rows = _rows(text)
        assert len([r for r in rows if r.split()[:2] == ["a", "Add"]]) == 1, rows
        assert len([r for r in rows if r.split()[0] == "escape"]) == 1, rows
        assert len(rows) == len(set(rows)), rows
