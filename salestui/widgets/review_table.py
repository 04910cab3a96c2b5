"""The review list: a window of call lines that asks for more at its edges (paged through SQL)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from salestui import format as fmt
from salestui.domain.clock import local
from salestui.domain.enums import DebriefState, Outcome, label
from salestui.domain.models import CallSummary
from salestui.text import literal_text
from salestui.widgets.call_columns import DEBRIEF_MARK, line_of
from salestui.widgets.vim import VimDataTable

_SHORT_OUTCOME = {Outcome.CONTINUATION: "contin.", Outcome.CANCELLED: "cancel."}

REVIEW_COLUMNS = ("when", "account", "owner", "kind", "objective", "ready", "outcome", "debrief")
"""The review list's columns, in order (``owner`` only with everyone's calls)."""


class ReviewTable(VimDataTable[Text]):
    """A window of review lines; asks the screen for more at its edges."""

    BINDINGS = [
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]

    class Edge(Message):
        """The cursor wants lines beyond the window: ``older``, ``newer``, ``first`` or ``last``."""

        def __init__(self, direction: str, move: int = 0) -> None:
            super().__init__()
            self.direction = direction
            self.move = move

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.lines: list[CallSummary] = []
        self.has_older = False
        self.has_newer = False
        self.queued: list[ReviewTable.Edge] = []
        """Moves asked for while a page loads, in order: applied once it is shown."""
        self.awaiting_page = False
        """A page was asked for and is not shown yet (the screen clears it): every move waits in
        ``queued`` till it is, so none runs before a move typed ahead of it."""

    def queue(self, event: ReviewTable.Edge, *, first: bool = False) -> None:
        """Keep a move asked for while a page loads: no key is lost, none runs out of order.

        ``first``: the rest of the move whose page just loaded (a long jump needs more than one
        page); it goes before the keys pressed meanwhile. Moves the same way add up, and a jump
        to an end (``first``/``last``) makes the moves before it moot.
        """
        pending = [event, *self.queued] if first else [*self.queued, event]
        jumps = [i for i, move in enumerate(pending) if move.direction in ("first", "last")]
        if jumps:
            pending = pending[jumps[-1] :]
        merged: list[ReviewTable.Edge] = []
        for move in pending:
            if merged and move.direction in ("older", "newer") and merged[-1].direction == move.direction:
                merged[-1] = self.Edge(move.direction, merged[-1].move + move.move)
            else:
                merged.append(move)
        self.queued = merged

    def replay(self) -> None:
        """Apply the moves kept while a page was loading, up to the first that needs another page
        (the rest follow once that page is shown)."""
        while self.queued:
            event = self.queued.pop(0)
            target = self.cursor_row + event.move
            if event.direction in ("first", "last") or not 0 <= target < len(self.lines):
                self._ask(event.direction, event.move)
                return
            self.move_cursor(row=target, animate=False)

    compact: bool = False
    """Narrow terminal: shorter dates, outcomes and columns so every column stays visible."""

    _columns: dict[str, int] = {}  # noqa: RUF012  (replaced, never mutated)
    """Each shown column's width, in order, as the rows were built (a resize that changes the
    objective's builds them again)."""

    show_owner: bool = False
    """Everyone's calls are listed: a Rep column says whose each is (after the account)."""

    def set_owners(self, shown: bool) -> None:
        """Show the Rep column (everyone's calls) or not."""
        if shown != self.show_owner:
            self.show_owner = shown
            if self.is_mounted:
                self._layout(force=True)

    def on_mount(self) -> None:
        """Lay out the columns for the current width."""
        self._layout(force=True)

    def on_resize(self) -> None:
        """Re-lay out when the width changes; the objective takes what is left."""
        self._layout()

    def _widths(self) -> dict[str, int]:
        if self.compact:
            widths = {"when": 12, "account": 12, "owner": 8, "kind": 9, "ready": 4, "outcome": 7, "debrief": 1}
        else:
            widths = {"when": 16, "account": 16, "owner": 12, "kind": 11, "ready": 5, "outcome": 12, "debrief": 5}
        if not self.show_owner:
            del widths["owner"]
        return widths

    def _layout(self, force: bool = False) -> None:
        width = self.size.width or self.app.size.width
        compact = width < 110
        if (
            not force
            and compact == self.compact
            and self._objective_width(self._widths(), width) == self._columns.get("objective")
        ):
            return
        self.compact = compact
        widths = self._widths()
        objective = self._objective_width(widths, width)
        cursor = self.cursor_row
        self.clear(columns=True)
        titles = {"when": "When", "account": "Account", "owner": "Rep", "kind": "Kind", "objective": "Objective"}
        titles |= {"ready": "Rdy" if compact else "Ready", "outcome": "Outcome", "debrief": "✓" if compact else "Deb."}
        self._columns = {
            key: widths.get(key, objective) for key in REVIEW_COLUMNS if key in widths or key == "objective"
        }
        header = self._line([Text(titles[key]) for key in self._columns])
        self.add_column(header, key="line", width=header.cell_len)
        if self.lines:
            self.show(self.lines, cursor)

    def _objective_width(self, widths: dict[str, int], width: int) -> int:
        padding = 2 * self.cell_padding * (len(widths) + 1)
        return max(10, width - sum(widths.values()) - padding - 2)

    def _line(self, cells: Sequence[Text]) -> Text:
        """One row's cells in one ``Text``, each cut to its column and padded as a table pads cells.

        One cell a row, not one a column: a page down draws each new row's cells through Rich,
        and eight cells a row cost a third more than the minimal app's whole page down (issue 32).
        """
        return line_of(cells, self._columns.values(), gap=2 * self.cell_padding)

    @property
    def shown_columns(self) -> tuple[str, ...]:
        """The columns shown, in order (of ``REVIEW_COLUMNS``)."""
        return tuple(self._columns)

    def texts_at(self, row: int) -> dict[str, str]:
        """Each column's text on line ``row`` of the window, as drawn before it is cut to width."""
        return {key: cell.plain for key, cell in zip(self._columns, self._cells(self.lines[row]), strict=True)}

    def show(self, lines: Sequence[CallSummary], cursor: int) -> None:
        """Replace the window and put the cursor on line ``cursor``."""
        self.lines = list(lines)
        self.clear()
        self.add_rows([self._line(self._cells(line))] for line in self.lines)
        if self.lines:
            self.move_cursor(row=max(0, min(len(self.lines) - 1, cursor)), animate=False)

    def _cells(self, line: CallSummary) -> list[Text]:
        at = line.happened_at or line.scheduled_at
        when = Text(local(at).strftime("%d %b %H:%M")) if self.compact and at is not None else Text(fmt.when(at))
        outcome = fmt.outcome(line.outcome)
        if self.compact:
            outcome = _SHORT_OUTCOME.get(line.outcome, outcome) if line.outcome else outcome
        owner = [literal_text(line.owner or "—", style="" if line.owner else "dim")] if self.show_owner else []
        return [
            when,
            literal_text(line.account_name),
            *owner,
            Text(label(line.kind)),
            literal_text(line.objective or "(no objective)", style="" if line.objective else "dim italic"),
            Text("—" if line.readiness is None else f"{line.readiness:>3}%", style="" if line.readiness else "dim"),
            Text(outcome, style=fmt.OUTCOME_STYLE.get(line.outcome, "dim") if line.outcome else "dim"),
            self._debrief_cell(line),
        ]

    def _debrief_cell(self, line: CallSummary) -> Text:
        mark, style = DEBRIEF_MARK[line.debrief_state]
        if self.compact and line.debrief_state is DebriefState.DRAFT:
            mark = "✎"  # one column: a draft is neither done nor missing
        return Text(mark, style=style)

    @property
    def selected(self) -> CallSummary | None:
        """The line under the cursor."""
        if not self.lines or not 0 <= self.cursor_row < len(self.lines):
            return None
        return self.lines[self.cursor_row]

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _ask(self, direction: str, move: int = 0) -> None:
        """A move beyond the window asks the screen for a page; any move while one loads waits."""
        if self.awaiting_page:
            self.queue(self.Edge(direction, move))
        else:
            self.awaiting_page = True
            self.post_message(self.Edge(direction, move))

    def action_cursor_down(self) -> None:
        """Down; at the bottom edge, fetch older lines."""
        if self.awaiting_page or (self.cursor_row >= len(self.lines) - 1 and self.has_older):
            self._ask("older", 1)
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up; at the top edge, fetch newer lines."""
        if self.awaiting_page or (self.cursor_row <= 0 and self.has_newer):
            self._ask("newer", -1)
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        """A page down, fetching older lines when the page runs past the window."""
        step = self._visible_rows()
        if self.awaiting_page or (self.cursor_row + step >= len(self.lines) and self.has_older):
            self._ask("older", step)
        else:
            self.move_cursor(row=min(len(self.lines) - 1, self.cursor_row + step), animate=False)

    def action_page_up(self) -> None:
        """A page up, fetching newer lines when the page runs past the window."""
        step = self._visible_rows()
        if self.awaiting_page or (self.cursor_row - step < 0 and self.has_newer):
            self._ask("newer", -step)
        else:
            self.move_cursor(row=max(0, self.cursor_row - step), animate=False)

    def action_scroll_top(self) -> None:
        """The newest call (beyond the window if need be)."""
        self.action_first()

    def action_first_then_goto(self) -> None:
        """``g``: the newest call; here ``g`` is only that (no go-to prompt over a paged list)."""
        self.action_first()

    def action_scroll_bottom(self) -> None:
        """``G``: the oldest call."""
        self.action_last()

    def action_first(self) -> None:
        """The newest call."""
        if self.awaiting_page or self.has_newer:
            self._ask("first")
        else:
            self.move_cursor(row=0, animate=False)

    def action_last(self) -> None:
        """The oldest call."""
        if self.awaiting_page or self.has_older:
            self._ask("last")
        else:
            self.move_cursor(row=max(0, len(self.lines) - 1), animate=False)
