"""Regenerate screenshots/ from the real app with the demo dataset at a frozen moment.

Usage: python scripts/screenshots.py   (PNG files too when Debian's rsvg-convert is installed)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["TZ"] = "UTC"
time.tzset()

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, TextArea  # noqa: E402

from salestui.app import SalesApp  # noqa: E402
from salestui.domain import clock  # noqa: E402

FROZEN_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OUT = ROOT / "screenshots"

Step = Callable[[SalesApp, Pilot[int]], Awaitable[None]]


async def settle(pilot: Pilot[int]) -> None:
    """Let workers and their messages finish."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def nothing(app: SalesApp, pilot: Pilot[int]) -> None:
    """Home as it opens."""


def route(name: str, key: str | None = None) -> Step:
    """A step that calls an app route, with the id of demo record ``key`` (see ``demo_ids``)."""

    async def step(app: SalesApp, pilot: Pilot[int]) -> None:
        getattr(app, name)(*([demo_ids(app)[key]] if key else []))
        await settle(pilot)

    return step


def demo_ids(app: SalesApp) -> dict[str, int]:
    """Demo records by name: ``account:<name>`` and each call's objective (ids are never hard-coded)."""
    assert app.store is not None
    ids: dict[str, int] = {}
    for row in app.store.accounts.rows():
        ids[f"account:{row.name}"] = row.id
        for call in app.store.calls.history(row.id):
            ids[call.objective] = call.id
    return ids


def keys(*pressed: str) -> Step:
    """A step that presses keys."""

    async def step(app: SalesApp, pilot: Pilot[int]) -> None:
        await pilot.press(*pressed)
        await settle(pilot)

    return step


async def palette(app: SalesApp, pilot: Pilot[int]) -> None:
    """Open the command palette and wait until its list stops growing (providers answer async)."""
    await pilot.press("ctrl+p")
    # With an empty query the palette lists every provider's commands in the order they arrive,
    # which varies with load; "call" only matches this app's commands, so the order is fixed.
    await pilot.press(*"call")
    await settle_palette(pilot)


async def settle_palette(pilot: Pilot[int]) -> None:
    """Wait until the palette's command list has had the same length for a few checks."""
    from textual.command import CommandList, CommandPalette

    last, steady = -1, 0
    for _ in range(100):
        await pilot.pause(0.05)
        found = pilot.app.screen.query(CommandList)
        count = found.first().option_count if found else -1
        palette = pilot.app.screen
        idle = isinstance(palette, CommandPalette) and palette._busy_timer is None and not palette._show_busy
        steady = steady + 1 if count == last and count > 0 and idle else 0
        last = count
        if steady >= 5:
            break
    await settle(pilot)


async def coached_plan(app: SalesApp, pilot: Pilot[int]) -> None:
    """The coached demo plan, the cursor on the open coaching note beside the ladder (issue 33)."""
    await route("open_plan", "Present the phase-one proposal to Lumbergh")(app, pilot)
    app.screen.query_one("#coach-ladder").focus()
    await settle(pilot)


async def team_calls(app: SalesApp, pilot: Pilot[int]) -> None:
    """Team figures, then enter on the rep: the manager's list of upcoming calls to coach."""
    await route("action_team")(app, pilot)
    await keys("enter")(app, pilot)


# Demo records by objective (see salestui/store/demo.py CALLS): an upcoming planned call, one to
# run, one held but not debriefed, one held and debriefed.
SHOTS: list[tuple[str, tuple[int, int], Step]] = [
    ("home", (120, 40), nothing),
    ("research", (120, 40), route("action_research")),
    ("account", (120, 40), route("open_account", "account:Acme Manufacturing")),
    ("plan", (120, 40), route("open_plan", "Present the phase-one proposal to Lumbergh")),
    ("incall", (120, 40), route("start_call", "Pricing review with the CFO")),
    ("incall-80x24", (80, 24), route("start_call", "Pricing review with the CFO")),
    ("practice", (120, 40), route("open_practice", "Present the phase-one proposal to Lumbergh")),
    ("debrief", (120, 40), route("open_debrief", "First meeting with Lucius: store-ops pain")),
    ("review", (120, 40), route("action_review")),
    ("call-detail", (120, 40), route("open_call", "On-site demo for the plant managers")),
    ("stats", (120, 40), route("action_stats")),
    ("help", (120, 40), keys("f1")),
    ("palette", (120, 40), palette),
    ("coaching-plan", (120, 40), coached_plan),
    ("coaching-plan-80x24", (80, 24), coached_plan),
    ("team-calls", (120, 40), team_calls),
    ("team-calls-80x24", (80, 24), team_calls),
]


# The forecast reads a track record: these use the demo with its 16 weeks of held calls
# (``load_demo(..., history=True)``, ``salestui demo --history``).
TRACK_RECORD_SHOTS: list[tuple[str, tuple[int, int], Step]] = [
    ("forecast", (120, 40), keys("g", "t", "f")),
    ("forecast-80x24", (80, 24), keys("g", "t", "f")),
]


def still_cursors(app: SalesApp) -> None:
    """Stop blinking cursors so every run catches the same frame."""
    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False


async def shoot(name: str, size: tuple[int, int], step: Step, template: Path) -> Path:
    """Copy the demo database, open the app on it, take one screenshot."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "shot.db"
        shutil.copy(template, db)
        app = SalesApp(db, owner="demo")
        async with app.run_test(size=size) as pilot:
            while app.store is None:
                await pilot.pause(0.05)
            await settle(pilot)
            await step(app, pilot)
            still_cursors(app)
            await settle(pilot)
            target = OUT / f"{name}.svg"
            app.save_screenshot(filename=target.name, path=str(OUT))
        app.store and app.store.close()
    return target


def to_png(converter: str, svg: Path) -> None:
    """PNG next to ``svg``. rsvg-convert drops the leading no-break spaces of each text run unless
    whitespace is preserved, which glues styled segments together ("Daytonnext call"): convert a
    copy marked ``xml:space="preserve"``; the SVG file itself stays Textual's own export."""
    text = svg.read_text(encoding="utf-8").replace("<svg ", '<svg xml:space="preserve" ', 1)
    subprocess.run([converter, "-o", str(svg.with_suffix(".png"))], input=text.encode(), check=True)


def main() -> int:
    """Write every screenshot (SVG, and PNG when rsvg-convert exists); with names as arguments
    (``python scripts/screenshots.py forecast forecast-80x24``), only those."""
    clock.freeze(FROZEN_NOW)
    OUT.mkdir(exist_ok=True)
    from salestui.store.core import open_store
    from salestui.store.demo import load_demo

    wanted = set(sys.argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "demo.db"
        store = open_store(template, owner="demo")
        load_demo(store, now=FROZEN_NOW)
        store.close()
        track_record = Path(folder) / "track-record.db"
        store = open_store(track_record, owner="demo")
        load_demo(store, now=FROZEN_NOW, history=True)
        store.close()
        converter = shutil.which("rsvg-convert")
        shots = [(shot, template) for shot in SHOTS] + [(shot, track_record) for shot in TRACK_RECORD_SHOTS]
        for (name, size, step), source in shots:
            if wanted and name not in wanted:
                continue
            svg = asyncio.run(shoot(name, size, step, source))
            if converter:
                to_png(converter, svg)
            print(f"wrote {svg.relative_to(ROOT)}")
    if not shutil.which("rsvg-convert"):
        print("rsvg-convert not found: PNGs not updated (apt-get install librsvg2-bin)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
