"""Ask for one line of text (a checklist item, a new name)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from salestui.widgets.fields import TextInput


class TextPrompt(ModalScreen[str | None]):
    """One input; enter gives its text (stripped, never empty), escape gives ``None``."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 72; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    TextPrompt Label { text-style: bold; }
    TextPrompt .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        """Title, input, keys."""
        with Vertical():
            yield Label(Content(self._title))
            yield TextInput(self._value, placeholder=self._placeholder, id="text")
            yield Static(Content("enter save · escape cancel"), classes="hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)
