"""A table of calls, one line each: the shared list of home, account history and review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from salestui.widgets import call_columns
from salestui.widgets.vim import VimDataTable

if TYPE_CHECKING:
    from salestui.domain.models import CallSummary


class CallTable(VimDataTable[Text]):
    """Calls with date, account, kind, objective, readiness, outcome and debrief state."""

    BINDINGS = [Binding("x", "call_menu", "Cancel/delete call", id="calls.cancel_delete", show=False)]

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

    COLUMNS = call_columns.COLUMNS

    def __init__(
        self,
        *,
        columns: Sequence[str] = tuple(COLUMNS),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id, classes=classes)
        self._wanted = tuple(columns)
        self._shown: tuple[str, ...] = ()
        self._shown_narrow = False
        self.calls: list[CallSummary] = []
        self.show_owner = False
        """Everyone's calls are listed: a Rep column says whose each is (after the account)."""

    def _visible(self) -> tuple[str, ...]:
        return call_columns.visible_columns(self._wanted, self.show_owner, self.size.width)

    def on_resize(self) -> None:
        """Pick the columns that fit and give the objective the width left over."""
        self._rebuild()

    def _rebuild(self) -> None:
        visible = self._visible()
        widths = call_columns.column_widths(visible, self.size.width)
        narrow = call_columns.is_narrow(self.size.width)
        if visible != self._shown or narrow != self._shown_narrow:
            self._shown, self._shown_narrow = visible, narrow
            self.clear(columns=True)
            for key in visible:
                title = self.COLUMNS[key][0]
                # Text, not a str: a str label is parsed as markup (and loads rich's emoji table).
                self.add_column(Text(title), key=key, width=widths[key])
            self._fill()
        elif "objective" in visible:
            column = self.columns.get("objective")  # type: ignore[call-overload]
            if column is not None and column.width != widths["objective"]:
                column.width = widths["objective"]
                self.refresh()

    def _cells(self, call: CallSummary) -> list[Text]:
        return call_columns.call_cells(call, self._shown, self._shown_narrow)  # as the columns were built

    def show_calls(self, calls: Sequence[CallSummary], owners: bool | None = None) -> None:
        """Replace the rows, keeping the cursor on the same call when it is still listed.

        ``owners``: show the Rep column (everyone's calls) or not; ``None`` keeps it as it is.
        """
        self.calls = list(calls)
        if owners is not None and owners != self.show_owner:
            self.show_owner = owners
            self._shown = ()
        if not self._shown:
            self._rebuild()
        else:
            self._fill()

    def _fill(self) -> None:
        current = self.selected_call_id
        self.clear()
        for call in self.calls:
            self.add_row(*self._cells(call), key=str(call.id))
        if current is not None:
            for index, call in enumerate(self.calls):
                if call.id == current:
                    self.move_cursor(row=index)
                    break

    @property
    def selected_call_id(self) -> int | None:
        """Id of the call under the cursor."""
        if not self.calls or not 0 <= self.cursor_row < min(len(self.calls), self.row_count):
            return None
        return self.calls[self.cursor_row].id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Cancel/delete only on the rep's own call (another rep's is read-only)."""
        if action == "call_menu":
            store = getattr(self.app, "store", None)
            call = self.selected_call
            if call is None or store is None:
                return True
            # Only with the store open: the scope rules import SQLAlchemy, which the first
            # frame (its footer checks this) must not wait for.
            from salestui.store.scope import is_mine

            return is_mine(store, call.owner)
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The keys follow the call under the cursor (``check_action``); the message goes on to the screen."""
        self.refresh_bindings()

    @property
    def selected_call(self) -> CallSummary | None:
        """The call under the cursor."""
        call_id = self.selected_call_id
        return next((call for call in self.calls if call.id == call_id), None) if call_id is not None else None

    def action_call_menu(self) -> None:
        """Cancel the selected call (kept in history) or delete it (only if never held)."""
        from salestui.app import SalesApp
        from salestui.call_actions import call_menu

        if self.selected_call_id is not None and isinstance(self.app, SalesApp):
            call_menu(self.app, self.selected_call_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row chooses the call."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Chosen(self, int(event.row_key.value)))
