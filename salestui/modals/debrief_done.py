"""After a debrief drafted the next call: open that draft, or go back home."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

NextStop = Literal["plan", "home"]


class DebriefDone(ModalScreen[NextStop | None]):
    """Two keys: enter/p opens the drafted call's plan, h goes home; escape stays on the debrief."""

    DEFAULT_CSS = """
    DebriefDone { align: center middle; }
    DebriefDone > Vertical { width: 66; max-width: 95%; height: auto; border: thick $success; background: $surface; padding: 1 2; }
    DebriefDone Horizontal { height: auto; margin-top: 1; }
    DebriefDone Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("enter,p", "choose('plan')", "Open the draft", id="debrief_done.plan", priority=True),
        Binding("h", "choose('home')", "Home", id="debrief_done.home"),
        Binding("escape", "choose(None)", "Stay here"),
    ]

    def __init__(self, message: Content) -> None:
        super().__init__()
        self._message = message

    def compose(self) -> ComposeResult:
        """What was drafted, and the two ways on."""
        with Vertical():
            yield Static(self._message, id="drafted")
            with Horizontal():
                yield Button(Content("Open the draft (enter/p)"), variant="success", id="plan")
                yield Button(Content("Home (h)"), id="home")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The buttons answer too (mouse)."""
        self.dismiss("plan" if event.button.id == "plan" else "home")

    def action_choose(self, choice: NextStop | None) -> None:
        """Answer by key."""
        self.dismiss(choice)
