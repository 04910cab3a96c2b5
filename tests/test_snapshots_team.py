"""Snapshot of the Team figures screen at 80x24 (two reps, frozen clock)."""

from __future__ import annotations

from datetime import UTC, datetime

from salestui.app import SalesApp
from salestui.domain import clock
from tests.helpers import settle, wait_ready
from tests.test_team_screen import _fill

FROZEN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_team_screen_80x24(snap_compare, tmp_path):
    clock.freeze(FROZEN)
    try:
        where = str(tmp_path / "team.db")
        _fill(where, FROZEN)

        async def open_team(pilot):  # type: ignore[no-untyped-def]
            await wait_ready(pilot)
            pilot.app.action_team()
            await settle(pilot)

        assert snap_compare(SalesApp(where, owner="alice"), terminal_size=(80, 24), run_before=open_team)
    finally:
        clock.freeze(None)
