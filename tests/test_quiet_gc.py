"""Full garbage collections wait for a pause in the rep's input (``salestui.quiet_gc``)."""

from __future__ import annotations

import asyncio
import gc

import pytest

from salestui import quiet_gc
from salestui.app import SalesApp
from tests.helpers import GUARD, wait_ready


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_full_collection_waits_for_a_pause_and_for_enough_young_collections() -> None:
    clock, pending, collected = Clock(), [quiet_gc.FULL_AFTER], []
    collector = quiet_gc.IdleCollector(clock=clock, pending=lambda: pending[0], collect=lambda: collected.append(1))
    clock.now += quiet_gc.QUIET / 2
    assert not collector.tick()  # the rep was typing half a second ago
    clock.now += quiet_gc.QUIET
    collector.input_seen()  # a key: the pause starts again
    clock.now += quiet_gc.QUIET - 0.01
    assert not collector.tick()
    clock.now += 0.02
    pending[0] = quiet_gc.FULL_AFTER - 1
    assert not collector.tick()  # paused, but not enough garbage candidates yet
    pending[0] = quiet_gc.FULL_AFTER
    assert collector.tick() and collected == [1]


def test_startup_objects_are_frozen_and_automatic_full_collections_made_rare(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen, thresholds = [], []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(gc, "get_threshold", lambda: (700, 10, 10))
    monkeypatch.setattr(gc, "set_threshold", lambda *values: thresholds.append(values))
    quiet_gc.freeze_startup()
    assert frozen == [True] and thresholds == [(700, 10, quiet_gc.AUTOMATIC_FULL_AFTER)]


async def test_the_terminal_app_collects_in_a_pause_once_the_store_is_open(
    db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen: list[bool] = []
    collected = asyncio.Event()
    monkeypatch.setattr(quiet_gc, "freeze_startup", lambda: frozen.append(True))
    monkeypatch.setattr(quiet_gc, "QUIET", 0.05)
    monkeypatch.setattr(quiet_gc, "FULL_AFTER", 0)
    monkeypatch.setattr(gc, "collect", lambda *args: collected.set() or 0)
    app = SalesApp(db_path, owner="tester", quiet_gc=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert frozen == [True]
        await pilot.press("down")
        await asyncio.wait_for(collected.wait(), GUARD)


async def test_apps_built_by_tests_leave_the_collector_alone(db_path, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(quiet_gc, "freeze_startup", lambda: frozen.append(True))
    app = SalesApp(db_path, owner="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert frozen == []
