"""Home: upcoming calls and calls that still need a debrief, and the way to everything else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Header, Label, Static

from salestui.screens.base import DataScreen
from salestui.widgets.cached_calls import CachedCalls
from salestui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from salestui.domain.models import CallSummary
    from salestui.store.core import Store
    from salestui.widgets.call_table import CallTable

EMPTY_HELP = Content.from_markup(
    "[b]Welcome to salestui.[/b] Nothing planned yet.\n\n"
    "  [b]a[/b]  add your first account (research it, add contacts)\n"
    "  [b]n[/b]  plan a call for an account\n"
    "  [b]D[/b]  load demo data to look around\n"
    "  [b]ctrl+p[/b]  every command   [b]?[/b]  all keys"
)

READER_EMPTY = Content.from_markup(
    "No calls planned by the team yet.\n\n"
    "  [b]r[/b]  research accounts   [b]v[/b]  review past calls\n"
    "  [b]ctrl+p[/b]  every command   [b]?[/b]  all keys"
)
"""Home's empty text for a team's manager: she reads every rep's records and adds none."""

LISTS = {
    "upcoming": ("Upcoming calls", ("when", "account", "kind", "objective", "readiness")),
    "undebriefed": ("Needs a debrief", ("when", "account", "kind", "objective", "readiness", "outcome")),
}
"""Home's two call lists: id, title and columns."""

CACHED_NOTE = "As at your last session · updating…"
"""Over the lists shown from the last session until the database's own replace them."""


class HomeScreen(DataScreen):
    """Start here: what is coming up and what still needs a debrief."""

    CSS_PATH = "home.tcss"

    BINDINGS = [
        # At 80 columns the footer keeps Help and Quit: secondary keys are in help (?) only.
        Binding("escape", "back", "Back", show=False),
        Binding("enter", "open", "Open", show=False),
        Binding("n", "app.plan_call", "Plan", id="home.plan", tooltip="Plan call"),
        Binding("s", "start", "Start", id="home.start", tooltip="Start call"),
        Binding("b", "debrief", "Debrief", id="home.debrief"),
        Binding("r", "app.research", "Research", id="home.research", show=False),
        Binding("a", "app.new_account", "New account", id="home.new_account", show=False),
        Binding("v", "app.review", "Review", id="home.review"),
        Binding("D", "app.load_demo", "Demo data", id="home.demo", show=False),
    ]

    def compose(self) -> ComposeResult:
        """Two call lists (the last session's, drawn as text, until live data lands) and an empty state."""
        cached = self.sales_app.take_cached_home()
        if cached is not None and not (cached.upcoming or cached.undebriefed):
            cached = None
        yield Header()
        with Vertical(id="home"):
            if cached is None:
                yield Static("Opening your database…", id="status")
            else:
                yield Static(Content.styled(CACHED_NOTE, "dim italic"), id="status")
            yield Static(EMPTY_HELP, id="empty")
            for key, (title, columns) in LISTS.items():
                calls = getattr(cached, key) if cached is not None else None
                # Without the last session's lists, both titles stand over nothing until data lands.
                yield Label(title, classes="section").set_styles(display="block" if calls or not cached else "none")
                if calls:
                    yield CachedCalls(calls, columns=columns, everyone=cached.everyone, id=f"{key}-cached")  # type: ignore[union-attr]
        yield KeysFooter()

    @property
    def upcoming(self) -> CallTable:
        """The upcoming calls (mounted with the first live data)."""
        return self._table("upcoming")

    @property
    def undebriefed(self) -> CallTable:
        """Past calls with no debrief (mounted with the first live data)."""
        return self._table("undebriefed")

    def _table(self, key: str) -> CallTable:
        from salestui.widgets.call_table import CallTable

        return self.query_one(f"#{key}", CallTable)

    live_shown = False
    """Home shows lists read from the database."""
    cached_shown = False
    """Home shows the last session's lists (``CachedCalls``), marked, until a live read lands."""

    def on_mount(self) -> None:
        """Hide the empty state until data says so; note whether the last session's lists are shown."""
        self.query_one("#empty").display = False
        self.cached_shown = bool(self.query(CachedCalls))

    def load(self, store: Store) -> Any:
        """Fetch both lists (worker thread)."""
        upcoming = store.calls.upcoming(limit=50)
        undebriefed = store.calls.needing_debrief(limit=50)
        accounts = store.accounts.count() if not (upcoming or undebriefed) else 1
        self.sales_app.remember_home(upcoming, undebriefed, store.team_view)
        return upcoming, undebriefed, accounts, store.team_view

    def show_early(self, upcoming: list[CallSummary], undebriefed: list[CallSummary]) -> None:
        """The lists read before the store opened (``store.quick.early_home``); its first load replaces them."""
        # Even empty, once the last session's are shown: a call deleted since must go.
        if not self.loads_shown and (upcoming or undebriefed or self.cached_shown):
            self._show(upcoming, undebriefed, accounts=1)

    def show(self, data: Any) -> None:
        """Put the loaded data on screen."""
        self._show(*data)

    def _show(
        self, upcoming: list[CallSummary], undebriefed: list[CallSummary], accounts: int, everyone: bool = False
    ) -> None:
        self.query_one("#status").display = False
        self.live_shown, self.cached_shown = True, False
        empty = not (upcoming or undebriefed)
        self.query_one("#empty").display = empty
        if empty and self.store is not None and not self.store.writes_records:
            self.query_one("#empty", Static).update(READER_EMPTY)  # a manager plans no calls of her own
        elif empty and accounts:
            self.query_one("#empty", Static).update(
                Content.from_markup(
                    "No calls planned.\n\n  [b]n[/b]  plan a call   [b]r[/b]  research accounts   [b]v[/b]  review past calls"
                )
            )
        self._mount_tables()
        for label, table, calls in (
            (self.query("Label.section").first(), self.upcoming, upcoming),
            (self.query("Label.section").last(), self.undebriefed, undebriefed),
        ):
            table.display = label.display = bool(calls)
            table.show_calls(calls, owners=everyone)
        if not self.focused and (upcoming or undebriefed):
            (self.upcoming if upcoming else self.undebriefed).focus()

    def _mount_tables(self) -> None:
        """The lists' tables, under their titles, in place of the last session's rows (once)."""
        from salestui.widgets.call_table import CallTable

        if self.query(CallTable):
            return
        self.query(CachedCalls).remove()
        home = self.query_one("#home", Vertical)
        for (key, (_, columns)), label in zip(LISTS.items(), self.query("Label.section"), strict=True):
            home.mount(CallTable(columns=columns, id=key), after=label)

    def _selected(self) -> tuple[CallTable, int] | None:
        from salestui.widgets.call_table import CallTable

        focused = self.focused
        if isinstance(focused, CallTable) and focused.selected_call_id is not None:
            return focused, focused.selected_call_id
        return None

    def on_call_table_chosen(self, event: CallTable.Chosen) -> None:
        """Enter on a call: plan an upcoming one, debrief a past one."""
        self._chosen(event)

    def _chosen(self, event: CallTable.Chosen) -> None:
        if event.table.id == "undebriefed":
            self.sales_app.open_debrief(event.call_id)
        else:
            self.sales_app.open_plan(event.call_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """s and b start and debrief one's calls: not offered to a team's manager (``SalesApp.check_action``)."""
        if action in ("start", "debrief"):
            return self.app.check_action(f"{action}_call", parameters)
        return True

    def action_open(self) -> None:
        """Open the selected call."""
        selected = self._selected()
        if selected:
            self._chosen(type(selected[0]).Chosen(*selected))

    def action_start(self) -> None:
        """Pick the call to start (one behaviour wherever the cursor is): the highlighted upcoming
        call preselected, else the first (a call left mid-way, to resume, comes first)."""
        selected = self._selected()
        self.sales_app.start_call(
            None, check=True, selected=selected[1] if selected and selected[0].id == "upcoming" else None
        )

    def action_debrief(self) -> None:
        """Debrief the selected call, or pick one."""
        selected = self._selected()
        self.sales_app.debrief_call(selected[1] if selected else None)
