"""Practise the call: the plan as rehearsal cards, and what a practice run leaves behind."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from salestui.domain.enums import LADDER
from salestui.domain.models import CallPlan


class CardKind(StrEnum):
    """What a rehearsal card asks the rep to do."""

    OPENING = "opening"
    QUESTION = "question"
    OBJECTION = "objection"
    ASK = "ask"
    COACHING = "coaching"


@dataclass(frozen=True, slots=True)
class Card:
    """One step of the rehearsal: what is shown, what a key reveals, and its name if marked shaky."""

    kind: CardKind
    title: str
    prompt: str
    reveal: str
    item: str
    """How the card is named in a run's shaky items: ``objection: Too expensive``."""


SHAKY_OBJECTION = "objection: "


def cards(plan: CallPlan) -> tuple[Card, ...]:
    """The rehearsal in call order: objective and opening, each question, each objection, then the ladder."""
    opening = "\n".join(line for line in (plan.goal and f"Goal: {plan.goal}", plan.strategy) if line)
    out = [
        Card(
            CardKind.OPENING,
            "Objective and opening: say how you open",
            plan.objective.strip() or "no objective written",
            opening or "no goal or strategy written",
            "opening",
        )
    ]
    questions = [q for q in plan.questions if q.text.strip()]
    for number, question in enumerate(questions, start=1):
        out.append(
            Card(
                CardKind.QUESTION,
                f"Question {number} of {len(questions)}: ask it aloud",
                question.text,
                f"To learn: {question.hope}" if question.hope.strip() else "nothing noted to learn",
                f"question: {question.text}",
            )
        )
    objections = [o for o in plan.objections if o.text.strip() and not o.came_up_unplanned]
    for objection in objections:
        out.append(
            Card(
                CardKind.OBJECTION,
                "The customer says… answer aloud, then reveal your planned response",
                objection.text,
                objection.response.strip() or "no response planned",
                f"{SHAKY_OBJECTION}{objection.text}",
            )
        )
    for level in LADDER:
        advance = plan.advance(level)
        if advance is None or not advance.action.strip():
            continue
        detail = ", ".join(
            x for x in (advance.owner and f"who: {advance.owner}", advance.due and f"by {advance.due}") if x
        )
        out.append(
            Card(
                CardKind.ASK,
                f"Ask for the {level.value}: say the words you will use",
                advance.action,
                detail or "no owner or date planned",
                f"{level.value} ask: {advance.action}",
            )
        )
    return tuple(out)


def is_practice_item(text: str) -> bool:
    """The checklist item a finished practice run ticks (``Practised the call`` or alike)."""
    lowered = text.lower()
    return "practis" in lowered or "practic" in lowered


def shaky_objections(plan: CallPlan) -> tuple[str, ...]:
    """Objections of the plan its latest practice run marked shaky."""
    if plan.practice is None:
        return ()
    marked = {
        " ".join(s[len(SHAKY_OBJECTION) :].lower().split())
        for s in plan.practice.shaky
        if s.startswith(SHAKY_OBJECTION)
    }
    return tuple(o.text for o in plan.objections if " ".join(o.text.lower().split()) in marked)


def run_summary(plan: CallPlan) -> str:
    """``Practised 12 Nov 10:00 for 6:05, 1 shaky item`` or ``Not practised yet``."""
    run = plan.practice
    if run is None:
        return "Not practised yet: P rehearses the call"
    minutes, seconds = divmod(run.seconds, 60)
    shaky = len(run.shaky)
    return f"Last practice: {minutes}:{seconds:02} long, {shaky} shaky item{'s' if shaky != 1 else ''}"
