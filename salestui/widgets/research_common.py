"""Pieces shared by the account research panes: the record editor and the host screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from salestui.widgets.vim import VimOptionList

if TYPE_CHECKING:
    from salestui.screens.base import DataScreen
    from salestui.store.core import Store

# update(store, record_id, expected_version, fields) -> new version
Update = Callable[["Store", int, "int | None", dict[str, str]], int]


def host(widget: Widget) -> DataScreen:
    """The data screen a pane lives on (it owns autosave and database workers)."""
    from salestui.screens.base import DataScreen

    screen = widget.screen
    assert isinstance(screen, DataScreen)
    return screen


class RecordEditor:
    """Save-as-typed for the fields of one record at a time (an account, a contact, a note…).

    Remembers what the widgets show and saves each changed field through the screen's edit
    session (``DataScreen.save_field``): one serial writer, the record's version chained under
    ``"<kind>:<id>"``, and a reload never overwrites a field typed in since it was asked for.
    """

    def __init__(self, owner: Widget, kind: str, update: Update) -> None:
        self._owner = owner
        self._kind = kind
        self._update = update
        self.record_id: int | None = None
        self._shown: dict[str, str] = {}

    def _record(self, record_id: int) -> str:
        return f"{self._kind}:{record_id}"

    def load(self, record_id: int, version: int, values: dict[str, str]) -> dict[str, str]:
        """The values to show for a record read from the database (fields typed since keep the rep's text)."""
        screen = host(self._owner)
        if screen.store is not None:
            screen.store.writer.seen(self._record(record_id), version)
        if record_id != self.record_id:
            self._shown = {}
        self.record_id = record_id
        record = self._record(record_id)
        self._shown = {
            key: self._shown[key] if key in self._shown and screen.typed_since_load(f"{record}.{key}") else value
            for key, value in values.items()
        }
        return dict(self._shown)

    def clear(self) -> None:
        """No record is being edited."""
        self.record_id = None
        self._shown = {}

    def edited(self, current: dict[str, str]) -> dict[str, str]:
        """Save the fields that differ from what was shown; returns them."""
        record_id = self.record_id
        changed = {key: value for key, value in current.items() if value != self._shown.get(key)}
        if record_id is None or not changed:
            return {}
        self._shown.update(changed)
        record, update = self._record(record_id), self._update
        for key, value in changed.items():
            fields = {key: value}
            host(self._owner).save_field(
                f"{record}.{key}",
                lambda store, version, fields=fields: update(store, record_id, version, fields),
                record=record,
            )
        return changed


def fill_fields(pane: Widget, prefix: str, values: Mapping[str, str]) -> None:
    """Show ``values`` in the pane's fields ``#<prefix><key>`` without raising their Changed messages."""
    from textual.widgets import Input, Select, TextArea

    with pane.prevent(Input.Changed, Select.Changed, TextArea.Changed):
        for key, value in values.items():
            set_field(pane.query_one(f"#{prefix}{key}"), value)


def read_fields(pane: Widget, prefix: str, keys: Iterable[str]) -> dict[str, str]:
    """What the pane's fields ``#<prefix><key>`` hold now."""
    return {key: field_value(pane.query_one(f"#{prefix}{key}")) for key in keys}


def field_value(widget: Widget) -> str:
    """The text of an Input, TextArea or Select."""
    from textual.widgets import Input, Select, TextArea

    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return str(widget.value)
    raise TypeError(f"not a field: {widget!r}")


def set_field(widget: Widget, value: str) -> None:
    """Show ``value`` in a field, touching it only when it differs (the cursor stays put)."""
    from textual.widgets import Input, Select, TextArea

    if isinstance(widget, Input):
        if widget.value != value:
            widget.value = value
    elif isinstance(widget, TextArea):
        if widget.text != value:
            widget.load_text(value)
    elif isinstance(widget, Select):
        if widget.value != value:
            widget.value = value
    else:
        raise TypeError(f"not a field: {widget!r}")


class ItemList(VimOptionList):
    """A list of research items; j/k move like the arrows (``VimOptionList``)."""


def show_error(line: Static, message: str) -> None:
    """An inline problem under the fields (the line disappears when there is none)."""
    line.update(Content(message))
    line.display = bool(message)
