"""Issue 28, cases 6 and 7: a paste arrives whole and in order; tab goes on from the field escape left.

Case 6: a bracketed paste holding an ESC was split by Textual's input parser (the cause is pinned
below, the workaround is ``salestui/paste.py``): ``AAA ESC [31mBBB`` was stored ``^[31mBBBAAA``
and a tab after the ESC moved the focus. The rule now: a paste keeps its order, loses its
control characters (``AAA[31mBBB``), and a tab in it is a space in a one-line field (never a
focus move) and a tab in a multi-line one.

Case 7: escape then tab jumped to the screen's first field; a multi-line field opened with the
cursor at the start of its text, so new words glued onto the carried-over ones.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver
from textual.widgets import Input

from salestui.paste import PasteFilter, PasteSafeParser
from salestui.widgets.fields import TextEditor, TextInput
from tests.helpers import flush, make_app, open_plan, settle, wait_ready

RAW = "\x1b[200~AAA\x1b[31mBBB\x1b[201~"
"""What a terminal sends for a bracketed paste of ``AAA`` ESC ``[31mBBB``."""


def _tokens(parser: Any, *pieces: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for piece in pieces:
        for token in parser.feed(piece):
            if isinstance(token, events.Key):
                out.append(("key", token.key))
            elif isinstance(token, events.Paste):
                out.append(("paste", token.text))
            else:
                out.append((type(token).__name__, None))
    return out


# -- case 6: the cause, pinned ---------------------------------------------------------------------
def test_textuals_parser_splits_a_paste_that_holds_an_escape() -> None:
    """The cause (textual 8.2.8, ``XTermParser.parse``): what follows an ESC in a paste comes out as
    keys, ahead of the ``Paste`` with the text before it. If this fails, Textual changed how it
    parses pastes: check whether ``salestui/paste.py`` is still needed, and that it still fits."""
    from textual._xterm_parser import XTermParser

    keys = [("key", k) for k in ("circumflex_accent", "left_square_bracket", "3", "1", "m", "B", "B", "B")]
    assert _tokens(XTermParser(), RAW) == [*keys, ("paste", "AAA")]
    # A tab after the ESC is the tab key: it moved the focus.
    tab = _tokens(XTermParser(), "\x1b[200~AAA\x1b\tBBB\x1b[201~")
    assert tab == [("key", "circumflex_accent"), ("key", "tab"), *keys[-3:], ("paste", "AAA")]


def test_the_paste_safe_parser_yields_one_paste_in_order() -> None:
    assert _tokens(PasteSafeParser(), RAW) == [("paste", "AAA[31mBBB")]
    assert _tokens(PasteSafeParser(), "\x1b[200~AAA\x1b\tBBB\x1b[201~") == [("paste", "AAA\tBBB")]
    # Keys around a paste are untouched (arrows are escape sequences too).
    around = _tokens(PasteSafeParser(), "x\x1b[A" + RAW + "\x1b[By")
    assert around == [("key", "x"), ("key", "up"), ("paste", "AAA[31mBBB"), ("key", "down"), ("key", "y")]


@pytest.mark.parametrize("cut", range(1, len(RAW)))
def test_a_paste_cut_between_two_reads_is_still_whole(cut: int) -> None:
    """The terminal's bytes come in reads of any length: a marker may be cut in two."""
    assert _tokens(PasteSafeParser(), RAW[:cut], RAW[cut:]) == [("paste", "AAA[31mBBB")]


def test_an_end_marker_cut_at_the_end_of_input_is_not_lost() -> None:
    paste_filter = PasteFilter()
    assert paste_filter("\x1b[200~AB\x1b[20") == "\x1b[200~AB"
    assert paste_filter.flush() == "\x1b[20"


def test_the_app_parses_terminal_input_with_the_paste_safe_parser(db_path) -> None:  # type: ignore[no-untyped-def]
    """The hook: ``LinuxDriver.run_input_thread`` builds its parser by the module name
    ``XTermParser``, which the app points at ``PasteSafeParser`` when it picks its driver."""
    app = make_app(db_path)
    assert app.driver_class is LinuxDriver
    assert "XTermParser" in LinuxDriver.run_input_thread.__code__.co_names
    assert vars(linux_driver)["XTermParser"] is PasteSafeParser


# -- case 6 in the app -----------------------------------------------------------------------------
async def _type_in_terminal(pilot, raw: str) -> None:  # type: ignore[no-untyped-def]
    """Send raw terminal input through the parser the app's driver uses, as the driver does."""
    for event in vars(linux_driver)["XTermParser"]().feed(raw):
        pilot.app.post_message(event)
    await pilot.pause()


def _call_with_text(store) -> int:  # type: ignore[no-untyped-def]
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, objective="Demo", strategy="Carried over.")
    return int(call_id)


async def test_a_paste_with_an_escape_keeps_its_order_in_both_kinds_of_field(db_path, store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    call_id = _call_with_text(store)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        objective = screen.query_one("#objective", Input)
        objective.focus()
        await pilot.pause()
        await _type_in_terminal(pilot, RAW)
        assert objective.value == "DemoAAA[31mBBB"
        # A tab in the paste: a space, and the focus stays.
        await _type_in_terminal(pilot, "\x1b[200~ C\x1b\tD\x1b[201~")
        assert app.focused is objective
        assert objective.value == "DemoAAA[31mBBB C D"

        # Lines pasted into a one-line field: Input keeps the first, ours joins them with spaces.
        goal = screen.query_one("#goal", Input)
        goal.focus()
        await pilot.pause()
        app.post_message(events.Paste("one\r\ntwo\u2028three\tfour"))
        await pilot.pause()
        assert goal.value == "one two three four"

        strategy = screen.strategy_area
        strategy.focus()
        await pilot.pause()
        await _type_in_terminal(pilot, "\x1b[200~ AAA\x1b[31mBBB\tC\r\nD\x07\x1b[201~")
        assert strategy.has_focus
        assert strategy.text == "Carried over. AAA[31mBBB\tC\nD"
        await flush(pilot)
        await settle(pilot)
    plan = store.calls.plan(call_id)
    assert plan.objective == "DemoAAA[31mBBB C D"
    assert plan.goal == "one two three four"
    assert plan.strategy == "Carried over. AAA[31mBBB\tC\nD"


def _pump(app, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Keep reading the screen for ``seconds`` (the app must not block on a full pty)."""
    import time

    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.pump(0.05)


def test_a_paste_typed_into_a_real_terminal_arrives_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """End to end: the app on a pty, with Textual's own terminal driver parsing the bytes."""
    import sys

    from bench.pty import PtyApp
    from salestui.store.core import open_store
    from salestui.store.demo import load_demo

    if sys.platform == "win32":
        pytest.skip("needs a pty")
    db = tmp_path / "paste.db"
    store = open_store(db, owner="tester")
    load_demo(store)
    planned = store.calls.upcoming()[0]  # the cursor starts on it; its plan opens on Return (empty)
    assert store.calls.plan(planned.id).expected_return == ""
    store.engine.dispose()

    app = PtyApp([sys.executable, "-m", "salestui", "--db", str(db)], cols=120, rows=40)
    try:
        app.wait_for("Needs a debrief")
        app.wait_for(planned.objective[:30])
        app.send("\r")
        app.wait_for("Strategy (how you will reach the objective)")
        # A paste is not held like keys until the plan has loaded: wait for its readiness.
        app.wait_for("Readiness")
        _pump(app, 0.5)  # its first empty field has the focus
        app.send("\x1b[200~AAA\x1b[31mBBB\x1b\tC\x1b[201~")
        app.wait_for("AAA[31mBBB C", limit=10)
        app.send("D")  # the focus stayed in the field
        app.wait_for("AAA[31mBBB CD", limit=10)
        _pump(app, 1.0)  # the save commits
    finally:
        app.close()

    check = open_store(db, owner="tester")
    try:
        assert check.calls.plan(planned.id).expected_return == "AAA[31mBBB CD"
    finally:
        check.engine.dispose()


# -- case 7: tab after escape ----------------------------------------------------------------------
async def test_tab_after_escape_goes_on_from_the_field_left(db_path, store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    call_id = _call_with_text(store)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        when = screen.query_one("#when", Input)
        objective = screen.query_one("#objective", Input)
        goal = screen.query_one("#goal", Input)
        objective.focus()
        await pilot.pause()
        await pilot.press("escape")
        assert app.focused is None
        await pilot.press("tab")
        assert app.focused is goal
        await pilot.press("escape", "shift+tab")
        assert app.focused is objective
        # The report: escape, tab, a letter typed into the time.
        await pilot.press("escape", "tab", "q")
        assert app.focused is goal
        assert when.value == ""
        assert goal.value == "q"
        # From the last field of the Objective section, tab reaches the questions list.
        return_field = screen.query_one("#expected_return", Input)
        return_field.focus()
        await pilot.pause()
        await pilot.press("escape", "tab")
        assert app.focused is screen.query_one("#questions")
        # Focus placed elsewhere since the escape: tab goes on from there.
        objective.focus()
        await pilot.pause()
        await pilot.press("escape")
        screen.strategy_area.focus()
        await pilot.pause()
        screen.set_focus(None)
        await pilot.press("tab")
        assert app.focused is when
        await settle(pilot)


async def test_a_multi_line_field_is_entered_at_the_end_of_its_text(db_path, store, frozen_now) -> None:  # type: ignore[no-untyped-def]
    call_id = _call_with_text(store)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        strategy = screen.strategy_area
        end = strategy.document.end
        assert end == (0, len("Carried over."))
        # By tab (from the questions list before it), and by shift+tab (from the ladder after it).
        screen.query_one("#questions").focus()
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is strategy
        assert strategy.cursor_location == end
        strategy.move_cursor((0, 0))
        await pilot.press("tab", "shift+tab")
        assert app.focused is strategy
        assert strategy.cursor_location == end
        await pilot.press("space", "A")
        assert strategy.text == "Carried over. A"
        # By a click below the text: at the end, not on the last line under the pointer.
        strategy.move_cursor((0, 0))
        screen.query_one("#questions").focus()
        # Focus scrolls the container; the click must wait until nothing moves under the pointer.
        await pilot.wait_for_scheduled_animations()
        strategy.scroll_visible(animate=False)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        bottom = strategy.region.offset + (2, strategy.size.height - 1)
        assert screen.get_widget_at(*bottom)[0] is strategy
        await pilot.click(strategy, offset=(2, strategy.size.height - 1))
        assert app.focused is strategy
        assert strategy.cursor_location == strategy.document.end
        # A click on the text puts the cursor where it points.
        await pilot.click(strategy, offset=(3, 0))
        assert strategy.cursor_location != strategy.document.end
        await settle(pilot)


class _Fields(App[None]):
    """A screen whose first focus is a multi-line field with text."""

    AUTO_FOCUS = "#editor"

    def compose(self) -> ComposeResult:
        yield TextInput("one line", id="line")
        yield TextEditor("first\nsecond", id="editor")


async def test_the_first_focus_opens_a_multi_line_field_at_the_end() -> None:
    app = _Fields()
    async with app.run_test() as pilot:
        await pilot.pause()
        editor = app.query_one("#editor", TextEditor)
        assert app.focused is editor
        assert editor.cursor_location == (1, len("second"))
        line = app.query_one("#line", TextInput)
        line.cursor_position = 0
        await pilot.press("shift+tab")
        assert line.has_focus
        assert line.cursor_position == len("one line")
        assert line.selection.is_empty
