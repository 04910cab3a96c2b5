"""In the call (route; the screen itself is built in its own issue)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from salestui.screens.base import DataScreen


class InCallScreen(DataScreen):
    """In the call."""

    CSS_PATH = "incall.tcss"

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, call_id: int) -> None:
        super().__init__()
        self.call_id = call_id

    def compose(self) -> ComposeResult:
        """Title and the way back."""
        yield Header()
        yield Static("In the call — not built yet. Escape goes back.", id="route")
        yield Footer()
