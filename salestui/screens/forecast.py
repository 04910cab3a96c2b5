"""Forecast: the coming weeks from the rep's own held calls, with a band, what preparation would add,
and how honest past forecasts were (the walk-forward backtest)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Label, Select, Static

from salestui import format as fmt
from salestui.domain import forecast as fc
from salestui.screens.base import DataScreen
from salestui.text import literal, literal_text
from salestui.widgets.bar_chart import Bar, BarChart
from salestui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from salestui.store.core import Store
    from salestui.store.forecast import ForecastInput

CALLS_SHOWN = 200
"""Planned calls listed on screen (the JSON of ``salestui forecast`` has them all)."""
ACCOUNT_WIDTH = 22
MINE, TEAM = "mine", "team"


@dataclass(frozen=True, slots=True)
class Loaded:
    """What the worker read and computed: the input, and a forecast per scope the rep can pick."""

    data: ForecastInput
    forecasts: dict[str, fc.Forecast]


def week_label(week: fc.WeekForecast | fc.BacktestWeek) -> str:
    """``This week`` / ``Wk of 30 Nov``."""
    return "This week" if week.week == 0 else f"Wk of {week.start.day} {week.start:%b}"


def range_text(band: fc.Band) -> str:
    """``1.3 (0–2)``."""
    return f"{band.expected:.1f} ({band.low}–{band.high})"


def headline(result: fc.Forecast, weeks: int) -> Content:
    """Two lines: the total ahead, and what it was read from."""
    total = result.total
    history = result.history
    prior = "the team's rates" if result.team_prior else "the overall rate"
    if not history.held:
        source = "No held call yet to learn from: every chance is the even prior (50 %)."
    else:
        source = (
            f"From {history.held:,} held calls ({fc.pct(history.advanced / history.held)} advanced); "
            f"groups with few calls lean on {prior} (prior worth {fc.PRIOR_STRENGTH:g} calls)."
        )
    return Content.assemble(
        (f"Next {weeks} weeks: ", "bold"),
        (f"{total.expected:.1f} advances expected", "bold $success"),
        f" (band {total.low}–{total.high}) from {total.calls:,} planned call{'s' if total.calls != 1 else ''}\n",
        (source, "dim"),
    )


class ForecastScreen(DataScreen):
    """Expected advances per week with a band, per-call chances, what would move it, the backtest."""

    CSS_PATH = "forecast.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("right_square_bracket", "scope(1)", "Next rep", id="forecast.next_rep"),
        Binding("left_square_bracket", "scope(-1)", "Previous rep", show=False, id="forecast.previous_rep"),
    ]

    def __init__(self, weeks: int = fc.WEEKS) -> None:
        super().__init__()
        self.weeks = weeks
        """Weeks forecast."""
        self.scope = MINE
        """Whose forecast is shown: ``mine``, ``team`` or a rep's name."""
        self._loaded: Loaded | None = None

    def compose(self) -> ComposeResult:
        """Headline, the weekly bars, movers, the calls, the backtest (and each rep's in a team)."""
        yield Header()
        with VerticalScroll(id="forecast"):
            yield Select[str]([], id="scope", allow_blank=True, prompt="Whose forecast")
            yield Static("Reading your calls…", id="headline")
            yield Label("Expected advances per week, with the 10th–90th percentile band", classes="section")
            yield BarChart(id="weeks")
            yield Static(id="legend")
            yield Label("What would move it", classes="section")
            yield Static(id="movers")
            yield Label("Is the forecast honest? Past weeks, each forecast from the calls before it", classes="section")
            yield Static(id="backtest")
            yield BarChart(id="past")
            yield Label("Each rep", classes="section", id="reps-title")
            yield self._table(
                "reps", ("Rep", 18), ("Planned", 7), ("Expected", 12), ("Past weeks", 10), ("MAE", 5), ("Brier", 5)
            )
            yield Label("Planned calls: chance of an advance, of the target or better", classes="section")
            yield Static("(n): held calls of the same kind and readiness band behind the chance", id="calls-legend")
            yield self._table(
                "calls",
                ("When", 16),
                ("Account", ACCOUNT_WIDTH),
                ("Kind", 11),
                ("Ready", 5),
                ("Advance", 13),
                ("Target+", 13),
            )
        yield KeysFooter()

    def _table(self, id: str, *columns: tuple[str, int]) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(id=id, cursor_type="row", zebra_stripes=True, show_cursor=False)
        for name, width in columns:
            table.add_column(name, width=width)
        return table

    # -- data ----------------------------------------------------------------------------------------
    def load(self, store: Store) -> Any:
        """Count and compute in the worker: every scope the rep can switch to."""
        from salestui.store.forecast import read

        data = read(store, weeks=self.weeks)
        scopes = [MINE]
        if data.team:
            scopes += [TEAM, *(rep for rep in data.reps if rep != data.me)]
        return Loaded(data, {scope: data.forecast(scope) for scope in scopes})

    def show(self, data: Any) -> None:
        """Put the loaded data on screen."""
        assert isinstance(data, Loaded)
        first = self._loaded is None
        self._loaded = data
        store = self.store
        if first and TEAM in data.forecasts and store is not None and store.team_view:
            self.scope = TEAM  # the lists show everyone's records: so does the forecast, at first
        if self.scope not in data.forecasts:
            self.scope = MINE
        select = self.query_one("#scope", Select)
        team = data.data.team
        select.display = team
        self.query_one("#reps-title").display = team
        self.query_one("#reps").display = team
        if team:
            options = [(Content(f"{data.data.me} (you)"), MINE), (Content("Team (everyone)"), TEAM)]
            options += [(literal(rep), rep) for rep in data.forecasts if rep not in (MINE, TEAM)]
            with select.prevent(Select.Changed):
                select.set_options(options)
                select.value = self.scope
            self._fill_reps(data)
        self._show_scope()

    def _show_scope(self) -> None:
        loaded = self._loaded
        if loaded is None:
            return
        result = loaded.forecasts[self.scope]
        self.query_one("#headline", Static).update(headline(result, self.weeks))
        self._fill_weeks(result)
        self._fill_movers(result)
        self._fill_backtest(result)
        self._fill_calls(result)

    def _fill_weeks(self, result: fc.Forecast) -> None:
        scale = max([1, *(w.band.high for w in result.weeks)])
        self.query_one("#weeks", BarChart).bars = tuple(
            Bar(
                week_label(w),
                w.band.expected / scale,
                f"{w.band.calls:,} call{'s' if w.band.calls != 1 else ''}",
                low=w.band.low / scale,
                high=w.band.high / scale,
                shown=range_text(w.band),
            )
            for w in result.weeks
        )
        self.query_one("#legend", Static).update(
            Content.styled(
                f"Bar: advances expected (the sum of the calls' chances). The band runs from where the bar "
                f"changes colour to ┤: 8 weeks in 10 should land inside it. Scale 0–{scale} advances.",
                "dim",
            )
        )

    def _fill_movers(self, result: fc.Forecast) -> None:
        movers = self.query_one("#movers", Static)
        if result.movers:
            movers.update(Content("\n").join(literal("• " + m.line) for m in result.movers))
        elif not result.calls:
            movers.update(Content.styled("No call planned in these weeks.", "dim"))
        elif all(c.call.band == fc.PREPARED for c in result.calls):
            movers.update(Content.styled("Every planned call is already 80 % ready or more.", "dim"))
        else:
            movers.update(
                Content.styled(
                    "No well-prepared (80 % ready) calls of these kinds held yet to compare with: "
                    "prepare one fully and the forecast learns what it is worth.",
                    "dim",
                )
            )

    def _fill_backtest(self, result: fc.Forecast) -> None:
        test = result.backtest
        summary = Content.assemble(
            (test.summary, "bold" if test.weeks else "dim"),
            (
                "\nBrier: 0 is perfect, 0.25 is a coin toss. Bar: expected; ● what happened." if test.weeks else "",
                "dim",
            ),
        )
        self.query_one("#backtest", Static).update(summary)
        past = self.query_one("#past", BarChart)
        past.display = bool(test.weeks)
        scale = max([1, *(max(w.band.high, w.actual) for w in test.weeks)])
        past.bars = tuple(
            Bar(
                week_label(w),
                w.band.expected / scale,
                f"{'●' if w.inside else '✘'} {w.actual} happened",
                low=w.band.low / scale,
                high=w.band.high / scale,
                shown=range_text(w.band),
            )
            for w in test.weeks
        )

    def _fill_calls(self, result: fc.Forecast) -> None:
        table = self.query_one("#calls", DataTable)
        table.clear()
        for forecast in result.calls[:CALLS_SHOWN]:
            call = forecast.call
            table.add_row(
                Text(fmt.when(call.scheduled_at)),
                literal_text(call.account, limit=ACCOUNT_WIDTH * 4),
                Text(fc.kind_label(call.kind)),
                Text(f"{call.readiness:>3}%"),
                Text(f"{fc.pct(forecast.advance.value):>5} ({forecast.advance.calls:,})", style="bold"),
                Text(f"{fc.pct(forecast.target.value):>5} ({forecast.target.calls:,})"),
            )
        if len(result.calls) > CALLS_SHOWN:
            table.add_row(
                Text(f"… {len(result.calls) - CALLS_SHOWN:,} more", style="dim"), *(Text("") for _ in range(5))
            )
        if not result.calls:
            table.add_row(Text("—"), Text("No call planned", style="dim"), *(Text("") for _ in range(4)))
        table.styles.height = min(table.row_count, CALLS_SHOWN + 1) + 1

    def _fill_reps(self, loaded: Loaded) -> None:
        table = self.query_one("#reps", DataTable)
        table.clear()
        for scope, result in loaded.forecasts.items():
            name = f"{loaded.data.me} (you)" if scope == MINE else ("Team" if scope == TEAM else scope)
            test = result.backtest
            table.add_row(
                literal_text(name, style="bold" if scope in (MINE, TEAM) else "", limit=80),
                Text(f"{result.total.calls:>7,}"),
                Text(f"{range_text(result.total):>12}"),
                Text(f"{test.inside} of {len(test.weeks)}" if test.weeks else "—"),
                Text(f"{test.mae:.1f}" if test.mae is not None else "—"),
                Text(f"{test.brier:.2f}" if test.brier is not None else "—"),
            )
        table.styles.height = table.row_count + 1

    # -- keys ----------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Rep switching only in a team."""
        if action == "scope":
            return self._loaded is not None and self._loaded.data.team
        return True

    def action_scope(self, step: int) -> None:
        """Show the next (or previous) rep's forecast: you, the team, then each rep."""
        if self._loaded is None:
            return
        scopes = list(self._loaded.forecasts)
        self.scope = scopes[(scopes.index(self.scope) + step) % len(scopes)]
        select = self.query_one("#scope", Select)
        with select.prevent(Select.Changed):
            select.value = self.scope
        self._show_scope()

    @on(Select.Changed, "#scope")
    def _picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and self._loaded is not None and event.value in self._loaded.forecasts:
            self.scope = event.value
            self._show_scope()
