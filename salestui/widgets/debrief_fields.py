"""Keyboard fields of the debrief: the outcome picker, the 1-5 self-rating, an objection's handling."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from salestui.domain.enums import LADDER, Achieved, AdvanceLevel, Handling
from salestui.domain.models import CallPlan, Objection
from salestui.domain.outcomes import CHOICE_LABELS, CHOICES, OutcomeChoice, is_available, level_of
from salestui.text import clean

_HINTS: dict[OutcomeChoice, str] = {
    OutcomeChoice.UNPLANNED: "the customer offered something else: type it",
    OutcomeChoice.CONTINUATION: "pleasant, but nobody committed to act",
    OutcomeChoice.LOST: "the customer said no",
    OutcomeChoice.CANCELLED: "the call did not take place",
}


class OutcomePanel(Widget, can_focus=True):
    """The outcome as seven numbered choices, plus whether the objective was achieved.

    Enter confirms the highlighted choice, a number key picks one; both move on to the next field.
    """

    BINDINGS = [
        Binding("enter", "confirm", "Confirm", id="debrief.outcome.confirm"),
        Binding("1", "pick(1)", "Change outcome", key_display="1-7", id="debrief.outcome.pick"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 8)),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("y", "achieved('yes')", "Achieved", show=False),
        Binding("p", "achieved('partly')", "Partly", show=False),
        Binding("n", "achieved('no')", "Not achieved", show=False),
    ]

    choice: reactive[OutcomeChoice | None] = reactive(None)
    """The outcome recorded for the call (``None``: not picked yet)."""
    cursor: reactive[int] = reactive(0)
    """The highlighted row (0-6)."""
    achieved: reactive[Achieved | None] = reactive(None)
    """Whether the plan's objective was achieved."""

    class Picked(Message):
        """The rep picked an outcome (a change) and, with ``confirm``, wants to move on."""

        def __init__(self, choice: OutcomeChoice, confirm: bool) -> None:
            super().__init__()
            self.choice = choice
            self.confirm = confirm

    class Confirmed(Message):
        """The rep confirmed the outcome as it is."""

    class AchievedSet(Message):
        """The rep answered "objective achieved?"."""

        def __init__(self, achieved: Achieved) -> None:
            super().__init__()
            self.achieved = achieved

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._plan: CallPlan | None = None
        self.unplanned_text = ""
        """What the customer committed to, when the outcome is an unplanned advance."""

    def show_plan(self, plan: CallPlan, choice: OutcomeChoice | None, unplanned_text: str) -> None:
        """Show the ladder of ``plan`` with ``choice`` selected."""
        self._plan = plan
        self.unplanned_text = unplanned_text
        self.achieved = plan.achieved
        self.choice = choice
        self.cursor = CHOICES.index(choice) if choice is not None else self.cursor
        self.refresh(layout=True)

    def render(self) -> Content:
        """Seven numbered lines, then the objective and "achieved?"."""
        plan = self._plan
        if plan is None:
            return Content("Loading…")
        lines: list[Content] = []
        for index, option in enumerate(CHOICES):
            level = level_of(option)
            selected = option is self.choice
            available = is_available(plan, option)
            mark = "●" if selected else " "
            detail: Content
            if level is not None and level in LADDER:
                advance = plan.advance(level)
                text = advance.action.strip() if advance else ""
                detail = Content(clean(text)) if text else Content.styled("not planned", "$text-muted italic")
            elif option is OutcomeChoice.UNPLANNED and self.unplanned_text:
                detail = Content(clean(self.unplanned_text))
            else:
                detail = Content.styled(_HINTS[option], "$text-muted")
            label = f"{CHOICE_LABELS[option]:<19}"
            line = Content.assemble(
                (f"{mark} {index + 1} ", "bold $accent" if selected else "bold"),
                (label, "bold" if selected else ("" if available else "$text-muted")),
                " ",
                detail,
            )
            if index == self.cursor and self.has_focus:
                line = line.stylize("reverse")
            lines.append(line)
        objective = plan.objective.strip()
        lines.append(
            Content.assemble(
                (f"  {'Objective':<21} ", "bold"),
                Content(clean(objective)) if objective else Content.styled("none written", "$text-muted italic"),
            )
        )
        answers: list[Content | str] = [f"  {'Achieved?':<21}"]
        for key, value in (("y", Achieved.YES), ("p", Achieved.PARTLY), ("n", Achieved.NO)):
            chosen = value is self.achieved
            answers.append(Content.styled(f" {key} {value.value} ", "reverse $accent" if chosen else "$text-muted"))
            answers.append(" ")
        lines.append(Content.assemble(*answers))
        return Content("\n").join(lines)

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        """Start from the current choice."""
        if self.choice is not None:
            self.cursor = CHOICES.index(self.choice)
        self.refresh()

    def on_blur(self) -> None:
        """Drop the highlight."""
        self.refresh()

    def action_move(self, step: int) -> None:
        """Move the highlight."""
        self.cursor = (self.cursor + step) % len(CHOICES)

    def action_pick(self, number: int) -> None:
        """Number key: pick choice ``number`` (1-7) and move on."""
        self._pick(self.select(number))

    def select(self, number: int | None = None) -> OutcomeChoice | None:
        """Highlight choice ``number`` (1-7; the highlighted one if ``None``) and return it.

        Returns ``None`` (with a bell and a hint) for a ladder rung that was not planned.
        Callers that must move focus before the next key arrives use this directly.
        """
        plan = self._plan
        if plan is None:
            return None
        option = CHOICES[self.cursor if number is None else number - 1]
        self.cursor = CHOICES.index(option)
        if not is_available(plan, option):
            self.app.bell()
            self.notify(f"No {option.value} advance was planned for this call.", severity="warning")
            return None
        return option

    def _pick(self, option: OutcomeChoice | None) -> None:
        if option is None:
            return
        if option is self.choice and option is not OutcomeChoice.UNPLANNED:
            self.post_message(self.Confirmed())
        else:
            self.post_message(self.Picked(option, confirm=True))

    def action_confirm(self) -> None:
        """Enter: the highlighted choice (if it changed) is recorded, then move on."""
        self._pick(self.select())

    def action_achieved(self, value: str) -> None:
        """Answer "objective achieved?"."""
        self.achieved = Achieved(value)
        self.post_message(self.AchievedSet(self.achieved))

    def watch_achieved(self) -> None:
        self.refresh()

    def watch_choice(self) -> None:
        self.refresh()

    @property
    def plan_level(self) -> AdvanceLevel | None:
        """The ladder level of the current choice, if it is one."""
        return level_of(self.choice) if self.choice is not None else None


class RatingField(Widget, can_focus=True):
    """A 1-5 self-rating: number keys, or left/right."""

    BINDINGS = [
        Binding("1", "rate(1)", "Rate", key_display="1-5", id="debrief.rating.set"),
        *(Binding(str(n), f"rate({n})", show=False) for n in range(2, 6)),
        Binding("right,l,plus", "step(1)", "More", show=False),
        Binding("left,h,minus", "step(-1)", "Less", show=False),
        Binding("0,backspace,delete", "clear", "Clear rating", show=False),
    ]

    value: reactive[int | None] = reactive(None)
    """The rating, or ``None`` when not rated."""

    class Changed(Message):
        """The rep changed the rating."""

        def __init__(self, value: int | None) -> None:
            super().__init__()
            self.value = value

    def render(self) -> Content:
        """Stars and the number."""
        if self.value is None:
            return Content.styled("not rated  (1 poor … 5 excellent)", "$text-muted")
        return Content.assemble(
            ("★" * self.value, "$accent"), ("☆" * (5 - self.value), "$text-muted"), f"  {self.value}/5"
        )

    def action_rate(self, value: int) -> None:
        """Number key: set the rating."""
        self._set(value)

    def action_step(self, step: int) -> None:
        """One star more or less."""
        self._set(max(1, min(5, (self.value or (3 if step > 0 else 4)) + step)))

    def action_clear(self) -> None:
        """No rating."""
        self._set(None)

    def _set(self, value: int | None) -> None:
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(value))


HANDLING_LABELS: dict[Handling, str] = {
    Handling.NOT_RAISED: "not raised",
    Handling.RAISED: "raised",
    Handling.WELL: "handled well",
    Handling.BADLY: "handled badly",
}
_HANDLING_STYLES: dict[Handling, str] = {
    Handling.NOT_RAISED: "$text-muted",
    Handling.RAISED: "bold $warning",
    Handling.WELL: "bold $success",
    Handling.BADLY: "bold $error",
}
_CYCLE = (Handling.NOT_RAISED, Handling.RAISED, Handling.WELL, Handling.BADLY)


class DebriefObjectionRow(Widget, can_focus=True):
    """One objection and how it went: r raised, w handled well, b handled badly, 0 not raised."""

    BINDINGS = [
        Binding("r", "mark('raised')", "Raised", id="debrief.objection.raised"),
        Binding("w", "mark('well')", "Handled well", id="debrief.objection.well"),
        Binding("b", "mark('badly')", "Handled badly", id="debrief.objection.badly"),
        Binding("0,n", "mark('not_raised')", "Not raised", show=False),
        Binding("space", "cycle", "Next state", show=False),
        Binding("down,j", "app.focus_next", "Next", show=False),
        Binding("up,k", "app.focus_previous", "Previous", show=False),
        Binding("delete", "remove", "Remove", show=False),
    ]

    handling: reactive[Handling] = reactive(Handling.NOT_RAISED)
    """How the objection went."""

    class Marked(Message):
        """The rep changed how an objection went."""

        def __init__(self, row: DebriefObjectionRow, handling: Handling) -> None:
            super().__init__()
            self.row = row
            self.handling = handling

    class Removed(Message):
        """The rep removed an objection added by mistake (only those that came up unplanned)."""

        def __init__(self, row: DebriefObjectionRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, objection: Objection) -> None:
        super().__init__(classes="objection")
        self.objection = objection
        """The objection shown."""
        self.set_reactive(DebriefObjectionRow.handling, objection.handling)

    def render(self) -> Content:
        """State, objection and planned response."""
        state = HANDLING_LABELS[self.handling]
        response = self.objection.response.strip()
        parts: list[Content | tuple[str, str] | str] = [
            (f"{state:<13} ", _HANDLING_STYLES[self.handling]),
            Content.styled(clean(self.objection.text), "bold"),
        ]
        if self.objection.came_up_unplanned:
            parts.append((" (came up)", "$text-muted italic"))
        if response:
            parts.extend([("  → ", "$text-muted"), Content(clean(response))])
        return Content.assemble(*parts)

    def watch_handling(self) -> None:
        self.refresh()

    def action_mark(self, value: str) -> None:
        """Set how the objection went."""
        handling = Handling(value)
        if handling is not self.handling:
            self.handling = handling
            self.post_message(self.Marked(self, handling))

    def action_cycle(self) -> None:
        """Space steps through the four states."""
        self.action_mark(_CYCLE[(_CYCLE.index(self.handling) + 1) % len(_CYCLE)].value)

    def action_remove(self) -> None:
        """Remove an objection that came up (planned ones belong to the plan)."""
        if self.objection.came_up_unplanned:
            self.post_message(self.Removed(self))
        else:
            self.notify("Planned objections are kept; mark them 0 (not raised) instead.", severity="warning")
