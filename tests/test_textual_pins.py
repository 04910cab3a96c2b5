"""Where salestui leans on Textual's private names, an upgrade of Textual fails here first.

``pyproject.toml`` pins ``textual==8.2.8``. Our code uses Textual's public API except where
there is none; each such place is named in ``PRIVATE_NAMES`` and re-checked by a test below.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import textual
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input, TextArea

from salestui.screens.base import DataScreen, is_text_area
from salestui.widgets.fields import TextEditor, TextInput

PINNED = "8.2.8"

PRIVATE_NAMES = """\
Re-check these private Textual names before moving the pin:
- Screen._pruning: salestui/screens/base.py DataScreen.is_open (a screen being removed on quit)
- Screen._get_breakpoint_classes: DataScreen._breakpoint_now applies the same rule itself
- module textual.widgets._text_area: salestui/screens/base.py is_text_area
- textual._xterm_parser.XTermParser (its paste parsing) and the name XTermParser that
  LinuxDriver.run_input_thread looks up in textual.drivers.linux_driver: salestui/paste.py
  (tests/test_paste_focus.py pins both)
- tests/conftest.py: textual._wait.SLEEP_GRANULARITY / SLEEP_IDLE, Input._toggle_cursor,
  TextArea._toggle_cursor_blink_visible
"""


def test_textual_is_the_pinned_version() -> None:
    assert textual.__version__ == PINNED, PRIVATE_NAMES
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert f"textual=={PINNED}" in project["project"]["dependencies"], PRIVATE_NAMES


def test_the_private_names_we_use_exist() -> None:
    assert Screen()._pruning is False, PRIVATE_NAMES
    assert sys.modules["textual.widgets._text_area"].TextArea is TextArea, PRIVATE_NAMES
    assert is_text_area(TextEditor()) and not is_text_area(TextInput())
    for name in ("_toggle_cursor",):
        assert callable(getattr(Input, name, None)), PRIVATE_NAMES
    assert callable(getattr(TextArea, "_toggle_cursor_blink_visible", None)), PRIVATE_NAMES


class _Responsive(DataScreen):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (150, "-huge")]


async def test_the_first_width_class_agrees_with_textuals_rule() -> None:
    """``_breakpoint_now`` takes the class before the first layout; Textual's Resize would pick the same."""
    points = _Responsive.HORIZONTAL_BREAKPOINTS
    async with App[None]().run_test(size=(80, 24)) as pilot:
        for width in (80, 109, 110, 149, 150, 200):
            await pilot.resize_terminal(width, 24)
            screen = _Responsive()
            ours = {name for _, name in points if screen.has_class(name)}
            assert ours == Screen()._get_breakpoint_classes(width, points), (width, PRIVATE_NAMES)


class _Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield TextInput("text", id="line")
        yield TextEditor("text", id="editor")


def test_our_fields_override_no_private_handler() -> None:
    """Public hooks only: ``on_focus``/``on_paste``, never Textual's ``_on_*`` handlers."""
    for field in (TextInput, TextEditor):
        private = [name for name in vars(field) if name.startswith("_on_")]
        assert not private, f"{field.__name__} overrides {private}: use the public on_* handlers"


async def test_inputs_own_focus_handler_runs_once_per_focus(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An explicit ``super()._on_focus()`` ran it twice (Textual already calls each class's handler)."""
    calls = []
    original = Input._on_focus

    def counted(self, event):  # type: ignore[no-untyped-def]
        calls.append(self.id)
        return original(self, event)

    monkeypatch.setattr(Input, "_on_focus", counted)
    app = _Fields()
    async with app.run_test() as pilot:
        app.query_one("#editor").focus()
        await pilot.pause()
        calls.clear()
        app.query_one("#line").focus()
        await pilot.pause()
        assert calls == ["line"]
