"""Questions by keys: written and pulled from the bank in the plan, ticked asked with an answer in
the call; user text with brackets is shown literally."""

from __future__ import annotations

from textual.widgets import Select

from salestui.domain.enums import CallKind, QuestionKind
from salestui.domain.questions import bank
from salestui.modals.confirm import Confirm
from salestui.modals.form import FormModal
from salestui.modals.picker import Picker
from salestui.screens.incall import InCallScreen
from salestui.screens.plan import PlanScreen
from salestui.store.core import open_store
from salestui.widgets.incall_questions import InCallQuestions, QuestionAnswer
from salestui.widgets.plan_questions import PlanQuestions
from tests.helpers import focus_by_tab, make_app, open_plan, reopen_plan, settle, type_text, wait_modal, wait_ready


async def test_plan_questions_by_keys(db_path, store, frozen_now):
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, kind=CallKind.DISCOVERY, objective="Find the pain")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        assert "no questions planned" in str(screen.meter.render())

        # a: write one (text, SPIN kind by keys, what to learn).
        await focus_by_tab(pilot, "questions")
        await pilot.press("a")
        form = await wait_modal(pilot, FormModal)
        await type_text(pilot, "Who [TODO] decides [/]?")
        await pilot.press("tab")
        assert isinstance(app.focused, Select)
        await pilot.press("enter", "down", "enter")  # none -> situation
        await settle(pilot)
        assert form.query_one("#f-kind", Select).value == "situation"
        await pilot.press("tab")
        await type_text(pilot, "the buying group")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        questions = screen.query_one(PlanQuestions)
        assert [(q.text, q.kind, q.hope) for q in questions.questions] == [
            ("Who [TODO] decides [/]?", QuestionKind.SITUATION, "the buying group")
        ]
        # Shown literally; readiness now names the missing problem question.
        assert "Who [TODO] decides [/]?" in str(questions.get_option_at_index(0).prompt)
        assert "no question about their problem" in str(screen.meter.render())

        # Q: pull the first discovery bank question that digs into the problem.
        await pilot.press("Q")
        picker = await wait_modal(pilot, Picker)
        await type_text(pilot, "hardest")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and picker is not app.screen
        assert [q.kind for q in questions.questions] == [QuestionKind.SITUATION, QuestionKind.PROBLEM]
        assert "question" not in str(screen.meter.render())
        assert questions.current is not None and questions.current.kind is QuestionKind.PROBLEM

        # K moves it up; e edits; d removes after a yes.
        await pilot.press("K")
        await settle(pilot)
        assert questions.questions[0].kind is QuestionKind.PROBLEM
        await pilot.press("e")
        await wait_modal(pilot, FormModal)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "What is hardest today?")
        await pilot.press("enter")
        await settle(pilot)
        assert questions.questions[0].text == "What is hardest today?"
        await pilot.press("j", "d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [q.text for q in questions.questions] == ["What is hardest today?"]

        # Q again, "all": every bank question not in the plan yet, in one go.
        await pilot.press("Q")
        await wait_modal(pilot, Picker)
        await pilot.press("enter")  # the first line offers them all
        await settle(pilot)
    stored = reopen_plan(db_path, call_id)
    assert stored.questions[0].text == "What is hardest today?"
    assert len(stored.questions) == 1 + len(bank(CallKind.DISCOVERY))  # the edited one no longer matches the bank
    assert [q.position for q in stored.questions] == list(range(len(stored.questions)))


async def test_tick_a_question_asked_with_an_answer_in_the_call(db_path, store, frozen_now):
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, kind=CallKind.DISCOVERY, objective="Find the pain")
    first = store.calls.add_question(call_id, "What goes [/] wrong?", QuestionKind.PROBLEM, "the pain")
    store.calls.add_question(call_id, "Who signs?", QuestionKind.SITUATION)
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.start_call(call_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InCallScreen)
        panel = screen.query_one(InCallQuestions)
        assert "What goes [/] wrong?" in str(panel.children[0].render())
        assert panel.border_subtitle == "0 of 2 questions asked"

        await pilot.press("q")
        await wait_modal(pilot, Picker)
        await pilot.press("enter")  # the first unasked question
        await wait_modal(pilot, QuestionAnswer)
        await type_text(pilot, "Late orders [TODO], weekly")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert panel.border_subtitle == "1 of 2 questions asked"
        assert "Late orders [TODO], weekly" in str(panel.children[0].render())
        stored = reopen_plan(db_path, call_id).questions[0]
        assert (stored.id, stored.asked, stored.answer) == (first, True, "Late orders [TODO], weekly")

        # The second, asked with no answer: escape on the picker first changes nothing.
        await pilot.press("q")
        await wait_modal(pilot, Picker)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("q")
        await wait_modal(pilot, Picker)
        await pilot.press("enter")  # unasked ones come first
        await wait_modal(pilot, QuestionAnswer)
        await pilot.press("enter")
        await settle(pilot)
    plan = reopen_plan(db_path, call_id)
    assert [(q.asked, q.answer) for q in plan.questions] == [(True, "Late orders [TODO], weekly"), (True, "")]


async def test_debrief_shows_asked_and_unasked_with_answers(db_path, store, frozen_now):
    from salestui.screens.debrief import DebriefScreen

    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, kind=CallKind.DISCOVERY, objective="Find the pain")
    asked = store.calls.add_question(call_id, "What goes [/] wrong?", QuestionKind.PROBLEM)
    store.calls.add_question(call_id, "Who [TODO] signs?", QuestionKind.SITUATION)
    store.calls.start(call_id)
    store.calls.set_asked(asked, True, "Late [b]orders[/b]")
    store.calls.end(call_id)
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_debrief(call_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        shown = str(screen.query_one("#notes").render())
        assert "1 of 2 questions asked" in shown
        assert "✓ What goes [/] wrong?" in shown and "→ Late [b]orders[/b]" in shown
        assert "○ Who [TODO] signs?" in shown and "carried over to the next plan" in shown


async def test_stats_show_the_calibrated_ladder_with_account_names_literal(db_path, store, frozen_now):
    from datetime import timedelta

    from salestui.domain.enums import AdvanceLevel
    from salestui.screens.stats import StatsScreen
    from salestui.widgets.stats_ladder import LadderCalibration

    account = store.accounts.create("Evil [b]Corp[/b]")
    for days, level in enumerate((AdvanceLevel.STRETCH,) * 4 + (AdvanceLevel.TARGET,) * 2, start=1):
        call_id = store.calls.create(account.id, frozen_now - timedelta(days=days))
        store.calls.set_advance(call_id, level, "Signs the order form")
        store.calls.start(call_id)
        store.calls.secure(call_id, level)
        store.calls.end(call_id)
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_ready(pilot)
        app.action_stats()
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        shown = str(app.screen.query_one(LadderCalibration).render())
        assert "stretch reached in 67 % of calls: aim higher" in shown
        assert "Evil [b]Corp[/b…" in shown  # literal, cut to the column


async def test_practice_run_ticks_the_checklist_and_names_shaky_objections(db_path, store, frozen_now):
    from datetime import timedelta

    from salestui.domain import clock
    from salestui.domain.enums import AdvanceLevel
    from salestui.screens.practice import PracticeScreen

    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, kind=CallKind.DEMO, objective="Show [TODO] the audit trail")
    store.calls.add_question(call_id, "What would you need to see?", QuestionKind.NEED_PAYOFF, "their criteria")
    store.calls.add_objection(call_id, "Too [/] expensive", "Reframe on the cost of the problem")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "CFO joins a pricing review", owner="Dana")
    practised = next(i for i in store.calls.plan(call_id).checklist if "Practised" in i.text)
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        plan_screen = await open_plan(pilot, call_id)
        assert "Not practised yet" in str(plan_screen.query_one("#account").render())
        await pilot.press("escape")  # leave the objective field: the screen's keys work
        await pilot.press("P")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert [c.kind.value for c in screen.cards] == ["opening", "question", "objection", "ask"]
        assert "Show [TODO] the audit trail" in str(screen.query_one("#practice-prompt").render())
        await pilot.press("r")  # opening: ready
        await pilot.press("space")  # question: reveal what to learn
        assert "their criteria" in str(screen.query_one("#practice-reveal").render())
        await pilot.press("r")
        assert "Too [/] expensive" in str(screen.query_one("#practice-prompt").render())
        assert "space reveals" in str(screen.query_one("#practice-reveal").render())
        await pilot.press("space")
        assert "Reframe" in str(screen.query_one("#practice-reveal").render())
        await pilot.press("s")  # the objection: shaky
        await pilot.press("left")  # back to it, then on again
        assert "marked shaky" in str(screen.query_one("#practice-mark").render())
        await pilot.press("right")
        assert "Ask for the target" in str(screen.query_one("#practice-title").render())
        clock.freeze(frozen_now + timedelta(minutes=6, seconds=5))
        await pilot.pause(1.1)  # the timer ticks
        assert "6:05" in str(screen.query_one("#practice-clock").render())
        await pilot.press("r", "f")
        await settle(pilot)
        assert app.screen is plan_screen
        await settle(pilot)
        assert "Last practice: 6:05 long, 1 shaky item" in str(plan_screen.query_one("#account").render())
        assert "shaky in practice: Too [/] expensive" in str(plan_screen.meter.render())
    plan = reopen_plan(db_path, call_id)
    assert plan.practice is not None and plan.practice.seconds == 365
    assert plan.practice.shaky == ("objection: Too [/] expensive",)
    assert next(i for i in plan.checklist if i.id == practised.id).done


async def test_new_user_journey_bank_practise_call_debrief_next_plan(db_path, store, frozen_now):
    """Plan with three bank questions, practise, ask two in the call, debrief: the third is in the next plan."""
    from salestui.domain.enums import AdvanceLevel
    from salestui.modals.debrief_done import DebriefDone
    from salestui.screens.debrief import DebriefScreen
    from salestui.screens.practice import PracticeScreen

    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, frozen_now, CallKind.DISCOVERY, objective="Find the pain")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "CFO joins a pricing review on the 14th")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        plan_screen = await open_plan(pilot, call_id)
        await focus_by_tab(pilot, "questions")
        for words in ("hardest", "how often", "worth"):
            await pilot.press("Q")
            await wait_modal(pilot, Picker)
            await type_text(pilot, words)
            await pilot.press("enter")
            await settle(pilot)
        assert len(plan_screen.questions.questions) == 3
        assert "question" not in str(plan_screen.meter.render())

        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("r", "r", "r", "r", "f")
        await settle(pilot)
        assert app.screen is plan_screen

        await pilot.press("s")  # start the call: no time is set, so it asks first
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        incall = app.screen
        assert isinstance(incall, InCallScreen)
        for answer in ("Chasing sign-offs", ""):
            await pilot.press("q")
            await wait_modal(pilot, Picker)
            await pilot.press("enter")
            await wait_modal(pilot, QuestionAnswer)
            await type_text(pilot, answer)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("2")  # the target
        await pilot.press("ctrl+e")
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        await pilot.press("enter")  # outcome as picked in the call
        await type_text(pilot, "rapport")
        await pilot.press("tab", "tab", "tab", "tab")
        await type_text(pilot, "+7d")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DebriefDone)
        await pilot.press("p")  # open the drafted next call
        await settle(pilot)
        next_plan = app.screen
        assert isinstance(next_plan, PlanScreen) and next_plan.call_id != call_id
        assert [q.text for q in next_plan.questions.questions] == [
            "If that were solved, what would it be worth to you?"
        ]
    first = reopen_plan(db_path, call_id)
    assert [q.asked for q in first.questions] == [True, True, False]
    assert first.practice is not None
    drafted = reopen_plan(db_path, first.debrief.next_call_id)
    assert [q.text for q in drafted.questions] == [first.questions[2].text]
    assert not drafted.questions[0].asked


async def test_edit_the_bank_with_t_then_pull_from_it(db_path, store, frozen_now):
    from salestui.modals.template_editor import TemplateEditor

    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, kind=CallKind.CHECK_IN, objective="Catch up")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await open_plan(pilot, call_id)
        await focus_by_tab(pilot, "questions")
        await pilot.press("t")
        editor = await wait_modal(pilot, TemplateEditor)
        area = editor.text_area  # type: ignore[attr-defined]
        assert area.text.splitlines()[0].startswith("S | What has changed on your side")
        area.text = "P | What [/] slowed you down? | the pain\nWho else [TODO] uses it?"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("Q")
        await wait_modal(pilot, Picker)
        await pilot.press("enter")  # all of them
        await settle(pilot)
        assert [(q.text, q.kind, q.hope) for q in screen.questions.questions] == [
            ("What [/] slowed you down?", QuestionKind.PROBLEM, "the pain"),
            ("Who else [TODO] uses it?", QuestionKind.NONE, ""),
        ]
    reopened = open_store(db_path, owner="tester")
    try:
        assert [q.text for q in reopened.calls.question_bank(CallKind.CHECK_IN)][0] == "What [/] slowed you down?"
    finally:
        reopened.engine.dispose()
