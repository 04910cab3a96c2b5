"""Timestamped in-call notes: the ones typed so far, newest last."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from salestui.domain.clock import local
from salestui.domain.models import CallNote
from salestui.text import literal


def note_line(note: CallNote) -> Content:
    """``09:03  the note`` in local time."""
    return Content.assemble((local(note.at).strftime("%H:%M"), "dim"), "  ", literal(note.text))


class NoteLog(VerticalScroll, can_focus=False):
    """The notes typed during the call."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Notes"
        self.notes: list[CallNote] = []
        self.read_only = False
        """Another rep's call: no key to type a note is offered."""

    def show(self, notes: tuple[CallNote, ...]) -> None:
        """Replace the notes."""
        self.notes = list(notes)
        self.remove_children()
        if not notes:
            empty = "No notes were taken." if self.read_only else "No notes yet: press n to type one."
            self.mount(Static(Content(empty), classes="empty"))
            return
        self.mount_all(Static(note_line(n), classes="note") for n in notes)
        self.call_after_refresh(self.scroll_end, animate=False)

    def add(self, note: CallNote) -> None:
        """Append a note that was just saved."""
        if not self.notes:
            self.remove_children()
        self.notes.append(note)
        self.mount(Static(note_line(note), classes="note"))
        self.call_after_refresh(self.scroll_end, animate=False)
