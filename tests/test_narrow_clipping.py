"""At 80x24 nothing the rep needs is cut: the practice footer, the debrief's date, the bank's title."""

from __future__ import annotations

from datetime import timedelta

import pytest

from salestui.domain.enums import CallKind, QuestionKind
from salestui.modals.picker import Picker
from salestui.screens.debrief import DebriefScreen
from salestui.screens.practice import PracticeScreen
from salestui.widgets.plan_questions import PlanQuestions
from tests.helpers import make_app, open_plan, settle, wait_modal, wait_ready, wait_screen

SIZE = (80, 24)


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """What the terminal shows: the rendered rows of the top screen."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


async def test_practice_footer_keeps_finish_help_and_quit(db_path, store, frozen_now):
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, frozen_now, CallKind.DISCOVERY, objective="Find the pain")
    store.calls.add_question(call_id, "What breaks today?", QuestionKind.PROBLEM, "the pain")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        app.open_practice(call_id)
        screen = await wait_screen(pilot, PracticeScreen)
        await settle(pilot)
        footer = screen_lines(app)[-1]
        for words in ("^s Finish", "f1 Help", "^q Quit", "r Ready", "s Shaky", "space Reveal"):
            assert words in footer, footer
        # The keys line above the footer names every key, next, back and leave included.
        keys = str(screen.query_one("#practice-keys").render())
        assert "→ next" in keys and "← back" in keys and "escape leave" in keys
        assert "practising 0:00" in screen_lines(app)[1]  # the clock shows at once


@pytest.mark.parametrize("name", ["Wayne Retail", "Wayne Retail Holdings International"])
async def test_debrief_heading_shows_the_whole_date(db_path, store, frozen_now, name):
    account = store.accounts.create(name)
    call_id = store.calls.create(account.id, frozen_now + timedelta(days=23), CallKind.DISCOVERY, objective="Pain")
    store.calls.start(call_id)
    store.calls.end(call_id)
    store.debriefs.save(call_id, went_well="rapport")  # a draft: "draft, saved … · ctrl+s finishes it"
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        app.open_debrief(call_id)
        screen = await wait_screen(pilot, DebriefScreen)
        await settle(pilot)
        heading = str(screen.query_one("#heading").render())
        date = heading.rsplit("·", 1)[-1].strip()
        assert date[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}, heading
        rows = screen_lines(app)
        if name == "Wayne Retail":  # fits one row, the save status beside it
            assert f"{name}  ·  Discovery  ·  {date}" in rows[1] and "draft, saved" in rows[1], rows[1]
        else:  # too long for the row: the heading wraps, nothing is cut
            shown = " ".join(" ".join(row.split()) for row in rows[1:3])
            assert f"{name} · Discovery · {date}" in shown, shown


async def test_question_bank_title_is_whole(db_path, store, frozen_now):
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, frozen_now, CallKind.NEGOTIATION, objective="Agree the price")
    store.engine.dispose()
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        plan = await open_plan(pilot, call_id)
        plan.query_one(PlanQuestions).focus()
        await pilot.press("Q")
        await wait_modal(pilot, Picker)
        await settle(pilot)
        text = " ".join(" ".join(line.replace("█", " ").split()) for line in screen_lines(app))
        assert "Questions for a negotiation call (enter adds · t on the list edits the bank)" in text, text
