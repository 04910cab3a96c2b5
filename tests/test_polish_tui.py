"""Issue 20 by keys: review shows every held call, cancel and delete, b and s check first, dates, palette."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from salestui.domain import clock
from salestui.domain.enums import AdvanceLevel, Outcome
from salestui.modals.call_menu import CallMenu
from salestui.modals.confirm import Confirm
from salestui.modals.date_range import DateRange
from salestui.modals.picker import Picker
from salestui.screens.account import AccountScreen
from salestui.screens.home import HomeScreen
from salestui.screens.plan import PlanScreen
from salestui.screens.review import ReviewScreen
from salestui.store.core import open_store
from tests.helpers import make_app, open_plan, palette, settle, toasts, type_text, wait_modal, wait_ready, wait_screen


def _reopen(db_path):  # type: ignore[no-untyped-def]
    return open_store(db_path, owner="tester")


async def test_review_lists_a_call_held_before_its_time_and_one_with_no_time(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    early = store.calls.create(account, frozen_now + timedelta(days=3), objective="Held early")
    untimed = store.calls.create(account, None, objective="Held with no time")
    for call in (early, untimed):
        store.calls.start(call)
        store.calls.secure(call, None)
        store.calls.end(call)
    store.calls.create(account, frozen_now + timedelta(days=3), objective="Still to come")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("v")
        screen = await wait_screen(pilot, ReviewScreen)
        assert {line.id for line in screen.table.lines} == {early, untimed}
        assert "No past calls" not in str(screen.query_one("#summary", Static).render())


async def test_cancel_from_home_keeps_the_call_in_history(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    call = store.calls.create(account, frozen_now + timedelta(days=1), objective="Pricing review")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.upcoming.selected_call_id == call
        await pilot.press("x")
        await wait_modal(pilot, CallMenu)
        await pilot.press("c")
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert call not in [c.id for c in home.upcoming.calls]  # home reloaded: no longer upcoming
    check = _reopen(db_path)
    assert check.calls.plan(call).outcome is Outcome.CANCELLED
    assert [line.id for line in check.review.first_page().lines] == [call]  # in history as cancelled
    check.engine.dispose()


async def test_delete_from_the_plan_asks_then_closes_the_plan(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    call = store.calls.create(account, frozen_now + timedelta(days=1), objective="Pricing review")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await open_plan(pilot, call)
        await pilot.press("f8")
        await wait_modal(pilot, CallMenu)
        await pilot.press("d")
        await wait_modal(pilot, Confirm)
        await pilot.press("n")  # the first answer keeps it
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("f8")
        await wait_modal(pilot, CallMenu)
        await pilot.press("d")
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    check = _reopen(db_path)
    assert check.calls.count() == 0
    check.engine.dispose()


async def test_palette_delete_refuses_a_held_call_and_cancel_works_on_the_account_tab(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    held = store.calls.create(account, frozen_now - timedelta(days=1), objective="Held")
    store.calls.start(held)
    store.calls.set_advance(held, AdvanceLevel.TARGET, "Pilot")
    store.calls.secure(held, AdvanceLevel.TARGET)
    store.calls.end(held)
    planned = store.calls.create(account, frozen_now + timedelta(days=2), objective="Next")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await open_plan(pilot, held)
        await palette(pilot, "Delete call")
        assert isinstance(app.screen, PlanScreen)  # nothing asked: a held call is never deleted
        assert any("stays in your history" in m for m in toasts(app))
        await pilot.press("escape", "escape")
        await settle(pilot)
        app.open_account(account)
        screen = await wait_screen(pilot, AccountScreen)
        await pilot.press("5")
        await settle(pilot)
        screen.calls.focus()
        screen.calls.move_cursor(row=[c.id for c in screen.calls.calls].index(planned))
        await pilot.press("x")
        await wait_modal(pilot, CallMenu)
        await pilot.press("c")
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
    check = _reopen(db_path)
    assert check.calls.plan(planned).outcome is Outcome.CANCELLED
    assert check.calls.plan(held).outcome is Outcome.ADVANCE
    check.engine.dispose()


async def test_b_on_home_refuses_a_future_call_and_s_names_what_is_missing(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    store.calls.create(account, frozen_now + timedelta(days=1), objective="Tomorrow")
    untimed = store.calls.create(account, None, objective="Some day")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("still to come" in m for m in toasts(app))
        home.upcoming.move_cursor(row=[c.id for c in home.upcoming.calls].index(untimed))
        await pilot.press("s")
        await wait_modal(pilot, Picker)
        await settle(pilot)
        await pilot.press("enter")  # the highlighted call is preselected
        await wait_modal(pilot, Confirm)
        question = str(app.screen.query_one(Static).render())
        assert "no time set" in question and "readiness" in question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")
        await wait_modal(pilot, Picker)
        await settle(pilot)
        await pilot.press("enter")
        await wait_modal(pilot, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert type(app.screen).__name__ == "InCallScreen"


async def test_date_range_accepts_past_offsets_and_shows_an_empty_range_as_all_dates(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    store.calls.create(account, frozen_now - timedelta(days=3), objective="Recent")
    store.calls.create(account, frozen_now - timedelta(days=60), objective="Old")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("v")
        screen = await wait_screen(pilot, ReviewScreen)
        await pilot.press("P")
        await wait_modal(pilot, DateRange)
        await pilot.press("enter")  # both empty
        await settle(pilot)
        assert "all dates" in str(screen.query_one("#summary", Static).render())
        await pilot.press("P")
        await wait_modal(pilot, DateRange)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "-30d")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert [line.objective for line in screen.table.lines] == ["Recent"]
        assert "2026-10-24" in str(screen.query_one("#summary", Static).render())


async def test_plan_opens_on_the_first_empty_field(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    call = store.calls.create(account, frozen_now + timedelta(days=1), objective="Pricing review")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await open_plan(pilot, call)
        assert app.focused is not None and app.focused.id == "goal"


async def test_palette_opens_accounts_and_upcoming_calls_by_name(db_path, store, frozen_now):
    initech = store.accounts.create("Initech [b]x[/b]").id
    acme = store.accounts.create("Acme").id
    call = store.calls.create(acme, frozen_now + timedelta(days=1), objective="Pricing review")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "Initech")
        screen = await wait_screen(pilot, AccountScreen)
        assert screen.account_id == initech
        await pilot.press("escape")
        await settle(pilot)
        await palette(pilot, "Acme pricing review")
        plan = await wait_screen(pilot, PlanScreen)
        assert plan.call_id == call
    assert clock.now() == frozen_now


async def test_g_then_a_letter_jumps_between_top_screens(db_path, store, frozen_now):
    from salestui.modals.go_to import GoTo
    from salestui.screens.accounts import AccountsScreen
    from salestui.screens.stats import StatsScreen

    account = store.accounts.create("Initech").id
    store.calls.create(account, frozen_now + timedelta(days=1), objective="Pricing review")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("g")  # from the focused call list: first line, then the prompt
        await wait_modal(pilot, GoTo)
        await pilot.press("v")
        await wait_screen(pilot, ReviewScreen)
        await pilot.press("g", "t")
        await wait_screen(pilot, StatsScreen)
        await pilot.press("g", "a")
        await wait_screen(pilot, AccountsScreen)
        await pilot.press("escape")  # leave the filter field
        await settle(pilot)
        focused = app.focused
        await pilot.press("g", "h")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen), (type(app.screen).__name__, focused)
        assert len(app.screen_stack) == 2  # back to home, not a new one on top
        await pilot.press("g", "x")  # any other key closes the prompt
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_help_on_the_plan_lists_checklist_objection_and_tab_keys(db_path, store, frozen_now):
    from salestui.screens.help import HelpScreen

    account = store.accounts.create("Initech").id
    call = store.calls.create(account, frozen_now + timedelta(days=1))
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await open_plan(pilot, call)
        await pilot.press("f1")
        await wait_modal(pilot, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        for expected in ("Tick", "Add item", "Add objection", "Next field", "shift+tab", "Cancel/delete call"):
            assert expected in text, expected
        # The lists' keys are headed in the rep's words, not class names.
        assert "Checklist (keys once tab reaches it)" in text and "Objections (keys once tab reaches it)" in text
        assert "ChecklistList" not in text and "PlannedObjections" not in text


async def test_carry_over_names_the_day_the_call_was_held(db_path, store, frozen_now):
    from salestui.widgets.plan_carryover import CarryOverPanel

    account = store.accounts.create("Initech").id
    held = store.calls.create(account, None, objective="Held with no time")
    clock.freeze(frozen_now - timedelta(days=2))
    store.calls.start(held)
    store.calls.end(held)
    clock.freeze(frozen_now)
    store.debriefs.finish(held, lessons="Bring the CFO")
    call = store.calls.create(account, frozen_now + timedelta(days=1))
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call)
        shown = str(screen.query_one("#carry", CarryOverPanel).body.render())
        assert "From the call of Sat 21 Nov" in shown and "no time set" not in shown


# -- the rest of issue 20: sheet escaping and folder, carry-over height, contacts at 80, When focus --


async def test_plan_sheet_from_x_escapes_markdown_and_lands_in_the_export_folder(db_path, store, frozen_now, tmp_path):
    import stat

    from salestui.modals.export_path import ExportPath

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    account = store.accounts.create("Initech").id
    call = store.calls.create(
        account,
        frozen_now + timedelta(days=1),
        objective="Fix [TODO] *now* <b>x</b>",
        strategy="# not a heading\n- nor a list",
    )
    store.calls.add_checklist_item(call, "Bring `the` deck_v2")
    app = make_app(db_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_ready(pilot)
            await open_plan(pilot, call)
            await pilot.press("escape", "x")
            await wait_modal(pilot, ExportPath)
            await pilot.press("enter")
            await settle(pilot)
            sheet = home / "Documents" / "salestui" / f"initech-call-{call}.md"
            assert f"Exported to {sheet}" in toasts(app)
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    text = sheet.read_text(encoding="utf-8")
    assert "Fix \\[TODO\\] \\*now\\* \\<b\\>x\\</b\\>" in text
    assert "\\# not a heading\n\\- nor a list" in text
    assert "Bring \\`the\\` deck\\_v2" in text


async def test_long_carry_over_takes_a_third_of_the_plan_at_80x24(db_path, store, frozen_now):
    from salestui.widgets.plan_carryover import CarryOverPanel

    account = store.accounts.create("Initech").id
    held = store.calls.create(account, frozen_now - timedelta(days=2))
    store.calls.start(held)
    store.calls.end(held)
    lessons = "\n".join(f"Lesson number {n}: bring the numbers" for n in range(20))
    store.debriefs.finish(held, lessons=lessons, do_differently="Ask about budget earlier")
    call = store.calls.create(account, frozen_now + timedelta(days=1))
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call)
        panel = screen.query_one("#carry-inline", CarryOverPanel)
        assert panel.display and 0 < panel.outer_size.height <= 24 // 3
        assert panel.max_scroll_y > 0 and panel.focusable  # it scrolls rather than growing, by keys too
        await pilot.press("escape")
        for _ in range(40):
            if app.focused is panel:
                break
            await pilot.press("shift+tab")
        assert app.focused is panel
        await pilot.press("down", "down")
        await settle(pilot)
        assert panel.scroll_y > 0
        screen.query_one("#form").scroll_home(animate=False)
        await settle(pilot)
        # The fields below it are on screen without scrolling the plan.
        when = screen.when_input.region
        assert 0 < when.y < 24 - 1 and when.height == 1


async def test_contacts_keep_the_phone_column_at_80_columns(db_path, store, frozen_now):
    from salestui.screens.account import AccountScreen

    account = store.accounts.create("Initech").id
    store.accounts.add_contact(
        account,
        "Bartholomew Lumbergh-Winterbottom",
        title="Vice President of Operations and Logistics",
        role="decision_maker",
        email="bartholomew.lumbergh-winterbottom@initech.example.com",
        phone="+49 30 1234 5678",
    )
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.open_account(account)
        screen = await wait_screen(pilot, AccountScreen)
        await pilot.press("2")
        await settle(pilot)
        table = screen.contacts.table
        shown = "\n".join(line.text for line in table.render_lines(table.region.reset_offset)[:3])
        assert "Phone" in shown and "+49 30 1234 5678" in shown
        assert "…" in shown  # long names and emails are cut with an ellipsis
        assert table.virtual_size.width <= table.size.width


async def test_shift_tab_into_when_keeps_the_date_and_puts_the_cursor_at_the_end(db_path, store, frozen_now):
    from textual.widgets import Select

    account = store.accounts.create("Initech").id
    call = store.calls.create(account, frozen_now + timedelta(days=1), objective="Pricing review")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call)
        screen.query_one("#kind", Select).focus()
        await settle(pilot)
        await pilot.press("shift+tab")
        await settle(pilot)
        when = screen.when_input
        assert app.focused is when
        shown = when.value
        assert shown and when.selection.is_empty and when.cursor_position == len(shown)
        await type_text(pilot, "x")
        assert when.value == shown + "x"


async def test_the_narrow_plan_is_laid_out_narrow_from_its_first_frame(db_path, store, frozen_now):
    account = store.accounts.create("Initech").id
    call = store.calls.create(account, frozen_now + timedelta(days=1))
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        screen = PlanScreen(call)
        app.push_screen(screen)
        # Before the first Resize reaches the screen (it waits for the first layout): no side column.
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        await wait_screen(pilot, PlanScreen)
        assert screen.has_class("-narrow") and not screen.query_one("#side").display
