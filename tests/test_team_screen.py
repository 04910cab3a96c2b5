"""The Team figures screen and the everyone's/mine switch, driven by keys, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable

from salestui.app import SalesApp
from salestui.domain.enums import Outcome
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from salestui.widgets.call_table import CallTable
from tests.helpers import palette, settle, wait_ready

HOSTILE_REP = "[@click=app.quit]x[/] [TODO]"


def _fill(where: str, now) -> None:  # type: ignore[no-untyped-def]
    alice = open_store(where, owner="alice")
    load_demo(alice, now=now)
    alice.close()
    other = open_store(where, owner=HOSTILE_REP)
    account = other.accounts.create("Rep two's account")
    held = other.calls.create(account.id, now - timedelta(days=2), objective="rep two past")
    other.calls.set_outcome(held, Outcome.CONTINUATION)  # held: an outcome that is not "cancelled"
    other.debriefs.finish(held, lessons="x")
    other.calls.create(account.id, now + timedelta(days=2), objective="rep two upcoming")
    other.close()


def _cells(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(getattr(cell, "plain", cell)).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def _journey(where: str) -> None:
    app = SalesApp(where, owner="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        upcoming = app.screen.query_one("#upcoming", CallTable)
        assert "rep two upcoming" not in [c.objective for c in upcoming.calls]
        assert len(upcoming.calls) == 3

        await palette(pilot, "Everyone")
        assert app.store is not None and app.store.team_view
        upcoming = app.screen.query_one("#upcoming", CallTable)
        assert "rep two upcoming" in [c.objective for c in upcoming.calls]

        await palette(pilot, "Team figures")
        assert type(app.screen).__name__ == "TeamScreen"
        rows = _cells(app.screen.query_one("#reps", DataTable))
        assert rows == [
            [HOSTILE_REP, "1", "0%", "100%", "0", "1"],
            ["alice (you)", "6", "67%", "83%", "1", "3"],
            ["Team", "7", "57%", "86%", "1", "4"],
        ]
        assert app.is_running  # the rep's name was shown literally: no click action ran
        await pilot.press("j", "k", "escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"


async def test_team_screen_and_switch_on_sqlite(tmp_path, frozen_now):
    where = str(tmp_path / "team.db")
    _fill(where, frozen_now)
    await _journey(where)


async def test_team_screen_and_switch_on_postgresql(pg_url, frozen_now):
    _fill(pg_url, frozen_now)
    await _journey(pg_url)


async def test_team_screen_fits_80x24_and_empty_state(tmp_path):
    app = SalesApp(tmp_path / "empty.db", owner="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "Team figures")
        caption = str(app.screen.query_one("#caption").render())
        assert "No calls yet" in caption
        assert app.screen.query_one("#reps", DataTable).row_count == 0
