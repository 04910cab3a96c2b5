"""What the last debriefs of an account hand on to the next plan."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from salestui.domain.clock import local_zone
from salestui.domain.enums import LADDER, Handling, Outcome
from salestui.domain.models import Advance, CallPlan, Debrief, Objection, Question
from salestui.domain.questions import unasked
from salestui.domain.rules import is_debriefed

FOLLOW_UP_TIME = time(9, 0)  # a drafted call starts at 09:00 local; the rep moves it in the plan


@dataclass(frozen=True, slots=True)
class CarryOver:
    """Lessons, do-differently, unresolved objections and unsecured advances from past calls."""

    from_call_id: int | None
    lessons: tuple[str, ...] = ()
    do_differently: tuple[str, ...] = ()
    open_objections: tuple[Objection, ...] = ()
    open_advances: tuple[Advance, ...] = ()
    unasked_questions: tuple[Question, ...] = ()
    seen_by_riders: tuple[str, ...] = ()
    """What colleagues riding along saw, a line each: ``Maria saw: you talked 70% of the time``."""

    @property
    def empty(self) -> bool:
        """True when there is nothing to carry over."""
        return not (
            self.lessons
            or self.do_differently
            or self.open_objections
            or self.open_advances
            or self.unasked_questions
            or self.seen_by_riders
        )

    def strategy_lines(self) -> list[str]:
        """The lines the next plan's strategy gets: lessons, do-differently, what riders saw."""
        return [
            *(f"Lesson: {line}" for line in self.lessons),
            *(f"Do differently: {line}" for line in self.do_differently),
            *self.seen_by_riders,
        ]


def was_raised(objection: Objection) -> bool:
    """Raised in the call (a handling judgement implies it was raised)."""
    return objection.raised or objection.handling is not Handling.NOT_RAISED


def is_unresolved(objection: Objection) -> bool:
    """An objection stays open if it was raised and not handled well."""
    return was_raised(objection) and objection.handling is not Handling.WELL


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _first(text: str, seen: set[str]) -> bool:
    """True the first time ``text`` (case and spacing folded) is met; remembers it in ``seen``."""
    key = _key(text)
    if key in seen:
        return False
    seen.add(key)
    return True


def carry_over(previous: CallPlan | None) -> CarryOver:
    """Carry-over from the account's most recent debriefed call (a draft debrief hands on nothing).

    - objections: those raised and not handled well; after a cancelled call (nothing was
      tested) every planned objection still applies. Blank ones are dropped, duplicates merged.
    - advances: ladder rungs above the one secured stay worth going for; the secured rung and
      those below are done. With a continuation, a loss, a cancellation, or an unplanned
      advance (not on the ladder), every planned rung stays open.
    - questions: those not asked in the call (duplicates merged), to ask next time.
    """
    if previous is None or previous.debrief is None or not is_debriefed(previous.debrief):
        return CarryOver(from_call_id=None)
    debrief = previous.debrief
    cancelled = previous.outcome is Outcome.CANCELLED
    seen: set[str] = set()
    unresolved: list[Objection] = []
    for objection in previous.objections:
        key = _key(objection.text)
        if not key or key in seen:
            continue
        if is_unresolved(objection) or (cancelled and not objection.came_up_unplanned):
            seen.add(key)
            unresolved.append(objection)
    secured = previous.secured_advance if previous.outcome is Outcome.ADVANCE else None
    ceiling = LADDER.index(secured.level) if secured and secured.level in LADDER else len(LADDER)
    still_open = [
        advance
        for advance in previous.advances
        if advance.level in LADDER
        and advance.action.strip()
        and not (advance.secured and secured is not None)
        and LADDER.index(advance.level) < ceiling
    ]
    still_open.sort(key=lambda a: LADDER.index(a.level))

    question_keys: set[str] = set()

    def lines(text: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in text.splitlines() if line.strip())

    return CarryOver(
        from_call_id=previous.id,
        lessons=lines(debrief.lessons),
        do_differently=lines(debrief.do_differently),
        open_objections=tuple(unresolved),
        open_advances=tuple(still_open),
        unasked_questions=tuple(q for q in unasked(previous.questions) if _first(q.text, question_keys)),
        seen_by_riders=tuple(
            f"{' '.join(rider.name.split())} saw: {line}" for rider in previous.riders for line in lines(rider.saw)
        ),
    )


def carry_over_when_finished(plan: CallPlan) -> CarryOver:
    """What finishing ``plan``'s debrief as it stands will hand on: ``carry_over`` of the plan with
    its debrief finished (finishing carries ``carry_over`` of the finished call). The debrief's
    preview shows this, so it always says what ctrl+s will carry."""
    debrief = plan.debrief or Debrief(id=0, call_id=plan.id)
    if not debrief.finished:  # only whether it is finished counts, not when
        debrief = replace(debrief, finished_at=datetime.min.replace(tzinfo=UTC))
    return carry_over(replace(plan, debrief=debrief))


def follow_up_at(day: date, now: datetime, zone: tzinfo | None = None) -> datetime:
    """When the drafted next call starts: 09:00 local on ``day``; later today if 09:00 has passed.

    A drafted call in the past would land in "needs a debrief" instead of "upcoming".
    """
    zone = zone if zone is not None else local_zone()
    local_now = now.astimezone(zone)
    moment = datetime.combine(day, FOLLOW_UP_TIME, zone)  # the IANA zone: the offset of ``day``, not of now
    if moment <= local_now and day == local_now.date():
        moment = local_now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return moment


def pulled_summary(before: CallPlan, after: CallPlan, strategy_before: str) -> str:
    """What a pull of the carry-over added to a plan, in one sentence."""
    objections = len(after.objections) - len(before.objections)
    lines = len(after.strategy.splitlines()) - len(strategy_before.splitlines())
    rungs = sum(1 for a in after.advances if a.action.strip()) - sum(1 for a in before.advances if a.action.strip())
    questions = max(len(after.questions) - len(before.questions), 0)
    return (
        f"Carried over: {max(objections, 0)} objection(s), {max(lines, 0)} strategy line(s), "
        f"{max(rungs, 0)} advance(s), {questions} question(s)."
    )
