"""What the last debriefs of an account hand on to the next plan."""

from __future__ import annotations

from dataclasses import dataclass

from salestui.domain.enums import LADDER, Handling, Outcome
from salestui.domain.models import Advance, CallPlan, Objection


@dataclass(frozen=True, slots=True)
class CarryOver:
    """Lessons, do-differently, unresolved objections and unsecured advances from past calls."""

    from_call_id: int | None
    lessons: tuple[str, ...] = ()
    do_differently: tuple[str, ...] = ()
    open_objections: tuple[Objection, ...] = ()
    open_advances: tuple[Advance, ...] = ()

    @property
    def empty(self) -> bool:
        """True when there is nothing to carry over."""
        return not (self.lessons or self.do_differently or self.open_objections or self.open_advances)


def is_unresolved(objection: Objection) -> bool:
    """An objection stays open if it was raised and not handled well."""
    return objection.raised and objection.handling is not Handling.WELL


def carry_over(previous: CallPlan | None) -> CarryOver:
    """Carry-over from the account's most recent debriefed call."""
    if previous is None or previous.debrief is None:
        return CarryOver(from_call_id=None)
    debrief = previous.debrief
    unresolved = tuple(o for o in previous.objections if is_unresolved(o))
    secured = previous.secured_advance if previous.outcome is Outcome.ADVANCE else None
    # Rungs above the one secured are still worth going for; it and those below are done.
    ceiling = LADDER.index(secured.level) if secured and secured.level in LADDER else len(LADDER)
    still_open = [
        advance
        for advance in previous.advances
        if advance.level in LADDER
        and advance.action.strip()
        and not advance.secured
        and LADDER.index(advance.level) < ceiling
    ]

    def lines(text: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in text.splitlines() if line.strip())

    return CarryOver(
        from_call_id=previous.id,
        lessons=lines(debrief.lessons),
        do_differently=lines(debrief.do_differently),
        open_objections=unresolved,
        open_advances=tuple(still_open),
    )
