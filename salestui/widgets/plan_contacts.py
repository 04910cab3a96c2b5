"""Who attends the call: the account's contacts, ticked with space, the state written out."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.content import Content
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from salestui.domain.enums import label
from salestui.domain.models import Contact
from salestui.text import clean


def _prompt(contact: Contact, ticked: bool) -> Content:
    # The state is in the text too (not only the colour of the box): "[x]" or "[ ]".
    return Content.assemble(
        ("[x] " if ticked else "[ ] ", "bold"),
        clean(contact.name),
        (f"  {clean(contact.title)}" if contact.title else "", "$text-muted"),
        (f"  ({label(contact.role)})", "$text-muted"),
    )


class ContactPicker(SelectionList[int]):
    """The account's contacts; ``SelectedChanged`` says who attends now."""

    DEFAULT_CSS = """
    ContactPicker { height: auto; max-height: 8; }
    ContactPicker > .selection-list--button, ContactPicker > .selection-list--button-selected,
    ContactPicker > .selection-list--button-highlighted,
    ContactPicker > .selection-list--button-selected-highlighted { color: transparent; background: transparent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.contacts: tuple[Contact, ...] = ()
        """The contacts listed."""

    def show(self, contacts: Sequence[Contact], chosen: Sequence[int]) -> None:
        """List ``contacts`` with ``chosen`` ticked, keeping the highlight where it was."""
        highlighted = self.highlighted
        self.contacts = tuple(contacts)
        self.clear_options()
        self.add_options(Selection(_prompt(c, c.id in chosen), c.id, c.id in chosen) for c in self.contacts)
        if self.contacts:
            self.highlighted = min(highlighted or 0, len(self.contacts) - 1)

    @on(SelectionList.SelectionToggled)
    def _retitle(self, event: SelectionList.SelectionToggled[int]) -> None:
        index = event.selection_index
        if 0 <= index < len(self.contacts):
            contact = self.contacts[index]
            self.replace_option_prompt_at_index(index, _prompt(contact, contact.id in self.selected))
