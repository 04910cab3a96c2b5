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


def _describe(widget: object) -> str:
    """A widget's heading in help: its ``HELP_TITLE`` (words the rep sees), else its class name."""
    return getattr(type(widget), "HELP_TITLE", None) or type(widget).__name__


def binding_groups(screen: Screen[object], app_bindings: list[Binding]) -> list[tuple[str, list[Binding]]]:
    """The keys that work now: the focused widget's (and its containers'), the screen's, the app's."""
    groups: list[tuple[str, list[Binding]]] = []
    node = screen.focused
    while node is not None and node is not screen:
        bindings = [b for b in getattr(node, "BINDINGS", []) if isinstance(b, Binding)]
        if bindings:
            groups.append((f"{_describe(node)} (focused)" if node is screen.focused else _describe(node), bindings))
        node = node.parent  # type: ignore[assignment]
    groups.append((type(screen).__name__.removesuffix("Screen"), list(getattr(screen, "BINDINGS", []))))
    groups.append(("Everywhere", [*app_bindings, *MOVING]))
    return groups


#: Focus moves: Textual's own keys, listed so help names them.
MOVING = [
    Binding("tab", "app.focus_next", "Next field or list"),
    Binding("shift+tab", "app.focus_previous", "Previous field or list"),
]


def other_lists(screen: Screen[object]) -> list[tuple[str, list[Binding]]]:
    """Keys of the screen's lists that are not focused now (the plan's checklist and objections)."""
    focused = screen.focused
    chain = set()
    node = focused
    while node is not None:
        chain.add(type(node))
        node = node.parent  # type: ignore[assignment]
    groups: list[tuple[str, list[Binding]]] = []
    seen: set[type] = set()
    for widget in screen.query("*"):
        kind = type(widget)
        if kind in seen or kind in chain or not widget.can_focus or not kind.__module__.startswith("salestui."):
            continue
        seen.add(kind)
        own = [b for b in kind.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.description]
        if own:
            groups.append((f"{_describe(widget)} (keys once tab reaches it)", own))
    return groups


def key_table(screen: Screen[object], app_bindings: list[Binding]) -> Content:
    """A two-column list of keys and what they do, the focused widget's first."""
    lines: list[Content] = []
    seen: set[str] = set()
    for title, bindings in [*binding_groups(screen, app_bindings), *other_lists(screen)]:
        if title.endswith("tab reaches it)"):
            seen = set()  # another list's keys: the same letter does its own thing there
        shown = [
            b
            for b in bindings
            if isinstance(b, Binding)
            and b.description
            and b.key not in seen
            and b.action not in ("cursor_down", "cursor_up")
        ]
        if not shown:
            continue
        lines.append(Content.styled(f"\n{title}", "bold $accent"))
        for binding in shown:
            seen.add(binding.key)
            keys = ", ".join(k.replace("question_mark", "?") for k in binding.key.split(","))
            # The footer's word is short at 80 columns; the tooltip says it in full.
            lines.append(Content.assemble((f"  {keys:<16}", "bold"), binding.tooltip or binding.description))
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
