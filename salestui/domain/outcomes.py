"""Outcome rules: what counts as an advance, how an outcome reads, and the choices a debrief offers."""

from __future__ import annotations

from enum import StrEnum

from salestui.domain.enums import LADDER, AdvanceLevel, Outcome
from salestui.domain.models import CallPlan


class OutcomeChoice(StrEnum):
    """One answer to "how did the call end?", in the order of the debrief's number keys 1-7."""

    STRETCH = "stretch"
    TARGET = "target"
    FALLBACK = "fallback"
    UNPLANNED = "unplanned"
    CONTINUATION = "continuation"
    LOST = "lost"
    CANCELLED = "cancelled"


CHOICES: tuple[OutcomeChoice, ...] = tuple(OutcomeChoice)

CHOICE_LABELS: dict[OutcomeChoice, str] = {
    OutcomeChoice.STRETCH: "Stretch",
    OutcomeChoice.TARGET: "Target",
    OutcomeChoice.FALLBACK: "Fallback",
    OutcomeChoice.UNPLANNED: "Unplanned advance",
    OutcomeChoice.CONTINUATION: "Continuation",
    OutcomeChoice.LOST: "Lost",
    OutcomeChoice.CANCELLED: "Cancelled / no-show",
}


def outcome_for_level(level: AdvanceLevel | None) -> Outcome:
    """The outcome recorded when the rep picks a ladder rung (or none: continuation)."""
    return Outcome.CONTINUATION if level is None else Outcome.ADVANCE


def is_success(outcome: Outcome | None) -> bool:
    """A call succeeded only if the customer committed to an advance."""
    return outcome is Outcome.ADVANCE


def describe(plan: CallPlan) -> str:
    """One short phrase for the outcome of a call, e.g. ``Advance (target)``."""
    if plan.outcome is None:
        return "—"
    if plan.outcome is Outcome.ADVANCE:
        secured = plan.secured_advance
        return f"Advance ({secured.level.value})" if secured else "Advance"
    return plan.outcome.value.capitalize()


def choice_of(plan: CallPlan) -> OutcomeChoice | None:
    """The debrief choice matching what the call recorded; ``None`` if nothing (consistent) was."""
    if plan.outcome is None:
        return None
    if plan.outcome is Outcome.ADVANCE:
        secured = plan.secured_advance
        # "Advance" with nothing secured is not a state the rep can confirm: ask again.
        return OutcomeChoice(secured.level.value) if secured else None
    return {
        Outcome.CONTINUATION: OutcomeChoice.CONTINUATION,
        Outcome.LOST: OutcomeChoice.LOST,
        Outcome.CANCELLED: OutcomeChoice.CANCELLED,
    }[plan.outcome]


def level_of(choice: OutcomeChoice) -> AdvanceLevel | None:
    """The advance level a choice secures (``None`` for continuation, lost, cancelled)."""
    try:
        return AdvanceLevel(choice.value)
    except ValueError:
        return None


def outcome_of(choice: OutcomeChoice) -> Outcome:
    """The call outcome a choice records."""
    if level_of(choice) is not None:
        return Outcome.ADVANCE
    return Outcome(choice.value)


def is_available(plan: CallPlan, choice: OutcomeChoice) -> bool:
    """A ladder rung can only be picked if it was planned (has an action); everything else always can."""
    level = level_of(choice)
    if level is None or level not in LADDER:
        return True
    advance = plan.advance(level)
    return advance is not None and bool(advance.action.strip())
