"""Planned objections with their responses at a glance, each marked raised by its own key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from salestui.domain.models import Objection
from salestui.text import literal

OBJECTION_KEYS = "abdefghilmoprstvwxyz"
"""Keys that mark objections raised, in list order (c, j, k, n, q and u are taken or confusing)."""


class RaisedObjectionRow(Vertical):
    """One objection: its key, whether it was raised, the objection and the planned answer."""

    def __init__(self, objection: Objection, key: str) -> None:
        super().__init__(classes="objection")
        self.objection_id = objection.id
        self.key = key
        self._text = objection.text
        self._response = objection.response
        self.raised = objection.raised

    def compose(self) -> ComposeResult:
        """The objection line and the planned response under it."""
        yield Static(self._head(), classes="objection-text")
        response = self._response.strip()
        yield Static(
            Content.assemble(("→ ", "dim"), literal(response)) if response else Content("→ no response planned"),
            classes="response",
        )

    def on_mount(self) -> None:
        self.set_class(self.raised, "-raised")

    def _head(self) -> Content:
        key = (f" {self.key} ", "reverse") if self.key else ("   ", "")
        mark = "● raised: " if self.raised else "○ "
        return Content.assemble(key, " ", (mark, "bold"), literal(self._text))

    def show(self) -> None:
        """Redraw after a toggle."""
        self.set_class(self.raised, "-raised")
        self.query_one(".objection-text", Static).update(self._head())


class RaisedObjections(VerticalScroll, can_focus=False):
    """The call's planned objections; the screen's letter keys toggle them."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Objections"

    @property
    def rows(self) -> list[RaisedObjectionRow]:
        """The objection rows in order."""
        return list(self.query(RaisedObjectionRow))

    def show(self, objections: tuple[Objection, ...]) -> None:
        """Replace the list."""
        self.remove_children()
        if not objections:
            self.mount(Static(Content("No objections planned."), classes="empty"))
            return
        keys = list(OBJECTION_KEYS)
        self.mount_all(RaisedObjectionRow(o, keys[i] if i < len(keys) else "") for i, o in enumerate(objections))

    def toggle(self, index: int) -> RaisedObjectionRow | None:
        """Flip the raised mark of the ``index``-th objection; returns its row."""
        rows = self.rows
        if not 0 <= index < len(rows):
            return None
        row = rows[index]
        row.raised = not row.raised
        row.show()
        row.scroll_visible()
        return row
