"""Coaching on a call plan: the parts a note is pinned to, what is still open, and whether it pays.

Plain rules, no database: the store gives ``CoachingNote`` and ``Rider`` read models (on the
``CallPlan``); screens, the CLI, the call sheet and readiness word them through this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from salestui.domain.enums import LADDER, AdvanceLevel
from salestui.domain.models import CallPlan, CoachingNote
from salestui.domain.practice import Card, CardKind


class Part(StrEnum):
    """What part of a plan a coaching note is about."""

    PLAN = "plan"
    OBJECTIVE = "objective"
    STRETCH = "stretch"
    TARGET = "target"
    FALLBACK = "fallback"
    OBJECTION = "objection"
    QUESTION = "question"


#: Parts that name one item of a list (``part_id`` is the item's id).
ITEM_PARTS = frozenset({Part.OBJECTION, Part.QUESTION})
RUNGS: tuple[Part, ...] = (Part.STRETCH, Part.TARGET, Part.FALLBACK)

PARTS_HELP = "plan, objective, stretch, target, fallback, objection:N or question:N (N as numbered in the plan)"


class BadPart(ValueError):
    """A part typed on the command line that the plan does not have; the message says why."""


@dataclass(frozen=True, slots=True)
class Pin:
    """A part of one plan: the kind and, for an objection or question, which one."""

    part: Part
    part_id: int | None = None


def rung_part(level: AdvanceLevel) -> Part:
    """The part of a ladder rung."""
    return Part(level.value)


def parse_part(text: str, plan: CallPlan) -> Pin:
    """``--on`` text to a pin on ``plan``: ``target``, ``objection:2`` (the second objection)…"""
    cleaned = " ".join(text.strip().lower().split())
    name, _, number = cleaned.replace(" ", ":", 1).partition(":")
    try:
        part = Part(name or "plan")
    except ValueError:
        raise BadPart(f"{text.strip()!r} is not a part of a plan: use {PARTS_HELP}") from None
    if part not in ITEM_PARTS:
        if number:
            raise BadPart(f"{part.value} takes no number: use {PARTS_HELP}")
        return Pin(part)
    items = _items(plan, part)
    if not number.isdigit() or not 1 <= int(number) <= len(items):
        count = f"it has {len(items)}" if items else "it has none"
        raise BadPart(f"{part.value}:N needs the number of a {part.value} of this plan ({count})")
    return Pin(part, items[int(number) - 1][0])


def _items(plan: CallPlan, part: Part) -> list[tuple[int, str]]:
    if part is Part.OBJECTION:
        return [(o.id, o.text) for o in plan.objections if not o.came_up_unplanned]
    return [(q.id, q.text) for q in plan.questions]


def part_label(note: CoachingNote | Pin, plan: CallPlan | None = None) -> str:
    """How a part is named beside a note: ``Objective``, ``Target rung``, ``Objection: Too expensive``."""
    part = Part(note.part) if note.part in Part._value2member_map_ else Part.PLAN
    if part is Part.PLAN:
        return "Whole plan"
    if part is Part.OBJECTIVE:
        return "Objective"
    if part in RUNGS:
        return f"{part.value.capitalize()} rung"
    found = dict(_items(plan, part)) if plan is not None else {}
    text = found.get(note.part_id or -1)
    if text is None:
        return f"A {part.value} since removed" if plan is not None else part.value.capitalize()
    return f"{part.value.capitalize()}: {text}"


def of_part(notes: Iterable[CoachingNote], part: Part, part_id: int | None = None) -> list[CoachingNote]:
    """The notes pinned to one part (for an objection or question, to that item)."""
    return [n for n in notes if n.part == part.value and (part not in ITEM_PARTS or n.part_id == part_id)]


def open_notes(plan: CallPlan) -> tuple[CoachingNote, ...]:
    """Notes the rep has not marked done, oldest first."""
    return tuple(n for n in plan.coaching if not n.done)


def not_addressed(plan: CallPlan) -> str | None:
    """``1 coaching note not addressed`` (readiness names it), or ``None``."""
    count = len(open_notes(plan))
    if not count:
        return None
    return f"{count} coaching note{'s' if count != 1 else ''} not addressed"


def part_content(note: CoachingNote, plan: CallPlan) -> str:
    """What the plan holds now at the note's part (a practice card reveals it)."""
    part = Part(note.part) if note.part in Part._value2member_map_ else Part.PLAN
    if part is Part.OBJECTIVE:
        return plan.objective.strip() or "no objective written"
    if part in RUNGS:
        advance = plan.advance(AdvanceLevel(part.value))
        return advance.action if advance is not None and advance.action.strip() else f"no {part.value} advance"
    if part is Part.OBJECTION:
        found = next((o for o in plan.objections if o.id == note.part_id), None)
        if found is None:
            return "the objection was removed"
        return f"{found.text}\nPlanned response: {found.response.strip() or 'none'}"
    if part is Part.QUESTION:
        question = next((q for q in plan.questions if q.id == note.part_id), None)
        return question.text if question is not None else "the question was removed"
    return plan.objective.strip() or "the whole plan"


def sorted_by_part(notes: Sequence[CoachingNote], plan: CallPlan) -> list[CoachingNote]:
    """Notes in the plan's order (whole plan, objective, questions, ladder, objections), open first."""
    order = {Part.PLAN: 0, Part.OBJECTIVE: 1, Part.QUESTION: 2, **{rung: 3 + i for i, rung in enumerate(RUNGS)}}
    order[Part.OBJECTION] = 3 + len(LADDER)
    positions = {q.id: i for i, q in enumerate(plan.questions)} | {o.id: i for i, o in enumerate(plan.objections)}

    def key(note: CoachingNote) -> tuple[int, int, int, int]:
        part = Part(note.part) if note.part in Part._value2member_map_ else Part.PLAN
        return (int(note.done), order[part], positions.get(note.part_id or -1, 0), note.id)

    return sorted(notes, key=key)


# -- does coaching pay? ---------------------------------------------------------------------------
MIN_CALLS = 5
"""Below this many held calls a rate is not shown as one (it is named too few)."""


@dataclass(frozen=True, slots=True)
class HeldCall:
    """What the comparison needs of one held call."""

    advanced: bool
    coached: bool
    ridden: bool


@dataclass(frozen=True, slots=True)
class Group:
    """One side of a comparison: how many held calls, how many advanced, and the rate."""

    label: str
    calls: int
    advances: int

    @property
    def rate(self) -> float | None:
        """The advance rate, or ``None`` from fewer than ``MIN_CALLS`` calls (too few to tell)."""
        return self.advances / self.calls if self.calls >= MIN_CALLS else None

    def describe(self) -> str:
        """``coached 62% of 8 calls``, ``coached 2/3 advanced, too few for a rate (5 needed)``."""
        if self.calls == 0:
            return f"{self.label}: no calls yet"
        if self.rate is None:
            return f"{self.label} {self.advances}/{self.calls} advanced, too few for a rate ({MIN_CALLS} needed)"
        return f"{self.label} {round(self.rate * 100)}% of {self.calls} call{'s' if self.calls != 1 else ''}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Advance rate with and without one kind of help (coaching, a colleague riding along)."""

    title: str
    helped: Group
    alone: Group

    @property
    def comparable(self) -> bool:
        """Both sides have enough calls for a rate."""
        return self.helped.rate is not None and self.alone.rate is not None

    def line(self) -> str:
        """``coached 62% of 8 calls · uncoached 40% of 20 calls``, counts always shown."""
        return f"{self.helped.describe()} · {self.alone.describe()}"


def coaching_pays(calls: Iterable[HeldCall]) -> tuple[Comparison, Comparison]:
    """Advance rate of coached vs uncoached held calls, and of ride-along vs solo ones."""
    items = list(calls)

    def group(label: str, chosen: list[HeldCall]) -> Group:
        return Group(label, len(chosen), sum(1 for c in chosen if c.advanced))

    return (
        Comparison(
            "Coached vs uncoached",
            group("coached", [c for c in items if c.coached]),
            group("uncoached", [c for c in items if not c.coached]),
        ),
        Comparison(
            "Ride-along vs solo",
            group("with a rider", [c for c in items if c.ridden]),
            group("solo", [c for c in items if not c.ridden]),
        ),
    )


def coaching_cards(plan: CallPlan) -> tuple[Card, ...]:
    """A rehearsal card per coaching note (open ones first): say how you will act on it."""
    return tuple(
        Card(
            CardKind.COACHING,
            f"Coaching from {note.author or 'a colleague'} on {part_label(note, plan)}"
            + (" (done)" if note.done else "")
            + ": say how you will do it",
            note.text,
            part_content(note, plan),
            f"coaching: {note.text}",
        )
        for note in sorted_by_part(plan.coaching, plan)
    )
