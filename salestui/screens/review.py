"""Review: every past call, newest first, paged through SQL; filters, full-text search, stats.

The table never holds more than ``WINDOW`` lines: when the cursor reaches an edge, the next
(or previous) page is fetched by keyset and the far end of the window is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from salestui.commands import PaletteCommand
from salestui.domain.models import CallSummary
from salestui.domain.review import PageCursor, Period, ReviewFilter, SearchHit, position_line, slide_window
from salestui.modals.picker import Choice, Picker
from salestui.screens.base import DataScreen
from salestui.text import clean
from salestui.widgets.fields import TextInput
from salestui.widgets.footer import KeysFooter
from salestui.widgets.review_search import SearchHits, hit_options
from salestui.widgets.review_table import ReviewTable

if TYPE_CHECKING:
    from salestui.store.core import Store
    from salestui.store.review import ReviewPage, ReviewRepo

PAGE = 100
WINDOW = 200
PREFETCH = 40  # rows from an edge at which the next page is fetched ahead


class ReviewScreen(DataScreen):
    """All past calls, newest first: move, filter, search, open."""

    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#calls"

    # Few keys in the footer: every footer key costs a re-layout when the screen opens.
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "search", "Search", id="review.search"),
        Binding("a", "pick_account", "Account", id="review.account", show=False),
        Binding("o", "cycle_outcome", "Outcome", id="review.outcome"),
        Binding("p", "cycle_period", "Period", id="review.period"),
        Binding("P", "custom_period", "Dates", id="review.dates", show=False),
        Binding("K", "cycle_kind", "Kind", id="review.kind", show=False),
        Binding("d", "toggle_debrief", "Needs debrief", id="review.needs_debrief", show=False),
        Binding("u", "toggle_overdue", "Follow-up overdue", id="review.overdue", show=False),
        Binding("x", "clear_filters", "Clear filters", id="review.clear", show=False),
        Binding("b", "debrief", "Debrief", id="review.debrief", show=False),
        Binding("t", "app.stats", "Stats", id="review.stats", show=False),
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
        self._search_text = ""
        self._ahead: dict[tuple[Any, ...], ReviewPage] = {}
        self._fetching: set[tuple[Any, ...]] = set()
        self._window: tuple[list[CallSummary], bool, int] = ([], False, 0)
        """The table's lines, ``has_newer`` and cursor when a reload was asked: ``load`` reads these."""

    def compose(self) -> ComposeResult:
        """Filter summary, the call table, the search box and its results."""
        yield Header()
        yield Static(id="summary")
        yield TextInput(placeholder="Search objectives, notes, objections, debriefs, research, accounts…", id="search")
        yield SearchHits(id="hits")
        yield ReviewTable(id="calls")
        yield Static(id="position")
        yield KeysFooter()

    @property
    def table(self) -> ReviewTable:
        """The call lines."""
        return self.query_one(ReviewTable)

    @property
    def search_box(self) -> Input:
        """The search-as-you-type box."""
        return self.query_one("#search", Input)

    @property
    def hits(self) -> SearchHits:
        """Ranked search results."""
        return self.query_one("#hits", SearchHits)

    @property
    def searching(self) -> bool:
        """True while the search box is open."""
        return bool(self.search_box.display)

    def on_mount(self) -> None:
        """Start with the list, search closed; the first load comes with ScreenResume (or StoreReady)."""
        self._show_summary()

    # -- loading -----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Reload where the window is: taken from the table here, on the UI thread (the worker
        never touches widgets; a screen being closed has none left to query)."""
        table = self.table
        self._window = (list(table.lines), table.has_newer, table.cursor_row)
        super().reload()

    def load(self, store: Store) -> Any:
        """Reload the window where it is (or the first page), and the count (worker thread)."""
        lines, has_newer, cursor = self._window
        flt = self.review_filter
        if lines and lines[0].happened_at is not None:
            top = lines[0]
            # Every line at or older than the window's top line: (time, id + 1) is just above it.
            page = _review(store).older(flt, PageCursor(top.happened_at, top.id + 1), limit=max(PAGE, len(lines)))
            page = type(page)(page.lines, has_newer, page.has_older)
        else:
            page = _review(store).first_page(flt, limit=PAGE)
            cursor = 0
        total = _review(store).count(flt)
        return flt, page, cursor, total, store.team_view

    def show(self, data: Any) -> None:
        """Put the loaded data on screen."""
        self._loaded(*data)

    def _loaded(self, flt: ReviewFilter, page: ReviewPage, cursor: int, total: int, everyone: bool = False) -> None:
        if flt != self.review_filter:
            return
        self.table.set_owners(everyone)
        self.match_count = total
        self._ahead.clear()  # the data may have changed since those pages were fetched
        if not page.has_newer:
            self.window_start = 0
        self._show(page.lines, page.has_newer, page.has_older, cursor)

    def _show(self, lines: Sequence[CallSummary], has_newer: bool, has_older: bool, cursor: int) -> None:
        table = self.table
        table.has_newer, table.has_older = has_newer, has_older
        table.show(lines, cursor)
        table.awaiting_page = False
        self._show_position()
        table.replay()

    def _show_position(self) -> None:
        at = self.window_start + self.table.cursor_row + 1
        line = position_line(self.match_count, self.review_filter.active, at)
        # One line of fixed height: no layout of the screen for it on every key (issue 32).
        self.query_one("#position", Static).update(Content(line), layout=False)

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
        self.table.queued = []
        self.table.lines = []
        self._show_summary()
        self.reload()

    # -- paging ------------------------------------------------------------------------------------
    @on(ReviewTable.Edge)
    def _edge(self, event: ReviewTable.Edge) -> None:
        event.stop()
        # The table asked for this page and holds the keys pressed until it is shown (``awaiting_page``).
        table, flt = self.table, self.review_filter
        lines = list(table.lines)
        direction, move = event.direction, event.move

        def done(page: ReviewPage) -> None:
            if flt != self.review_filter:
                self.table.awaiting_page = False
                return
            # Read the cursor now: keys pressed while the page loaded may have moved it.
            moved = slide_window(
                lines,
                page.lines,
                page.has_newer,
                page.has_older,
                direction=direction,
                cursor=table.cursor_row,
                move=move,
                start=self.window_start,
                total=self.match_count,
                window=WINDOW,
                had_newer=table.has_newer,
                had_older=table.has_older,
            )
            self.window_start = moved.start
            if moved.more is not None:  # a long jump needs more than one page: its rest comes first
                self.table.queue(ReviewTable.Edge(*moved.more), first=True)
            self._show(moved.lines, moved.has_newer, moved.has_older, moved.cursor)  # type: ignore[arg-type]

        ahead = self._ahead.pop(self._ahead_key(direction, lines), None)
        self._ahead.clear()
        if ahead is not None:
            done(ahead)  # fetched while the cursor was approaching the edge
        else:
            self.run_db(lambda store: _review(store).beyond(flt, direction, lines, PAGE), done, group="review-page")

    def _ahead_key(self, direction: str, lines: Sequence[CallSummary]) -> tuple[Any, ...]:
        edge = lines[-1].id if direction == "older" and lines else lines[0].id if lines else None
        return (direction, edge, self.review_filter)

    def _prefetch(self) -> None:
        """Near an edge of the window, fetch the next page before the cursor gets there."""
        table, flt = self.table, self.review_filter
        lines = list(table.lines)
        if table.awaiting_page or not lines:
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

            self.run_db(
                lambda store, d=direction: _review(store).beyond(flt, d, lines, PAGE), keep, group="review-prefetch"
            )

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
        self._refilter(self.review_filter.next_outcome())

    def action_cycle_period(self) -> None:
        """Next period: this week, last 30 days, this quarter, any time."""
        self._refilter(self.review_filter.next_period())

    def action_cycle_kind(self) -> None:
        """Next call kind."""
        self._refilter(self.review_filter.next_kind())

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
        """Search for ``text`` once the frame with the typed letter is out: the echo never waits
        for the query, and the results follow when ready."""
        self._search_text = text
        self.call_after_refresh(self._start_search, text)

    def _start_search(self, text: str) -> None:
        if text != self._search_text or not self.is_open:
            return  # a newer key came before this one's frame: only the newest is searched
        # Exclusive: the next key cancels this search (its results are dropped, ``_search_done``).
        self.sales_app.run_db(
            lambda store: _search(store, text), self._search_done, group="review-search", exclusive=True
        )

    def _search_done(self, found: tuple[str, list[SearchHit], list[Option]] | None) -> None:
        if found is None or not self.is_open:
            return
        text, hits, options = found
        if text != self._search_text:
            return  # an older search: the newer one's results (or its own) replace it
        self.hits.show_options(text, hits, options)
        self._show_hit_count(hits)

    def _show_hit_count(self, hits: list[SearchHit]) -> None:
        self.query_one("#position", Static).update(Content(f"{len(hits)} results, best first" if hits else ""))

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        if self.hits.found:
            self.hits.highlighted = self.hits.highlighted or 0
            self._open_hit()

    @on(OptionList.OptionSelected, "#hits")
    def _hit_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_hit()

    def _open_hit(self) -> None:
        hit = self.hits.current
        if hit is None:
            return
        if hit.call_id is not None:
            self.sales_app.open_call(hit.call_id)
        else:
            self.sales_app.open_account(hit.account_id)


def _search(store: Store, text: str) -> tuple[str, list[SearchHit], list[Option]] | None:
    """The hits for ``text`` and their options (worker thread); ``None`` once a newer key cancelled it."""
    hits = _review(store).search(text)
    if get_current_worker().is_cancelled:
        return None
    return text, hits, hit_options(text, hits)


def _review(store: Store) -> ReviewRepo:
    """Review's reads of the calls the rep chose to see: their own, or everyone's (``store.team_view``)."""
    from salestui.store.scope import scope_owner

    return store.review.scoped(scope_owner(store))
