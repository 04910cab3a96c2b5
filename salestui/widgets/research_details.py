"""Account details, edited in place and saved as typed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Select, Static, TextArea

from salestui.domain.enums import AccountStatus, label
from salestui.domain.models import Account
from salestui.widgets.fields import TextEditor, TextInput
from salestui.widgets.research_common import RecordEditor

STATUS_OPTIONS = tuple((label(s), s.value) for s in AccountStatus)
FIELDS = ("name", "industry", "status", "city", "website", "phone", "notes")


class AccountDetails(Vertical):
    """Name, industry, status, city, website, phone and free notes of one account."""

    class Renamed(Message):
        """The name was edited (the screen title follows it)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.editor = RecordEditor(
            self,
            "account",
            prefix="d-",
            fields=FIELDS,
            required={"name": "The name cannot be empty: it keeps its last name until you type one."},
        )

    def compose(self) -> ComposeResult:
        """A grid of one-line fields, then the notes area."""
        with Grid(id="details-grid", classes="fields"):
            for key, title in (("name", "Name"), ("industry", "Industry")):
                yield Label(Content(title))
                yield TextInput(compact=True, id=f"d-{key}", placeholder=title)
            yield Label(Content("Status"))
            yield Select(STATUS_OPTIONS, allow_blank=False, compact=True, id="d-status")
            for key, title in (("city", "City"), ("website", "Website"), ("phone", "Phone")):
                yield Label(Content(title))
                yield TextInput(compact=True, id=f"d-{key}", placeholder=title)
        yield Static("", id="d-error", classes="error")
        yield Label(Content("Notes"), classes="field-label")
        yield TextEditor(id="d-notes", compact=True)

    @property
    def name_field(self) -> Input:
        """The name field."""
        return self.query_one("#d-name", Input)

    def show(self, account: Account) -> None:
        """Fill the fields from the database (a field typed but not saved yet keeps its text)."""
        self.editor.show(account)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        changed = self.editor.typed()
        if "name" in changed:
            self.post_message(self.Renamed(changed["name"]))
