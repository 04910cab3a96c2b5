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
    from textual.geometry import Size


class CachedCalls(Widget):
    """Rows of calls as plain text in a call list's columns: its header, then one line a call."""

    def __init__(
        self, calls: Sequence[Any], *, columns: Sequence[str], everyone: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.calls = list(calls)
        self._wanted = tuple(columns)
        self._everyone = everyone

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A line a call and the header (counted: ``render`` draws only the lines that fit)."""
        return 1 + len(self.calls)

    def render(self) -> RenderableType:
        """The header and the rows that fit, each cell cut to its column's width as a table would.

        Only the lines shown are built: home's first frame waits for them (a list of 50 took as
        long again as the rest of the frame).
        """
        width = self.size.width
        shown = self.calls[: max(0, self.size.height - 1)]
        visible = call_columns.visible_columns(self._wanted, self._everyone, width)
        widths = call_columns.column_widths(visible, width)
        narrow = call_columns.is_narrow(width)
        header = [Text(call_columns.COLUMNS[key][0], style="bold") for key in visible]
        pad = call_columns.CELL_PADDING
        lines = [call_columns.line_of(header, widths.values(), edge=pad)]
        for call in shown:
            lines.append(
                call_columns.line_of(call_columns.call_cells(call, visible, narrow), widths.values(), edge=pad)
            )
        return Text("\n", no_wrap=True).join(lines)
