"""Pieces shared by the account research panes: the record editor and the host screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from salestui.store.changes import FieldChange
from salestui.widgets.vim import VimOptionList

if TYPE_CHECKING:
    from salestui.screens.base import DataScreen

R = TypeVar("R")


def host(widget: Widget) -> DataScreen:
    """The data screen a pane lives on (it owns autosave and database workers)."""
    from salestui.screens.base import DataScreen

    screen = widget.screen
    assert isinstance(screen, DataScreen)
    return screen


class RecordEditor:
    """Save-as-typed for the fields of one record at a time (an account, a contact, a note…).

    The pane's fields are ``#<prefix><field>`` with an optional ``#<prefix>error`` line. The
    editor shows a record in them, and saves each field the rep changes through the screen's
    field binder (``salestui.binder``) as a ``FieldChange`` of ``<kind>:<id>`` (``kind`` is a
    table of ``store.changes.TARGETS``): merged with another window's edit, and a reload never
    overwrites a field whose save is in flight.
    """

    def __init__(
        self,
        owner: Widget,
        kind: str,
        *,
        prefix: str,
        fields: Sequence[str],
        required: Mapping[str, str] | None = None,
        warn: Callable[[dict[str, str]], list[str]] | None = None,
    ) -> None:
        self._owner = owner
        self._kind = kind
        self._prefix = prefix
        self._fields = tuple(fields)
        self._required = dict(required or {})
        """Fields that may not be blank, each with the line shown while it is (it keeps its last value)."""
        self._warn = warn
        self.record_id: int | None = None
        self._shown: dict[str, str] = {}

    def _record(self, record_id: int) -> str:
        return f"{self._kind}:{record_id}"

    def show(self, record: Any) -> None:
        """Show a record read from the database (``id``, ``version`` and the fields); fields typed since keep the rep's text."""
        binder = host(self._owner).fields
        if record.id != self.record_id:
            self._shown = {}
        self.record_id = record.id
        key = self._record(record.id)
        for name in self._fields:
            value = field_text(getattr(record, name))
            if binder.fill(f"{key}.{name}", self._field(name), value):
                self._shown[name] = value

    def _field(self, name: str) -> Widget:
        return self._owner.query_one(f"#{self._prefix}{name}")

    def clear(self) -> None:
        """No record is being edited."""
        self.record_id = None
        self._shown = {}

    def typed(self) -> dict[str, str]:
        """Save the fields the rep changed (a blank required one is shown as a problem, not saved); returns them."""
        record_id = self.record_id
        if record_id is None:
            return {}
        current = read_fields(self._owner, self._prefix, self._fields)
        problems = [message for name, message in self._required.items() if not current[name].strip()]
        for name in self._required:
            if not current[name].strip():
                del current[name]
        if self._warn is not None:
            problems += self._warn(current)
        for line in self._owner.query(f"#{self._prefix}error").results(Static):
            show_error(line, " ".join(problems))
        changed = {name: value for name, value in current.items() if value != self._shown.get(name)}
        if not changed:
            return {}
        self._shown.update(changed)
        record, kind, binder = self._record(record_id), self._kind, host(self._owner).fields
        for name, value in changed.items():
            binder.save(
                f"{record}.{name}",
                lambda base, name=name, value=value: FieldChange(kind, record_id, name, base, value),
                widget=self._field(name),
            )
        return changed


def field_text(value: object) -> str:
    """A record's field as its widget holds it (an enum by its value)."""
    return str(value.value) if isinstance(value, Enum) else str(value)


def with_changes(record: R, changed: Mapping[str, str]) -> R:
    """``record`` with the rep's changed fields (enum fields converted back from their values)."""
    fields = {
        name: type(old)(value) if isinstance(old := getattr(record, name), Enum) else value
        for name, value in changed.items()
    }
    return replace(record, **fields)  # type: ignore[type-var]


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
