"""The advance ladder of the in-call screen: three large rungs, continuation and unplanned."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from salestui.domain.enums import LADDER, AdvanceLevel
from salestui.domain.models import CallPlan
from salestui.text import literal

CONTINUATION = "continuation"
"""The choice "continuation only": the call ended with no advance."""

RUNG_KEYS: dict[AdvanceLevel, str] = {AdvanceLevel.STRETCH: "1", AdvanceLevel.TARGET: "2", AdvanceLevel.FALLBACK: "3"}


def choice_of(plan: CallPlan) -> str | None:
    """What the call's record says was picked: a ladder level value, ``continuation`` or nothing."""
    secured = plan.secured_advance
    if secured is not None:
        return secured.level.value
    if plan.outcome is not None and plan.outcome.value == CONTINUATION:
        return CONTINUATION
    return None


class Rung(Static):
    """One planned advance as a large choice; clicking it picks it."""

    def __init__(self, level: AdvanceLevel) -> None:
        super().__init__(id=f"rung-{level.value}", classes="rung")
        self.level = level
        self.action_text = ""

    def show(self, action: str, chosen: bool, pending: bool = False, read_only: bool = False) -> None:
        """Show the planned action (or that none was planned) and whether it is the pick."""
        self.action_text = action.strip()
        planned = bool(self.action_text)
        self.set_class(not planned, "-unplanned")
        self.set_class(chosen, "-chosen")
        key = RUNG_KEYS[self.level]
        self.border_title = Content.assemble((f" {key} ", "reverse"), f" {self.level.value} ")
        self.border_subtitle = Content(("… not stored yet" if pending else "✔ secured") if chosen else "")
        self.update(
            literal(self.action_text)
            if planned
            else Content("not planned" if read_only else "not planned — press u instead")
        )

    def on_click(self, event: events.Click) -> None:
        """The mouse works too."""
        self.post_message(InCallLadder.Picked(self.level.value))


class OtherChoice(Static):
    """Continuation only, or an advance that was not on the ladder."""

    def on_click(self, event: events.Click) -> None:
        """The mouse works too."""
        self.post_message(InCallLadder.Picked(CONTINUATION if self.id == "continuation" else "unplanned"))


class InCallLadder(Vertical):
    """Stretch, target and fallback side by side, with continuation and unplanned below."""

    class Picked(Message):
        """A choice was clicked (keys go through the screen's bindings)."""

        def __init__(self, choice: str) -> None:
            super().__init__()
            self.choice = choice
            """A ladder level value, ``continuation`` or ``unplanned``."""

    choice: reactive[str | None] = reactive(None, init=False)
    """The current pick: a level value (``stretch`` … ``unplanned``), ``continuation`` or ``None``."""

    unplanned_text: reactive[str] = reactive("", init=False)
    """What the customer committed to when the pick is an unplanned advance."""

    pending: reactive[bool] = reactive(False, init=False)
    """The pick is not stored yet (the database is busy or away): shown as such, never as secured."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._actions: dict[AdvanceLevel, str] = {}
        self.read_only = False
        """Another rep's call: what was picked is shown, no key to pick is offered."""

    def compose(self) -> ComposeResult:
        """Three rungs and the two other choices."""
        with Horizontal(id="rungs"):
            for level in LADDER:
                yield Rung(level)
        with Horizontal(id="others"):
            yield OtherChoice(id="continuation", classes="other")
            yield OtherChoice(id="unplanned", classes="other")

    def show_plan(self, plan: CallPlan) -> None:
        """Fill the rungs from the plan and show what it says was picked."""
        self._actions = {level: (a.action if (a := plan.advance(level)) else "") for level in LADDER}
        unplanned = plan.advance(AdvanceLevel.UNPLANNED)
        self.set_reactive(InCallLadder.unplanned_text, unplanned.action if unplanned else "")
        self.set_reactive(InCallLadder.choice, choice_of(plan))
        self._refresh_all()

    def is_planned(self, level: AdvanceLevel) -> bool:
        """Whether the rung has a planned action to secure."""
        return bool(self._actions.get(level, "").strip())

    def watch_choice(self) -> None:
        self._refresh_all()

    def watch_unplanned_text(self) -> None:
        self._refresh_all()

    def watch_pending(self) -> None:
        self._refresh_all()

    def _refresh_all(self) -> None:
        if not self.is_mounted:
            return
        for rung in self.query(Rung):
            rung.show(self._actions.get(rung.level, ""), self.choice == rung.level.value, self.pending, self.read_only)
        continuation = self.query_one("#continuation", OtherChoice)
        continuation.set_class(self.choice == CONTINUATION, "-chosen")
        done = "… not stored yet: " if self.pending else "✔ "
        mark = done if self.choice == CONTINUATION else ""
        continuation.update(Content.assemble((" c ", "reverse"), f" {mark}continuation only (no advance)"))
        unplanned = self.query_one("#unplanned", OtherChoice)
        chosen = self.choice == AdvanceLevel.UNPLANNED.value
        unplanned.set_class(chosen, "-chosen")
        if chosen:
            unplanned.update(Content.assemble((" u ", "reverse"), f" {done}unplanned: ", literal(self.unplanned_text)))
        else:
            unplanned.update(Content.assemble((" u ", "reverse"), " unplanned advance…"))
        if self.read_only:  # only what was picked, without the keys
            continuation.display = self.choice == CONTINUATION
            unplanned.display = chosen
            continuation.update(Content("✔ continuation only (no advance)"))
            unplanned.update(Content.assemble("✔ unplanned: ", literal(self.unplanned_text)))

    def on_mount(self) -> None:
        self._refresh_all()
