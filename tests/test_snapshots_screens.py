"""Every screen as an SVG snapshot: 80x24 and 120x40, dark and light theme, frozen clock, demo data.

One demo database is built once per session at the frozen moment and copied for each test, so
each snapshot only pays for starting the app. Demo calls are found by their objective (not by
id), so reordering the demo dataset does not silently point a snapshot at another call.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from salestui.app import SalesApp
from salestui.domain import clock
from salestui.store.core import Store, open_store
from salestui.store.demo import CALLS, load_demo
from tests.conftest import FROZEN_NOW
from tests.helpers import settle, wait_ready

SIZES = [(80, 24), (120, 40)]
THEMES = ["textual-dark", "textual-light"]

# Demo calls by objective (see salestui/store/demo.py CALLS): one upcoming planned call, one to
# run, one held but not debriefed, one held and debriefed.
PLAN_OBJECTIVE = "Present the phase-one proposal to Lumbergh"
INCALL_OBJECTIVE = "Pricing review with the CFO"
DEBRIEF_OBJECTIVE = "First meeting with Lucius: store-ops pain"
DETAIL_OBJECTIVE = "On-site demo for the plant managers"
ACCOUNT_NAME = "Acme Manufacturing"


def demo_ids(store: Store) -> dict[str, int]:
    """Ids of the demo records the snapshots open, looked up through the repos."""
    ids: dict[str, int] = {}
    for row in store.accounts.rows():
        ids[f"account:{row.name}"] = row.id
        for call in store.calls.history(row.id):
            ids[call.objective] = call.id
    return ids


@pytest.fixture(scope="session")
def snapshot_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The demo dataset at the frozen moment, built once; with the ids the screens need."""
    clock.freeze(FROZEN_NOW)
    try:
        path = tmp_path_factory.mktemp("snapshot-template") / "demo.db"
        store = open_store(path, owner="demo")
        load_demo(store, now=FROZEN_NOW)
        ids = demo_ids(store)
        store.close()
    finally:
        clock.freeze(None)
    objectives = {spec[4] for spec in CALLS}
    for wanted in (PLAN_OBJECTIVE, INCALL_OBJECTIVE, DEBRIEF_OBJECTIVE, DETAIL_OBJECTIVE):
        assert wanted in objectives and wanted in ids, f"demo call {wanted!r} is gone: update the snapshots"
    assert f"account:{ACCOUNT_NAME}" in ids
    return path, ids


@pytest.fixture
def snapshot_db(snapshot_template: tuple[Path, dict[str, int]], tmp_path: Path) -> Iterator[Path]:
    """A private copy of the demo database; the clock stays frozen while the app runs."""
    template, _ = snapshot_template
    target = tmp_path / "snap.db"
    shutil.copy(template, target)
    clock.freeze(FROZEN_NOW)
    yield target
    clock.freeze(None)


Step = Callable[[Pilot[int], dict[str, int]], Awaitable[None]]


def route(name: str, key: str | None = None) -> Step:
    """A step calling an app route, with the id of demo record ``key`` when given."""

    async def step(pilot: Pilot[int], ids: dict[str, int]) -> None:
        getattr(pilot.app, name)(*([ids[key]] if key else []))
        await settle(pilot)

    return step


def press(*keys: str) -> Step:
    """A step pressing keys."""

    async def step(pilot: Pilot[int], ids: dict[str, int]) -> None:
        await pilot.press(*keys)
        await settle(pilot)
        steady_palette(pilot)

    return step


def steady_palette(pilot: Pilot[int]) -> None:
    """When the command palette is open, check its search has finished (``settle`` waited for its
    worker) and it is not busy: the busy indicator is an animation, and a snapshot catching it
    differs in colour only."""
    from textual.command import CommandPalette

    palette = pilot.app.screen
    if isinstance(palette, CommandPalette):
        assert palette._busy_timer is None and not palette._show_busy, "the palette is still searching"


async def home(pilot: Pilot[int], ids: dict[str, int]) -> None:
    """Home as it opens."""


async def team_calls(pilot: Pilot[int], ids: dict[str, int]) -> None:
    """Team figures, then enter on the rep: their upcoming calls, to coach."""
    pilot.app.action_team()  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


SCREENS: dict[str, Step] = {
    "home": home,
    "accounts": route("action_research"),
    "account": route("open_account", f"account:{ACCOUNT_NAME}"),
    "plan": route("open_plan", PLAN_OBJECTIVE),
    "practice": route("open_practice", PLAN_OBJECTIVE),
    "incall": route("start_call", INCALL_OBJECTIVE),
    "debrief": route("open_debrief", DEBRIEF_OBJECTIVE),
    "review": route("action_review"),
    "call_detail": route("open_call", DETAIL_OBJECTIVE),
    "stats": route("action_stats"),
    "team": route("action_team"),
    "team_calls": team_calls,
    "forecast": press("g", "t", "f"),
    "help": press("f1"),
    # With an empty query the palette lists every provider's commands in the order they arrive,
    # which varies under load; "call" only matches this app's commands, so the order is fixed.
    "palette": press("ctrl+p", "c", "a", "l", "l"),
}


def still_cursors(app: SalesApp) -> None:
    """Stop blinking cursors so a snapshot never catches one half-way."""
    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.removeprefix("textual-"))
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, snapshot_template, snapshot_db, screen, size, theme):
    _, ids = snapshot_template
    app = SalesApp(snapshot_db, owner="demo")

    async def run_before(pilot: Pilot[int]) -> None:
        pilot.app.theme = theme
        await wait_ready(pilot)
        await SCREENS[screen](pilot, ids)
        still_cursors(pilot.app)
        await settle(pilot)
        assert pilot.app.theme == theme

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_every_screen_is_in_the_matrix():
    """Every screen module has a snapshot here (a new screen must be added to SCREENS)."""
    screens_dir = Path(__file__).resolve().parent.parent / "salestui" / "screens"
    modules = {p.stem for p in screens_dir.glob("*.py")} - {"__init__", "base"}
    covered = {"home", "accounts", "account", "plan", "practice", "incall", "debrief", "review", "call_detail"}
    covered |= {"stats", "team", "team_calls"}
    covered |= {"forecast"}
    covered |= {"help"}
    assert modules <= covered, f"screens without a snapshot: {sorted(modules - covered)}"
    assert covered - {"help"} <= set(SCREENS)
