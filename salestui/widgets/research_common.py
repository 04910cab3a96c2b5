"""Pieces shared by the account research panes: version chaining and the host screen."""

from __future__ import annotations

import threading
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


class Versions:
    """The latest known version of each edited record.

    Saves of the same screen run one at a time, each passing the version the previous save
    returned, so rapid edits chain instead of tripping the stale-edit check.
    """

    def __init__(self) -> None:
        self._known: dict[str, int] = {}
        self._lock = threading.Lock()

    def seen(self, key: str, version: int) -> None:
        """A version read from the database (versions only grow, so an older read is ignored)."""
        with self._lock:
            if version > self._known.get(key, 0):
                self._known[key] = version

    def save(self, key: str, write: Callable[[int | None], int]) -> int:
        """Run ``write(expected_version)`` (in a worker thread) and remember the new version."""
        with self._lock:
            new = write(self._known.get(key))
            self._known[key] = new
            return new


def host(widget: Widget) -> DataScreen:
    """The data screen a pane lives on (it owns autosave and database workers)."""
    from salestui.screens.base import DataScreen

    screen = widget.screen
    assert isinstance(screen, DataScreen)
    return screen


class RecordEditor:
    """Save-as-typed for the fields of one record at a time (an account, a contact, a note…).

    Remembers what the widgets show, schedules a debounced save of the fields that changed and
    keeps fields typed-but-not-yet-saved from being overwritten by a reload.
    """

    def __init__(self, owner: Widget, versions: Versions, kind: str, update: Update) -> None:
        self._owner = owner
        self._versions = versions
        self._kind = kind
        self._update = update
        self.record_id: int | None = None
        self._shown: dict[str, str] = {}
        self._typed: dict[tuple[int, str], str] = {}

    def load(self, record_id: int, version: int, values: dict[str, str]) -> dict[str, str]:
        """The values to show for a record read from the database (typed edits win)."""
        self.record_id = record_id
        self._versions.seen(f"{self._kind}:{record_id}", version)
        self._shown = {key: self._typed.get((record_id, key), value) for key, value in values.items()}
        return dict(self._shown)

    def clear(self) -> None:
        """No record is being edited."""
        self.record_id = None
        self._shown = {}

    def edited(self, current: dict[str, str]) -> dict[str, str]:
        """Schedule saving the fields that differ from what was shown; returns them."""
        record_id = self.record_id
        changed = {key: value for key, value in current.items() if value != self._shown.get(key)}
        if record_id is None or not changed:
            return {}
        self._shown.update(changed)
        for key, value in changed.items():
            self._typed[(record_id, key)] = value
        key = f"{self._kind}:{record_id}"
        app = self._owner.app
        update = self._update

        def save(store: Store) -> None:
            from salestui.store.core import StoreError

            try:
                self._versions.save(key, lambda version: update(store, record_id, version, changed))
            except StoreError:
                app.call_from_thread(self._settled, record_id, changed)
                raise
            app.call_from_thread(self._settled, record_id, changed)

        host(self._owner).autosave(key + ":" + ",".join(sorted(changed)), save)
        return changed

    def _settled(self, record_id: int, changed: dict[str, str]) -> None:
        for key, value in changed.items():
            if self._typed.get((record_id, key)) == value:
                del self._typed[(record_id, key)]


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
