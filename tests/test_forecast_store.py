"""Forecast reads on SQLite and PostgreSQL: held calls counted by rep, week, kind, band and outcome;
planned calls in the window with their live readiness; owner scope (mine, a rep, the team)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from salestui.domain import forecast as fc
from salestui.domain.enums import AdvanceLevel, CallKind, Outcome
from salestui.store import forecast as sf
from salestui.store.core import open_store

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday: this week began Monday the 23rd


@pytest.fixture(autouse=True)
def frozen() -> Any:
    from salestui.domain import clock

    clock.freeze(NOW)
    yield
    clock.freeze(None)


def _target(store: Any) -> str:
    url = store.engine.url
    return str(Path(str(url.database))) if url.get_backend_name() == "sqlite" else url.render_as_string(False)


def _held(
    store: Any,
    account_id: int,
    when: datetime,
    kind: CallKind,
    outcome: Outcome,
    level: AdvanceLevel | None = None,
    prepared: bool = False,
    started: bool = True,
) -> int:
    """A held call: started at ``when`` (readiness frozen), ended with ``outcome`` (on ``level``)."""
    call_id = store.calls.create(account_id, when, kind, objective="Agree the pilot scope", goal="3 sites")
    for rung in (AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK):
        store.calls.set_advance(call_id, rung, f"{rung.value}: customer books the next meeting")
    if prepared:
        for item in store.calls.plan(call_id).checklist:
            store.calls.set_checklist_done(item.id, True)
        store.calls.add_objection(call_id, "Too expensive", "Reframe on the cost of the problem")
        store.calls.update(call_id, strategy="Open with their numbers")
    if started:
        store.calls.start(call_id)
    if outcome is Outcome.ADVANCE:
        store.calls.secure(call_id, level)
    else:
        store.calls.set_outcome(call_id, outcome)
    if started:
        store.calls.end(call_id)
        store.calls.update(call_id, started_at=when, ended_at=when + timedelta(minutes=45))
    return int(call_id)


def test_held_calls_are_counted_by_week_kind_band_and_rung(any_store: Any) -> None:
    store = any_store
    account = store.accounts.create("Wayne Retail [/]").id
    last_week = NOW - timedelta(days=7)
    _held(store, account, last_week, CallKind.DEMO, Outcome.ADVANCE, AdvanceLevel.TARGET, prepared=True)
    _held(store, account, last_week, CallKind.DEMO, Outcome.ADVANCE, AdvanceLevel.FALLBACK, prepared=True)
    _held(store, account, last_week, CallKind.DEMO, Outcome.CONTINUATION, prepared=True)
    _held(store, account, NOW - timedelta(days=100), CallKind.DEMO, Outcome.ADVANCE, AdvanceLevel.STRETCH)
    too_old = NOW - timedelta(weeks=8 + fc.HISTORY_WEEKS + 1)
    _held(store, account, too_old, CallKind.DEMO, Outcome.CONTINUATION)  # before every window: not read
    _held(store, account, NOW - timedelta(days=1), CallKind.DISCOVERY, Outcome.LOST, started=False)
    cancelled = store.calls.create(account, last_week, CallKind.DEMO, objective="cancelled")
    store.calls.set_outcome(cancelled, Outcome.CANCELLED)  # not held: not counted

    data = sf.read(store, weeks=4, back=8)
    groups = {(g.week, g.kind, g.band): g.tally for g in data.groups}
    readiness_band = store.calls.plan(1).readiness_at_start
    assert readiness_band is not None and readiness_band >= 80
    assert groups[(-1, "demo", "high")] == fc.Tally(3, 2, 1)  # the fallback is an advance, not the target
    assert groups[(0, "discovery", fc.NOT_RECORDED)] == fc.Tally(1, 0, 0)  # never started: no readiness
    assert groups[(-14, "demo", "medium")] == fc.Tally(1, 1, 1)  # the stretch counts as target or better
    assert sum(t.held for t in groups.values()) == 5
    assert {g.owner for g in data.groups} == {"tester"}


def test_planned_calls_in_the_window_with_live_readiness(any_store: Any) -> None:
    store = any_store
    account = store.accounts.create("Initech").id
    soon = store.calls.create(account, NOW + timedelta(days=1), CallKind.PROPOSAL, objective="Proposal")
    store.calls.set_advance(soon, AdvanceLevel.TARGET, "Signs the order form for phase one")
    third_week = store.calls.create(account, NOW + timedelta(days=14), CallKind.DEMO, objective="Demo")
    store.calls.create(account, NOW + timedelta(days=40), CallKind.DEMO, objective="beyond the window")
    store.calls.create(account, NOW - timedelta(hours=2), CallKind.DEMO, objective="time passed, not held")
    started = store.calls.create(account, NOW + timedelta(days=2), CallKind.DEMO, objective="held early")
    store.calls.start(started)

    data = sf.read(store, weeks=4, back=8)
    planned = {c.call_id: c for c in data.planned}
    assert sorted(planned) == [soon, third_week]
    assert planned[soon].week == 0 and planned[third_week].week == 2
    assert planned[soon].account == "Initech" and planned[soon].kind == "proposal"
    assert planned[soon].readiness == store.calls.upcoming()[0].readiness  # the readiness every list shows
    assert planned[soon].readiness > planned[third_week].readiness
    assert sf.read(store, weeks=1, back=8).planned == (planned[soon],)
    with pytest.raises(ValueError):
        sf.read(store, weeks=0)


def test_owner_scope_mine_a_rep_and_the_team(any_store: Any) -> None:
    me = any_store
    where = _target(me)
    mine = me.accounts.create("Mine").id
    _held(me, mine, NOW - timedelta(days=30), CallKind.DEMO, Outcome.CONTINUATION)
    upcoming = me.calls.create(mine, NOW + timedelta(days=3), CallKind.DEMO, objective="my next demo", goal="3 sites")
    for rung in (AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK):
        me.calls.set_advance(upcoming, rung, f"{rung.value}: customer books the next meeting")
    bob = open_store(where, owner="bob")
    try:
        theirs = bob.accounts.create("Bob's").id
        for _ in range(3):
            _held(bob, theirs, NOW - timedelta(days=30), CallKind.DEMO, Outcome.ADVANCE, AdvanceLevel.TARGET)
        bob.calls.create(theirs, NOW + timedelta(days=3), CallKind.DEMO, objective="bob's next demo")
        bob.calls.create(theirs, NOW + timedelta(days=10), CallKind.DEMO, objective="bob's other demo")
    finally:
        bob.close()

    everyone = sf.read(me)
    assert everyone.reps == ("bob", "tester") and everyone.team
    assert len(everyone.planned) == 3
    assert {c.owner for c in sf.read(me, scope=sf.MINE).planned} == {"tester"}
    assert len(sf.read(me, scope="bob").planned) == 2
    assert len(sf.read(me, scope=sf.TEAM).planned) == 3

    my_forecast = everyone.forecast(sf.MINE)
    assert my_forecast.owner == "tester" and my_forecast.team_prior
    assert [c.call.owner for c in my_forecast.calls] == ["tester"]
    # One held call of my own (a continuation), shrunk toward the team's demos (3 of 4 advanced).
    mine_p = my_forecast.calls[0].advance
    assert mine_p.calls == 1
    band = my_forecast.calls[0].call.band
    team_p = fc.fit(everyone.groups).chances("demo", band)[0]
    alone_p = fc.fit(g for g in everyone.groups if g.owner == "tester").chances("demo", band)[0]
    assert alone_p.value < mine_p.value < team_p.value
    bobs = everyone.forecast("bob")
    assert bobs.history == fc.Tally(3, 3, 3) and sum(w.band.calls for w in bobs.weeks) == 2
    team = everyone.forecast(sf.TEAM)
    assert team.owner == "Team" and not team.team_prior and team.history.held == 4
    assert sum(w.band.calls for w in team.weeks) == 3


def test_calls_without_an_owner_are_mine(any_store: Any) -> None:
    store = any_store
    account = store.accounts.create("Old records").id
    call_id = store.calls.create(account, NOW + timedelta(days=1), CallKind.DEMO, objective="from an old version")
    store.calls.update(call_id, owner="")
    data = sf.read(store, scope=sf.MINE)
    assert [c.owner for c in data.planned] == ["tester"]


def test_an_empty_database(any_store: Any) -> None:
    data = sf.read(any_store)
    assert data.groups == () and data.planned == () and data.reps == ()
    result = data.forecast()
    assert [w.band for w in result.weeks] == [fc.Band(0, 0.0, 0, 0)] * 4
    assert result.backtest.weeks == () and result.movers == ()


def test_lean_readiness_equals_the_full_plans(any_store: Any) -> None:
    """``readiness_scores`` reads only what the score is made of: it must equal ``readiness(plan)``."""
    import sqlalchemy as sa

    from salestui.domain.enums import QuestionKind
    from salestui.domain.readiness import readiness
    from salestui.store import tables as t

    store = any_store
    account = store.accounts.create("Acme").id
    contact = store.accounts.add_contact(account, "Dana").id
    ids = [store.calls.create(account, NOW + timedelta(days=d), kind) for d, kind in enumerate(CallKind, start=1)]
    bare, full, continuation, discovery, unplanned, partial = ids
    store.calls.update(full, objective="Agree the pilot", goal="3 sites", strategy="Their numbers first")
    for rung in (AdvanceLevel.STRETCH, AdvanceLevel.TARGET, AdvanceLevel.FALLBACK):
        store.calls.set_advance(full, rung, "Books an on-site demo for the plant managers")
    store.calls.add_objection(full, "Too expensive", "Phase the rollout")
    store.calls.set_contacts(full, [contact])
    store.calls.add_questions(full, [("What is hardest today?", QuestionKind.PROBLEM, "")])
    for item in store.calls.plan(full).checklist:
        store.calls.set_checklist_done(item.id, True)
    store.calls.record_practice(full, 300, ["objection: Too expensive"])  # named, not scored
    store.calls.set_advance(continuation, AdvanceLevel.TARGET, "Send them a brochure")
    store.calls.add_questions(discovery, [("Who else is involved?", QuestionKind.SITUATION, "")])
    objection = store.calls.add_objection(unplanned, "Timing", "Find the forcing event")
    store.calls.update_objection(objection, came_up_unplanned=True)
    items = store.calls.plan(partial).checklist
    for item in items[: len(items) // 2]:
        store.calls.set_checklist_done(item.id, True)
    store.calls.add_objection(partial, "No response planned", "")

    call = t.Call.__table__  # type: ignore[attr-defined]
    with store.reading() as session:
        lean = sf.readiness_scores(session, sa.select(call.c.id).where(call.c.id.in_(ids)))
    full_scores = {call_id: readiness(store.calls.plan(call_id)).score for call_id in ids}
    assert lean == full_scores
    assert len(set(full_scores.values())) >= 3  # the plans differ: the check compares real differences
    assert full_scores[full] == 100 and full_scores[bare] < full_scores[partial]
