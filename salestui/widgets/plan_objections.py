"""Anticipated objections of a call, each with the planned response."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from salestui.domain.models import Objection
from salestui.text import clean
from salestui.widgets.plan_edits import NEW, ListEdit
from salestui.widgets.vim import VimOptionList


class PlannedObjections(VimOptionList):
    """Objection and response lines; a adds, enter edits, d removes (saved through ``ListEdit``)."""

    HELP_TITLE = "Objections"
    """The heading of this list's keys in help."""

    BINDINGS = [
        Binding("a", "add", "Add", id="objections.add", tooltip="Add objection"),
        Binding("e", "edit", "Edit objection", show=False, id="objections.edit"),
        Binding("d,delete", "remove", "Remove objection", show=False, id="objections.remove"),
    ]

    def __init__(self, call_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.call_id = call_id
        """The call whose objections these are."""
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
        self.keep_highlight(ids, keep, index)

    @property
    def current(self) -> Objection | None:
        """The highlighted objection."""
        if self.highlighted is None or not self.objections or self.highlighted >= len(self.objections):
            return None
        return self.objections[self.highlighted]

    def action_add(self) -> None:
        """Ask for a new objection and its response, then have it saved."""
        from salestui.modals.objection_editor import ObjectionEditor

        call_id = self.call_id

        def added(result: tuple[str, str] | None) -> None:
            if result:
                text, response = result
                self.post_message(
                    ListEdit("objections", lambda store: store.calls.add_objection(call_id, text, response), NEW)
                )

        self.app.push_screen(ObjectionEditor(), added)

    def action_edit(self) -> None:
        """Edit the highlighted objection in a popup, then have it saved."""
        from salestui.modals.objection_editor import ObjectionEditor

        objection = self.current
        if objection is None:
            return

        def edited(result: tuple[str, str] | None) -> None:
            if result:
                text, response = result
                job = lambda store: store.calls.update_objection(objection.id, text=text, response=response)  # noqa: E731
                self.post_message(ListEdit("objections", job, objection.id))

        self.app.push_screen(ObjectionEditor(objection.text, objection.response, "Edit objection"), edited)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_remove(self) -> None:
        """Ask first, then remove the highlighted objection."""
        from salestui.modals.confirm import Confirm
        from salestui.text import literal

        objection = self.current
        if objection is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(ListEdit("objections", lambda store: store.calls.delete_objection(objection.id)))

        question = Content.assemble("Remove the objection “", literal(objection.text, 200), "”?")
        self.app.push_screen(Confirm(question, yes="Remove"), answered)
