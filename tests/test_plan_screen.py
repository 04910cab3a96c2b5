"""Journey 3 by keys: fill a plan, watch readiness live, restart, pull carry-over, export, start."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta

from textual.widgets import Input, Static, TextArea

from salestui.domain.enums import AdvanceLevel, Handling
from salestui.modals.export_path import ExportPath
from salestui.screens.plan import PlanScreen
from salestui.store.core import open_store
from salestui.widgets.plan_carryover import CarryOverPanel
from salestui.widgets.plan_checklist import ChecklistList
from salestui.widgets.plan_objections import PlannedObjections
from tests.helpers import flush, focus_by_tab, make_app, open_plan, settle, type_text, wait_modal, wait_ready


def _seed(store, frozen_now):  # type: ignore[no-untyped-def]
    """An account with brackets in its texts, a debriefed earlier call, and an empty new call."""
    account = store.accounts.create("Initech [/]")
    bill = store.accounts.add_contact(account.id, "Bill [TODO] Lumbergh", title="VP Operations", role="decision_maker")
    store.accounts.add_contact(account.id, "Joanna Park", title="IT lead", role="technical")
    earlier = store.calls.create(account.id, frozen_now - timedelta(days=10), contact_ids=[bill.id], objective="Demo")
    store.calls.set_advance(earlier, AdvanceLevel.STRETCH, "Signs the order form for phase one", owner="Bill")
    store.calls.set_advance(earlier, AdvanceLevel.TARGET, "Agrees to a 30-day pilot with 5 users", owner="Bill")
    objection = store.calls.add_objection(earlier, "Not this quarter [/]", "Find the forcing event")
    store.calls.start(earlier)
    store.calls.set_raised(objection, True)
    store.calls.update_objection(objection, handling=Handling.BADLY)
    store.calls.secure(earlier, AdvanceLevel.TARGET)
    store.calls.end(earlier)
    store.debriefs.finish(earlier, lessons="Lumbergh decides [TODO]", do_differently="Ask about budget earlier")
    new_call = store.calls.create(account.id)
    return new_call, bill.id


async def _retype(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)


def _missing(screen: PlanScreen) -> str:
    return str(screen.meter.render())


async def test_plan_journey_by_keys_survives_restart(db_path, store, frozen_now, tmp_path):
    call_id, bill_id = _seed(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        # The plan opens on its first empty field in screen order: this call has no time yet.
        assert app.focused is not None and app.focused.id == "when"
        await focus_by_tab(pilot, "objective")
        assert "no objective" in _missing(screen)

        # Readiness updates as typed, before any save.
        await type_text(pilot, "Proposal [/]")
        assert "no objective" not in _missing(screen)
        await pilot.press("tab")
        await type_text(pilot, "Verbal yes")
        assert "no measurable goal" not in _missing(screen)

        # The date: an invalid value is shown inline and not saved; a valid one is.
        await focus_by_tab(pilot, "when")
        await type_text(pilot, "soon")
        hint = screen.query_one("#when-hint", Static)
        assert "Not a date" in str(hint.render())
        await _retype(pilot, "tomorrow 10:00")
        assert "Tue 24 Nov 10:00" in str(hint.render())

        # Contacts: tick Bill.
        await focus_by_tab(pilot, "contacts")
        await pilot.press("space")
        await pilot.pause()
        assert "no contacts chosen" not in _missing(screen)

        # Three advances, the fallback first written as a continuation.
        await focus_by_tab(pilot, "stretch-action")
        await type_text(pilot, "Signs the order form")
        await pilot.press("tab")
        await type_text(pilot, "Bill")
        await pilot.press("tab")
        await type_text(pilot, "fri")
        await pilot.press("tab")
        await type_text(pilot, "CFO joins review")
        await focus_by_tab(pilot, "fallback-action")
        await type_text(pilot, "Send a brochure")
        rung = screen.ladder.rung(AdvanceLevel.FALLBACK)
        assert "continuation" in str(rung.hint.render())
        assert "fallback advance reads like a continuation" in _missing(screen)
        await _retype(pilot, "Agrees to a pilot")
        assert not rung.hint.display
        assert "fallback" not in _missing(screen)

        # An objection with its response, through the editor.
        await focus_by_tab(pilot, "objections")
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Price [TODO]")
        await pilot.press("enter")
        await type_text(pilot, "Reframe [/]")
        await pilot.press("enter")
        await settle(pilot)
        objections = screen.query_one(PlannedObjections)
        assert [o.text for o in objections.objections] == ["Price [TODO]"]
        assert "no objection" not in _missing(screen)

        # Tick two checklist items.
        await focus_by_tab(pilot, "checklist")
        await pilot.press("space", "down", "space")
        assert "checklist 2/10 done" in _missing(screen)
        await flush(pilot)
        await settle(pilot)

    check = open_store(db_path)
    plan = check.calls.plan(call_id)
    assert plan.objective == "Proposal [/]"
    assert plan.goal == "Verbal yes"
    assert plan.scheduled_at == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert plan.contact_ids == (bill_id,)
    stretch = plan.advance(AdvanceLevel.STRETCH)
    assert stretch is not None and (stretch.action, stretch.owner, str(stretch.due)) == (
        "Signs the order form",
        "Bill",
        "2026-11-27",
    )
    fallback = plan.advance(AdvanceLevel.FALLBACK)
    assert fallback is not None and fallback.action == "Agrees to a pilot"
    assert [(o.text, o.response) for o in plan.objections] == [("Price [TODO]", "Reframe [/]")]
    assert [i.done for i in plan.checklist][:3] == [True, True, False]
    check.engine.dispose()

    # Restart on the same file: everything is there, brackets shown literally.
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        assert screen.query_one("#objective", Input).value == "Proposal [/]"
        assert screen.query_one("#when", Input).value == "2026-11-24 10:00"
        assert screen.query_one("#stretch-due", Input).value == "2026-11-27"
        assert "Initech [/]" in str(screen.query_one("#account", Static).render())
        prompt = screen.query_one(PlannedObjections).get_option_at_index(0).prompt
        assert "Price [TODO]" in str(prompt) and "Reframe [/]" in str(prompt)
        assert "[x] " in str(screen.query_one(ChecklistList).get_option_at_index(0).prompt)
        contacts = str(screen.contact_list.get_option_at_index(0).prompt)
        assert "Bill [TODO] Lumbergh" in contacts
        assert sorted(screen.contact_list.chosen) == [bill_id]


async def test_carry_over_pulled_in_with_one_key(db_path, store, frozen_now):
    call_id, _ = _seed(store, frozen_now)
    store.calls.update(call_id, strategy="Open with their numbers")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        panel = screen.query_one("#carry", CarryOverPanel)
        shown = str(panel.body.render())
        assert "Lumbergh decides [TODO]" in shown and "Not this quarter [/]" in shown
        assert "Stretch: Signs the order form for phase one" in shown
        await pilot.press("escape")  # leave the objective field; the plan stays open
        assert isinstance(app.screen, PlanScreen) and app.focused is None
        await pilot.press("p")
        await settle(pilot)
        assert screen.query_one("#strategy", TextArea).text == (
            "Open with their numbers\nLesson: Lumbergh decides [TODO]\nDo differently: Ask about budget earlier"
        )
        assert [o.text for o in screen.objections.objections] == ["Not this quarter [/]"]
        assert screen.query_one("#stretch-action", Input).value == "Signs the order form for phase one"
        # Pulling again adds nothing twice.
        await pilot.press("p")
        await settle(pilot)

    check = open_store(db_path)
    plan = check.calls.plan(call_id)
    assert plan.strategy.count("Lesson: Lumbergh decides [TODO]") == 1
    assert [(o.text, o.response) for o in plan.objections] == [("Not this quarter [/]", "Find the forcing event")]
    stretch = plan.advance(AdvanceLevel.STRETCH)
    assert stretch is not None and stretch.action == "Signs the order form for phase one"
    # The secured target rung of the earlier call is done: not carried.
    assert plan.advance(AdvanceLevel.TARGET) is None
    check.engine.dispose()


async def test_export_and_start_keys(db_path, store, frozen_now, tmp_path, monkeypatch):
    call_id, _ = _seed(store, frozen_now)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Documents").mkdir()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.open_plan(call_id)
        await settle(pilot)
        await focus_by_tab(pilot, "objective")
        await type_text(pilot, "Typed now")
        await pilot.press("escape", "x")
        await wait_modal(pilot, ExportPath)
        await pilot.press("enter")  # the one export folder: ~/Documents/salestui, made on first use
        await settle(pilot)
        sheet = tmp_path / "Documents" / "salestui" / f"initech-call-{call_id}.md"
        assert sheet.exists()
        assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
        text = sheet.read_text()
        assert "# Call plan: Initech \\[/\\]" in text and "Typed now" in text
        # At 80 columns the carry-over sits inside the plan instead of beside it.
        assert app.screen.query_one("#carry-inline").display and not app.screen.query_one("#side").display
        await pilot.press("s")
        await settle(pilot)
        # No time set and low readiness: starting asks first, naming both.
        question = str(app.screen.query_one(Static).render())
        assert "no time set" in question and "readiness" in question
        await pilot.press("y")
        await settle(pilot)
        assert type(app.screen).__name__ == "InCallScreen"


async def test_checklist_add_rename_move_remove_and_template(db_path, store, frozen_now):
    call_id, _ = _seed(store, frozen_now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_plan(call_id)
        await settle(pilot)
        await focus_by_tab(pilot, "checklist")
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Refs [TODO]")
        await pilot.press("enter")
        await settle(pilot)
        checklist = app.screen.query_one(ChecklistList)
        assert checklist.items[-1].text == "Refs [TODO]"
        assert checklist.current is not None and checklist.current.text == "Refs [TODO]"
        await pilot.press("K")
        await settle(pilot)
        assert [i.text for i in checklist.items][-2:] == ["Refs [TODO]", "Advances planned (stretch, target, fallback)"]
        await pilot.press("e")
        await settle(pilot)  # the rename prompt must be open before typing into it
        await pilot.press("ctrl+u")
        await type_text(pilot, "Two refs")
        await pilot.press("enter")
        await settle(pilot)
        assert checklist.items[-2].text == "Two refs"
        await pilot.press("home", "d")
        await settle(pilot)
        assert checklist.items[0].text == "Quantifiable goal set"
        assert len(checklist.items) == 10
        # The template: edited in a modal, saved with ctrl+s; new calls start from it.
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, "Agenda sent")
        await pilot.press("ctrl+s")
        await settle(pilot)
    check = open_store(db_path)
    assert check.calls.template()[-1] == "Agenda sent"
    texts = [i.text for i in check.calls.plan(call_id).checklist]
    assert "Objective written" not in texts and "Two refs" in texts
    check.engine.dispose()


async def test_opening_and_tabbing_through_saves_nothing(db_path, store, frozen_now):
    from salestui.store.demo import load_demo

    load_demo(store, now=frozen_now)
    before = store.calls.plan(10)  # a demo call whose kind is not the first in the list
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.open_plan(10)
        await settle(pilot)
        await pilot.press(*["tab"] * 8)
        await flush(pilot)
        await pilot.press("escape", "escape")
        await settle(pilot)
    after = open_store(db_path).calls.plan(10)
    assert (after.version, after.kind, after.contact_ids) == (before.version, before.kind, before.contact_ids)
