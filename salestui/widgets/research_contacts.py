"""An account's contacts: the list, and the highlighted one edited in place, saved as typed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from salestui.domain.enums import ContactRole, label
from salestui.domain.models import Contact
from salestui.text import literal_text
from salestui.widgets.fields import TextEditor, TextInput
from salestui.widgets.research_common import RecordEditor, with_changes
from salestui.widgets.vim import VimDataTable

ROLE_OPTIONS = tuple((label(r), r.value) for r in ContactRole)
FIELDS = ("name", "title", "role", "email", "phone", "notes")


def email_warning(fields: dict[str, str]) -> list[str]:
    """A hint for an email without an @ (it is saved anyway: the rep may be mid-typing)."""
    email = fields["email"].strip()
    return ["That email has no @ (saved anyway)."] if email and "@" not in email else []


class ContactTable(VimDataTable[Text]):
    """Contacts, one row each."""


class ContactsPane(Vertical):
    """The contacts of one account: the list, and fields below that edit the highlighted one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.contacts: list[Contact] = []
        self.editor = RecordEditor(
            self,
            "contact",
            lambda store, record_id, version, fields: store.accounts.update_contact(record_id, version, **fields),
            prefix="c-",
            fields=FIELDS,
            required={"name": "The name cannot be empty: it keeps its last name until you type one."},
            warn=email_warning,
        )

    def compose(self) -> ComposeResult:
        """The table, an empty hint, and the editor."""
        yield ContactTable(cursor_type="row", zebra_stripes=True, id="contact-table")
        yield Static(
            Content.from_markup("No contacts yet: press [b]a[/b] to add one."), classes="hint", id="no-contacts"
        )
        with Vertical(id="contact-editor"):
            with Grid(classes="fields two"):
                yield Label(Content("Name"))
                yield TextInput(compact=True, id="c-name")
                yield Label(Content("Title"))
                yield TextInput(compact=True, id="c-title")
                yield Label(Content("Role"))
                yield Select(ROLE_OPTIONS, allow_blank=False, compact=True, id="c-role")
                yield Label(Content("Email"))
                yield TextInput(compact=True, id="c-email")
                yield Label(Content("Phone"))
                yield TextInput(compact=True, id="c-phone")
            yield Static("", id="c-error", classes="error")
            yield Label(Content("Notes"), classes="field-label")
            yield TextEditor(id="c-notes", compact=True)

    def on_mount(self) -> None:
        """Columns of the table."""
        table = self.table
        table.add_column("Name", key="name", width=20)
        table.add_column("Title", key="title", width=16)
        table.add_column("Role", key="role", width=14)
        table.add_column("Email", key="email", width=24)
        table.add_column("Phone", key="phone")

    @property
    def table(self) -> ContactTable:
        """The contacts list."""
        return self.query_one(ContactTable)

    @property
    def selected(self) -> Contact | None:
        """The highlighted contact."""
        row = self.table.cursor_row
        return self.contacts[row] if self.contacts and 0 <= row < len(self.contacts) else None

    def show(self, contacts: Sequence[Contact], select_id: int | None = None) -> None:
        """Replace the list, keeping (or moving to) the chosen contact."""
        keep = select_id if select_id is not None else (self.selected.id if self.selected else None)
        self.contacts = list(contacts)
        table = self.table
        table.clear()
        for contact in self.contacts:
            table.add_row(*self._cells(contact), key=str(contact.id))
        for index, contact in enumerate(self.contacts):
            if contact.id == keep:
                table.move_cursor(row=index)
        self.query_one("#no-contacts").display = not self.contacts
        table.display = bool(self.contacts)
        self._edit(self.selected)

    @staticmethod
    def _cells(contact: Contact) -> list[Text]:
        return [
            literal_text(contact.name),
            literal_text(contact.title),
            Text(label(contact.role)),
            literal_text(contact.email),
            literal_text(contact.phone),
        ]

    def _edit(self, contact: Contact | None) -> None:
        self.query_one("#contact-editor").display = contact is not None
        if contact is None:
            self.editor.clear()
            return
        self.editor.show(contact)

    @on(DataTable.RowHighlighted, "#contact-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        selected = self.selected
        if selected is not None and selected.id != self.editor.record_id:
            self._edit(selected)

    @on(DataTable.RowSelected, "#contact-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.query_one("#c-name", Input).focus()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        changed = self.editor.typed()
        if changed:
            # The list follows the editor at once (the save is queued on the writer).
            index = next((i for i, c in enumerate(self.contacts) if c.id == self.editor.record_id), None)
            if index is not None:
                contact = self.contacts[index]
                self.contacts[index] = with_changes(contact, changed)
                for column, cell in zip(
                    ("name", "title", "role", "email", "phone"), self._cells(self.contacts[index]), strict=True
                ):
                    self.table.update_cell(str(contact.id), column, cell)

    def focus_list(self) -> bool:
        """Focus the table; False when there is nothing to list."""
        if self.contacts:
            self.table.focus()
            return True
        return False
