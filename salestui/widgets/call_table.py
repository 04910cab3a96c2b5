"""A table of calls, one line each: the shared list of home, account history and review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from salestui import format as fmt
from salestui.domain.clock import local
from salestui.domain.enums import DebriefState, label
from salestui.text import literal_text
from salestui.widgets.vim import VimDataTable

if TYPE_CHECKING:
    from salestui.domain.models import CallSummary

#: Debrief column text and style per state: a draft (saved as typed, never finished) says so.
DEBRIEF_MARK = {
    DebriefState.DONE: ("✓", "green"),
    DebriefState.DRAFT: ("draft", "yellow"),
    DebriefState.NONE: ("—", "dim"),
}


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

    # Column key -> (title, width); the objective takes whatever width is left.
    COLUMNS: dict[str, tuple[str, int]] = {
        "when": ("When", 16),
        "account": ("Account", 18),
        "owner": ("Rep", 12),
        "kind": ("Kind", 11),
        "objective": ("Objective", 0),
        "readiness": ("Ready", 10),
        "outcome": ("Outcome", 12),
        "debrief": ("Debrief", 7),
    }
    # When the terminal is narrow (80 columns) only the debrief column goes; the others narrow
    # (names and kinds end in …) so Kind and Outcome stay and the objective stays readable.
    NARROW_DROPS = ("debrief",)
    NARROW_WIDTHS: dict[str, int] = {"when": 12, "account": 14, "owner": 9, "kind": 9, "readiness": 10, "outcome": 9}
    NARROW_BELOW = 100

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
        wanted, drops = self._wanted, self.NARROW_DROPS
        if self.show_owner:
            anchor = "account" if "account" in wanted else "when"
            index = wanted.index(anchor) + 1 if anchor in wanted else 0
            wanted = (*wanted[:index], "owner", *wanted[index:])
            drops = (*drops, "readiness")  # at 80 columns the rep's name takes the readiness bar's room
        if self.size.width and self.size.width < self.NARROW_BELOW:
            return tuple(key for key in wanted if key not in drops)
        return wanted

    def on_resize(self) -> None:
        """Pick the columns that fit and give the objective the width left over."""
        self._rebuild()

    def _narrow(self) -> bool:
        return bool(self.size.width) and self.size.width < self.NARROW_BELOW

    def _width(self, key: str) -> int:
        return self.NARROW_WIDTHS.get(key, self.COLUMNS[key][1]) if self._narrow() else self.COLUMNS[key][1]

    def _rebuild(self) -> None:
        visible = self._visible()
        fixed = sum(self._width(key) for key in visible if key != "objective")
        objective = max(12, self.size.width - fixed - 2 * len(visible) - 1)
        if visible != self._shown or self._narrow() != self._shown_narrow:
            self._shown, self._shown_narrow = visible, self._narrow()
            self.clear(columns=True)
            for key in visible:
                title = self.COLUMNS[key][0]
                # Text, not a str: a str label is parsed as markup (and loads rich's emoji table).
                self.add_column(Text(title), key=key, width=self._width(key) or objective)
            self._fill()
        elif "objective" in visible:
            column = self.columns.get("objective")  # type: ignore[call-overload]
            if column is not None and column.width != objective:
                column.width = objective
                self.refresh()

    def _cells(self, call: CallSummary) -> list[Text]:
        at = call.happened_at or call.scheduled_at  # ``rules.happened_at``: a call held early shows that day
        cells = {
            "when": lambda: Text(
                local(at).strftime("%d %b %H:%M")
                if self._shown_narrow and at is not None  # as the columns were built
                else fmt.when(at)
            ),
            "account": lambda: literal_text(call.account_name),
            "owner": lambda: literal_text(call.owner or "—", style="" if call.owner else "dim"),
            "kind": lambda: Text(label(call.kind), no_wrap=True, overflow="ellipsis"),
            "objective": lambda: literal_text(
                call.objective or "(no objective yet)", style="" if call.objective else "dim italic"
            ),
            "readiness": lambda: Text(fmt.readiness_bar(call.readiness, 5)),
            "outcome": lambda: Text(
                fmt.outcome(call.outcome),
                style=fmt.OUTCOME_STYLE.get(call.outcome, "dim"),
                no_wrap=True,
                overflow="ellipsis",
            ),
            "debrief": lambda: Text(*DEBRIEF_MARK[call.debrief_state]),
        }
        return [cells[key]() for key in self._shown]

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
