"""Your numbers (route; the screen itself is built in its own issue)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from salestui.screens.base import DataScreen


class StatsScreen(DataScreen):
    """Your numbers."""

    CSS_PATH = "stats.tcss"

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        """Title and the way back."""
        yield Header()
        yield Static("Your numbers — not built yet. Escape goes back.", id="route")
        yield Footer()
