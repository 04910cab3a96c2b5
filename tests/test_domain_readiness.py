"""Readiness parts and missing names; the advance-versus-continuation check on real phrasings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from salestui.domain.continuation import EXPLANATION, continuation_warning, looks_like_continuation
from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, QuestionKind
from salestui.domain.models import Advance, CallPlan, ChecklistItem, Objection, Question
from salestui.domain.readiness import band_of, readiness

ADVANCES = [
    "CFO joins a pricing review on the 14th",
    "CFO joins a 30-minute pricing review on the 14th",
    "Agrees to a 30-day pilot with 5 users",
    "agrees to a 30-day pilot with 5 users, starting Monday",
    "IT lead sends the current vendor's contract terms by Friday",
    "Introduces us to procurement this week",
    "Books an on-site demo for the plant managers",
    "Agrees to be a reference call for Initech",
    "Signs the order form for phase one",
    "agrees to a 20-minute call with their technical lead",
    "Raj shares last quarter's downtime log",
    "VP Operations joins a scoping workshop",
]

CONTINUATIONS = [
    "Send them a brochure",
    "They'll think about it",
    "Follow up next quarter",
    "Keep in touch",
    "Touch base after the holidays",
    "Great meeting, they'll get back to us",
    "Check in next month",
    "Leave the deck with them",
    "send info",
    "Email the pricing sheet",
    "Call them next week",
    "Wait for their reply",
]


@pytest.mark.parametrize("text", ADVANCES)
def test_real_advances_are_not_flagged(text: str) -> None:
    assert not looks_like_continuation(text)
    assert continuation_warning(text) is None


@pytest.mark.parametrize("text", CONTINUATIONS)
def test_real_continuations_are_flagged_with_the_one_line_explanation(text: str) -> None:
    assert looks_like_continuation(text)
    warning = continuation_warning(text)
    assert warning == EXPLANATION
    assert "\n" not in warning and "customer commits" in warning


def test_empty_action_is_missing_not_a_continuation() -> None:
    assert continuation_warning("") is None
    assert continuation_warning("   ") is None


def _plan(**fields: object) -> CallPlan:
    base = CallPlan(
        id=1, account_id=1, account_name="Initech", scheduled_at=None, kind=CallKind.DEMO, status=CallStatus.PLANNED
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def _full() -> CallPlan:
    return _plan(
        objective="Present the phase-one proposal to Lumbergh",
        goal="Verbal yes on scope and price",
        strategy="Open with their numbers",
        contact_ids=(1,),
        advances=(
            Advance(1, AdvanceLevel.STRETCH, "Signs the order form for phase one"),
            Advance(2, AdvanceLevel.TARGET, "CFO joins a pricing review on the 14th"),
            Advance(3, AdvanceLevel.FALLBACK, "Agrees to a 20-minute call with their technical lead"),
        ),
        objections=(Objection(1, "Too expensive", "Reframe on the cost of the problem"),),
        checklist=(ChecklistItem(1, 0, "Objective written", True), ChecklistItem(2, 1, "Practised the call", True)),
        questions=(Question(1, "What does a late order cost you?", QuestionKind.IMPLICATION),),
    )


def test_empty_plan_names_every_missing_part() -> None:
    ready = readiness(_plan())
    assert ready.score == 0
    assert ready.missing == (
        "no objective",
        "no measurable goal",
        "no stretch advance",
        "no target advance",
        "no fallback advance",
        "no objection with a planned response",
        "no questions planned",
        "no contacts chosen",
        "no strategy",
        "no checklist",
    )
    assert ready.band == "low"


def test_complete_plan_scores_100_with_nothing_missing() -> None:
    ready = readiness(_full())
    assert (ready.score, ready.missing, ready.band) == (100, (), "high")


@pytest.mark.parametrize(
    ("change", "lost", "missing"),
    [
        ({"objective": "  "}, 20, "no objective"),
        ({"goal": ""}, 10, "no measurable goal"),
        ({"questions": ()}, 5, "no questions planned"),
        ({"questions": (Question(1, "   "),)}, 5, "no questions planned"),
        ({"contact_ids": ()}, 10, "no contacts chosen"),
        ({"strategy": ""}, 5, "no strategy"),
        ({"objections": (Objection(1, "Too expensive", ""),)}, 10, "no objection with a planned response"),
        (
            {"objections": (Objection(1, "Too expensive", "Reframe", came_up_unplanned=True),)},
            10,
            "no objection with a planned response",
        ),
    ],
)
def test_each_part_costs_its_weight_and_is_named(change: dict[str, object], lost: int, missing: str) -> None:
    ready = readiness(replace(_full(), **change))  # type: ignore[arg-type]
    assert ready.score == 100 - lost
    assert ready.missing == (missing,)


def test_missing_fallback_and_continuation_rungs_are_named() -> None:
    plan = replace(
        _full(),
        advances=(
            Advance(1, AdvanceLevel.STRETCH, "Signs the order form for phase one"),
            Advance(2, AdvanceLevel.TARGET, "Send them a brochure"),
        ),
    )
    ready = readiness(plan)
    assert ready.score == 80
    assert ready.missing == ("target advance reads like a continuation", "no fallback advance")


def test_checklist_progress_counts_in_proportion() -> None:
    items = tuple(ChecklistItem(i, i, f"item {i}", done=i < 3) for i in range(10))
    ready = readiness(replace(_full(), checklist=items))
    assert ready.score == 93
    assert ready.missing == ("checklist 3/10 done",)


def test_bands() -> None:
    assert [band_of(s) for s in (0, 49, 50, 79, 80, 100)] == ["low", "low", "medium", "medium", "high", "high"]
