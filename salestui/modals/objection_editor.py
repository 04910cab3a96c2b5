"""Add or edit an anticipated objection and its planned response."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from salestui.widgets.fields import TextInput

EXAMPLES = (
    "Price (“too expensive”) → reframe on the cost of the problem; phase the rollout. "
    "Timing (“not this quarter”) → find the event that forces the timing; agree a small step now."
)


class ObjectionEditor(ModalScreen[tuple[str, str] | None]):
    """Objection and response; enter on the response saves, escape cancels."""

    DEFAULT_CSS = """
    ObjectionEditor { align: center middle; }
    ObjectionEditor > Vertical { width: 84; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    ObjectionEditor Label { text-style: bold; margin-top: 1; }
    ObjectionEditor .hint { color: $text-muted; }
    ObjectionEditor #objection-error { color: $text-error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, text: str = "", response: str = "", title: str = "Anticipated objection") -> None:
        super().__init__()
        self._text = text
        self._response = response
        self._title = title

    def compose(self) -> ComposeResult:
        """Two inputs and the keys."""
        with Vertical():
            yield Static(Content.styled(self._title, "bold $accent"))
            yield Label(Content("What the customer may say"))
            yield TextInput(self._text, placeholder="e.g. It's too expensive", id="objection-text")
            yield Label(Content("Your planned response"))
            yield TextInput(
                self._response, placeholder="e.g. Reframe on the cost of the problem", id="objection-response"
            )
            yield Static("", id="objection-error")
            yield Static(Content(EXAMPLES), classes="hint")
            yield Static(Content("enter next / save · escape cancel"), classes="hint")

    @on(Input.Submitted, "#objection-text")
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#objection-response", Input).focus()

    @on(Input.Submitted, "#objection-response")
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.query_one("#objection-text", Input).value.strip()
        if not text:
            self.query_one("#objection-error", Static).update("Type the objection first.")
            self.query_one("#objection-text", Input).focus()
            return
        self.dismiss((text, self.query_one("#objection-response", Input).value.strip()))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
