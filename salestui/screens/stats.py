"""Your numbers: advance rate overall, by month, account and kind; and whether preparation pays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Label, Static

from salestui.domain.enums import CallKind, label
from salestui.domain.stats import BUSIEST_ACCOUNTS, Rate, Stats, best_first, percent, practice_line, preparation_pays
from salestui.screens.base import DataScreen
from salestui.text import literal_text
from salestui.widgets.bar_chart import Bar, BarChart
from salestui.widgets.coaching_pays import CoachingPays
from salestui.widgets.footer import KeysFooter
from salestui.widgets.stats_ladder import LadderCalibration

if TYPE_CHECKING:
    from salestui.store.core import Store

MONTHS_SHOWN = 12
ACCOUNTS_SHOWN = BUSIEST_ACCOUNTS


def headline(stats: Stats) -> Content:
    """The key numbers in two lines."""
    overall = stats.overall
    return Content.assemble(
        ("Advance rate ", "bold"),
        (percent(overall.advance_rate), "bold $success"),
        f" of {overall.held:,} calls held   ",
        ("Continuation ", "bold"),
        (percent(overall.continuation_rate), "$warning"),
        "   ",
        ("Debriefed ", "bold"),
        percent(overall.debrief_rate),
        "\n",
        ("Without a debrief ", "bold"),
        (f"{stats.without_debrief:,}", "$warning" if stats.without_debrief else ""),
        "   ",
        ("Follow-ups overdue ", "bold"),
        (f"{stats.overdue_follow_ups:,}", "$error" if stats.overdue_follow_ups else ""),
        "   ",
        (f"lost {overall.lost:,} · cancelled {overall.cancelled:,}", "dim"),
    )


def verdict(stats: Stats) -> Content:
    """One sentence on whether better prepared calls end in advances more often."""
    pays = preparation_pays(stats.by_band)
    if pays is None:
        return Content.styled("Not enough started calls in both the low and high bands to compare yet.", "dim")
    bands = {r.key: r for r in stats.by_band}
    high, low = percent(bands["high"].advance_rate), percent(bands["low"].advance_rate)
    if pays:
        return Content.assemble(
            ("Preparation pays: ", "bold $success"),
            f"{high} of well prepared calls advance, {low} of poorly prepared ones.",
        )
    return Content.assemble(
        ("Preparation does not show yet: ", "bold $warning"), f"{high} (high readiness) vs {low} (low)."
    )


class StatsScreen(DataScreen):
    """The rep's own numbers."""

    CSS_PATH = "stats.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("v", "app.review", "Review", id="stats.review"),
        Binding("f", "forecast", "Forecast", id="stats.forecast"),
    ]

    def action_forecast(self) -> None:
        """The coming weeks from these numbers (``screens.forecast``)."""
        from salestui.screens.forecast import ForecastScreen

        self.app.push_screen(ForecastScreen())

    def compose(self) -> ComposeResult:
        """Headline, the readiness chart, and three breakdown tables."""
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static("Counting…", id="headline")
            yield Label("Advance rate by readiness at call time", classes="section")
            yield BarChart(id="bands")
            yield Static(id="verdict")
            yield Label("Calibrated ladder: where held calls ended", classes="section")
            yield LadderCalibration(id="ladder")
            yield Static(id="practised")
            yield CoachingPays(id="coaching-pays")
            yield Label("By call kind", classes="section")
            yield self._table("by-kind")
            yield Label(f"By month (last {MONTHS_SHOWN})", classes="section")
            yield self._table("by-month")
            yield Label("Your busiest accounts, best advance rate first", classes="section")
            yield self._table("by-account")
        yield KeysFooter()

    def _table(self, id: str) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(id=id, cursor_type="row", zebra_stripes=True, show_cursor=False)
        table.add_column(
            {"by-kind": "Kind", "by-month": "Month", "by-account": "Account"}[id],
            width=20 if id == "by-account" else 12,
        )
        table.add_column("Held", width=7)
        table.add_column("Adv.", width=5)
        table.add_column("Cont.", width=5)
        table.add_column("Deb.", width=5)
        return table

    def load(self, store: Store) -> Any:
        """Aggregate in SQL (worker thread): the rep's own calls, or everyone's (``store.team_view``)."""
        from salestui.store.scope import scope_owner

        stats = store.review.scoped(scope_owner(store)).stats()
        return stats, store.team_view

    def show(self, data: Any) -> None:
        """Put the loaded data on screen."""
        stats, everyone = data
        self.sub_title = "everyone's calls" if everyone else None
        self._show(stats)

    def _show(self, stats: Stats) -> None:
        self.query_one("#headline", Static).update(headline(stats))
        chart = self.query_one(BarChart)
        chart.bars = tuple(
            Bar(
                f"{r.key} readiness" if r.key != "not recorded" else r.key,
                r.advance_rate,
                f"{r.advances:,}/{r.held:,} calls",
            )
            for r in stats.by_band
        )
        self.query_one("#verdict", Static).update(verdict(stats))
        self.query_one(LadderCalibration).show(stats.ladder)
        self.query_one("#practised", Static).update(Content.styled(practice_line(stats.practised), "italic"))
        store = self.store
        if store is not None:  # coached vs uncoached, ride-along vs solo: the same calls as above
            self.query_one(CoachingPays).reload(None if store.team_view else store.owner)
        self._fill("by-kind", stats.by_kind, lambda key: label(CallKind(key)))
        self._fill("by-month", stats.by_month[:MONTHS_SHOWN], str)
        top = sorted(stats.by_account, key=lambda r: (-r.held, r.key))[:ACCOUNTS_SHOWN]
        self._fill("by-account", best_first(top), str, literal=True)

    def _fill(self, id: str, rates: Sequence[Rate], name: object, literal: bool = False) -> None:
        table = self.query_one(f"#{id}", DataTable)
        table.clear()
        for r in rates:
            shown = name(r.key) if callable(name) else r.key
            table.add_row(
                literal_text(shown) if literal else Text(shown),
                Text(f"{r.held:>6,}"),
                Text(f"{percent(r.advance_rate):>4}", style="bold"),
                Text(f"{percent(r.continuation_rate):>4}"),
                Text(f"{percent(r.debrief_rate):>4}"),
            )
        table.styles.height = len(rates) + 1
