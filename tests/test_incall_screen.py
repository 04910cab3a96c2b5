"""In the call, driven by keys: the pick, objections, notes, the clock, ending into the debrief."""

from __future__ import annotations

from datetime import timedelta

from textual import events

from salestui.domain import clock
from salestui.domain.enums import AdvanceLevel, CallStatus, Outcome
from salestui.modals.confirm import Confirm
from salestui.screens.debrief import DebriefScreen
from salestui.screens.incall import InCallScreen, elapsed_text
from salestui.store.demo import load_demo
from salestui.widgets.incall_ladder import InCallLadder, Rung
from tests.helpers import make_app, reopen_plan, settle, type_text, wait_ready

HOSTILE = "[@click=app.quit]x[/]"


def _demo(store, frozen_now) -> int:  # type: ignore[no-untyped-def]
    """The demo data; returns the first upcoming call (Initech proposal, fully planned)."""
    load_demo(store, now=frozen_now)
    call_id = store.calls.upcoming()[0].id
    store.engine.dispose()
    return call_id


async def _open_call(pilot, call_id: int) -> InCallScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    pilot.app.start_call(call_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, InCallScreen)
    assert screen.plan is not None
    return screen


async def test_journey_notes_objection_target_end_opens_debrief(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("s", "enter")  # home: start the selected upcoming call (preselected in the picker)
        await settle(pilot)
        if isinstance(app.screen, Confirm):  # hours ahead: asked first
            await pilot.press("y")
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InCallScreen) and screen.call_id == call_id
        assert reopen_plan(db_path, call_id).started_at == frozen_now  # start() ran on open

        await pilot.press("n")
        await type_text(pilot, "2 offices first")
        await pilot.press("enter")
        await pilot.press("n")
        await type_text(pilot, "IT joins")
        await pilot.press("enter")
        await pilot.press("a", "2")
        await settle(pilot)
        assert screen.ladder.choice == "target"
        assert [n.text for n in screen.notes.notes] == ["2 offices first", "IT joins"]

        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert not any(isinstance(s, InCallScreen) for s in app.screen_stack)

    plan = reopen_plan(db_path, call_id)
    assert plan.secured_advance is not None and plan.secured_advance.level is AdvanceLevel.TARGET
    assert plan.outcome is Outcome.ADVANCE
    assert [n.text for n in plan.notes] == ["2 offices first", "IT joins"]
    assert [o.raised for o in plan.objections] == [True, False]
    assert plan.status is CallStatus.DONE
    assert plan.ended_at is not None and plan.readiness_at_start is not None


async def test_changing_mind_keeps_the_last_pick(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_call(pilot, call_id)
        await pilot.press("2", "3")
        await settle(pilot)
        assert screen.query_one("#rung-fallback", Rung).has_class("-chosen")
        assert not screen.query_one("#rung-target", Rung).has_class("-chosen")
        plan = reopen_plan(db_path, call_id)
        assert [a.level for a in plan.advances if a.secured] == [AdvanceLevel.FALLBACK]

        await pilot.press("1", "2", "1", "3", "2")  # fast changes still end on the last key
        await settle(pilot)
        plan = reopen_plan(db_path, call_id)
        assert [a.level for a in plan.advances if a.secured] == [AdvanceLevel.TARGET]
        assert plan.outcome is Outcome.ADVANCE


async def test_continuation_only(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_call(pilot, call_id)
        await pilot.press("2", "c")
        await settle(pilot)
        assert screen.ladder.choice == "continuation"
        assert screen.query_one("#continuation").has_class("-chosen")
    plan = reopen_plan(db_path, call_id)
    assert plan.outcome is Outcome.CONTINUATION
    assert plan.secured_advance is None


async def test_unplanned_advance_typed_in_the_call(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_call(pilot, call_id)
        await pilot.press("u")
        await settle(pilot)
        assert not isinstance(app.screen, InCallScreen)  # the question is asked
        await pilot.press("enter")  # empty: nothing recorded, the question stays
        await settle(pilot)
        assert not isinstance(app.screen, InCallScreen)
        await type_text(pilot, "Intro to buyers [Mon]")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.ladder.choice == "unplanned"
        assert "Intro to buyers [Mon]" in str(screen.query_one("#unplanned").render())
    plan = reopen_plan(db_path, call_id)
    assert plan.secured_advance is not None
    assert plan.secured_advance.level is AdvanceLevel.UNPLANNED
    assert plan.secured_advance.action == "Intro to buyers [Mon]"
    assert plan.outcome is Outcome.ADVANCE


async def test_unplanned_escape_records_nothing(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_call(pilot, call_id)
        await pilot.press("u", "x", "escape")
        await settle(pilot)
        assert app.screen is screen and screen.ladder.choice is None
    assert reopen_plan(db_path, call_id).outcome is None


async def test_rung_without_a_plan_explains_and_records_nothing(db_path, store, frozen_now):
    load_demo(store, now=frozen_now)
    # The Wayne Retail demo has only a target advance planned.
    call_id = next(c.id for c in store.calls.upcoming() if c.objective == "Demo for the store managers")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_call(pilot, call_id)
        stretch = screen.query_one("#rung-stretch", Rung)
        assert "not planned" in str(stretch.render())
        assert stretch.has_class("-unplanned")
        await pilot.press("1")
        await settle(pilot)
        assert screen.ladder.choice is None
        assert any("No stretch advance was planned" in str(n.message) for n in app._notifications)
    assert reopen_plan(db_path, call_id).outcome is None


async def test_note_line_keeps_digits_and_letters_and_end_works_inside_it(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_call(pilot, call_id)
        await pilot.press("n")
        await type_text(pilot, "2 budget cuts")  # 2, a, b, u, c... all go to the note
        await settle(pilot)
        assert screen.note_input.value == "2 budget cuts"
        assert screen.ladder.choice is None
        assert [r.raised for r in screen.objections.rows] == [False, False]
        await pilot.press("escape")  # leaves the note line, keeps the text, stays in the call
        await settle(pilot)
        assert app.screen is screen and screen.focused is None
        assert screen.note_input.value == "2 budget cuts"
        await pilot.press("n", "!", "ctrl+e")  # ends from inside the note line; the half-typed note is kept
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
    plan = reopen_plan(db_path, call_id)
    assert [n.text for n in plan.notes] == ["2 budget cuts!"]
    assert plan.status is CallStatus.DONE and plan.outcome is None


async def test_letters_typed_right_after_n_go_to_the_note(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_call(pilot, call_id)
        # All three keys reach the screen before the n binding would have run (a fast typist).
        for key in ("n", "a", "2"):
            screen._forward_event(events.Key(key, key))
        await settle(pilot)
        assert screen.note_input.value == "a2"
        assert screen.ladder.choice is None
        assert [r.raised for r in screen.objections.rows] == [False, False]


async def test_objection_toggles_back_and_escape_asks_before_leaving(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_call(pilot, call_id)
        await pilot.press("b")
        await settle(pilot)
        assert [o.raised for o in reopen_plan(db_path, call_id).objections] == [False, True]
        assert screen.objections.rows[1].has_class("-raised")
        await pilot.press("b", "d")  # d: there is no third objection, nothing happens
        await settle(pilot)
        assert [o.raised for o in reopen_plan(db_path, call_id).objections] == [False, False]

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen  # a question, not a silent exit
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, InCallScreen)
    plan = reopen_plan(db_path, call_id)
    assert plan.status is CallStatus.PLANNED and plan.started_at is not None


async def test_hostile_text_shows_literally(db_path, store, frozen_now):
    account = store.accounts.create("[TODO] Corp")
    call_id = store.calls.create(account.id, frozen_now + timedelta(hours=2), objective=HOSTILE, goal="[/]")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "[b]Signs[/b] the [TODO] form")
    store.calls.add_objection(call_id, "[TODO]", "[/]")
    store.calls.add_objection(call_id, HOSTILE, "")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_call(pilot, call_id)
        await pilot.press("n")
        await type_text(pilot, HOSTILE)
        await pilot.press("enter", "a", "b", "2")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert HOSTILE in str(screen.query_one("#objective").render())
        assert "[/]" in str(screen.query_one("#goal").render())
        assert "[TODO] Corp" in str(screen.query_one("#who").render())
        assert "[b]Signs[/b] the [TODO] form" in str(screen.query_one("#rung-target", Rung).render())
        rows = screen.objections.rows
        assert "[TODO]" in str(rows[0].query_one(".objection-text").render())
        assert "[/]" in str(rows[0].query_one(".response").render())
        assert HOSTILE in str(rows[1].query_one(".objection-text").render())
        assert any(HOSTILE in str(w.render()) for w in screen.notes.query(".note"))
    plan = reopen_plan(db_path, call_id)
    assert [n.text for n in plan.notes] == [HOSTILE]
    assert [o.raised for o in plan.objections] == [True, True]
    assert plan.secured_advance is not None and plan.secured_advance.level is AdvanceLevel.TARGET


async def test_elapsed_clock_follows_the_domain_clock(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_call(pilot, call_id)
        assert "0:00" in str(screen.query_one("#clock").render())
        clock.freeze(frozen_now + timedelta(minutes=12, seconds=5))
        await pilot.pause(1.1)  # the interval ticks
        assert screen.elapsed == 725
        assert "12:05" in str(screen.query_one("#clock").render())


async def test_palette_commands_run_screen_actions(db_path, store, frozen_now):
    call_id = _demo(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_call(pilot, call_id)
        names = [c.name for c in screen.palette_commands()]
        assert names == [
            "Secure stretch",
            "Secure target",
            "Secure fallback",
            "Continuation only",
            "Unplanned advance…",
            "Question asked…",
            "End call and debrief",
        ]
        await screen.run_action(screen.palette_commands()[0].action)
        await settle(pilot)
        assert isinstance(screen.query_one(InCallLadder), InCallLadder)
        assert screen.ladder.choice == "stretch"
    plan = reopen_plan(db_path, call_id)
    assert plan.secured_advance is not None and plan.secured_advance.level is AdvanceLevel.STRETCH


def test_elapsed_text():
    assert elapsed_text(0) == "0:00"
    assert elapsed_text(65) == "1:05"
    assert elapsed_text(3723) == "1:02:03"
    assert elapsed_text(-4) == "0:00"
