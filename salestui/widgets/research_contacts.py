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
    """Contacts, one row each; the columns share the width so Phone always shows (long text ends in …)."""

    # Column key -> (title, width at 120 columns); below that, name, title and email give way.
    COLUMNS: dict[str, tuple[str, int]] = {
        "name": ("Name", 20),
        "title": ("Title", 16),
        "role": ("Role", 14),
        "email": ("Email", 24),
        "phone": ("Phone", 16),
    }
    SHRINKING = ("name", "title", "email")

    def on_mount(self) -> None:
        """The columns, at their full widths until the table knows its own."""
        for key, (title, width) in self.COLUMNS.items():
            self.add_column(title, key=key, width=width)

    def on_resize(self) -> None:
        """Fit the columns to the width: the shrinking ones share what phone and role leave."""
        for key, width in self.widths(self.size.width).items():
            column = self.columns.get(key)  # type: ignore[call-overload]
            if column is not None and column.width != width:
                column.width = width
                self._require_update_dimensions = True
        self.refresh()

    @classmethod
    def widths(cls, total: int) -> dict[str, int]:
        """Each column's width in ``total`` cells (two cells of padding per column, one for the scrollbar)."""
        full = {key: width for key, (_, width) in cls.COLUMNS.items()}
        room = total - 2 * len(full) - 1
        fixed = sum(width for key, width in full.items() if key not in cls.SHRINKING)
        wanted = sum(full[key] for key in cls.SHRINKING)
        left = max(3 * len(cls.SHRINKING), min(wanted, room - fixed))
        shares = {key: max(3, full[key] * left // wanted) for key in cls.SHRINKING}
        shares["email"] += max(0, left - sum(shares.values()))  # what rounding left over
        return full | shares


class ContactsPane(Vertical):
    """The contacts of one account: the list, and fields below that edit the highlighted one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.contacts: list[Contact] = []
        self.editor = RecordEditor(
            self,
            "contact",
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
