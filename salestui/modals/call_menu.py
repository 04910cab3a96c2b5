"""One key for what to do with a call that will not happen: cancel it, or delete it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class CallMenu(ModalScreen[str | None]):
    """``c`` cancels (kept in history), ``d`` deletes (asks again), escape leaves the call alone."""

    DEFAULT_CSS = """
    CallMenu { align: center middle; }
    CallMenu > Vertical { width: 64; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    CallMenu .-muted { color: $text-muted; }
    """
    BINDINGS = [
        Binding("c", "choose('cancel')", "Cancel call"),
        Binding("d", "choose('delete')", "Delete call"),
        Binding("escape,n", "choose('')", "Keep"),
    ]

    def __init__(self, title: Content | str) -> None:
        super().__init__()
        self._title = title if isinstance(title, Content) else Content(title)

    def compose(self) -> ComposeResult:
        """The call named, then the two choices."""
        with Vertical():
            yield Static(self._title)
            yield Static(
                Content.assemble(
                    "\n",
                    Content.styled("c", "bold"),
                    "  Cancel call: stays in your history as cancelled\n",
                    Content.styled("d", "bold"),
                    "  Delete call: only a call never held; asks again\n",
                    Content.styled("esc", "bold"),
                    "  Keep it as it is",
                )
            )

    def action_choose(self, choice: str) -> None:
        """Answer by key (empty: keep)."""
        self.dismiss(choice or None)
