"""Research — accounts (route; the screen itself is built in its own issue)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from salestui.screens.base import DataScreen


class AccountsScreen(DataScreen):
    """Research — accounts."""

    CSS_PATH = "accounts.tcss"

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, start_new: bool = False) -> None:
        super().__init__()
        self.start_new = start_new

    def compose(self) -> ComposeResult:
        """Title and the way back."""
        yield Header()
        yield Static("Research — accounts — not built yet. Escape goes back.", id="route")
        yield Footer()
