"""A table of calls, one line each: the shared list of home, account history and review."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from salestui import format as fmt
from salestui.domain.enums import Outcome, label
from salestui.domain.models import CallSummary
from salestui.text import literal_text

_OUTCOME_STYLE = {
    Outcome.ADVANCE: "bold green",
    Outcome.CONTINUATION: "yellow",
    Outcome.LOST: "red",
    Outcome.CANCELLED: "dim",
}


class CallTable(DataTable[Text]):
    """Calls with date, account, kind, objective, readiness, outcome and debrief state."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    class Chosen(Message):
        """The user pressed enter on a call."""

        def __init__(self, table: CallTable, call_id: int) -> None:
            super().__init__()
            self.table = table
            self.call_id = call_id

        @property
        def control(self) -> CallTable:
            """The table the call was chosen in."""
            return self.table

    def __init__(self, *, show_account: bool = True, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id, classes=classes)
        self._show_account = show_account
        self.calls: list[CallSummary] = []

    def on_mount(self) -> None:
        """Lay out the columns."""
        for key, title, width in self._layout():
            self.add_column(title, key=key, width=width)

    def _layout(self) -> list[tuple[str, str, int]]:
        columns = [("when", "When", 16)]
        if self._show_account:
            columns.append(("account", "Account", 18))
        columns += [("kind", "Kind", 11), ("objective", "Objective", 20)]
        columns += [("readiness", "Ready", 10), ("outcome", "Outcome", 12), ("debrief", "Debrief", 7)]
        return columns

    def on_resize(self) -> None:
        """Give the objective whatever width the other columns leave."""
        fixed = sum(width for key, _, width in self._layout() if key != "objective")
        padding = 2 * len(self.columns)
        column = self.columns.get("objective")  # type: ignore[call-overload]
        if column is not None:
            column.width = max(12, self.size.width - fixed - padding - 1)
            column.auto_width = False
            self.refresh()

    def show_calls(self, calls: Sequence[CallSummary]) -> None:
        """Replace the rows, keeping the cursor on the same call when it is still listed."""
        current = self.selected_call_id
        self.calls = list(calls)
        self.clear()
        for call in self.calls:
            cells = [Text(fmt.when(call.scheduled_at))]
            if self._show_account:
                cells.append(literal_text(call.account_name))
            cells += [
                Text(label(call.kind)),
                literal_text(call.objective or "(no objective yet)", style="" if call.objective else "dim italic"),
                Text(fmt.readiness_bar(call.readiness, 5)),
                Text(
                    fmt.outcome(call.outcome), style=_OUTCOME_STYLE.get(call.outcome, "dim") if call.outcome else "dim"
                ),
                Text("✓" if call.debriefed else "—", style="green" if call.debriefed else "dim"),
            ]
            self.add_row(*cells, key=str(call.id))
        if current is not None:
            for index, call in enumerate(self.calls):
                if call.id == current:
                    self.move_cursor(row=index)
                    break

    @property
    def selected_call_id(self) -> int | None:
        """Id of the call under the cursor."""
        if not self.calls or not 0 <= self.cursor_row < len(self.calls):
            return None
        return self.calls[self.cursor_row].id

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row chooses the call."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Chosen(self, int(event.row_key.value)))
