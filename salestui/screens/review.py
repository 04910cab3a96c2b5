"""Review past calls (route; the screen itself is built in its own issue)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from salestui.screens.base import DataScreen


class ReviewScreen(DataScreen):
    """Review past calls."""

    CSS_PATH = "review.tcss"

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        """Title and the way back."""
        yield Header()
        yield Static("Review past calls — not built yet. Escape goes back.", id="route")
        yield Footer()
