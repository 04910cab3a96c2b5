"""Team figures: the manager's comparison of reps (calls held, advance rate, debriefs, follow-ups)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from salestui.commands import PaletteCommand
from salestui.domain.team import RepCounts, RepFigures, figures, percent, team_figures, total
from salestui.screens.base import DataScreen
from salestui.text import literal, literal_text
from salestui.widgets.coaching_pays import CoachingPays
from salestui.widgets.footer import KeysFooter
from salestui.widgets.vim import VimDataTable

if TYPE_CHECKING:
    from salestui.store.core import Store

REP_WIDTH = 18
TEAM_KEY = "\x00team"
"""Row key of the team's line (no rep can be named so)."""
COLUMNS = ("Rep", "Calls held", "Advance rate", "Debriefed", "Overdue", "Upcoming")


class TeamScreen(DataScreen):
    """Per-rep figures from everyone's calls, with the team's line at the bottom."""

    CSS_PATH = "team.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "calls", "Upcoming calls", id="team.calls", tooltip="The rep's upcoming calls, to coach"),
    ]

    def compose(self) -> ComposeResult:
        """A caption and the table of reps."""
        yield Header()
        with Vertical(id="team"):
            yield Static("Loading the team's figures…", id="caption")
            yield VimDataTable[Text | str](id="reps", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Held: an outcome recorded, not cancelled. Advance rate and Debriefed (finished debriefs): share of "
                "held calls. Overdue: follow-ups whose date passed with no later call that was not cancelled. "
                "Upcoming: planned calls ahead. enter lists a rep's upcoming calls to read and coach them.",
                id="legend",
            )
            yield CoachingPays(id="coaching-pays")
        yield KeysFooter()

    @property
    def reps(self) -> DataTable[Text | str]:
        """The table of reps."""
        return self.query_one("#reps", DataTable)

    def on_mount(self) -> None:
        """Columns first, rows when the store answers."""
        for name in COLUMNS:
            # Fixed widths: long rep names are cut with an ellipsis, figures line up on the right.
            self.reps.add_column(name, key=name, width=REP_WIDTH if name == "Rep" else len(name))

    def load(self, store: Store) -> Any:
        """Count per rep (worker thread)."""
        from salestui.store.team import rep_counts

        counts = rep_counts(store)
        return counts, store.owner

    def show(self, data: Any) -> None:
        """Put the loaded data on screen."""
        self._show(*data)

    def _show(self, counts: list[RepCounts], me: str) -> None:
        table = self.reps
        table.clear()
        rows = team_figures(counts)
        caption = self.query_one("#caption", Static)
        if not rows:
            caption.update("No calls yet: the figures appear once reps plan and hold calls.")
            return
        caption.update(literal(f"{len(rows)} rep{'s' if len(rows) != 1 else ''} · you are {me}"))
        self.query_one(CoachingPays).reload(None)  # the team's held calls: coached vs not, ride-along vs solo
        for rep in rows:
            table.add_row(*self._cells(rep, mine=rep.owner == me), key=rep.owner)
        if len(rows) > 1:
            table.add_row(*self._cells(figures(total(counts)), mine=False, bold=True), key=TEAM_KEY)
        table.focus()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_calls()

    def action_calls(self) -> None:
        """The highlighted rep's upcoming calls (on the team line: every rep's)."""
        from salestui.screens.team_calls import TeamCallsScreen

        table = self.reps
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.app.push_screen(TeamCallsScreen(None if key in (None, TEAM_KEY) else str(key)))

    def palette_commands(self) -> list[PaletteCommand]:
        """The highlighted rep's calls."""
        return [PaletteCommand("Upcoming calls of this rep", "Read and coach the rep's calls still ahead", "calls")]

    @staticmethod
    def _cells(rep: RepFigures, mine: bool, bold: bool = False) -> list[Text | str]:
        style = "bold" if bold or mine else ""
        name = literal_text(rep.owner + (" (you)" if mine else ""), style=style, limit=REP_WIDTH * 4)
        values = (
            str(rep.calls_held),
            percent(rep.advance_rate),
            percent(rep.debrief_rate),
            str(rep.overdue_follow_ups),
            str(rep.upcoming),
        )
        return [name, *(Text(v.rjust(len(c)), style=style) for v, c in zip(values, COLUMNS[1:], strict=True))]
