"""``g`` then a letter: jump between home, accounts, review and stats."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

#: Letter -> (where, what the prompt calls it); ``where`` names an app action.
GO_TO: dict[str, tuple[str, str]] = {
    "h": ("home", "home"),
    "a": ("research", "accounts"),
    "v": ("review", "review"),
    "t": ("stats", "stats"),
}


class GoTo(ModalScreen[str | None]):
    """A one-line prompt at the bottom; the next key picks, any other key closes it."""

    DEFAULT_CSS = """
    GoTo { align: left bottom; background: transparent; }
    GoTo > Static { width: 100%; height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS = [
        *(Binding(key, f"go('{where}')", f"Go to {name}", id=f"goto.{name}") for key, (where, name) in GO_TO.items()),
        Binding("escape", "go('')", "Close"),
    ]

    def compose(self) -> ComposeResult:
        """The keys in one line."""
        parts: list[Content | str] = [Content.styled("Go to  ", "bold")]
        for key, (_, name) in GO_TO.items():
            parts += [Content.styled(key, "bold $accent"), f" {name}   "]
        parts.append(Content.styled("esc close", "$text-muted"))
        yield Static(Content.assemble(*parts))

    def action_go(self, where: str) -> None:
        """Close with the destination (empty: nowhere)."""
        self.dismiss(where or None)

    def on_key(self, event: events.Key) -> None:
        """Any key that is not a destination closes the prompt (as an unknown vim ``g`` chord does)."""
        if event.key not in GO_TO and event.key != "escape":
            event.stop()
            self.dismiss(None)
