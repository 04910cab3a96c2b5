"""Snapshots of the Forecast screen at 120x40 and 80x24: the demo with its track record, frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from salestui.domain import clock
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from tests.conftest import FROZEN_NOW
from tests.helpers import make_app, settle, wait_ready

SIZES = [(120, 40), (80, 24)]


@pytest.fixture
def track_record_db(tmp_path: Path) -> Iterator[Path]:
    """The demo and its 16 weeks of held calls, made at the frozen moment; the clock stays frozen."""
    clock.freeze(FROZEN_NOW)
    path = tmp_path / "snap.db"
    store = open_store(path, owner="tester")
    load_demo(store, now=FROZEN_NOW, history=True)
    store.engine.dispose()
    yield path
    clock.freeze(None)


def _journey(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_ready(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_forecast(snap_compare, track_record_db, size):
    """Stats, then f: the weeks with their bands, what would move it, the backtest's first lines."""
    assert snap_compare(make_app(track_record_db), terminal_size=size, run_before=_journey("g", "t", "f"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_forecast_scrolled_to_the_calls(snap_compare, track_record_db, size):
    """The end of the screen: the backtest's weeks and the planned calls with their chances."""
    assert snap_compare(make_app(track_record_db), terminal_size=size, run_before=_journey("g", "t", "f", "end"))
