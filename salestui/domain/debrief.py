"""What the debrief tells the rep before ctrl+s: the words of its hints (no UI)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from salestui.domain.carryover import carry_over_when_finished
from salestui.domain.dates import Invalid
from salestui.domain.enums import Handling
from salestui.domain.models import CallPlan, Debrief, Objection


def plural(count: int, word: str) -> str:
    """``1 lesson``, ``2 lessons``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def still_open(objections: tuple[Objection, ...]) -> int:
    """Objections raised and not (yet) handled well: they carry over."""
    return sum(1 for o in objections if o.handling in (Handling.RAISED, Handling.BADLY))


def follow_up_hint(parsed: date | None | Invalid) -> str:
    """The line beside the follow-up date."""
    if isinstance(parsed, Invalid):
        return parsed.message
    if parsed is None:
        return "no date: nothing drafted"
    return f"→ {parsed.strftime('%a %d %b %Y')}"


def finish_hint(
    plan: CallPlan,
    objections: tuple[Objection, ...],
    lessons: str,
    do_differently: str,
    follow: date | None | Invalid,
    today: date,
) -> str:
    """What ctrl+s will do: draft (or move) the next call carrying what, or why it will not."""
    drafted = plan.debrief is not None and plan.debrief.next_call_id is not None
    if not isinstance(follow, date):
        return "everything is already saved; set a follow-up date to draft the next call"
    if follow < today and not drafted:
        return "the follow-up date has passed: set a new one to draft the next call"
    base = plan.debrief or Debrief(id=0, call_id=plan.id)
    preview = replace(
        plan, objections=objections, debrief=replace(base, lessons=lessons, do_differently=do_differently)
    )
    carried = carry_over_when_finished(preview)
    verb = "moves the drafted next call to" if drafted else "drafts the next call on"
    return f"{verb} {follow.strftime('%a %d %b')} " + carried_summary(
        len(carried.lessons) + len(carried.do_differently),
        len(carried.open_objections),
        len(carried.open_advances),
        len(carried.unasked_questions),
    )


def carried_summary(lessons: int, objections: int, advances: int, questions: int = 0) -> str:
    """``carrying 2 lessons, 1 objection and 3 open advances.`` (and the questions not asked, if any)"""
    asked = f" and {plural(questions, 'question')} not asked yet" if questions else ""
    return (
        f"carrying {plural(lessons, 'lesson')}, {plural(objections, 'objection')}"
        f"{',' if questions else ' and'} {plural(advances, 'open advance')}{asked}."
    )


def finish_problem(
    choice: object | None, unplanned: bool, unplanned_text: str, follow: object
) -> tuple[str, str] | None:
    """Why the debrief cannot be finished yet, and which field to go to; ``None`` when it can."""
    if choice is None:
        return "Pick the outcome first: 1-7, then enter.", "outcome"
    if unplanned and not unplanned_text.strip():
        return "Type what the customer committed to.", "unplanned"
    if isinstance(follow, Invalid):
        return follow.message, "follow_up"
    return None


def draft_day(plan: CallPlan, follow: date | None, today: date) -> date | None:
    """The day to draft (or move) the next call to: none without a date, or for a past one never drafted."""
    if follow is None:
        return None
    drafted = plan.debrief is not None and plan.debrief.next_call_id is not None
    return follow if follow >= today or drafted else None
