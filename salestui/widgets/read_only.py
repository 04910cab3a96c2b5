"""Another rep's record, shown read-only.

A team database lets a rep read every record and change only their own (row-level security).
Screens that edit a record call ``lock`` on it once they know the record is someone else's
(``store.scope.is_mine``): text areas stay focusable and scrollable but cannot be typed in,
one-line fields and choices are disabled, and every list keeps only the keys that move (its add / edit / delete /
tick keys are disabled, so neither the footer nor help offers them). ``marker`` is the line that
says whose record it is. The owner's name is user data: always shown literally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.content import Content
from textual.widget import Widget

READ_ACTIONS = frozenset(
    {
        "cursor_up",
        "cursor_down",
        "cursor_left",
        "cursor_right",
        "first",
        "last",
        "first_then_goto",
        "page_up",
        "page_down",
        "page_left",
        "page_right",
        "scroll_up",
        "scroll_down",
        "scroll_left",
        "scroll_right",
        "scroll_top",
        "scroll_bottom",
        "scroll_home",
        "scroll_end",
        "cursor_line_start",
        "cursor_line_end",
        "cursor_page_up",
        "cursor_page_down",
        "cursor_word_left",
        "cursor_word_right",
        "select_all",
        "copy",
    }
)
"""Widget actions that only move or read: kept on a locked record."""

_LOCKED = "_salestui_read_only"
"""Set on a widget once locked: a later ``lock`` (after a reload) leaves it alone."""


def whose(owner: str) -> str:
    """``alice's`` (the name as stored; ``somebody else's`` for a record with no name)."""
    return f"{owner.strip() or 'somebody else'}'s"


def marker(owner: str) -> Content:
    """``alice's — read only``: the owner's name literally, never as markup."""
    return Content.assemble((whose(owner), "bold"), (" — read only", "bold"))


def lock(root: Widget, openable: tuple[type[Widget], ...] = ()) -> None:
    """Make every field under ``root`` read-only and every list's keys move-only.

    ``openable``: lists whose enter opens a record (a call in the history) rather than edits one.
    """
    from textual.screen import Screen
    from textual.widgets import Input, Select, TextArea

    for widget in [root, *root.query("*")]:
        if getattr(widget, _LOCKED, False) or isinstance(widget, Screen):  # a screen checks its own keys
            continue
        if isinstance(widget, TextArea):
            widget.read_only = True  # still focusable: the rep scrolls and selects a long text
        elif isinstance(widget, Input | Select):
            widget.disabled = True  # Textual's Input has no read-only mode: a line is shown whole anyway
        elif _has_keys(widget):
            _move_only(widget, openable)
        else:
            continue
        setattr(widget, _LOCKED, True)
        widget.add_class("-read-only")


def _has_keys(widget: Widget) -> bool:
    """The widget's class (or one it inherits from) binds keys of its own."""
    return any(getattr(cls, "BINDINGS", None) for cls in type(widget).__mro__ if cls is not Widget)


def _move_only(widget: Widget, openable: tuple[type[Widget], ...]) -> None:
    """Only the widget's moving keys stay enabled (Textual asks the widget's ``check_action``)."""
    original: Callable[[str, tuple[object, ...]], bool | None] = widget.check_action
    opens = isinstance(widget, openable)

    def check(action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in READ_ACTIONS or (opens and action in ("select", "select_cursor")):
            return original(action, parameters)
        return False

    widget.check_action = check  # type: ignore[method-assign]
    widget.refresh_bindings()


def locked(widget: Any) -> bool:
    """Whether ``lock`` made this widget read-only."""
    return bool(getattr(widget, _LOCKED, False))
