"""Who attends the call: the account's contacts, ticked with space, the state written out as [x]/[ ]."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from salestui.domain.enums import label
from salestui.domain.models import Contact
from salestui.text import clean


def _prompt(contact: Contact, ticked: bool) -> Content:
    # The state is in the text, not only in a colour: "[x]" or "[ ]".
    return Content.assemble(
        ("[x] " if ticked else "[ ] ", "bold $text-success" if ticked else "bold"),
        clean(contact.name),
        (f"  {clean(contact.title)}" if contact.title else "", "$text-muted"),
        (f"  ({label(contact.role)})", "$text-muted"),
    )


class ContactPicker(OptionList):
    """The account's contacts; space (or enter) ticks one; ``Changed`` says who attends now."""

    HELP_TITLE = "Contacts attending"
    """The heading of this list's keys in help."""

    DEFAULT_CSS = "ContactPicker { height: auto; max-height: 8; }"
    BINDINGS = [Binding("space", "toggle", "Tick contact", show=False, id="contacts.tick")]

    class Changed(Message):
        """The rep ticked or unticked a contact."""

        def __init__(self, picker: ContactPicker) -> None:
            super().__init__()
            self.picker = picker
            self.chosen = tuple(sorted(picker.chosen))

        @property
        def control(self) -> ContactPicker:
            """The picker that changed."""
            return self.picker

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.contacts: tuple[Contact, ...] = ()
        """The contacts listed."""
        self.chosen: set[int] = set()
        """The ids ticked."""

    def show(self, contacts: Sequence[Contact], chosen: Sequence[int]) -> None:
        """List ``contacts`` with ``chosen`` ticked, keeping the highlight where it was."""
        highlighted = self.highlighted
        self.contacts, self.chosen = tuple(contacts), set(chosen)
        self.clear_options()
        self.add_options(Option(_prompt(c, c.id in self.chosen), id=str(c.id)) for c in self.contacts)
        if self.contacts:
            self.highlighted = min(highlighted or 0, len(self.contacts) - 1)
        self.display = bool(self.contacts)  # the plan says "no contacts yet" instead

    def action_toggle(self) -> None:
        """Tick or untick the highlighted contact."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self.contacts):
            return
        contact = self.contacts[index]
        self.chosen ^= {contact.id}
        self.replace_option_prompt_at_index(index, _prompt(contact, contact.id in self.chosen))
        self.post_message(self.Changed(self))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle()
