"""Debrief screen, driven by keys: the fast path, the drafted next call, amending, hostile text."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from textual.widgets import TextArea

from salestui.domain.enums import AdvanceLevel, Handling, Outcome
from salestui.domain.outcomes import OutcomeChoice
from salestui.modals.debrief_done import DebriefDone
from salestui.screens.debrief import DebriefScreen
from salestui.screens.home import HomeScreen
from salestui.store.core import open_store
from salestui.widgets.debrief_fields import DebriefObjectionRow, OutcomePanel
from tests.helpers import GUARD, flush, make_app, settle, type_text, wait_ready

HOSTILE = "[/] [TODO] [@click=app.quit]x[/]"


class Keys:
    """Presses keys and counts them; typed words are counted apart."""

    def __init__(self, pilot) -> None:  # type: ignore[no-untyped-def]
        self.pilot = pilot
        self.presses: list[str] = []

    async def press(self, *keys: str) -> None:
        self.presses.extend(keys)
        for key in keys:
            await self.pilot.press(key)
            await self.pilot.pause()

    async def type(self, text: str) -> None:
        await type_text(self.pilot, text)


def call_of(store, account: str) -> int:  # type: ignore[no-untyped-def]
    return next(c.id for c in store.calls.needing_debrief() if c.account_name == account)


async def open_debrief(pilot, call_id: int) -> DebriefScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    pilot.app.open_debrief(call_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DebriefScreen)
    return screen


async def test_fast_path_by_keys_drafts_the_next_call(db_path, demo_store, frozen_now):
    call_id = call_of(demo_store, "Stark Logistics")  # the in-call screen recorded "stretch"
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_debrief(pilot, call_id)
        assert screen.outcome_panel.choice is OutcomeChoice.STRETCH and app.focused is screen.outcome_panel
        keys = Keys(pilot)
        await keys.press("enter")  # outcome confirmed as prefilled
        assert app.focused is screen.query_one("#went_well", TextArea)
        await keys.type("rapport")
        await keys.press("tab")
        await keys.type("scope")
        await keys.press("tab")
        await keys.type("dispatch")
        await keys.press("tab")
        await keys.type("Signs")
        await keys.press("tab")
        await keys.type("+7d")
        assert "Mon 30 Nov 2026" in str(screen.query_one("#follow_up_hint").render())
        await keys.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DebriefDone)
        await keys.press("h")  # back home
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        # The whole debrief: 7 keys besides the typed words.
        assert keys.presses == ["enter", "tab", "tab", "tab", "tab", "ctrl+s", "h"]
        assert len(keys.presses) == 7
        upcoming = app.screen.query_one("#upcoming").calls  # type: ignore[attr-defined]
        assert "Signs" in [c.objective for c in upcoming]

    check = open_store(db_path, owner="tester")
    try:
        debrief = check.debriefs.get(call_id)
        assert debrief is not None
        assert (debrief.went_well, debrief.do_differently, debrief.lessons, debrief.next_step) == (
            "rapport",
            "scope",
            "dispatch",
            "Signs",
        )
        assert debrief.follow_up == date(2026, 11, 30) and debrief.next_call_id is not None
        plan = check.calls.plan(call_id)
        assert plan.outcome is Outcome.ADVANCE and plan.secured_advance.level is AdvanceLevel.STRETCH
        drafted = next(c for c in check.calls.upcoming() if c.id == debrief.next_call_id)
        assert drafted.scheduled_at == datetime(2026, 11, 30, 9, tzinfo=UTC)
        assert drafted.account_name == "Stark Logistics"
        next_plan = check.calls.plan(debrief.next_call_id)
        assert "Lesson: dispatch" in next_plan.strategy
        assert "Do differently: scope" in next_plan.strategy
        assert [o.text for o in next_plan.objections] == ["We already use Globex Flow"]  # raised, not handled
        assert next_plan.carried_from_call_id == call_id
    finally:
        check.engine.dispose()


async def test_number_key_changes_the_outcome_and_lands_on_the_draft(db_path, demo_store, frozen_now):
    call_id = call_of(demo_store, "Wayne Retail")  # no outcome recorded in the call
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, call_id)
        assert screen.outcome_panel.choice is None
        keys = Keys(pilot)
        await keys.press("ctrl+s")  # refused: no outcome yet
        assert app.focused is screen.outcome_panel and isinstance(app.screen, DebriefScreen)
        keys.presses.clear()
        await keys.press("2")  # target, and on to "went well"
        assert app.focused is screen.query_one("#went_well", TextArea)
        for text in ("app", "CTO", "ROI"):
            await keys.type(text)
            await keys.press("tab")
        await keys.type("Demo")
        await keys.press("tab")
        await keys.type("+7d")
        await keys.press("ctrl+s")
        await settle(pilot)
        await keys.press("enter")  # open the draft
        await settle(pilot)
        assert len(keys.presses) == 7
        assert type(app.screen).__name__ == "PlanScreen"
        assert [type(s).__name__ for s in app.screen_stack][-2:] == ["HomeScreen", "PlanScreen"]
    check = open_store(db_path, owner="tester")
    try:
        plan = check.calls.plan(call_id)
        assert plan.outcome is Outcome.ADVANCE and plan.secured_advance.level is AdvanceLevel.TARGET
        drafted = check.calls.plan(check.debriefs.get(call_id).next_call_id)
        assert [a.level for a in drafted.advances] == [AdvanceLevel.STRETCH]  # above the secured target
    finally:
        check.engine.dispose()


async def test_objections_marked_and_added_and_unplanned_outcome(db_path, demo_store, frozen_now):
    call_id = call_of(demo_store, "Wayne Retail")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, call_id)
        await pilot.press("4")  # unplanned advance: type what they committed to
        assert app.focused is screen.unplanned_input
        await type_text(pilot, "Visit")
        await pilot.press("enter")
        assert app.focused is screen.query_one("#went_well", TextArea)
        await pilot.press("y")  # typed into "went well", not "achieved"
        rows = list(screen.query(DebriefObjectionRow))
        rows[0].focus()
        await pilot.press("b")
        await pilot.press("down", "w")
        await pilot.press("f3")
        await type_text(pilot, "SOC2")
        await pilot.press("tab")
        await type_text(pilot, "pack")
        await pilot.press("enter")
        await settle(pilot)
        await flush(pilot)
        await settle(pilot)
        assert [r.objection.text for r in screen.query(DebriefObjectionRow)][-1] == "SOC2"
        screen.outcome_panel.focus()
        await pilot.press("p")  # objective partly achieved
        await settle(pilot)
    check = open_store(db_path, owner="tester")
    try:
        plan = check.calls.plan(call_id)
        assert plan.secured_advance is not None and plan.secured_advance.level is AdvanceLevel.UNPLANNED
        assert plan.secured_advance.action == "Visit"
        assert plan.achieved is not None and plan.achieved.value == "partly"
        handling = [o.handling for o in plan.objections]
        assert handling[:2] == [Handling.BADLY, Handling.WELL]
        new = plan.objections[-1]
        assert (new.text, new.response, new.came_up_unplanned, new.raised) == (
            "SOC2",
            "pack",
            True,
            True,
        )
        assert check.debriefs.get(call_id).went_well == "y"
    finally:
        check.engine.dispose()


async def test_saved_as_typed_survives_restart_and_can_be_amended(db_path, demo_store, frozen_now):
    from salestui.domain import clock

    call_id = call_of(demo_store, "Stark Logistics")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, call_id)
        await pilot.press("enter")
        await type_text(pilot, "Quick")
        await flush(pilot)  # no leaving, no ctrl+s: a kill -9 now keeps this
        await settle(pilot)
        assert open_store(db_path).debriefs.get(call_id).went_well == "Quick"
        assert "draft, saved Mon 23 Nov 09:00" in str(screen.query_one("#changed").render())
    later = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)
    clock.freeze(later)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, call_id)
        area = screen.query_one("#went_well", TextArea)
        assert area.text == "Quick"
        area.focus()
        await pilot.press("end")
        await type_text(pilot, " win")
        await pilot.press("escape")  # leaving saves what is pending
        await settle(pilot)
    check = open_store(db_path, owner="tester")
    try:
        debrief = check.debriefs.get(call_id)
        assert debrief.went_well == "Quick win" and debrief.updated_at == later
    finally:
        check.engine.dispose()


async def test_hostile_text_is_shown_and_stored_literally(db_path, store, frozen_now):
    account = store.accounts.create("[b]Acme[/b]")
    call_id = store.calls.create(account.id, datetime(2026, 11, 20, 10, tzinfo=UTC), objective=HOSTILE)
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "[TODO] sign [/]")
    store.calls.add_objection(call_id, "[red]price[/]", "[@click=app.quit]x[/]")
    store.calls.add_note(call_id, "CFO [/] joined [TODO]")
    store.calls.secure(call_id, AdvanceLevel.TARGET)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, call_id)
        panel = str(screen.query_one(OutcomePanel).render())
        assert "[TODO] sign [/]" in panel and HOSTILE in panel
        assert "[b]Acme[/b]" in str(screen.query_one("#heading").render())
        assert "CFO [/] joined [TODO]" in str(screen.query_one("#notes").render())
        row = str(screen.query_one(DebriefObjectionRow).render())
        assert "[red]price[/]" in row and "[@click=app.quit]x[/]" in row
        await pilot.press("enter")
        await type_text(pilot, HOSTILE)
        await pilot.press("tab")
        await type_text(pilot, "[TODO]")
        await pilot.press("tab", "tab")
        await type_text(pilot, "[/] next")
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
    check = open_store(db_path, owner="tester")
    try:
        debrief = check.debriefs.get(call_id)
        assert (debrief.went_well, debrief.do_differently, debrief.next_step) == (HOSTILE, "[TODO]", "[/] next")
    finally:
        check.engine.dispose()


async def test_bad_follow_up_is_refused_inline(db_path, demo_store, frozen_now):
    call_id = call_of(demo_store, "Stark Logistics")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_debrief(pilot, call_id)
        screen.follow_up_input.focus()
        await type_text(pilot, "someday")
        assert "Not a date" in str(screen.query_one("#follow_up_hint").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen) and app.focused is screen.follow_up_input
        screen.follow_up_input.value = "2026-11-01"
        await pilot.pause()
        assert "passed" in str(screen.query_one("#follow_up_hint").render())
        screen.follow_up_input.value = "fri"
        await pilot.pause()
        assert "Fri 27 Nov 2026" in str(screen.query_one("#follow_up_hint").render())


async def test_palette_offers_the_debrief_commands(db_path, demo_store, frozen_now):
    call_id = call_of(demo_store, "Stark Logistics")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, call_id)
        names = [c.name for c in screen.palette_commands()]
        assert {"Finish debrief", "Draft next call"} <= set(names)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Draft next call")
        await flush(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is screen.follow_up_input  # no date yet: it asks for one


async def test_keys_typed_in_a_burst_land_in_the_right_fields(db_path, demo_store, frozen_now):
    """A fast typist's keys arrive before the app has moved focus: enter and tab must still win."""
    from textual import events

    call_id = call_of(demo_store, "Stark Logistics")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_debrief(pilot, call_id)
        burst = ["enter", "y", "e", "s", "tab", "n", "o", "tab", "1"]  # no waiting between keys
        for key in burst:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert screen.query_one("#went_well", TextArea).text == "yes"
        assert screen.query_one("#do_differently", TextArea).text == "no"
        assert screen.query_one("#lessons", TextArea).text == "1"
        assert screen.outcome_panel.achieved is None and screen.outcome_panel.choice is OutcomeChoice.STRETCH


async def test_a_save_that_lands_while_the_app_quits_never_reaches_the_closing_screen(
    db_path, demo_store, frozen_now, monkeypatch
):
    """Quitting removes the screens while they are still on the stack: a save's result that
    arrives then was handed to the half-removed debrief, whose fields were gone (``NoMatches``,
    seen once in a loaded suite run). Here the save is held until the removal starts."""
    call_id = call_of(demo_store, "Stark Logistics")
    release = threading.Event()
    deliveries: list[object] = []
    reached: list[object] = []

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_debrief(pilot, call_id)
        assert app.store is not None
        post = app.store.writer.deliver

        def watched(callback):  # type: ignore[no-untyped-def]
            post(lambda: (deliveries.append(callback), callback()))  # counted when the UI runs it

        app.store.writer.deliver = watched
        screen.save(lambda store: release.wait(GUARD), done=lambda _: reached.append(screen.query_one("#changed")))
        real_prune = app._prune

        def prune_then_land(*nodes, **kwargs):  # type: ignore[no-untyped-def]
            removal = real_prune(*nodes, **kwargs)
            if screen in nodes:  # the held save commits now and its result is on its way
                release.set()
                assert app.store is not None and app.store.writer.flush(GUARD)
            return removal

        monkeypatch.setattr(app, "_prune", prune_then_land)
    assert release.is_set() and deliveries, "the save did not land while the app was quitting"
    assert reached == []
