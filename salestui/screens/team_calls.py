"""A rep's upcoming calls, for the manager: when, account, kind, readiness, practised, coached.

Reached from Team figures (enter on a rep). ``enter`` opens the plan (another rep's opens
read-only); ``C`` (palette "Coach this call") writes a coaching note on the highlighted call's
whole plan; on the plan itself ``C`` pins the note to the part the cursor is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from salestui import format as fmt
from salestui.commands import PaletteCommand
from salestui.domain.enums import label
from salestui.screens.base import DataScreen
from salestui.text import literal, literal_text
from salestui.widgets.footer import KeysFooter
from salestui.widgets.vim import VimDataTable

if TYPE_CHECKING:
    from salestui.store.coaching import TeamCall
    from salestui.store.core import Store

#: (column, width); "Rep" only when every rep's calls are listed.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("When", 16),
    ("Account", 15),
    ("Kind", 11),
    ("Ready", 5),
    ("Practised", 9),
    ("Coached", 9),
)
"""Fits 80 columns: the widths and a column's padding of 2 add up to 77."""
REP_COLUMN = ("Rep", 14)


def coached_cell(call: TeamCall) -> str:
    """``2, 1 open``, ``1, done``, or a dash when nobody coached the call."""
    if not call.coached:
        return "—"
    return f"{call.coached}, {call.open_notes} open" if call.open_notes else f"{call.coached}, done"


class TeamCallsScreen(DataScreen):
    """One rep's (or every rep's) calls still ahead, to read and coach before they happen."""

    CSS_PATH = "team_calls.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open", "Open plan", id="team_calls.open", show=True),
        Binding("C", "coach", "Coach", id="team_calls.coach", tooltip="Coaching note on the whole plan"),
    ]

    def __init__(self, owner: str | None) -> None:
        super().__init__()
        self.owner = owner
        """The rep whose calls are listed (``None``: every rep's)."""
        self.calls: list[TeamCall] = []

    def compose(self) -> ComposeResult:
        """Caption, the table of calls, the keys."""
        yield Header()
        with Vertical(id="team-calls"):
            yield Static("Loading the calls…", id="calls-caption")
            yield VimDataTable[Text | str](id="calls", cursor_type="row", zebra_stripes=True)
            yield Static(
                Content(
                    "enter opens the plan (C there coaches the part the cursor is on) · C coaches the whole plan · "
                    "Ready: readiness now · Coached: notes, how many still open"
                ),
                id="calls-legend",
            )
        yield KeysFooter()

    @property
    def table(self) -> DataTable[Text | str]:
        """The calls."""
        return self.query_one("#calls", DataTable)

    def on_mount(self) -> None:
        """Columns first, rows when the store answers."""
        self.sub_title = "every rep" if self.owner is None else self.owner
        columns = (REP_COLUMN, *COLUMNS) if self.owner is None else COLUMNS
        for name, width in columns:
            self.table.add_column(name, key=name, width=width)

    def load(self, store: Store) -> Any:
        """The calls ahead (worker thread)."""
        from salestui.store.coaching import upcoming_by_rep

        return upcoming_by_rep(store, self.owner)

    def show(self, data: Any) -> None:
        """Fill the table, keeping the cursor on the call it was on."""
        table = self.table
        keep = self.current.id if self.current is not None else None
        self.calls = list(data)
        table.clear()
        who = "every rep" if self.owner is None else self.owner
        caption = self.query_one("#calls-caption", Static)
        if not self.calls:
            caption.update(Content.assemble("No upcoming calls for ", literal(who), "."))
            return
        count = len(self.calls)
        caption.update(
            Content.assemble(
                ("Upcoming calls of ", "bold"),
                (literal(who, limit=80).plain, "bold"),
                f" · {count} call{'s' if count != 1 else ''} · {sum(1 for c in self.calls if c.coached)} coached",
            )
        )
        for call in self.calls:
            table.add_row(*self._cells(call), key=str(call.id))
        if keep is not None and keep in [c.id for c in self.calls]:
            table.move_cursor(row=[c.id for c in self.calls].index(keep))
        table.focus()

    def _cells(self, call: TeamCall) -> list[Text | str]:
        cells: list[Text | str] = []
        if self.owner is None:
            cells.append(literal_text(call.owner, limit=200))
        cells += [
            Text(fmt.when(call.scheduled_at)),
            literal_text(call.account_name, limit=200),
            Text(label(call.kind)),
            Text(f"{call.readiness}%".rjust(5)),
            Text("yes" if call.practised else "no", style="" if call.practised else "dim"),
            Text(coached_cell(call), style="bold yellow" if call.open_notes else ""),
        ]
        return cells

    @property
    def current(self) -> TeamCall | None:
        """The highlighted call."""
        if not self.calls:
            return None
        row = self.table.cursor_row
        return self.calls[row] if 0 <= row < len(self.calls) else None

    def palette_commands(self) -> list[PaletteCommand]:
        """Open or coach the highlighted call."""
        return [
            PaletteCommand("Coach this call", "A coaching note on the highlighted call's plan", "coach"),
            PaletteCommand("Open the plan", "Read the highlighted call's plan (another rep's: read-only)", "open"),
        ]

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted call's plan."""
        call = self.current
        if call is not None:
            self.sales_app.open_plan(call.id)

    def action_coach(self) -> None:
        """Ask for a coaching note on the highlighted call's whole plan, then save it."""
        from salestui.modals.text_prompt import TextPrompt

        call = self.current
        if call is None:
            self.notify("No call to coach here.", markup=False)
            return
        call_id, account = call.id, call.account_name

        def written(text: str | None) -> None:
            if not text:
                return
            from salestui.store import coaching

            def done(_note: object) -> None:
                self.notify(f"Coaching note added to the call with {account}.", markup=False)
                self.reload()

            self.save(lambda store: coaching.add_note(store, call_id, text), done=done, description="coaching")

        self.app.push_screen(TextPrompt(f"Coaching on the call with {account} (whole plan)"), written)
