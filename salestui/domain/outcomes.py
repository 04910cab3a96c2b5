"""Outcome rules: what counts as an advance, and how an outcome reads."""

from __future__ import annotations

from salestui.domain.enums import AdvanceLevel, Outcome
from salestui.domain.models import CallPlan


def outcome_for_level(level: AdvanceLevel | None) -> Outcome:
    """The outcome recorded when the rep picks a ladder rung (or none: continuation)."""
    return Outcome.CONTINUATION if level is None else Outcome.ADVANCE


def is_success(outcome: Outcome | None) -> bool:
    """A call succeeded only if the customer committed to an advance."""
    return outcome is Outcome.ADVANCE


def counts_as_held(outcome: Outcome | None) -> bool:
    """Cancelled calls and calls with no outcome yet are not "held" for the advance rate."""
    return outcome is not None and outcome is not Outcome.CANCELLED


def describe(plan: CallPlan) -> str:
    """One short phrase for the outcome of a call, e.g. ``Advance (target)``."""
    if plan.outcome is None:
        return "—"
    if plan.outcome is Outcome.ADVANCE:
        secured = plan.secured_advance
        return f"Advance ({secured.level.value})" if secured else "Advance"
    return plan.outcome.value.capitalize()
