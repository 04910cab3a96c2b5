"""The Forecast screen, driven by keys: stats → f, the palette's "Forecast", a team's reps."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Select, Static

from salestui.domain import forecast as fc
from salestui.domain.enums import Outcome
from salestui.screens.forecast import ForecastScreen
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from salestui.store.forecast import read
from salestui.widgets.bar_chart import BarChart
from tests.helpers import make_app, palette, settle, wait_ready, wait_screen

HOSTILE_REP = "[/] [TODO] rep"


@pytest.fixture
def demo_path(tmp_path: Path, frozen_now) -> Path:  # type: ignore[no-untyped-def]
    """The demo with its track record at the frozen moment (the clock stays frozen for the app)."""
    path = tmp_path / "forecast.db"
    store = open_store(path, owner="tester")
    load_demo(store, now=frozen_now, history=True)
    store.close()
    return path


def _text(screen: ForecastScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_stats_f_opens_the_forecast_and_escape_goes_back(demo_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("g", "t")
        await settle(pilot)
        assert type(app.screen).__name__ == "StatsScreen"
        await pilot.press("f")
        screen = await wait_screen(pilot, ForecastScreen)
        assert app.store is not None
        result = read(app.store).forecast()  # what the screen must show
        headline = _text(screen, "#headline")
        assert headline.startswith(f"Next 4 weeks: {result.total.expected:.1f} advances expected")
        assert f"(band {result.total.low}–{result.total.high}) from 6 planned calls" in headline
        bars = screen.query_one("#weeks", BarChart).bars
        assert [b.label for b in bars] == ["This week", "Wk of 30 Nov", "Wk of 7 Dec", "Wk of 14 Dec"]
        assert [b.shown for b in bars] == [f"{w.band.expected:.1f} ({w.band.low}–{w.band.high})" for w in result.weeks]
        assert all(b.low is not None and b.high is not None and b.low <= (b.value or 0) <= b.high for b in bars)
        movers = _text(screen, "#movers")
        assert "Wayne Retail, 57 % ready: calls like it advance" in movers and "when ≥ 80 % ready" in movers
        assert _text(screen, "#backtest").startswith(result.backtest.summary)
        assert len(screen.query_one("#past", BarChart).bars) == len(result.backtest.weeks) == fc.BACKTEST_WEEKS
        calls = screen.query_one("#calls", DataTable)
        assert calls.row_count == 6
        first = [str(cell) for cell in calls.get_row_at(0)]
        assert first[1] == "Initech" and first[3] == " 95%"
        assert first[4] == f"{fc.pct(result.calls[0].advance.value):>5} ({result.calls[0].advance.calls})"
        # One rep: no rep picker, no per-rep table, and the rep keys do nothing.
        assert not screen.query_one("#scope", Select).display and not screen.query_one("#reps").display
        await pilot.press("right_square_bracket")
        assert screen.scope == "mine"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "StatsScreen"


async def test_the_palette_opens_the_forecast(demo_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "Forecast")
        screen = await wait_screen(pilot, ForecastScreen)
        assert "advances expected" in _text(screen, "#headline")


async def test_a_manager_sees_each_rep_and_the_team(demo_path: Path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    other = open_store(demo_path, owner=HOSTILE_REP)
    account = other.accounts.create("Their account").id
    for days in (10, 20):
        held = other.calls.create(account, frozen_now - timedelta(days=days), objective="their held call")
        other.calls.set_outcome(held, Outcome.CONTINUATION)
    other.calls.create(account, frozen_now + timedelta(days=2), objective="their next call")
    other.close()
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("g", "t")
        await settle(pilot)
        await pilot.press("f")
        screen = await wait_screen(pilot, ForecastScreen)
        select = screen.query_one("#scope", Select)
        assert select.display and select.value == "mine"
        reps = screen.query_one("#reps", DataTable)
        names = [str(reps.get_row_at(i)[0]) for i in range(reps.row_count)]
        assert names == ["tester (you)", "Team", HOSTILE_REP]  # the name shown literally
        mine = read(app.store).forecast() if app.store else None
        assert mine is not None
        first = [str(cell).strip() for cell in reps.get_row_at(0)]
        assert first[1:] == [
            str(mine.total.calls),
            f"{mine.total.expected:.1f} ({mine.total.low}–{mine.total.high})",
            f"{mine.backtest.inside} of {len(mine.backtest.weeks)}",
            f"{mine.backtest.mae:.1f}",
            f"{mine.backtest.brier:.2f}",
        ]
        assert "the team's rates" in _text(screen, "#headline")
        await pilot.press("right_square_bracket")
        assert screen.scope == "team" and select.value == "team"
        assert "from 7 planned calls" in _text(screen, "#headline")
        await pilot.press("right_square_bracket")
        assert screen.scope == HOSTILE_REP
        calls = screen.query_one("#calls", DataTable)
        assert calls.row_count == 1 and str(calls.get_row_at(0)[1]) == "Their account"
        assert _text(screen, "#backtest").startswith("2 of 2 past weeks inside the band")
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.scope == "mine"
        assert app.is_running
        # With everyone's records on (the palette's "Everyone's or my records"), it opens on the team.
        await pilot.press("escape")
        await settle(pilot)
        assert app.store is not None
        app.store.team_view = True
        await pilot.press("f")
        again = await wait_screen(pilot, ForecastScreen)
        assert again.scope == "team" and "from 7 planned calls" in _text(again, "#headline")


async def test_a_bar_with_a_band_draws_the_band_and_its_text() -> None:
    """The bar runs to the value, changes style at the band's low end, and a whisker ends at its high end."""
    from textual.app import App, ComposeResult

    from salestui.widgets.bar_chart import Bar, draw

    class Chart(App[None]):
        def compose(self) -> ComposeResult:
            yield BarChart([Bar("Week", 0.5, "3 calls", low=0.25, high=0.75, shown="1.5 (1–3)"), Bar("Plain", 0.5)])

    app = Chart()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        chart = app.query_one(BarChart)
        banded, plain = chart.render().split()
        text = banded.plain
        assert text.startswith("Week  ") and text.endswith(" 1.5 (1–3) 3 calls")
        track = text[len("Week  ") : text.index(" 1.5")]
        width = len(track)
        assert track[: width // 2] == "█" * (width // 2)
        drawn = draw(0.5, width)
        assert track.startswith(drawn) and track[len(drawn)] == "─"
        assert track.index("┤") == round(0.75 * width) - 1 and track.endswith("·" * (width - round(0.75 * width)))
        styles = {span.style for span in banded.spans if span.start < len("Week  ") + width // 2}
        assert len(styles) >= 3  # label, the solid part and the band part are styled apart
        assert plain.plain.rstrip().endswith("50%")  # a bar without a band draws as before
