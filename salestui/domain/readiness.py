"""How complete a call plan is, with the missing parts named."""

from __future__ import annotations

from dataclasses import dataclass

from salestui.domain.coaching import not_addressed
from salestui.domain.continuation import looks_like_continuation
from salestui.domain.enums import LADDER
from salestui.domain.models import CallPlan
from salestui.domain.practice import shaky_objections
from salestui.domain.questions import question_gap

# Weights sum to 100 so the score reads as a percentage.
_WEIGHTS: dict[str, int] = {
    "objective": 20,
    "goal": 10,
    "stretch": 10,
    "target": 10,
    "fallback": 10,
    "objection": 10,
    "contacts": 10,
    "checklist": 10,
    "strategy": 5,
    "questions": 5,
}

LOW_BELOW = 50
HIGH_FROM = 80


@dataclass(frozen=True, slots=True)
class Readiness:
    """Score 0–100 and the plan parts still missing, in plain words."""

    score: int
    missing: tuple[str, ...]

    @property
    def band(self) -> str:
        """``low``, ``medium`` or ``high``: the bands the stats compare."""
        return band_of(self.score)


def band_of(score: int) -> str:
    """Readiness band of a score."""
    if score < LOW_BELOW:
        return "low"
    return "high" if score >= HIGH_FROM else "medium"


def readiness(plan: CallPlan) -> Readiness:
    """Compute readiness from a plan; continuation-like advances do not count as advances."""
    earned = 0
    missing: list[str] = []

    def part(key: str, present: bool, message: str) -> None:
        nonlocal earned
        if present:
            earned += _WEIGHTS[key]
        else:
            missing.append(message)

    part("objective", bool(plan.objective.strip()), "no objective")
    part("goal", bool(plan.goal.strip()), "no measurable goal")
    for level in LADDER:
        advance = plan.advance(level)
        action = advance.action.strip() if advance else ""
        if not action:
            part(level.value, False, f"no {level.value} advance")
        elif looks_like_continuation(action):
            part(level.value, False, f"{level.value} advance reads like a continuation")
        else:
            part(level.value, True, "")
    part(
        "objection",
        any(o.text.strip() and o.response.strip() for o in plan.objections if not o.came_up_unplanned),
        "no objection with a planned response",
    )
    gap = question_gap(plan)
    part("questions", gap is None, gap or "")
    part("contacts", bool(plan.contact_ids), "no contacts chosen")
    part("strategy", bool(plan.strategy.strip()), "no strategy")
    if plan.checklist:
        done = sum(1 for item in plan.checklist if item.done)
        earned += round(_WEIGHTS["checklist"] * done / len(plan.checklist))
        if done < len(plan.checklist):
            missing.append(f"checklist {done}/{len(plan.checklist)} done")
    else:
        missing.append("no checklist")
    # Named, not scored: the plan has the response; the rep's delivery of it was shaky in practice.
    missing.extend(f"shaky in practice: {text}" for text in shaky_objections(plan))
    coaching = not_addressed(plan)  # named, not scored: the manager's word is the rep's to act on
    if coaching is not None:
        missing.append(coaching)
    return Readiness(score=earned, missing=tuple(missing))


#: The plan's typed fields in screen order, by widget id (``when`` holds ``scheduled_at``).
FIELD_ORDER = ("when", "objective", "goal", "expected_return", "strategy")


def first_empty_field(plan: CallPlan) -> str:
    """The id of the first field left empty, in screen order (``objective`` when all are filled)."""
    values = {
        "when": plan.scheduled_at,
        "objective": plan.objective.strip(),
        "goal": plan.goal.strip(),
        "expected_return": plan.expected_return.strip(),
        "strategy": plan.strategy.strip(),
    }
    return next((name for name in FIELD_ORDER if not values[name]), "objective")
