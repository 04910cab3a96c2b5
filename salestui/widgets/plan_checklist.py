"""A call's preparation checklist: toggle, add, rename, remove and reorder items by key."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from salestui.domain.models import ChecklistItem
from salestui.text import clean
from salestui.widgets.plan_edits import NEW, ListEdit
from salestui.widgets.vim import VimOptionList


class ChecklistList(VimOptionList):
    """Checklist items as ``[x]``/``[ ]`` lines; edits go to the screen as ``ListEdit`` jobs."""

    HELP_TITLE = "Checklist"
    """The heading of this list's keys in help."""

    BINDINGS = [
        Binding("space", "toggle", "Tick", id="checklist.tick"),
        Binding("a", "add", "Add", id="checklist.add", tooltip="Add item"),
        Binding("e", "rename", "Rename item", show=False, id="checklist.rename"),
        Binding("d,delete", "remove", "Remove item", show=False, id="checklist.remove"),
        Binding("shift+up,K", "move(-1)", "Move up", show=False),
        Binding("shift+down,J", "move(1)", "Move down", show=False),
        Binding("t", "template", "Checklist template", show=False, id="checklist.template"),
    ]

    class Toggled(Message):
        """An item was ticked or unticked (the screen shows it at once and saves it)."""

        def __init__(self, item: ChecklistItem, done: bool) -> None:
            super().__init__()
            self.item = item
            self.done = done

    def __init__(self, call_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.call_id = call_id
        """The call whose checklist this is."""
        self.items: tuple[ChecklistItem, ...] = ()

    def show(self, items: Sequence[ChecklistItem], select_id: int | None = None) -> None:
        """Show ``items``, keeping the highlight on the same item (or on ``select_id``)."""
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        index = self.highlighted
        self.items = tuple(items)
        self.clear_options()
        if not self.items:
            self.add_option(
                Option(Content.styled("Empty checklist: press a to add an item.", "$text-muted"), disabled=True)
            )
            return
        self.add_options(
            Option(
                Content.assemble(("[x] ", "bold $text-success") if item.done else ("[ ] ", "bold"), clean(item.text)),
                id=str(item.id),
            )
            for item in self.items
        )
        ids = [item.id for item in self.items]
        self.keep_highlight(ids, keep, index)

    @property
    def current(self) -> ChecklistItem | None:
        """The highlighted item."""
        if self.highlighted is None or not self.items or self.highlighted >= len(self.items):
            return None
        return self.items[self.highlighted]

    def action_toggle(self) -> None:
        """Tick or untick the highlighted item."""
        if self.current:
            self.post_message(self.Toggled(self.current, not self.current.done))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle()

    def action_add(self) -> None:
        """Ask for a new item's text, then have it saved."""
        from salestui.modals.text_prompt import TextPrompt

        call_id = self.call_id

        def added(text: str | None) -> None:
            if text:
                self.post_message(
                    ListEdit("checklist", lambda store: store.calls.add_checklist_item(call_id, text), NEW)
                )

        self.app.push_screen(TextPrompt("New checklist item", placeholder="e.g. Reference story ready"), added)

    def action_rename(self) -> None:
        """Ask for the highlighted item's new text, then have it saved."""
        from salestui.modals.text_prompt import TextPrompt

        item = self.current
        if item is None:
            return

        def renamed(text: str | None) -> None:
            if text:
                self.post_message(
                    ListEdit("checklist", lambda store: store.calls.rename_checklist_item(item.id, text), item.id)
                )

        self.app.push_screen(TextPrompt("Rename checklist item", item.text), renamed)

    def action_remove(self) -> None:
        """Remove the highlighted item."""
        item = self.current
        if item is not None:
            self.post_message(ListEdit("checklist", lambda store: store.calls.delete_checklist_item(item.id)))

    def action_move(self, offset: int) -> None:
        """Move the highlighted item up or down."""
        item = self.current
        if item is not None:
            self.post_message(
                ListEdit("checklist", lambda store: store.calls.move_checklist_item(item.id, offset), item.id)
            )

    def action_template(self) -> None:
        """Edit the checklist template new calls start from (read, edit in a popup, save)."""
        from salestui.modals.template_editor import TemplateEditor

        def saved(items: list[str] | None) -> None:
            if items is not None:
                note = f"Checklist template saved ({len(items)} items): new calls start from it."
                self.post_message(
                    ListEdit(
                        "checklist",
                        lambda store: store.calls.set_template(items),
                        then=lambda _: self.notify(note, markup=False),
                    )
                )

        def edit(items: list[str]) -> None:
            self.app.push_screen(TemplateEditor(items), saved)

        self.post_message(ListEdit("checklist", lambda store: store.calls.template(), then=edit))
