"""Review: every past call, newest first, paged through SQL; filters, full-text search, stats.

The table never holds more than ``WINDOW`` lines: when the cursor reaches an edge, the next
(or previous) page is fetched by keyset and the far end of the window is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from salestui import format as fmt
from salestui.commands import PaletteCommand
from salestui.domain.clock import local
from salestui.domain.enums import CallKind, Outcome, label
from salestui.domain.models import CallSummary
from salestui.domain.review import HIT_LABELS, HitSource, PageCursor, Period, ReviewFilter, SearchHit
from salestui.modals.picker import Choice, Picker
from salestui.screens.base import DataScreen
from salestui.text import clean, literal_text
from salestui.widgets.fields import TextInput

if TYPE_CHECKING:
    from salestui.store.core import Store
    from salestui.store.review import ReviewPage

PAGE = 100
WINDOW = 200
PREFETCH = 40  # rows from an edge at which the next page is fetched ahead

_OUTCOME_STYLE = {
    Outcome.ADVANCE: "bold green",
    Outcome.CONTINUATION: "yellow",
    Outcome.LOST: "red",
    Outcome.CANCELLED: "dim",
}
_SHORT_OUTCOME = {Outcome.CONTINUATION: "contin.", Outcome.CANCELLED: "cancel."}
_OUTCOMES: tuple[Outcome | None, ...] = (None, *Outcome)
_PERIODS: tuple[Period, ...] = (Period.ALL, Period.THIS_WEEK, Period.LAST_30_DAYS, Period.QUARTER)
_KINDS: tuple[CallKind | None, ...] = (None, *CallKind)


def _next(options: Sequence[Any], current: Any) -> Any:
    index = options.index(current) if current in options else -1
    return options[(index + 1) % len(options)]


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> Content:
    """User text shown literally, with the matched words in the accent colour."""
    content = Content(clean(text))
    for start, end in spans:
        content = content.stylize("bold reverse $accent", start, end)
    return content


def _fetch(store: Store, flt: ReviewFilter, direction: str, lines: Sequence[CallSummary]) -> ReviewPage:
    """The page beyond ``lines`` in ``direction`` (or the first / last page)."""
    review = store.review
    if direction == "older" and lines:
        return review.older(flt, PageCursor(lines[-1].scheduled_at, lines[-1].id), PAGE)  # type: ignore[arg-type]
    if direction == "newer" and lines:
        return review.newer(flt, PageCursor(lines[0].scheduled_at, lines[0].id), PAGE)  # type: ignore[arg-type]
    if direction == "last":
        return review.last_page(flt, PAGE)
    return review.first_page(flt, PAGE)


class ReviewTable(DataTable[Text]):
    """A window of review lines; asks the screen for more at its edges."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
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

    compact: bool = False
    """Narrow terminal: shorter dates, outcomes and columns so every column stays visible."""

    def on_mount(self) -> None:
        """Lay out the columns for the current width."""
        self._layout(force=True)

    def on_resize(self) -> None:
        """Re-lay out when the width changes; the objective takes what is left."""
        self._layout()

    def _widths(self) -> dict[str, int]:
        if self.compact:
            return {"when": 12, "account": 12, "kind": 9, "ready": 4, "outcome": 7, "debrief": 1}
        return {"when": 16, "account": 16, "kind": 11, "ready": 5, "outcome": 12, "debrief": 4}

    def _layout(self, force: bool = False) -> None:
        width = self.size.width or self.app.size.width
        compact = width < 110
        widths = self._widths() if compact == self.compact else {}
        if force or compact != self.compact:
            self.compact = compact
            widths = self._widths()
            cursor = self.cursor_row
            self.clear(columns=True)
            titles = {"when": "When", "account": "Account", "kind": "Kind", "ready": "Rdy" if compact else "Ready"}
            titles["outcome"] = "Outcome"
            titles["debrief"] = "✓" if compact else "Deb."
            objective = self._objective_width(widths, width)
            for key in ("when", "account", "kind"):
                self.add_column(titles[key], key=key, width=widths[key])
            self.add_column("Objective", key="objective", width=objective)
            for key in ("ready", "outcome", "debrief"):
                self.add_column(titles[key], key=key, width=widths[key])
            if self.lines:
                self.show(self.lines, cursor)
            return
        for column_key, column in self.columns.items():
            if column_key.value == "objective":
                column.width = self._objective_width(widths, width)
                self._require_update_dimensions = True
                self.refresh()

    def _objective_width(self, widths: dict[str, int], width: int) -> int:
        padding = 2 * self.cell_padding * (len(widths) + 1)
        return max(10, width - sum(widths.values()) - padding - 2)

    def show(self, lines: Sequence[CallSummary], cursor: int) -> None:
        """Replace the window and put the cursor on line ``cursor``."""
        self.lines = list(lines)
        self.clear()
        self.add_rows(self._cells(line) for line in self.lines)
        if self.lines:
            self.move_cursor(row=max(0, min(len(self.lines) - 1, cursor)), animate=False)

    def _cells(self, line: CallSummary) -> list[Text]:
        if self.compact and line.scheduled_at is not None:
            when = Text(local(line.scheduled_at).strftime("%d %b %H:%M"))
        else:
            when = Text(fmt.when(line.scheduled_at))
        outcome = fmt.outcome(line.outcome)
        if self.compact:
            outcome = _SHORT_OUTCOME.get(line.outcome, outcome) if line.outcome else outcome
        return [
            when,
            literal_text(line.account_name),
            Text(label(line.kind)),
            literal_text(line.objective or "(no objective)", style="" if line.objective else "dim italic"),
            Text("—" if line.readiness is None else f"{line.readiness:>3}%", style="" if line.readiness else "dim"),
            Text(outcome, style=_OUTCOME_STYLE.get(line.outcome, "dim") if line.outcome else "dim"),
            Text("✓" if line.debriefed else "—", style="green" if line.debriefed else "dim"),
        ]

    @property
    def selected(self) -> CallSummary | None:
        """The line under the cursor."""
        if not self.lines or not 0 <= self.cursor_row < len(self.lines):
            return None
        return self.lines[self.cursor_row]

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        """Down; at the bottom edge, fetch older lines."""
        if self.cursor_row >= len(self.lines) - 1 and self.has_older:
            self.post_message(self.Edge("older", 1))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up; at the top edge, fetch newer lines."""
        if self.cursor_row <= 0 and self.has_newer:
            self.post_message(self.Edge("newer", -1))
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        """A page down, fetching older lines when the page runs past the window."""
        step = self._visible_rows()
        if self.cursor_row + step >= len(self.lines) and self.has_older:
            self.post_message(self.Edge("older", step))
        else:
            self.move_cursor(row=min(len(self.lines) - 1, self.cursor_row + step), animate=False)

    def action_page_up(self) -> None:
        """A page up, fetching newer lines when the page runs past the window."""
        step = self._visible_rows()
        if self.cursor_row - step < 0 and self.has_newer:
            self.post_message(self.Edge("newer", -step))
        else:
            self.move_cursor(row=max(0, self.cursor_row - step), animate=False)

    def action_first(self) -> None:
        """The newest call."""
        if self.has_newer:
            self.post_message(self.Edge("first"))
        else:
            self.move_cursor(row=0, animate=False)

    def action_last(self) -> None:
        """The oldest call."""
        if self.has_older:
            self.post_message(self.Edge("last"))
        else:
            self.move_cursor(row=max(0, len(self.lines) - 1), animate=False)


class ReviewScreen(DataScreen):
    """All past calls, newest first: move, filter, search, open."""

    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#calls"

    # Few keys in the footer: every footer key costs a re-layout when the screen opens.
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "search", "Search", id="review.search"),
        Binding("a", "pick_account", "Account", id="review.account"),
        Binding("o", "cycle_outcome", "Outcome", id="review.outcome"),
        Binding("p", "cycle_period", "Period", id="review.period"),
        Binding("P", "custom_period", "Dates", id="review.dates", show=False),
        Binding("K", "cycle_kind", "Kind", id="review.kind", show=False),
        Binding("d", "toggle_debrief", "Needs debrief", id="review.needs_debrief", show=False),
        Binding("u", "toggle_overdue", "Follow-up overdue", id="review.overdue", show=False),
        Binding("x", "clear_filters", "Clear filters", id="review.clear", show=False),
        Binding("b", "debrief", "Debrief", id="review.debrief"),
        Binding("t", "app.stats", "Stats", id="review.stats"),
        Binding("down", "to_hits", "Results", show=False, priority=True),
    ]

    def palette_commands(self) -> list[PaletteCommand]:
        """Every filter by name in the command palette."""
        return [
            PaletteCommand("Filter: account", "Only the calls of one account", "pick_account"),
            PaletteCommand("Filter: next outcome", "Advance, continuation, lost, cancelled, any", "cycle_outcome"),
            PaletteCommand("Filter: next period", "This week, last 30 days, this quarter, any time", "cycle_period"),
            PaletteCommand("Filter: date range", "Calls between two dates", "custom_period"),
            PaletteCommand("Filter: next call kind", "Discovery, demo, proposal, …", "cycle_kind"),
            PaletteCommand("Filter: needs debrief", "Past calls without a debrief (toggle)", "toggle_debrief"),
            PaletteCommand(
                "Filter: follow-up overdue", "Follow-up date passed, nothing since (toggle)", "toggle_overdue"
            ),
            PaletteCommand("Clear filters", "Show every past call", "clear_filters"),
            PaletteCommand("Search calls", "Full-text search of every note, objection and debrief", "search"),
        ]

    def __init__(self, flt: ReviewFilter | None = None) -> None:
        super().__init__()
        self.review_filter = flt or ReviewFilter()
        self.match_count = 0
        self.window_start = 0  # position of the window's first line among all matching lines
        self._busy = False
        self._search_text = ""
        self._ahead: dict[tuple[Any, ...], ReviewPage] = {}
        self._queued: ReviewTable.Edge | None = None
        self._fetching: set[tuple[Any, ...]] = set()

    def compose(self) -> ComposeResult:
        """Filter summary, the call table, the search box and its results."""
        yield Header()
        yield Static(id="summary")
        yield TextInput(placeholder="Search objectives, notes, objections, debriefs, research, accounts…", id="search")
        yield OptionList(id="hits")
        yield ReviewTable(id="calls")
        yield Static(id="position")
        yield Footer()

    @property
    def table(self) -> ReviewTable:
        """The call lines."""
        return self.query_one(ReviewTable)

    @property
    def search_box(self) -> Input:
        """The search-as-you-type box."""
        return self.query_one("#search", Input)

    @property
    def hits(self) -> OptionList:
        """Ranked search results."""
        return self.query_one("#hits", OptionList)

    @property
    def searching(self) -> bool:
        """True while the search box is open."""
        return bool(self.search_box.display)

    def on_mount(self) -> None:
        """Start with the list, search closed; the first load comes with ScreenResume (or StoreReady)."""
        self._show_summary()

    # -- loading -----------------------------------------------------------------------------------
    def load(self, store: Store) -> Any:
        """Reload the window where it is (or the first page), and the count (worker thread)."""
        lines = self.table.lines
        flt = self.review_filter
        if lines and lines[0].scheduled_at is not None:
            top = lines[0]
            assert top.scheduled_at is not None
            # Every line at or older than the window's top line: (time, id + 1) is just above it.
            page = store.review.older(flt, PageCursor(top.scheduled_at, top.id + 1), limit=max(PAGE, len(lines)))
            page = type(page)(page.lines, self.table.has_newer, page.has_older)
            cursor = self.table.cursor_row
        else:
            page = store.review.first_page(flt, limit=PAGE)
            cursor = 0
        total = store.review.count(flt)
        return flt, page, cursor, total

    def show(self, data: Any) -> None:
        """Put the loaded data on screen."""
        self._loaded(*data)

    def _loaded(self, flt: ReviewFilter, page: ReviewPage, cursor: int, total: int) -> None:
        if flt != self.review_filter:
            return
        self.match_count = total
        self._ahead.clear()  # the data may have changed since those pages were fetched
        if not page.has_newer:
            self.window_start = 0
        self._show(page.lines, page.has_newer, page.has_older, cursor)

    def _show(self, lines: Sequence[CallSummary], has_newer: bool, has_older: bool, cursor: int) -> None:
        table = self.table
        table.has_newer, table.has_older = has_newer, has_older
        table.show(lines, cursor)
        self._busy = False
        self._show_position()
        queued, self._queued = self._queued, None
        if queued is not None:
            self._replay(queued)

    def _queue(self, event: ReviewTable.Edge) -> None:
        queued = self._queued
        if queued is not None and queued.direction == event.direction:
            queued.move += event.move
        else:
            self._queued = event

    def _replay(self, event: ReviewTable.Edge) -> None:
        """Apply a move asked for while a page was loading."""
        table = self.table
        target = table.cursor_row + event.move
        if event.direction in ("first", "last") or not 0 <= target < len(table.lines):
            self.post_message(ReviewTable.Edge(event.direction, event.move))
        else:
            table.move_cursor(row=target, animate=False)

    def _show_position(self) -> None:
        table = self.table
        if not self.match_count:
            text = (
                "No calls match."
                if self.review_filter.active
                else "No past calls yet: they appear here after their time."
            )
        else:
            at = self.window_start + table.cursor_row + 1
            text = f"call {at:,} of {self.match_count:,}"
        self.query_one("#position", Static).update(Content(text))

    @on(DataTable.RowHighlighted, "#calls")
    def _moved(self) -> None:
        self._show_position()
        self._prefetch()

    def _show_summary(self) -> None:
        text = Content.assemble(("Filter: ", "bold"), clean(self.review_filter.summary()))
        keys = "   a o p K d u filter · x clears" if self.review_filter.active else "   a o p K d u filter"
        text = text + Content.styled(keys, "dim")
        self.query_one("#summary", Static).update(text)

    def _refilter(self, flt: ReviewFilter) -> None:
        self.review_filter = flt
        self._queued = None
        self.table.lines = []
        self._show_summary()
        self.reload()

    # -- paging ------------------------------------------------------------------------------------
    @on(ReviewTable.Edge)
    def _edge(self, event: ReviewTable.Edge) -> None:
        event.stop()
        if self._busy:
            # Keys pressed while a page loads are not lost: they run once it is shown.
            self._queue(event)
            return
        self._busy = True
        table, flt = self.table, self.review_filter
        lines = list(table.lines)
        direction, move = event.direction, event.move

        def done(page: ReviewPage) -> None:
            if flt != self.review_filter:
                self._busy = False
                return
            # Read the cursor now: keys pressed while the page loaded may have moved it.
            cursor = table.cursor_row
            if direction == "older":
                merged = lines + list(page.lines)
                drop = max(0, len(merged) - WINDOW)
                self.window_start += drop
                target = cursor - drop + move
                kept = merged[drop:]
                if target >= len(kept) and page.has_older:  # a long jump needs more than one page
                    self._queue(ReviewTable.Edge("older", target - (len(kept) - 1)))
                self._show(kept, table.has_newer or drop > 0, page.has_older, target)
            elif direction == "newer":
                merged = list(page.lines) + lines
                excess = max(0, len(merged) - WINDOW)
                self.window_start = max(0, self.window_start - len(page.lines))
                kept = merged[: len(merged) - excess]
                target = cursor + len(page.lines) + move
                if target < 0 and page.has_newer:
                    self._queue(ReviewTable.Edge("newer", target))
                self._show(kept, page.has_newer, table.has_older or excess > 0, target)
            elif direction == "last":
                self.window_start = max(0, self.match_count - len(page.lines))
                self._show(page.lines, page.has_newer, False, len(page.lines) - 1)
            else:
                self.window_start = 0
                self._show(page.lines, False, page.has_older, 0)

        ahead = self._ahead.pop(self._ahead_key(direction, lines), None)
        self._ahead.clear()
        if ahead is not None:
            done(ahead)  # fetched while the cursor was approaching the edge
        else:
            self.run_db(lambda store: _fetch(store, flt, direction, lines), done, group="review-page")

    def _ahead_key(self, direction: str, lines: Sequence[CallSummary]) -> tuple[Any, ...]:
        edge = lines[-1].id if direction == "older" and lines else lines[0].id if lines else None
        return (direction, edge, self.review_filter)

    def _prefetch(self) -> None:
        """Near an edge of the window, fetch the next page before the cursor gets there."""
        table, flt = self.table, self.review_filter
        lines = list(table.lines)
        if self._busy or not lines:
            return
        for direction, wanted in (
            ("older", table.has_older and table.cursor_row >= len(lines) - PREFETCH),
            ("newer", table.has_newer and table.cursor_row < PREFETCH),
        ):
            key = self._ahead_key(direction, lines)
            if not wanted or key in self._ahead or key in self._fetching:
                continue
            self._fetching.add(key)

            def keep(page: ReviewPage, key: tuple[Any, ...] = key) -> None:
                self._fetching.discard(key)
                if key == self._ahead_key(key[0], self.table.lines):
                    self._ahead[key] = page

            self.run_db(partial(_fetch, flt=flt, direction=direction, lines=lines), keep, group="review-prefetch")

    # -- actions -----------------------------------------------------------------------------------
    def action_open(self) -> None:
        """Open the selected call (or search result)."""
        if self.searching and self.hits.has_focus:
            self._open_hit()
            return
        line = self.table.selected
        if line is not None:
            self.sales_app.open_call(line.id)

    @on(DataTable.RowSelected, "#calls")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_debrief(self) -> None:
        """Debrief the selected call."""
        line = self.table.selected
        if line is not None:
            self.sales_app.open_debrief(line.id)

    def action_cycle_outcome(self) -> None:
        """Next outcome filter: advance, continuation, lost, cancelled, any."""
        self._refilter(self.review_filter.with_(outcome=_next(_OUTCOMES, self.review_filter.outcome)))

    def action_cycle_period(self) -> None:
        """Next period: this week, last 30 days, this quarter, any time."""
        self._refilter(
            self.review_filter.with_(period=_next(_PERIODS, self.review_filter.period), start=None, end=None)
        )

    def action_cycle_kind(self) -> None:
        """Next call kind."""
        self._refilter(self.review_filter.with_(kind=_next(_KINDS, self.review_filter.kind)))

    def action_toggle_debrief(self) -> None:
        """Only calls that still need a debrief (or all again)."""
        self._refilter(self.review_filter.with_(needs_debrief=not self.review_filter.needs_debrief))

    def action_toggle_overdue(self) -> None:
        """Only calls whose follow-up date has passed with nothing since (or all again)."""
        self._refilter(self.review_filter.with_(follow_up_overdue=not self.review_filter.follow_up_overdue))

    def action_clear_filters(self) -> None:
        """Drop every filter."""
        if self.review_filter.active:
            self._refilter(ReviewFilter())

    def action_pick_account(self) -> None:
        """Filter by one account, picked from a list."""

        def chosen(account_id: int | None) -> None:
            if account_id is None:
                return
            if account_id == 0:
                self._refilter(self.review_filter.with_(account_id=None, account_name=""))
                return
            name = next((c.label for c in choices if c.id == account_id), "")
            self._refilter(self.review_filter.with_(account_id=account_id, account_name=name))

        choices: list[Choice] = []

        def show(found: list[Choice]) -> None:
            choices.extend(found)
            self.app.push_screen(
                Picker("Show the calls of which account?", [Choice(0, "(any account)"), *found]), chosen
            )

        self.run_db(lambda store: [Choice(r.id, r.name, r.industry) for r in store.accounts.rows(limit=5000)], show)

    def action_custom_period(self) -> None:
        """Filter by a date range typed as two dates."""
        from salestui.modals.date_range import DateRange

        def chosen(picked: tuple[Any, Any] | None) -> None:
            if picked is not None:
                start, end = picked
                self._refilter(self.review_filter.with_(period=Period.CUSTOM, start=start, end=end))

        self.app.push_screen(DateRange(self.review_filter.start, self.review_filter.end), chosen)

    # -- search ------------------------------------------------------------------------------------
    def action_search(self) -> None:
        """Open the search box (search as you type)."""
        self.search_box.display = True
        self.hits.display = True
        self.table.display = False
        self.search_box.focus()
        if self.search_box.value:
            self._run_search(self.search_box.value)

    def action_back(self) -> None:
        """Close the search first; then leave."""
        if self.searching:
            self.search_box.display = False
            self.hits.display = False
            self.table.display = True
            self.table.focus()
            return
        super().action_back()

    def action_to_hits(self) -> None:
        """Down from the search box moves into the results."""
        if self.search_box.has_focus and self.hits.option_count:
            self.hits.focus()
            self.hits.highlighted = 0
        elif self.focused is not None:
            # Not in the search box: behave like a plain down key.
            action = getattr(self.focused, "action_cursor_down", None)
            if callable(action):
                action()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self._run_search(event.value)

    def _run_search(self, text: str) -> None:
        self._search_text = text

        def show(hits: list[SearchHit]) -> None:
            if text == self._search_text:
                self._show_hits(text, hits)

        self.run_db(lambda store: store.review.search(text), show, group="review-search")

    def _show_hits(self, text: str, hits: list[SearchHit]) -> None:
        self.hits_found = hits
        options = self.hits
        options.clear_options()
        for number, hit in enumerate(hits):
            where = HIT_LABELS[hit.source]
            when = fmt.when(hit.scheduled_at) if hit.call_id is not None else ""
            if hit.source is HitSource.ACCOUNT:
                # The account's name is the match itself: one line, highlighted.
                prompt = Content.styled(f"{where:<10}", "bold") + highlighted(hit.snippet, hit.spans)
            else:
                head = Content.assemble((f"{where:<10}", "bold"), clean(hit.account_name), (f"  {when}", "dim"))
                prompt = head + Content("\n  ") + highlighted(hit.snippet, hit.spans)
            options.add_option(Option(prompt, id=str(number)))
        if not hits:
            words = re.findall(r"\w+", text)
            message = "Nothing found." if any(len(w) > 1 for w in words) else "Type at least two letters to search."
            options.add_option(Option(Content.styled(message, "dim"), disabled=True))
        self.query_one("#position", Static).update(Content(f"{len(hits)} results, best first" if hits else ""))

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        if getattr(self, "hits_found", None):
            self.hits.highlighted = self.hits.highlighted or 0
            self._open_hit()

    @on(OptionList.OptionSelected, "#hits")
    def _hit_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_hit()

    def _open_hit(self) -> None:
        index = self.hits.highlighted
        found: list[SearchHit] = getattr(self, "hits_found", [])
        if index is None or not 0 <= index < len(found):
            return
        hit = found[index]
        if hit.call_id is not None:
            self.sales_app.open_call(hit.call_id)
        else:
            self.sales_app.open_account(hit.account_id)
