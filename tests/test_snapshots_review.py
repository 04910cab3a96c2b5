"""Snapshots of the review list, a call detail and the stats at 120x40 and 80x24 (frozen clock, demo data)."""

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
def demo_db(tmp_path: Path) -> Iterator[Path]:
    """A demo database made at the frozen moment; the clock stays frozen for the app."""
    clock.freeze(FROZEN_NOW)
    path = tmp_path / "snap.db"
    store = open_store(path, owner="tester")
    load_demo(store, now=FROZEN_NOW)
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
def test_review_list(snap_compare, demo_db, size):
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=_journey("v", "j", "j"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_search(snap_compare, demo_db, size):
    keys = ("v", "slash", "c", "f", "o")
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=_journey(*keys))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_call_detail(snap_compare, demo_db, size):
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=_journey("v", "j", "j", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_stats(snap_compare, demo_db, size):
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=_journey("v", "t"))
