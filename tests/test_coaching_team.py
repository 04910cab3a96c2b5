"""Pilot tests of the manager's side: Team figures -> a rep's upcoming calls -> coach (whole plan,
and on the plan the part the cursor is on); the rep's open plan shows the note live; on a team
database (PostgreSQL, real logins) and on SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from textual.widgets import DataTable

from salestui.app import SalesApp
from salestui.domain.enums import AdvanceLevel
from salestui.store import coaching
from salestui.store.core import open_store
from salestui.widgets.plan_coaching import PlanCoaching
from tests.helpers import open_plan, palette, settle, type_text, wait_ready, wait_screen

HOSTILE = "[TODO] call [/] back"


async def _until(pilot, check: Callable[[], bool], what: str, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        await pilot.pause(0.05)


def _rep_call(where: str, now, owner: str | None) -> int:  # type: ignore[no-untyped-def]
    store = open_store(where, owner=owner)
    account = store.accounts.create("Acme [/]")
    call_id = store.calls.create(account.id, now + timedelta(days=1), objective="Agree the pilot")
    store.calls.add_objection(call_id, "Too expensive", "Phase it")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Agrees to a pilot", "", None)
    store.calls.create(account.id, now + timedelta(days=3), objective="Second call")
    store.close()
    return call_id


def _rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(getattr(c, "plain", c)).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _manager_coaches(manager_db: str, rep_name: str, call_id: int) -> None:
    from salestui.screens.plan import PlanScreen
    from salestui.screens.team import TeamScreen
    from salestui.screens.team_calls import TeamCallsScreen

    app = SalesApp(manager_db, owner="boss")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "Team figures")
        team = await wait_screen(pilot, TeamScreen)
        reps = team.query_one("#reps", DataTable)
        names = [row[0] for row in _rows(reps)]
        reps.move_cursor(row=names.index(rep_name))
        await pilot.press("enter")
        calls = await wait_screen(pilot, TeamCallsScreen)
        rows = _rows(calls.table)
        assert [r[1] for r in rows] == ["Acme [/]", "Acme [/]"]  # the account literally
        assert rows[0][5] == "—" and rows[0][4] == "no"
        assert calls.current is not None and calls.current.id == call_id

        await pilot.press("C")
        await settle(pilot)
        await type_text(pilot, HOSTILE)
        await pilot.press("enter")
        await settle(pilot)
        await _until(pilot, lambda: _rows(calls.table)[0][5] == "1, 1 open", "the coached column counted the note")

        await pilot.press("enter")  # open the plan
        plan = await wait_screen(pilot, PlanScreen)
        assert plan.call_id == call_id
        plan.objections.focus()
        await pilot.pause()
        await plan.run_action("coach")
        await settle(pilot)
        await type_text(pilot, "Lead with the cost of waiting")
        await pilot.press("enter")
        await settle(pilot)
        shown = plan.query_one("#coach-objections", PlanCoaching)
        await _until(pilot, lambda: [n.text for n in shown.notes] == ["Lead with the cost of waiting"], "note shown")
        assert app.is_running


async def _rep_sees_it_live(rep_db: str, rep_name: str | None, manager_db: str, call_id: int, pg: bool) -> None:
    app = SalesApp(rep_db, owner=rep_name)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        plan = await open_plan(pilot, call_id)
        ladder = plan.query_one("#coach-ladder", PlanCoaching)
        assert not ladder.display
        manager = open_store(manager_db, owner=None if pg else "boss")
        from salestui.domain.coaching import parse_part

        coaching.add_note(manager, call_id, "Name the start date", parse_part("target", manager.calls.plan(call_id)))
        manager.close()
        await _until(pilot, lambda: ladder.display and len(ladder.notes) == 1, "the manager's note shows live")
        assert "3 coaching notes not addressed" in str(plan.meter.render())
        objections = plan.query_one("#coach-objections", PlanCoaching)
        assert [n.text for n in objections.notes] == ["Lead with the cost of waiting"]
        whole = plan.query_one("#coach-plan", PlanCoaching)
        assert [n.text for n in whole.notes] == [HOSTILE]
        whole.focus()
        await pilot.press("space")
        await settle(pilot)
        assert "2 coaching notes not addressed" in str(plan.meter.render())
        store = app.store
        assert store is not None
        assert [n.done for n in store.calls.plan(call_id).coaching] == [True, False, False]


async def test_manager_coaches_from_the_team_view_on_postgresql(logins, frozen_now):
    open_store(logins.admin, owner="admin").close()
    call_id = _rep_call(logins.rep_a, frozen_now, None)
    await _manager_coaches(logins.manager, logins.names["a"], call_id)
    check = open_store(logins.rep_a)
    notes = check.calls.plan(call_id).coaching
    check.close()
    assert [(n.part, n.text, n.author) for n in notes] == [
        ("plan", HOSTILE, logins.names["m"]),
        ("objection", "Lead with the cost of waiting", logins.names["m"]),
    ]
    await _rep_sees_it_live(logins.rep_a, None, logins.manager, call_id, pg=True)


async def test_manager_coaches_from_the_team_view_on_sqlite(tmp_path, frozen_now):
    db = str(tmp_path / "team.db")
    call_id = _rep_call(db, frozen_now, "alice")
    await _manager_coaches(db, "alice", call_id)
    await _rep_sees_it_live(db, "alice", db, call_id, pg=False)
