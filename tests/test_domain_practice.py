"""Practise the call: the rehearsal cards from a plan, shaky objections in readiness, the stats line."""

from __future__ import annotations

from datetime import UTC, date, datetime

from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, QuestionKind
from salestui.domain.models import Advance, CallPlan, Objection, PracticeRun, Question
from salestui.domain.practice import CardKind, cards, is_practice_item, run_summary, shaky_objections
from salestui.domain.readiness import readiness
from salestui.domain.stats import Rate, practice_line

AT = datetime(2026, 11, 22, 18, tzinfo=UTC)


def _plan(**fields: object) -> CallPlan:
    return CallPlan(
        id=1,
        account_id=1,
        account_name="Initech",
        scheduled_at=None,
        kind=CallKind.DEMO,
        status=CallStatus.PLANNED,
        objective="Show the audit trail",
        goal="Scores it 4/5",
        strategy="Open with their numbers",
        questions=(Question(1, "What would you need to see?", QuestionKind.NEED_PAYOFF, "criteria"), Question(2, " ")),
        objections=(
            Objection(1, "Too expensive", "Reframe"),
            Objection(2, "Came up", "x", came_up_unplanned=True),
        ),
        advances=(
            Advance(1, AdvanceLevel.FALLBACK, "Intro to procurement"),
            Advance(2, AdvanceLevel.STRETCH, "Signs the order form", owner="Bill", due=date(2026, 12, 1)),
            Advance(3, AdvanceLevel.TARGET, "  "),
        ),
        **fields,  # type: ignore[arg-type]
    )


def test_cards_follow_the_call_in_order() -> None:
    deck = cards(_plan())
    assert [c.kind for c in deck] == [
        CardKind.OPENING,
        CardKind.QUESTION,
        CardKind.OBJECTION,
        CardKind.ASK,
        CardKind.ASK,
    ]
    assert deck[0].prompt == "Show the audit trail" and "Goal: Scores it 4/5" in deck[0].reveal
    assert deck[1].title.startswith("Question 1 of 1") and deck[1].reveal == "To learn: criteria"
    assert (deck[2].prompt, deck[2].reveal, deck[2].item) == ("Too expensive", "Reframe", "objection: Too expensive")
    assert [c.prompt for c in deck[3:]] == ["Signs the order form", "Intro to procurement"]  # stretch before fallback
    assert deck[3].reveal == "who: Bill, by 2026-12-01"


def test_an_empty_plan_still_has_an_opening_card() -> None:
    empty = CallPlan(
        id=1, account_id=1, account_name="", scheduled_at=None, kind=CallKind.DEMO, status=CallStatus.PLANNED
    )
    deck = cards(empty)
    assert len(deck) == 1 and deck[0].prompt == "no objective written"


def test_practice_item_is_found_by_its_words() -> None:
    assert is_practice_item("Practised the call") and is_practice_item("Practice the pitch")
    assert not is_practice_item("Objective written")


def test_shaky_objections_are_named_in_readiness_without_changing_the_score() -> None:
    plan = _plan()
    run = PracticeRun(1, AT, 300, ("objection: too   EXPENSIVE", "stretch ask: Signs the order form"))
    practised = _plan(practice=run)
    assert shaky_objections(plan) == () and shaky_objections(practised) == ("Too expensive",)
    assert "shaky in practice: Too expensive" in readiness(practised).missing
    assert readiness(practised).score == readiness(plan).score


def test_run_summary() -> None:
    assert run_summary(_plan()).startswith("Not practised yet")
    assert run_summary(_plan(practice=PracticeRun(1, AT, 365, ("a",)))) == "Last practice: 6:05 long, 1 shaky item"


def test_practice_line() -> None:
    assert practice_line(()).startswith("No practised call")
    rates = (Rate("practised", 4, 3, 1, 0, 0, 4), Rate("not practised", 10, 4, 5, 1, 0, 6))
    assert practice_line(rates) == "Practised calls advance in 75% (4 held), the others in 40% (10 held)."
