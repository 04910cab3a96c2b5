"""Questions to ask: the readiness rules, the bank, the carry-over of unasked questions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from salestui.domain.carryover import carry_over
from salestui.domain.enums import CallKind, CallStatus, Outcome, QuestionKind
from salestui.domain.models import CallPlan, Debrief, Question
from salestui.domain.questions import (
    BANK,
    NO_PROBLEM_QUESTION,
    NO_QUESTIONS,
    asked_summary,
    bank,
    kind_label,
    kind_letter,
    question_gap,
)
from salestui.domain.readiness import readiness

K = QuestionKind


def _plan(kind: CallKind, *questions: Question) -> CallPlan:
    return CallPlan(
        id=1,
        account_id=1,
        account_name="Initech",
        scheduled_at=None,
        kind=kind,
        status=CallStatus.PLANNED,
        questions=questions,
    )


def test_no_questions_is_named() -> None:
    assert question_gap(_plan(CallKind.DEMO)) == NO_QUESTIONS
    assert NO_QUESTIONS in readiness(_plan(CallKind.DEMO)).missing


@pytest.mark.parametrize("kind", [K.NONE, K.SITUATION, K.NEED_PAYOFF])
def test_discovery_without_a_problem_question_is_flagged_by_name(kind: QuestionKind) -> None:
    plan = _plan(CallKind.DISCOVERY, Question(1, "How do you order today?", kind))
    assert question_gap(plan) == NO_PROBLEM_QUESTION
    ready = readiness(plan)
    assert "no question about their problem" in ready.missing
    assert NO_QUESTIONS not in ready.missing


@pytest.mark.parametrize("kind", [K.PROBLEM, K.IMPLICATION])
def test_discovery_with_a_problem_or_implication_question_is_enough(kind: QuestionKind) -> None:
    plan = _plan(CallKind.DISCOVERY, Question(1, "Situation?", K.SITUATION), Question(2, "What goes wrong?", kind))
    assert question_gap(plan) is None
    assert not any("question" in line for line in readiness(plan).missing)


def test_a_blank_problem_question_does_not_count() -> None:
    plan = _plan(CallKind.DISCOVERY, Question(1, "  ", K.PROBLEM), Question(2, "Who decides?", K.SITUATION))
    assert question_gap(plan) == NO_PROBLEM_QUESTION


@pytest.mark.parametrize("kind", [CallKind.DEMO, CallKind.PROPOSAL, CallKind.NEGOTIATION, CallKind.CHECK_IN])
def test_other_kinds_need_any_question(kind: CallKind) -> None:
    assert question_gap(_plan(kind, Question(1, "Who signs?", K.SITUATION))) is None


def test_questions_earn_their_weight() -> None:
    without = readiness(_plan(CallKind.DEMO)).score
    with_one = readiness(_plan(CallKind.DEMO, Question(1, "Who signs?"))).score
    assert with_one - without == 5


def test_every_call_kind_has_a_bank_and_discovery_digs_for_the_problem() -> None:
    for kind in CallKind:
        assert bank(kind), kind
        assert all(q.text.strip() for q in bank(kind))
    assert any(q.kind in (K.PROBLEM, K.IMPLICATION) for q in BANK[CallKind.DISCOVERY])
    pulled = _plan(
        CallKind.DISCOVERY, *(Question(i, q.text, q.kind, q.hope) for i, q in enumerate(bank(CallKind.DISCOVERY)))
    )
    assert question_gap(pulled) is None


def test_labels_and_letters() -> None:
    assert kind_label(K.NEED_PAYOFF) == "need-payoff"
    assert kind_label(K.NONE) == "no kind"
    assert [kind_letter(k) for k in K] == ["", "S", "P", "I", "N"]


def test_asked_summary() -> None:
    assert asked_summary(()) == NO_QUESTIONS
    questions = (Question(1, "a?", asked=True, answer="yes"), Question(2, "b?"), Question(3, " "))
    assert asked_summary(questions) == "1 of 2 questions asked"


def test_unasked_questions_carry_over_once_and_asked_ones_do_not() -> None:
    previous = replace(
        _plan(
            CallKind.DISCOVERY,
            Question(1, "What does downtime cost?", K.IMPLICATION, "a number", asked=True, answer="40k a month"),
            Question(2, "Who signs off?", K.SITUATION),
            Question(3, "who  SIGNS off?", K.SITUATION),
            Question(4, "  "),
        ),
        status=CallStatus.DONE,
        outcome=Outcome.CONTINUATION,
        debrief=Debrief(id=1, call_id=1, finished_at=None),
    )
    assert carry_over(previous).unasked_questions == ()  # a draft debrief hands on nothing
    from datetime import UTC, datetime

    finished = replace(previous, debrief=Debrief(id=1, call_id=1, finished_at=datetime(2026, 11, 1, tzinfo=UTC)))
    carried = carry_over(finished)
    assert [q.text for q in carried.unasked_questions] == ["Who signs off?"]
    assert not carried.empty


def test_carried_summary_names_questions_only_when_there_are_some() -> None:
    from salestui.domain.debrief import carried_summary

    assert carried_summary(2, 1, 3) == "carrying 2 lessons, 1 objection and 3 open advances."
    assert (
        carried_summary(2, 1, 3, 1) == "carrying 2 lessons, 1 objection, 3 open advances and 1 question not asked yet."
    )


def test_bank_lines_round_trip_and_forgive_missing_parts() -> None:
    from salestui.domain.questions import bank_lines, parse_bank_lines

    for kind in CallKind:
        assert parse_bank_lines(bank_lines(bank(kind))) == bank(kind)
    parsed = parse_bank_lines(["p | What [/] breaks? | the pain", "Who decides?", "- | Budget?", "  ", "x | a | b"])
    assert [(q.text, q.kind, q.hope) for q in parsed] == [
        ("What [/] breaks?", K.PROBLEM, "the pain"),
        ("Who decides?", K.NONE, ""),
        ("Budget?", K.NONE, ""),
        ("x", K.NONE, "a | b"),
    ]
