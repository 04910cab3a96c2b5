"""Anticipated objections of a call, each with the planned response."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from salestui.domain.models import Objection
from salestui.text import clean
from salestui.widgets.vim import VimOptionList


class PlannedObjections(VimOptionList):
    """Objection and response lines; a adds, enter edits, d removes (the screen does the saving)."""

    BINDINGS = [
        Binding("a", "add", "Add objection"),
        Binding("e", "edit", "Edit", show=False),
        Binding("d,delete", "remove", "Remove", show=False),
    ]

    class AddRequested(Message):
        """The rep wants to add an objection."""

    class EditRequested(Message):
        """The rep wants to edit ``objection``."""

        def __init__(self, objection: Objection) -> None:
            super().__init__()
            self.objection = objection

    class RemoveRequested(Message):
        """The rep wants to remove ``objection``."""

        def __init__(self, objection: Objection) -> None:
            super().__init__()
            self.objection = objection

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.objections: tuple[Objection, ...] = ()

    def show(self, objections: Sequence[Objection], select_id: int | None = None) -> None:
        """Show ``objections``, keeping the highlight where it was (or on ``select_id``)."""
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        index = self.highlighted
        self.objections = tuple(objections)
        self.clear_options()
        if not self.objections:
            self.add_option(
                Option(
                    Content.styled(
                        "No objections yet: press a to add one (price, timing, incumbent, authority, risk…).",
                        "$text-muted",
                    ),
                    disabled=True,
                )
            )
            return
        for objection in self.objections:
            response = (
                Content.assemble(("  → ", "$accent"), clean(objection.response))
                if objection.response.strip()
                else Content.styled("  → no response planned yet", "$text-error")
            )
            extra = Content.styled(" (came up in the call)", "$text-muted") if objection.came_up_unplanned else ""
            self.add_option(
                Option(
                    Content("\n").join([Content.assemble(("• ", "bold"), clean(objection.text), extra), response]),
                    id=str(objection.id),
                )
            )
        ids = [o.id for o in self.objections]
        if keep in ids:
            self.highlighted = ids.index(keep)
        elif index is not None:
            self.highlighted = min(index, len(ids) - 1)
        else:
            self.highlighted = 0

    @property
    def current(self) -> Objection | None:
        """The highlighted objection."""
        if self.highlighted is None or not self.objections or self.highlighted >= len(self.objections):
            return None
        return self.objections[self.highlighted]

    def action_add(self) -> None:
        """Ask the screen for a new objection."""
        self.post_message(self.AddRequested())

    def action_edit(self) -> None:
        """Ask the screen to edit the highlighted objection."""
        if self.current:
            self.post_message(self.EditRequested(self.current))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_remove(self) -> None:
        """Ask the screen to remove the highlighted objection."""
        if self.current:
            self.post_message(self.RemoveRequested(self.current))
