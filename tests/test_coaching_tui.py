"""Pilot tests: coaching on the rep's plan (beside its part, space marks done, C adds one), readiness
names what is open, the practice run gets a card per note; riders named on the plan."""

from __future__ import annotations

from datetime import timedelta

from salestui.domain.enums import AdvanceLevel
from salestui.store import coaching
from salestui.store.core import open_store
from salestui.widgets.plan_coaching import PlanCoaching
from tests.helpers import open_plan, settle, type_text, wait_ready, wait_screen

HOSTILE = "[TODO] call [/] back"


def _fill(db, now):  # type: ignore[no-untyped-def]
    store = open_store(db, owner="rep")
    call_id = store.calls.create(store.accounts.create("Acme").id, now + timedelta(days=1), objective="Pilot")
    store.calls.add_objection(call_id, "Too expensive", "Phase it")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Agrees to a 30-day pilot", "CFO", None)
    plan = store.calls.plan(call_id)
    from salestui.domain.coaching import parse_part

    coaching.add_note(store, call_id, HOSTILE, parse_part("objection:1", plan))
    coaching.add_note(store, call_id, "Name the start date", parse_part("target", plan))
    store.close()
    return call_id


def _text(widget) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count))


async def test_rep_sees_coaching_beside_its_part_marks_it_done_and_practises_it(tmp_path, frozen_now):
    from salestui.app import SalesApp
    from salestui.screens.practice import PracticeScreen

    db = tmp_path / "c.db"
    call_id = _fill(db, frozen_now)
    app = SalesApp(db, owner="rep")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        plan = await open_plan(pilot, call_id)
        await settle(pilot)
        objections = plan.query_one("#coach-objections", PlanCoaching)
        ladder = plan.query_one("#coach-ladder", PlanCoaching)
        assert objections.display and ladder.display
        assert not plan.query_one("#coach-objective", PlanCoaching).display
        assert HOSTILE in _text(objections) and "Objection: Too expensive" in _text(objections)
        assert "coaching from rep" in _text(objections)
        assert "Target rung" in _text(ladder) and "Name the start date" in _text(ladder)
        assert "2 coaching notes not addressed" in str(plan.meter.render())
        assert app.is_running

        ladder.focus()
        await pilot.press("space")
        await settle(pilot)
        assert "1 coaching note not addressed" in str(plan.meter.render())
        assert "✔" in _text(ladder)
        store = app.store
        assert store is not None
        assert [n.done for n in store.calls.plan(call_id).coaching] == [False, True]

        # C on the objective: the rep's own note (e.g. from a ride-along), pinned to the objective.
        plan.query_one("#objective").focus()
        await pilot.pause()
        await plan.run_action("coach")  # the palette's "Coach this call" (C outside a text field)
        await settle(pilot)
        await type_text(pilot, "Say the number")
        await pilot.press("enter")
        await settle(pilot)
        notes = store.calls.plan(call_id).coaching
        assert [(n.part, n.text) for n in notes][-1] == ("objective", "Say the number")
        assert "Say the number" in _text(plan.query_one("#coach-objective", PlanCoaching))

        # Riders named on the plan.
        riders = plan.query_one("#riders")
        riders.focus()
        await type_text(pilot, "Maria, Tom")
        await settle(pilot)
        assert [r.name for r in store.calls.plan(call_id).riders] == ["Maria", "Tom"]

        await plan.run_action("practise")
        practice = await wait_screen(pilot, PracticeScreen)
        kinds = [card.kind.value for card in practice.cards]
        assert kinds.count("coaching") == 3
        coached = [card for card in practice.cards if card.kind.value == "coaching"]
        assert [c.prompt for c in coached] == ["Say the number", HOSTILE, "Name the start date"]  # open first
        assert "Too expensive" in coached[1].reveal and "Phase it" in coached[1].reveal
        assert coached[1].title.startswith("Coaching from rep on Objection: Too expensive")
        assert coached[2].title.endswith("(done): say how you will do it")
        assert practice.cards[1] == coached[0]  # right after the opening


async def test_sheet_in_call_and_call_detail_show_coaching_literally(tmp_path, frozen_now):
    from salestui.app import SalesApp
    from salestui.io.plan_sheet import plan_sheet_markdown
    from salestui.screens.call_detail import CallDetailScreen
    from salestui.screens.incall import InCallScreen

    db = tmp_path / "c.db"
    call_id = _fill(db, frozen_now)
    store = open_store(db, owner="rep")
    rider = coaching.set_riders(store, call_id, ["Maria [/]"])[0]
    coaching.save_saw(store, rider.id, "You let the CFO talk. [b]Good[/b]")
    sheet = plan_sheet_markdown(store, call_id)
    store.close()
    assert "**Riding along:** Maria \\[/\\]" in sheet
    assert "## Coaching" in sheet
    assert "- [ ] **Objection: Too expensive** (rep, Mon 23 Nov 09:00): \\[TODO\\] call \\[/\\] back" in sheet
    assert "- [ ] **Target rung** (rep, Mon 23 Nov 09:00): Name the start date" in sheet
    assert "2 coaching notes not addressed" in sheet

    app = SalesApp(db, owner="rep")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.start_call(call_id)
        incall = await wait_screen(pilot, InCallScreen)
        shown = str(incall.query_one("#coaching").render())
        assert incall.query_one("#coaching").display
        assert "Coaching" in shown and HOSTILE in shown and "Target rung: Name the start date" in shown
        app.open_call(call_id)
        detail = await wait_screen(pilot, CallDetailScreen)
        plan_side = str(detail.query_one("#plan").render())
        assert "Riding along" in plan_side and "Maria [/]" in plan_side
        assert "Coaching" in plan_side and HOSTILE in plan_side
        assert "What Maria [/] saw" in str(detail.query_one("#debrief").render())
        assert "You let the CFO talk. [b]Good[/b]" in str(detail.query_one("#debrief").render())
        assert app.is_running


async def test_stats_and_team_figures_say_whether_coaching_pays(tmp_path, frozen_now):
    from salestui.app import SalesApp
    from salestui.domain.enums import Outcome
    from salestui.screens.stats import StatsScreen
    from salestui.screens.team import TeamScreen
    from tests.helpers import palette

    db = tmp_path / "pays.db"
    store = open_store(db, owner="rep")
    account = store.accounts.create("Acme")
    for number in range(8):
        held = store.calls.create(account.id, frozen_now - timedelta(days=number + 1), objective=f"held {number}")
        store.calls.set_outcome(held, Outcome.ADVANCE if number in (0, 1, 2, 3, 6) else Outcome.CONTINUATION)
        if number < 6:
            coaching.add_note(store, held, "coached")
        if number == 0:
            coaching.set_riders(store, held, ["Maria"])
    store.close()
    app = SalesApp(db, owner="rep")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "Go to stats")
        stats = await wait_screen(pilot, StatsScreen)
        await settle(pilot)
        shown = str(stats.query_one("#coaching-pays").render())
        assert "Does coaching pay?" in shown
        coached = "coached 67% of 6 calls · uncoached 1/2 advanced, too few for a rate (5 needed)"
        assert f"Coached vs uncoached: {coached}" in shown
        assert "Ride-along vs solo: with a rider 1/1 advanced, too few for a rate (5 needed) · solo 57% of 7" in shown
        await pilot.press("escape")
        await settle(pilot)
        await palette(pilot, "Team figures")
        team = await wait_screen(pilot, TeamScreen)
        await settle(pilot)
        assert "coached 67% of 6 calls" in str(team.query_one("#coaching-pays").render())
