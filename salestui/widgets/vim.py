"""Vim keys for every table and list: ``j``/``k`` move like the arrows, ``g``/``G`` jump to the
first and last row. Tables and lists inherit them here instead of repeating the bindings.
In the app, ``g`` also opens the go-to prompt, so ``g`` then h/a/v/t jumps from a list too.

The bindings are hidden from the footer (the arrows are the keys people look for) but have
descriptions and ids, so help lists them and a keymap can rebind them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable, OptionList

CellType = TypeVar("CellType")


class VimDataTable(DataTable[CellType]):
    """A ``DataTable`` with ``j`` ``k`` ``g`` ``G``."""

    BINDINGS: list[BindingType] = [
        Binding("j", "cursor_down", "Down", show=False, id="vim.down"),
        Binding("k", "cursor_up", "Up", show=False, id="vim.up"),
        Binding("g", "first_then_goto", "First · then h/a/v/t: go to", show=False, id="vim.first"),
        Binding("G", "scroll_bottom", "Last", show=False, id="vim.last"),
    ]

    def action_first_then_goto(self) -> None:
        """The first row, and the go-to prompt where the app has one."""
        self.action_scroll_top()
        _offer_goto(self.app)


class VimOptionList(OptionList):
    """An ``OptionList`` with ``j`` ``k`` ``g`` ``G``."""

    def keep_highlight(self, ids: Sequence[int], keep: int | None, index: int | None) -> None:
        """After a refill: highlight row ``keep`` if still there, else stay near ``index``."""
        if keep in ids:
            self.highlighted = ids.index(keep)
        elif index is not None:
            self.highlighted = min(index, len(ids) - 1)
        else:
            self.highlighted = 0

    BINDINGS: list[BindingType] = [
        Binding("j", "cursor_down", "Down", show=False, id="vim.down"),
        Binding("k", "cursor_up", "Up", show=False, id="vim.up"),
        Binding("g", "first_then_goto", "First · then h/a/v/t: go to", show=False, id="vim.first"),
        Binding("G", "last", "Last", show=False, id="vim.last"),
    ]

    def action_first_then_goto(self) -> None:
        """The first option, and the go-to prompt where the app has one."""
        self.action_first()
        _offer_goto(self.app)


def _offer_goto(app: object) -> None:
    goto = getattr(app, "action_goto", None)
    if callable(goto):
        goto()
