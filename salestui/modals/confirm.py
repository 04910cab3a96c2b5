"""Yes/no confirmation for destructive actions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class Confirm(ModalScreen[bool]):
    """Ask a question; dismiss with ``True`` for yes."""

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 64; height: auto; border: thick $error; background: $surface; padding: 1 2; }
    Confirm Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    Confirm Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: Content | str, yes: str = "Delete", no: str = "Cancel") -> None:
        super().__init__()
        self._question = question if isinstance(question, Content) else Content(question)
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        """Question and two buttons."""
        with Vertical():
            yield Static(self._question)
            with Horizontal():
                yield Button(Content(f"{self._yes} (y)"), variant="error", id="yes")
                yield Button(Content(f"{self._no} (n)"), id="no")

    def on_mount(self) -> None:
        """Focus the safe choice."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons answer too."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Answer by key."""
        self.dismiss(answer)
