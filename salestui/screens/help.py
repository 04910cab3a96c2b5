"""Help: the keys of the screen underneath and the app's global keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

INTRO = (
    "salestui follows the Sales Execution Model: research and plan before the call, "
    "pick the advance in the call, debrief honestly right after it. Plan three advances "
    "(stretch, target, fallback) so you always leave with a reason to come back."
)


def key_table(screen: Screen[object], app_bindings: list[Binding]) -> Content:
    """A two-column list of keys and what they do."""
    lines: list[Content] = []
    seen: set[str] = set()
    for title, bindings in (
        (type(screen).__name__.removesuffix("Screen"), list(getattr(screen, "BINDINGS", []))),
        ("Everywhere", app_bindings),
    ):
        lines.append(Content.styled(f"\n{title}", "bold $accent"))
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description or binding.key in seen:
                continue
            seen.add(binding.key)
            keys = ", ".join(k.replace("question_mark", "?") for k in binding.key.split(","))
            lines.append(Content.assemble((f"  {keys:<16}", "bold"), binding.description))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key of the current screen, and the global ones."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 84; max-width: 95%; height: 80%; border: thick $primary; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def __init__(self, under: Screen[object], app_bindings: list[Binding]) -> None:
        super().__init__()
        self._under = under
        self._app_bindings = app_bindings

    def compose(self) -> ComposeResult:
        """Intro and key table."""
        with VerticalScroll():
            yield Static(Content(INTRO))
            yield Static(key_table(self._under, self._app_bindings))
            yield Static(Content.styled("\nctrl+p opens every command by name. Escape goes back.", "$text-muted"))

    async def action_dismiss(self, result: None = None) -> None:
        """Close."""
        self.dismiss(None)
