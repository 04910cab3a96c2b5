"""Time the review journey in the real app (headless Pilot) on an existing database.

    python -m bench.review_ui --db /tmp/bench-100k.db

Open review, page down past the window edge 10 times, jump to the end, search while typing,
open a call detail: each figure is wall time from the key press until the screen shows it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any


async def _until(pilot: Any, done: Callable[[], bool], timeout: float = 10.0) -> float:
    began = time.perf_counter()
    while not done():
        if time.perf_counter() - began > timeout:
            raise TimeoutError("the screen did not update")
        await pilot.pause(0.001)
    return (time.perf_counter() - began) * 1000


async def journey(db: str) -> dict[str, list[float]]:
    """Milliseconds per step (several samples for repeated steps)."""
    from salestui.app import SalesApp
    from salestui.screens.call_detail import CallDetailScreen
    from salestui.screens.review import ReviewScreen

    app = SalesApp(db)
    out: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: app.store is not None, 30)
        await pilot.pause(0.2)
        began = time.perf_counter()
        await pilot.press("v")
        await _until(pilot, lambda: isinstance(app.screen, ReviewScreen) and bool(app.screen.table.lines))
        out["review open"] = [(time.perf_counter() - began) * 1000]
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.table
        out["page down"] = []
        for _ in range(10):
            before = screen.window_start + table.cursor_row
            began = time.perf_counter()
            await pilot.press("pagedown")
            await _until(pilot, lambda before=before: screen.window_start + table.cursor_row > before)
            out["page down"].append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        await pilot.press("G")
        await _until(pilot, lambda: not table.has_older)
        out["jump to end (G)"] = [(time.perf_counter() - began) * 1000]
        await pilot.press("slash")
        await pilot.pause()
        out["search keystroke"] = []
        typed = ""
        for char in "procurement":
            typed += char
            began = time.perf_counter()
            await pilot.press(char)
            if len(typed) < 2:
                continue
            await _until(
                pilot,
                lambda typed=typed: (
                    screen._search_text == typed
                    and screen.hits.option_count > 0
                    and getattr(screen, "hits_found", None) is not None
                ),
            )
            await app.workers.wait_for_complete()
            await pilot.pause()
            out["search keystroke"].append((time.perf_counter() - began) * 1000)
        await pilot.press("escape")
        await pilot.pause()
        began = time.perf_counter()
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, CallDetailScreen) and app.screen.detail is not None)
        out["call detail"] = [(time.perf_counter() - began) * 1000]
        await pilot.press("escape", "t")
        began = time.perf_counter()
        from salestui.widgets.bar_chart import BarChart

        await _until(pilot, lambda: bool(app.screen.query(BarChart)) and bool(app.screen.query_one(BarChart).bars), 30)
        out["stats"] = [(time.perf_counter() - began) * 1000]
    import resource

    out["peak RSS MB"] = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    for name, samples in asyncio.run(journey(args.db)).items():
        print(
            f"{name:<30} median {statistics.median(samples):8.1f}  (min {min(samples):.1f}, max {max(samples):.1f}, n={len(samples)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
