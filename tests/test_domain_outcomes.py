"""Outcome rules: what counts as an advance, and the debrief's seven outcome choices."""

from __future__ import annotations

import pytest

from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, Outcome
from salestui.domain.models import Advance, CallPlan
from salestui.domain.outcomes import (
    CHOICES,
    OutcomeChoice,
    choice_of,
    describe,
    is_available,
    is_success,
    level_of,
    outcome_for_level,
    outcome_of,
)


def plan(outcome: Outcome | None = None, secured: AdvanceLevel | None = None, ladder: str = "stf") -> CallPlan:
    levels = {"s": AdvanceLevel.STRETCH, "t": AdvanceLevel.TARGET, "f": AdvanceLevel.FALLBACK}
    advances = [Advance(id=i, level=levels[c], action=f"{levels[c].value} action") for i, c in enumerate(ladder)]
    if secured is AdvanceLevel.UNPLANNED:
        advances.append(Advance(id=9, level=AdvanceLevel.UNPLANNED, action="offered", secured=True))
    elif secured is not None:
        advances = [Advance(id=a.id, level=a.level, action=a.action, secured=a.level is secured) for a in advances]
    return CallPlan(
        id=1,
        account_id=1,
        account_name="Acme",
        scheduled_at=None,
        kind=CallKind.DEMO,
        status=CallStatus.DONE,
        advances=tuple(advances),
        outcome=outcome,
    )


def test_only_an_advance_is_a_success():
    assert is_success(Outcome.ADVANCE)
    for other in (Outcome.CONTINUATION, Outcome.LOST, Outcome.CANCELLED, None):
        assert not is_success(other)


def test_picking_no_rung_is_a_continuation():
    assert outcome_for_level(None) is Outcome.CONTINUATION
    assert outcome_for_level(AdvanceLevel.FALLBACK) is Outcome.ADVANCE


def test_describe():
    assert describe(plan()) == "—"
    assert describe(plan(Outcome.ADVANCE, AdvanceLevel.TARGET)) == "Advance (target)"
    assert describe(plan(Outcome.ADVANCE, AdvanceLevel.UNPLANNED)) == "Advance (unplanned)"
    assert describe(plan(Outcome.CONTINUATION)) == "Continuation"


def test_choices_are_in_key_order():
    assert [c.value for c in CHOICES] == [
        "stretch",
        "target",
        "fallback",
        "unplanned",
        "continuation",
        "lost",
        "cancelled",
    ]


@pytest.mark.parametrize(
    ("outcome", "secured", "expected"),
    [
        (None, None, None),
        (Outcome.ADVANCE, AdvanceLevel.STRETCH, OutcomeChoice.STRETCH),
        (Outcome.ADVANCE, AdvanceLevel.FALLBACK, OutcomeChoice.FALLBACK),
        (Outcome.ADVANCE, AdvanceLevel.UNPLANNED, OutcomeChoice.UNPLANNED),
        (Outcome.ADVANCE, None, None),  # "advance" with nothing secured must be asked again
        (Outcome.CONTINUATION, None, OutcomeChoice.CONTINUATION),
        (Outcome.LOST, None, OutcomeChoice.LOST),
        (Outcome.CANCELLED, None, OutcomeChoice.CANCELLED),
    ],
)
def test_choice_prefilled_from_the_call(outcome, secured, expected):
    assert choice_of(plan(outcome, secured)) is expected


def test_choice_round_trips_to_outcome_and_level():
    for choice in CHOICES:
        level = level_of(choice)
        assert (outcome_of(choice) is Outcome.ADVANCE) == (level is not None)
    assert level_of(OutcomeChoice.TARGET) is AdvanceLevel.TARGET
    assert level_of(OutcomeChoice.UNPLANNED) is AdvanceLevel.UNPLANNED
    assert outcome_of(OutcomeChoice.LOST) is Outcome.LOST
    assert outcome_of(OutcomeChoice.CONTINUATION) is Outcome.CONTINUATION


def test_unplanned_rungs_cannot_be_picked():
    only_target = plan(ladder="t")
    assert is_available(only_target, OutcomeChoice.TARGET)
    assert not is_available(only_target, OutcomeChoice.STRETCH)
    assert not is_available(only_target, OutcomeChoice.FALLBACK)
    for always in (OutcomeChoice.UNPLANNED, OutcomeChoice.CONTINUATION, OutcomeChoice.LOST, OutcomeChoice.CANCELLED):
        assert is_available(only_target, always)
    blank = CallPlan(
        id=1,
        account_id=1,
        account_name="A",
        scheduled_at=None,
        kind=CallKind.DEMO,
        status=CallStatus.DONE,
        advances=(Advance(id=1, level=AdvanceLevel.STRETCH, action="   "),),
    )
    assert not is_available(blank, OutcomeChoice.STRETCH)
