"""Questions in the store (real SQLite file): add, edit, move, remove, tick asked with an answer,
control characters dropped, the search index, carry-over into the drafted and the pulled plan."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from salestui.domain.enums import AdvanceLevel, CallKind, QuestionKind
from salestui.domain.readiness import readiness
from salestui.store.accounts import InvalidInput
from salestui.store.core import open_store
from salestui.store.doctor import diagnose, sound
from tests.pg import connect

WHEN = datetime(2026, 11, 20, 10, tzinfo=UTC)


def _call(store) -> int:
    account = store.accounts.create("Acme")
    return store.calls.create(account.id, WHEN, CallKind.DISCOVERY, objective="Find the pain")


def test_questions_round_trip_on_a_real_file(store, db_path):
    call_id = _call(store)
    first = store.calls.add_question(
        call_id, "How do you [TODO] order today?", QuestionKind.SITUATION, "the [/] process"
    )
    second = store.calls.add_question(call_id, "What goes wrong\x1b[31m?", QuestionKind.PROBLEM)
    third = store.calls.add_questions(call_id, [("What does it cost?", QuestionKind.IMPLICATION, "a number")])[0]
    store.calls.move_question(third, -1)
    store.calls.update_question(first, hope="who is involved", kind=QuestionKind.NONE)
    store.calls.set_asked(second, True, "Late orders\x07, weekly ")
    store.close() if hasattr(store, "close") else None

    reopened = open_store(db_path)
    plan = reopened.calls.plan(call_id)
    assert [(q.text, q.kind) for q in plan.questions] == [
        ("How do you [TODO] order today?", QuestionKind.NONE),
        ("What does it cost?", QuestionKind.IMPLICATION),
        ("What goes wrong[31m?", QuestionKind.PROBLEM),
    ]
    assert plan.questions[0].hope == "who is involved"
    asked = plan.questions[2]
    assert asked.asked and asked.answer == "Late orders, weekly"
    assert not plan.questions[0].asked and plan.questions[0].answer == ""
    reopened.calls.set_asked(second, False)
    assert reopened.calls.plan(call_id).questions[2].answer == "Late orders, weekly"  # unticking keeps the answer
    reopened.calls.delete_question(first)
    assert [q.id for q in reopened.calls.plan(call_id).questions] == [third, second]


def test_blank_question_is_refused(store):
    call_id = _call(store)
    with pytest.raises(InvalidInput):
        store.calls.add_question(call_id, "  \x1b ")


@pytest.mark.sqlite_only("salestui doctor checks the SQLite file")
def test_questions_and_answers_are_searchable_and_doctor_agrees(store, db_path):
    call_id = _call(store)
    question = store.calls.add_question(call_id, "How many forklifts break each month?", QuestionKind.PROBLEM)
    store.calls.set_asked(question, True, "About eleven, mostly hydraulics")
    hits = store.review.search("hydraulics")
    assert [(h.source.value, h.call_id) for h in hits] == [("question", call_id)]
    assert store.review.search("forklifts")[0].call_id == call_id
    store.calls.delete_question(question)
    assert store.review.search("hydraulics") == []
    assert sound(diagnose(db_path, in_use=True))


@pytest.mark.sqlite_only("salestui doctor rebuilds the SQLite file's FTS5 index")
def test_doctor_rebuilds_a_search_index_missing_questions(store, db_path):
    from salestui.store.doctor import repair

    call_id = _call(store)
    store.calls.add_question(call_id, "Who signs purchase orders?", QuestionKind.SITUATION)
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER search_question_ai")
    raw.execute("DELETE FROM search_fts WHERE rowid % 8 = 0")
    raw.commit()
    raw.close()
    findings = diagnose(db_path, in_use=True)
    assert not sound(findings)
    repair(db_path, findings)
    assert sound(diagnose(db_path, in_use=True))
    assert store.review.search("purchase")[0].call_id == call_id


def test_unasked_questions_go_to_the_drafted_call_and_to_a_pull(store, frozen_now):
    call_id = _call(store)
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "CFO joins a pricing review")
    asked = store.calls.add_question(call_id, "What does downtime cost?", QuestionKind.IMPLICATION)
    store.calls.add_question(call_id, "Who signs off?", QuestionKind.SITUATION, "the approver")
    store.calls.start(call_id)
    store.calls.set_asked(asked, True, "40k a month")
    store.calls.secure(call_id, None)
    store.calls.end(call_id)
    finished = store.debriefs.finish(call_id, None, follow_up_at=datetime(2026, 11, 30, 9, tzinfo=UTC), lessons="x")
    drafted = store.calls.plan(finished.next_call_id)
    assert [(q.text, q.kind, q.hope, q.asked) for q in drafted.questions] == [
        ("Who signs off?", QuestionKind.SITUATION, "the approver", False)
    ]
    # A plan made by hand pulls it in, once.
    account_id = drafted.account_id
    other = store.calls.create(account_id, datetime(2026, 12, 5, 10, tzinfo=UTC))
    plan, _version = store.calls.pull_carry_over(other, "")
    assert [q.text for q in plan.questions] == ["Who signs off?"]
    plan, _version = store.calls.pull_carry_over(other, plan.strategy)
    assert [q.text for q in plan.questions] == ["Who signs off?"]


def test_questions_go_with_their_call(store, db_path):
    call_id = _call(store)
    store.calls.add_question(call_id, "Who decides?")
    store.calls.delete(call_id)
    raw = connect(db_path)  # the file, or the PostgreSQL database standing in for it
    assert raw.execute("SELECT count(*) FROM question").fetchone()[0] == 0
    raw.close()


def test_stats_read_the_ladder_from_the_secured_rungs(demo_store):
    stats = demo_store.review.stats()
    ladder = stats.ladder
    assert ladder is not None
    assert ladder.overall.held == stats.overall.held
    assert ladder.overall.count("continuation") == stats.overall.continuations
    assert ladder.overall.count("lost") == stats.overall.lost
    advanced = sum(ladder.overall.count(r) for r in ("stretch", "target", "fallback", "unplanned"))
    assert advanced == stats.overall.advances
    assert sum(g.held for g in ladder.by_kind) == sum(g.held for g in ladder.by_account) == ladder.overall.held
    assert [g.key for g in ladder.by_month] == sorted((g.key for g in ladder.by_month), reverse=True)
    assert ladder.overall.reading


def test_practice_runs_count_in_the_stats_and_go_with_the_call(demo_store):
    stats = demo_store.review.stats()
    by_key = {r.key: r for r in stats.practised}
    assert by_key["practised"].held == 1 and by_key["practised"].advances == 1
    assert by_key["practised"].held + by_key["not practised"].held == stats.overall.held
    upcoming = next(c for c in demo_store.calls.upcoming() if demo_store.calls.plan(c.id).practice is not None)
    plan = demo_store.calls.plan(upcoming.id)
    assert plan.practice.shaky and any(m.startswith("shaky in practice: ") for m in readiness(plan).missing)
    assert next(i for i in plan.checklist if i.text == "Practised the call").done


def test_the_question_bank_can_be_edited_per_kind_and_restored(store, db_path):
    from salestui.domain.questions import BankQuestion, bank

    assert store.calls.question_bank(CallKind.DEMO) == bank(CallKind.DEMO)
    mine = (BankQuestion("What [TODO] breaks on Mondays?", QuestionKind.PROBLEM, "the pain"),)
    store.calls.set_question_bank(CallKind.DEMO, mine)
    assert open_store(db_path).calls.question_bank(CallKind.DEMO) == mine
    assert store.calls.question_bank(CallKind.DISCOVERY) == bank(CallKind.DISCOVERY)
    store.calls.set_question_bank(CallKind.DEMO, None)
    assert store.calls.question_bank(CallKind.DEMO) == bank(CallKind.DEMO)
