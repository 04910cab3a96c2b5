"""Coaching notes beside the part of the plan they are about; space marks one done (the call's rep).

One ``PlanCoaching`` list sits under each part of the plan (the whole plan, the objective, the
questions, the ladder, the objections) and shows only that part's notes: who wrote each and when,
the text literally (user data, never markup), done ones ticked and dimmed. A list with no notes
is hidden.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from salestui import format as fmt
from salestui.domain.coaching import Part, part_label, sorted_by_part
from salestui.domain.models import CallPlan, CoachingNote
from salestui.text import clean
from salestui.widgets.vim import VimOptionList


def note_heading(note: CoachingNote, plan: CallPlan | None) -> Content:
    """``☐ Target rung · coaching from mgr, Mon 23 Nov 09:00`` (names literally)."""
    at = f", {fmt.when(note.created_at)}" if note.created_at else ""
    return Content.assemble(
        ("✔ " if note.done else "☐ ", "$success" if note.done else "bold $warning"),
        (clean(part_label(note, plan)), "bold"),
        ("  coaching from ", "$text-muted"),
        clean(note.author or "?"),
        (at, "$text-muted"),
        (" · done" if note.done else "", "$text-muted"),
    )


class PlanCoaching(VimOptionList):
    """The coaching notes on some parts of a plan; space marks the highlighted one done or open."""

    HELP_TITLE = "Coaching"
    """The heading of this list's keys in help."""

    DEFAULT_CSS = """
    PlanCoaching {
        height: auto;
        max-height: 12;
        border: none;
        border-left: thick $warning;
        padding: 0 1;
        margin: 0 0 1 0;
        background: $warning 8%;
    }
    PlanCoaching:focus {
        border-left: thick $accent;
    }
    """

    BINDINGS = [
        Binding("space", "toggle", "Done", id="coaching.done", tooltip="Mark the coaching note done (or open again)"),
    ]

    class Toggled(Message):
        """The rep marked a note done (or open again)."""

        def __init__(self, note: CoachingNote, done: bool) -> None:
            super().__init__()
            self.note = note
            self.done = done

    def __init__(self, parts: Iterable[Part], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts = frozenset(p.value for p in parts)
        """The parts whose notes this list shows."""
        self.notes: tuple[CoachingNote, ...] = ()
        self.display = False

    def show(self, plan: CallPlan) -> None:
        """This list's notes of ``plan`` (hidden when there are none), keeping the highlight."""
        keep = self.current.id if self.current else None
        index = self.highlighted
        self.notes = tuple(sorted_by_part([n for n in plan.coaching if n.part in self.parts], plan))
        self.clear_options()
        self.display = bool(self.notes)
        for note in self.notes:
            body = Content("\n").join(clean(line) for line in (note.text.splitlines() or [""]))
            text = Content("\n").join([note_heading(note, plan), body.stylize("$text-muted" if note.done else "")])
            self.add_option(Option(text, id=str(note.id)))
        if self.notes:
            self.keep_highlight([n.id for n in self.notes], keep, index)

    @property
    def current(self) -> CoachingNote | None:
        """The highlighted note."""
        if self.highlighted is None or self.highlighted >= len(self.notes):
            return None
        return self.notes[self.highlighted]

    def action_toggle(self) -> None:
        """Mark the highlighted note done, or open again."""
        note = self.current
        if note is not None:
            self.post_message(self.Toggled(note, not note.done))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter does not toggle: space does, as on the checklist
