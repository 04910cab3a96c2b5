"""Issue 16's eight cases, each driven by keys as a rep would: nothing typed is wiped, hidden or half-saved."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from salestui.modals.confirm import Confirm
from salestui.screens.account import AccountScreen
from salestui.screens.accounts import AccountsScreen
from salestui.screens.debrief import DebriefScreen
from salestui.screens.help import HelpScreen
from salestui.screens.incall import InCallScreen
from salestui.screens.plan import PlanScreen
from salestui.store.core import open_store
from tests.helpers import (
    flush,
    make_app,
    open_plan,
    reopen_plan,
    settle,
    type_text,
    wait_modal,
    wait_ready,
    wait_screen,
)


def _first_upcoming(store) -> int:  # type: ignore[no-untyped-def]
    return store.calls.upcoming()[0].id


async def _open_plan(pilot, call_id: int) -> PlanScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    return await open_plan(pilot, call_id)


# 1 -----------------------------------------------------------------------------------------------
async def test_a_letter_after_closing_a_popup_never_replaces_a_field(db_path, demo_store, frozen_now) -> None:
    call_id = _first_upcoming(demo_store)
    before = demo_store.calls.plan(call_id).objective
    assert before
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_plan(pilot, call_id)
        objective = screen.query_one("#objective", Input)
        # The plan opens on its first empty field (issue 20); this sequence starts in Objective.
        objective.focus()
        await pilot.pause()
        assert app.focused is objective
        # The reported sequence: escape, help, escape, a letter.
        await pilot.press("escape", "question_mark")
        await wait_modal(pilot, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is not objective
        await pilot.press("q")
        await settle(pilot)
        assert objective.value == before
        # Back in the field: each popup closed puts the cursor at the end, nothing selected.
        objective.focus()
        await pilot.pause()
        for opener, closer in (("ctrl+p", "escape"), ("f1", "escape")):
            await pilot.press(opener)
            await pilot.pause()
            await pilot.press(closer)
            await settle(pilot)
            assert app.focused is objective
            assert objective.selection.is_empty
            await pilot.press("Z")
        await settle(pilot)
        assert objective.value == before + "ZZ"
        # The checklist template popup (T), from outside any field.
        await pilot.press("escape", "T")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert screen.loads_shown == 1  # closing popups never reloaded the plan
    assert reopen_plan(db_path, call_id).objective == before + "ZZ"


# 2 -----------------------------------------------------------------------------------------------
async def test_visiting_the_call_screen_hides_nothing_on_the_plan(db_path, demo_store, frozen_now) -> None:
    call_id = _first_upcoming(demo_store)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_plan(pilot, call_id)
        heights = {name: screen.query_one(f"#{name}").region.height for name in ("objective", "goal")}
        assert all(h >= 1 for h in heights.values())
        await pilot.press("escape", "s")
        await wait_modal(pilot, Confirm)  # the call is hours ahead: asked first
        await pilot.press("y")
        await wait_screen(pilot, InCallScreen)
        await pilot.press("escape")
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        for name, height in heights.items():
            widget = screen.query_one(f"#{name}")
            assert widget.display and widget.region.height == height, name


# 3 -----------------------------------------------------------------------------------------------
async def test_escape_in_a_note_body_or_went_well_leaves_the_field_not_the_screen(
    db_path, demo_store, frozen_now
) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.accounts.find_by_name("Initech").id
    debrief_call = demo_store.calls.needing_debrief()[0].id
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account_id)
        account = await wait_screen(pilot, AccountScreen)
        await pilot.press("3")
        await settle(pilot)
        account.notes.body.focus()
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is account and app.focused is None
        app.open_debrief(debrief_call)
        debrief = await wait_screen(pilot, DebriefScreen)
        debrief.query_one("#went_well", TextArea).focus()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is debrief and app.focused is None


# 4 -----------------------------------------------------------------------------------------------
async def test_a_debrief_left_unfinished_still_needs_a_debrief(db_path, demo_store, frozen_now) -> None:
    call_id = demo_store.calls.needing_debrief()[0].id
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_debrief(call_id)
        await wait_screen(pilot, DebriefScreen)
        await pilot.press("enter")
        await type_text(pilot, "Good rapport")
        await pilot.press("escape", "escape")
        await settle(pilot)
    check = open_store(db_path, owner="tester")
    try:
        assert check.debriefs.get(call_id).went_well == "Good rapport"  # the draft is kept
        assert call_id in [c.id for c in check.calls.needing_debrief()]
    finally:
        check.close()


# 5 -----------------------------------------------------------------------------------------------
async def test_an_unsent_note_line_is_kept_when_leaving_the_call(db_path, demo_store, frozen_now) -> None:
    call_id = _first_upcoming(demo_store)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.start_call(call_id)
        await wait_screen(pilot, InCallScreen)
        await pilot.press("n")
        await type_text(pilot, "CFO asked about SSO")
        await pilot.press("escape", "escape")
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
    assert [n.text for n in reopen_plan(db_path, call_id).notes][-1] == "CFO asked about SSO"


# 6 -----------------------------------------------------------------------------------------------
async def test_prose_typed_on_after_tab_creates_nothing(db_path, demo_store, frozen_now) -> None:
    account_id = demo_store.accounts.find_by_name("Initech").id
    notes_before = len(demo_store.accounts.notes(account_id))
    calls_before = demo_store.calls.count()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_account(account_id)
        account = await wait_screen(pilot, AccountScreen)
        await pilot.press("3")
        await settle(pilot)
        account.notes.body.focus()
        await pilot.pause()
        await type_text(pilot, "Budget is set in Q1")
        await pilot.press("tab")
        await type_text(pilot, "and approved by a panel")
        await settle(pilot)
        assert app.screen is account
        assert account.has_class("-letters-held")
        # An arrow key shows the rep means the list: then its letters work again.
        await pilot.press("down")
        assert not account.has_class("-letters-held")
    check = open_store(db_path, owner="tester")
    try:
        assert len(check.accounts.notes(account_id)) == notes_before
        assert check.calls.count() == calls_before
    finally:
        check.close()


# 7 -----------------------------------------------------------------------------------------------
async def test_pasted_escape_codes_are_dropped_and_the_cursor_stays_true(db_path, demo_store, frozen_now) -> None:
    call_id = _first_upcoming(demo_store)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_plan(pilot, call_id)
        goal = screen.query_one("#goal", Input)
        goal.focus()
        await pilot.press("end", "ctrl+u")
        app.post_message(events.Paste("A\x1b[31mredB"))
        await pilot.pause()
        await pilot.press("C")
        assert goal.value == "A[31mredBC"
        strategy = screen.strategy_area
        strategy.focus()
        strategy.load_text("")
        app.post_message(events.Paste("one\x07\r\ntwo\tthree\x00"))
        await pilot.pause()
        assert strategy.text == "one\ntwo\tthree"
        await flush(pilot)
    plan = reopen_plan(db_path, call_id)
    assert plan.goal == "A[31mredBC" and plan.strategy == "one\ntwo\tthree"


# 8 -----------------------------------------------------------------------------------------------
async def test_help_lists_the_focused_widgets_keys(db_path, demo_store, frozen_now) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.action_research()
        screen = await wait_screen(pilot, AccountsScreen)
        screen.table.focus()
        await pilot.pause()
        await pilot.press("question_mark")
        help_screen = await wait_modal(pilot, HelpScreen)
        text = " ".join(str(s.render()) for s in help_screen.query("Static"))
        for description in ("Edit", "Delete", "Filter"):
            assert description in text, description


async def test_a_result_arriving_after_its_screen_closed_is_dropped(db_path, demo_store, frozen_now) -> None:
    """A search that finishes after the rep went home reached widgets being removed (NoMatches toast in CI)."""
    import asyncio
    import threading

    from salestui.screens.review import ReviewScreen

    app = make_app(db_path)
    errors: list[str] = []
    original = app.notify

    def spy(message, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("severity") == "error":
            errors.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = spy  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.action_review()
        review = await wait_screen(pilot, ReviewScreen)
        release, started, shown = threading.Event(), threading.Event(), []

        def slow_read(store):  # type: ignore[no-untyped-def]
            started.set()
            release.wait(10)
            return "late"

        review.run_db(slow_read, lambda result: shown.append(review.query_one("#never-there")), group="late")
        assert await asyncio.to_thread(started.wait, 10)
        app.action_home()
        # The window the toast came through: popped, but still attached while its widgets go.
        assert review.is_attached and not review.is_open
        release.set()
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert shown == [] and errors == [] and len(app.screen_stack) == 2
