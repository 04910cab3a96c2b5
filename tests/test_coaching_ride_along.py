"""Ride-along: colleagues named on the plan; after the call a rider writes 'What I saw' (its own field,
never the rep's debrief text); the rep sees it in the debrief, and it is carried over into the next
plan like the lessons. Pilot tests on SQLite (the rep types it in) and PostgreSQL (the rider's login)."""

from __future__ import annotations

from datetime import timedelta

from salestui.app import SalesApp
from salestui.domain.carryover import carry_over
from salestui.domain.enums import Outcome
from salestui.store import coaching
from salestui.store.core import open_store
from tests.helpers import settle, type_text, wait_ready, wait_screen

SAW = "You talked 70% of the time [/] pause"


def _held_call_with_rider(where: str, now, owner: str | None, rider: str) -> int:  # type: ignore[no-untyped-def]
    store = open_store(where, owner=owner)
    account = store.accounts.create("Acme")
    call_id = store.calls.create(account.id, now - timedelta(hours=2), objective="Agree the pilot")
    coaching.set_riders(store, call_id, [rider])
    store.calls.set_outcome(call_id, Outcome.CONTINUATION)
    store.debriefs.save(call_id, lessons="Bring the CFO", went_well="Rapport")
    store.close()
    return call_id


async def _write_what_i_saw(where: str, owner: str | None, call_id: int) -> None:
    from salestui.screens.debrief import DebriefScreen

    app = SalesApp(where, owner=owner)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_debrief(call_id)
        debrief = await wait_screen(pilot, DebriefScreen)
        assert "not written yet" in str(debrief.query_one("#riders_saw").render())
        await debrief.run_action("what_i_saw")  # F4, or the palette's "What I saw"
        await settle(pilot)
        await type_text(pilot, SAW)
        await pilot.press("enter")
        await settle(pilot)
        shown = str(debrief.query_one("#riders_saw").render())
        assert SAW in shown and "saw" in shown
        assert app.is_running


def _carried(where: str, owner: str | None, call_id: int, now) -> None:  # type: ignore[no-untyped-def]
    store = open_store(where, owner=owner)
    plan = store.calls.plan(call_id)
    assert plan.debrief is not None and SAW not in plan.debrief.lessons + plan.debrief.went_well  # its own field
    finished = store.debriefs.finish(call_id, follow_up_at=now + timedelta(days=7), next_step="CFO joins a review")
    assert finished.next_call_id is not None
    drafted = store.calls.plan(finished.next_call_id)
    rider = plan.riders[0].name
    assert drafted.strategy.splitlines() == ["Lesson: Bring the CFO", f"{rider} saw: {SAW}"]
    assert carry_over(store.calls.plan(call_id)).seen_by_riders == (f"{rider} saw: {SAW}",)
    store.close()


async def test_rep_types_in_what_the_rider_saw_and_it_is_carried_over(tmp_path, frozen_now):
    db = str(tmp_path / "ride.db")
    call_id = _held_call_with_rider(db, frozen_now, "alice", "Maria")
    await _write_what_i_saw(db, "alice", call_id)
    _carried(db, "alice", call_id, frozen_now)


async def test_the_rider_writes_it_with_their_own_login(logins, frozen_now):
    open_store(logins.admin, owner="admin").close()
    call_id = _held_call_with_rider(logins.rep_a, frozen_now, None, logins.names["b"])
    await _write_what_i_saw(logins.rep_b, None, call_id)  # Bob, riding along, on Alice's debrief
    _carried(logins.rep_a, None, call_id, frozen_now)
