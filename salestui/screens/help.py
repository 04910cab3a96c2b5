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


#: Screens by the words the app shows for them (the footer's, the palette's).
SCREEN_TITLES = {
    "HomeScreen": "Home",
    "AccountsScreen": "Research",
    "AccountScreen": "Account",
    "PlanScreen": "Plan",
    "PracticeScreen": "Practice",
    "InCallScreen": "In the call",
    "DebriefScreen": "Debrief",
    "ReviewScreen": "Review",
    "CallDetailScreen": "Call",
    "StatsScreen": "Stats",
    "TeamScreen": "Team",
}

#: Widgets without a ``HELP_TITLE``, by what the rep sees.
WIDGET_TITLES = {
    "CallTable": "Call list",
    "ContactTable": "Contact list",
    "ReviewTable": "Call list",
    "OutcomePanel": "Outcome",
    "RatingField": "Self-rating",
    "DebriefObjectionRow": "Objections",
    "InCallQuestions": "Questions",
}

#: Key names as a rep reads them.
KEY_NAMES = {
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "slash": "/",
    "pageup": "page up",
    "pagedown": "page down",
    "ctrl+pageup": "ctrl+page up",
    "ctrl+pagedown": "ctrl+page down",
}

KEY_COLUMN = 18
"""Width of the keys column; longer keys take a line of their own, the text aligned below."""

EDITING = "Editing text"


def _describe(widget: object) -> str:
    """A widget's heading in help: its ``HELP_TITLE`` (words the rep sees), else its class name."""
    kind = type(widget)
    return getattr(kind, "HELP_TITLE", None) or WIDGET_TITLES.get(kind.__name__) or kind.__name__


def screen_title(screen: Screen[object]) -> str:
    """The screen's name as the app shows it ("Research", not "AccountsScreen")."""
    name = type(screen).__name__
    return getattr(type(screen), "HELP_TITLE", None) or SCREEN_TITLES.get(name) or name.removesuffix("Screen")


def _is_text_field(widget: object) -> bool:
    from textual.widgets import Input, TextArea

    return isinstance(widget, Input | TextArea)


def _class_bindings(node: object, ours: bool) -> list[Binding]:
    """The bindings ``node``'s classes declare, nearest class first: salestui's (``ours``) or
    Textual's own (an Input's editing keys). A key a subclass binds again hides the base's."""
    found: list[Binding] = []
    nearer: set[str] = set()
    for kind in type(node).__mro__:
        if kind.__module__.startswith("salestui.") != ours:
            continue
        own = [b for b in kind.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]
        found += [b for b in own if b.description and not set(b.key.split(",")) <= nearer]
        nearer.update(key for b in own for key in b.key.split(","))
    return found


def _acts_now(node: object, binding: Binding) -> bool:
    """False when the node says the action does not apply now (the account's ``a`` of another tab)."""
    from textual.actions import parse

    check = getattr(node, "check_action", None)
    if check is None:
        return True
    _, name, params = parse(binding.action)
    try:
        return check(name, params) is not False
    except Exception:  # noqa: BLE001 - help must open whatever a check does
        return True


def key_names(binding: Binding) -> str:
    """The binding's keys as the rep reads them: ``f1, ?``."""
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def _scrolls(binding: Binding) -> bool:
    return binding.action.startswith(("scroll_", "page_")) or binding.action in ("cursor_down", "cursor_up")


def binding_groups(screen: Screen[object], app_bindings: list[Binding]) -> list[tuple[str, list[Binding]]]:
    """The screen's keys first (in the rep's words), the focused list's own keys, the app's
    everywhere, the focused text field's editing keys last ("Editing text").

    Textual's cursor and scroll keys of lists and panes are left out (the arrows do what they
    say); a key bound once per tab (the account's ``a``) is listed for the tab shown.
    """
    focused = screen.focused
    title = screen_title(screen)
    if _is_text_field(focused):
        title += " (letters act outside a text field: escape leaves it)"
    groups: list[tuple[str, list[Binding]]] = [
        (title, [b for b in _class_bindings(screen, ours=True) if _acts_now(screen, b)])
    ]
    node = focused
    while node is not None and node is not screen:
        own = [b for b in _class_bindings(node, ours=True) if not _scrolls(b) and _acts_now(node, b)]
        if own:
            groups.append((f"{_describe(node)} (focused)" if node is focused else _describe(node), own))
        node = node.parent  # type: ignore[assignment]
    groups.append(("Everywhere", [*app_bindings, *MOVING]))
    if _is_text_field(focused):
        editing = [b for b in _class_bindings(focused, ours=False) if not _scrolls(b)]
        if editing:
            groups.append((EDITING, editing))
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


def _lines(bindings: list[Binding], taken: set[str]) -> list[tuple[str, str]]:
    """(keys, what they do) rows: one per description (``1, alt+1  Details``), a group's keys on
    one row (the in-call objection letters), no key in ``taken`` (listed above: that one acts)."""
    rows: dict[str, list[str]] = {}
    grouped: dict[str, list[str]] = {}
    for binding in bindings:
        if binding.group is not None and not binding.group.compact:
            grouped.setdefault(binding.group.description, []).append(binding.description)
    for binding in bindings:
        group = binding.group
        # The footer's word is short at 80 columns; the tooltip says it in full.
        text = binding.tooltip or binding.description
        if group is not None and not group.compact:
            named = grouped[group.description]
            spelled = f"{group.description}: {' / '.join(named)}"
            text = spelled if len(spelled) <= 40 else group.description
        names = binding.key_display or key_names(binding)
        for key in names.split(", "):
            if key not in taken:
                keys = rows.setdefault(text, [])
                if key not in keys:
                    keys.append(key)
    out: list[tuple[str, str]] = []
    for text, keys in rows.items():
        shown = ", ".join(keys) if len(keys) <= 4 else f"{keys[0]}, {keys[1]} … {keys[-1]}"
        out.append((shown, text))
    return out


def key_table(screen: Screen[object], app_bindings: list[Binding]) -> Content:
    """A two-column list of keys and what they do: the screen's first, editing keys last, aligned."""
    groups = binding_groups(screen, app_bindings)
    editing = groups.pop() if groups[-1][0] == EDITING else None
    ordered = [*groups[:-1], *other_lists(screen), groups[-1]]
    if editing is not None:
        ordered.append(editing)
    lines: list[Content] = []
    taken: set[str] = set()
    for title, bindings in ordered:
        # Another list's letters do their own thing there; editing keys act inside the field.
        apart = title.endswith("tab reaches it)") or title == EDITING
        rows = _lines(bindings, set() if apart else taken)
        if not apart:
            taken.update(key for keys, _ in rows for key in keys.split(", "))
        if not rows:
            continue
        lines.append(Content.styled(f"\n{title}", "bold $accent"))
        for keys, text in rows:
            if len(keys) < KEY_COLUMN - 1:
                lines.append(Content.assemble((f"  {keys:<{KEY_COLUMN}}", "bold"), text))
            else:  # a long key name: its own line, the text aligned under the others
                lines.append(Content.styled(f"  {keys}", "bold"))
                lines.append(Content(f"  {'':<{KEY_COLUMN}}{text}"))
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
