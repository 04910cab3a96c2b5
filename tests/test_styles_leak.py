"""Visiting every screen first changes nothing on plan, debrief and research (no style leaks)."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Footer

from salestui.app import SalesApp
from salestui.domain import clock
from salestui.modals.confirm import Confirm
from salestui.screens.account import AccountScreen
from salestui.screens.base import DataScreen
from salestui.screens.debrief import DebriefScreen
from salestui.screens.incall import InCallScreen
from salestui.screens.plan import PlanScreen
from salestui.store.core import open_store
from salestui.store.demo import load_demo
from tests.conftest import FROZEN_NOW
from tests.helpers import settle, wait_modal, wait_ready, wait_screen


def _layout(screen: DataScreen) -> list[tuple[str, str, tuple[int, int, int, int], bool]]:
    """Every widget's place and visibility: a leaked rule that hides or resizes one shows here.

    The footer counts as one widget: Textual recomposes its keys after the bindings change
    (``call_after_refresh``), so which keys it holds at a given instant is timing, not style.
    """
    return [
        (type(w).__name__, w.id or "", tuple(w.region), w.display)  # type: ignore[misc]
        for w in screen.query("*")
        if not any(isinstance(ancestor, Footer) for ancestor in w.ancestors)
    ]


async def _visit_everything(pilot: Pilot[int], ids: dict[str, int]) -> None:
    app = pilot.app
    assert isinstance(app, SalesApp)
    for route, arg in (
        ("action_research", None),
        ("open_account", ids["account"]),
        ("open_plan", ids["plan"]),
        ("open_debrief", ids["debrief"]),
        ("action_review", None),
        ("open_call", ids["debrief"]),
        ("action_stats", None),
        ("action_team", None),
    ):
        getattr(app, route)(*([arg] if arg is not None else []))
        await settle(pilot)
        app.action_home()
        await settle(pilot)
    app.start_call(ids["incall"])
    await wait_screen(pilot, InCallScreen)
    await pilot.press("escape")
    await wait_modal(pilot, Confirm)
    await pilot.press("y")
    await settle(pilot)


async def _layouts(db: Path, ids: dict[str, int], visit_first: bool) -> dict[str, object]:
    app = SalesApp(db, owner="tester")
    found: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        if visit_first:
            await _visit_everything(pilot, ids)
        for name, route, arg, kind in (
            ("plan", "open_plan", ids["plan"], PlanScreen),
            ("debrief", "open_debrief", ids["debrief"], DebriefScreen),
            ("research", "open_account", ids["account"], AccountScreen),
        ):
            getattr(app, route)(arg)
            screen = await wait_screen(pilot, kind)
            found[name] = _layout(screen)
            app.action_home()
            await settle(pilot)
    return found


async def test_plan_debrief_and_research_look_the_same_after_every_screen(tmp_path: Path) -> None:
    clock.freeze(FROZEN_NOW)
    try:
        template = tmp_path / "demo.db"
        store = open_store(template, owner="tester")
        load_demo(store, now=FROZEN_NOW)
        upcoming = store.calls.upcoming()
        ids = {
            "plan": upcoming[0].id,
            "incall": upcoming[1].id,
            "debrief": store.calls.needing_debrief()[0].id,
            "account": store.accounts.rows()[0].id,
        }
        store.close()
        fresh, visited = tmp_path / "fresh.db", tmp_path / "visited.db"
        shutil.copy(template, fresh)
        shutil.copy(template, visited)
        before = await _layouts(fresh, ids, visit_first=False)
        after = await _layouts(visited, ids, visit_first=True)
    finally:
        clock.freeze(None)
    for name in before:
        assert before[name] == after[name], f"{name} changed after visiting every screen"
