"""Questions in what the rep reads outside the plan: the call sheet, the dossier, review's call detail."""

from __future__ import annotations

from datetime import UTC, datetime

from salestui.domain.enums import CallKind, QuestionKind
from salestui.io.dossier import dossier_markdown
from salestui.io.plan_sheet import plan_sheet_markdown
from salestui.screens.call_detail import outcome_side, plan_side

WHEN = datetime(2026, 11, 20, 10, tzinfo=UTC)


def _call(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    account = store.accounts.create("Initech")
    call_id = store.calls.create(account.id, WHEN, CallKind.DISCOVERY, objective="Find the pain")
    asked = store.calls.add_question(call_id, "What goes [/] wrong?", QuestionKind.PROBLEM, "the [TODO] pain")
    store.calls.add_question(call_id, "Who *signs*?")
    store.calls.set_asked(asked, True, "Late orders | weekly")
    return account.id, call_id


def test_call_sheet_lists_the_questions_in_order(store):
    _, call_id = _call(store)
    sheet = plan_sheet_markdown(store, call_id)
    section = sheet.split("## Questions to ask\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert section == [
        "1. What goes \\[/\\] wrong? *(problem)* ✓ asked",  # escaped like the dossier
        "   - to learn: the \\[TODO\\] pain",
        "   - answer: Late orders \\| weekly",
        "2. Who \\*signs\\*?",
    ]


def test_dossier_escapes_question_text(store):
    account_id, _ = _call(store)
    text = dossier_markdown(store, account_id)
    assert (
        "- What goes \\[/\\] wrong? *(problem)* — to learn: the \\[TODO\\] pain — **asked: Late orders \\| weekly**"
        in text
    )
    assert "- Who \\*signs\\*? — **not asked**" in text


def test_call_detail_shows_questions_planned_and_asked_literally(store):
    _, call_id = _call(store)
    plan = store.calls.plan(call_id)
    planned = plan_side(plan).plain
    assert "Questions planned" in planned and "1. [P] What goes [/] wrong?" in planned and "[TODO]" in planned
    assert "Late orders" not in planned  # answers belong to what happened
    happened = outcome_side(plan).plain
    assert "1 of 2 questions asked" in happened
    assert "✓ What goes [/] wrong?" in happened and "→ Late orders | weekly" in happened
    assert "○ Who *signs*?" in happened
