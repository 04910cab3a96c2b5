"""'What I saw': a colleague who rode along writes it after the call, in a field of their own.

Shared by the debrief and call detail screens. The rider writes their own (on a team database
the login named as rider); the call's rep may type it in for a rider who has no login. It is
never mixed into the rep's own debrief text, and is carried over into the next plan like the
lessons (``domain.carryover``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from salestui import format as fmt
from salestui.domain.models import CallPlan, Rider
from salestui.text import clean

if TYPE_CHECKING:
    from salestui.screens.base import DataScreen


def saw_content(plan: CallPlan) -> Content:
    """Each rider's words under their name (literally), or how to add them."""
    if not plan.riders:
        return Content.styled("Nobody rode along (name colleagues on the plan's Riding line).", "$text-muted")
    parts: list[Content] = []
    for rider in plan.riders:
        at = f"  {fmt.when(rider.saw_at)}" if rider.saw_at else ""
        parts.append(Content.assemble((f"What {clean(rider.name, 60)} saw", "bold"), (at, "$text-muted")))
        if rider.saw.strip():
            parts.extend(Content(clean(line)) for line in rider.saw.splitlines())
        else:
            parts.append(Content.styled("not written yet: F4 (What I saw)", "$text-muted"))
    return Content("\n").join(parts)


def edit_what_i_saw(screen: DataScreen, plan: CallPlan | None) -> None:
    """Ask for what the rider saw (the rider at the keyboard, else pick one) and save it."""
    from salestui.modals.picker import Choice, Picker

    store = screen.store
    if plan is None or store is None:
        return
    if not plan.riders:
        screen.notify("Nobody rode along on this call: name colleagues on the plan's Riding line.", markup=False)
        return
    me = next((r for r in plan.riders if r.name.casefold() == store.owner.casefold()), None)
    if me is not None or len(plan.riders) == 1:
        _prompt(screen, me or plan.riders[0])
        return
    riders = {r.id: r for r in plan.riders}

    def picked(rider_id: int | None) -> None:
        if rider_id is not None:
            _prompt(screen, riders[rider_id])

    choices = [Choice(r.id, r.name, "written" if r.saw.strip() else "") for r in plan.riders]
    screen.app.push_screen(Picker("Whose 'What I saw'?", choices), picked)


def _prompt(screen: DataScreen, rider: Rider) -> None:
    from salestui.modals.text_prompt import TextPrompt

    rider_id = rider.id

    def written(text: str | None) -> None:
        if text is None:
            return
        from salestui.store import coaching

        def done(_saved: object) -> None:
            screen.notify("'What I saw' saved.", markup=False)
            screen.reload()

        screen.save(lambda store: coaching.save_saw(store, rider_id, text), done=done, description="what I saw")

    title = f"What {rider.name} saw on the call (their own words, apart from the debrief)"
    screen.app.push_screen(TextPrompt(title, rider.saw.replace("\n", " "), "what went well, what to change"), written)
