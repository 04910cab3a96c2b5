"""Ask what the customer committed to when the advance was not on the ladder."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from salestui.domain.continuation import continuation_warning
from salestui.widgets.fields import TextInput


class UnplannedAdvance(ModalScreen[str | None]):
    """One line: what the customer committed to. Enter records it, escape cancels."""

    DEFAULT_CSS = """
    UnplannedAdvance { align: center middle; }
    UnplannedAdvance > Vertical {
        width: 70; max-width: 95%; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    UnplannedAdvance #unplanned-help { color: $text-muted; }
    UnplannedAdvance #unplanned-warning { color: $warning; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        """The question, the line and a warning if it reads like a continuation."""
        with Vertical() as box:
            box.border_title = "Unplanned advance"
            yield Static(Content("What did the customer commit to?"))
            yield TextInput(placeholder="e.g. Introduces us to procurement this week", id="unplanned-input")
            yield Static("", id="unplanned-warning")
            yield Static(Content("enter records it as the advance · escape cancels"), id="unplanned-help")

    @on(Input.Changed)
    def _warn(self, event: Input.Changed) -> None:
        warning = continuation_warning(event.value)
        self.query_one("#unplanned-warning", Static).update(Content(warning or ""))

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#unplanned-warning", Static).update(Content("Type what the customer committed to."))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Nothing recorded."""
        self.dismiss(None)
