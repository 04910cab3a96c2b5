"""A call list as the rep last saw it, drawn as text on home's first frame (issue 32).

Home's ``CallTable``s are mounted only once live data lands: two ``DataTable``s styled, laid out
and drawn cell by cell made home's first frame ~100 ms slower than a bare Textual app's. This
draws the last session's rows (``salestui.home_cache``) in the same columns, dimmed: they are
not live, and cannot be chosen until the table that replaces them is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widget import Widget

from salestui.widgets import call_columns

if TYPE_CHECKING:
    from rich.console import RenderableType


class CachedCalls(Widget):
    """Rows of calls as plain text in a call list's columns: its header, then one line a call."""

    def __init__(
        self, calls: Sequence[Any], *, columns: Sequence[str], everyone: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.calls = list(calls)
        self._wanted = tuple(columns)
        self._everyone = everyone

    def render(self) -> RenderableType:
        """The header and the rows, each cell cut to its column's width as a table would."""
        width = self.size.width
        visible = call_columns.visible_columns(self._wanted, self._everyone, width)
        widths = call_columns.column_widths(visible, width)
        narrow = call_columns.is_narrow(width)
        header = [Text(call_columns.COLUMNS[key][0], style="bold") for key in visible]
        lines = [self._line(header, widths.values())]
        for call in self.calls:
            lines.append(self._line(call_columns.call_cells(call, visible, narrow), widths.values()))
        return Text("\n", no_wrap=True).join(lines)

    @staticmethod
    def _line(cells: Sequence[Text], widths: Any) -> Text:
        pad = " " * call_columns.CELL_PADDING
        line = Text(no_wrap=True, overflow="crop")
        for cell, width in zip(cells, widths, strict=True):
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis", pad=True)
            line.append(pad)
            line.append_text(cell)
            line.append(pad)
        return line
