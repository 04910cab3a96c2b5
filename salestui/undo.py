"""The rep's undo history: what ``ctrl+z`` takes back and ``ctrl+shift+z`` (or ``ctrl+y``) does again.

UI-free: an entry is a label and two store jobs. Whoever makes a change the rep may want back
(a record created, deleted or cancelled, a field cleared) pushes an ``Undoable`` through
``SalesApp.record_undo`` once the change has committed; the app runs ``undo`` and ``redo`` on the
store's serial writer, so they are ordered with every other save. The history lives as long as
the app: it is not kept across a quit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salestui.store.core import Store

LIMIT = 100
"""Entries kept: the oldest is forgotten once there are more."""


@dataclass(frozen=True)
class Undoable:
    """One change the rep can take back and make again."""

    label: str
    """What the change was, in a few words ("delete contact “Dana Whitfield”"): the palette shows
    "Undo <label>", the toast "Undone: <label>". Customer text in it is shown literally."""
    undo: Callable[[Store], Any]
    """Takes the change back (runs on the writer thread)."""
    redo: Callable[[Store], Any]
    """Makes the change again after an undo (runs on the writer thread)."""
    record: str | None = None
    """The record the change made or removed ("call:11"), so the history can forget it (``forget``)."""


class UndoHistory:
    """Two bounded stacks: what can be undone, and what an undo can redo."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._undo: deque[Undoable] = deque(maxlen=limit)
        self._redo: deque[Undoable] = deque(maxlen=limit)

    def push(self, entry: Undoable) -> None:
        """A new change: it is the next to undo, and nothing undone before can be redone any more."""
        self._undo.append(entry)
        self._redo.clear()

    def take_undo(self) -> Undoable | None:
        """The last change, taken off the history (``undone`` puts it on the redo stack once it ran)."""
        return self._undo.pop() if self._undo else None

    def take_redo(self) -> Undoable | None:
        """The last undone change, taken off the redo stack (``redone`` puts it back to undo)."""
        return self._redo.pop() if self._redo else None

    def undone(self, entry: Undoable) -> None:
        """``entry``'s undo committed: it can be redone."""
        self._redo.append(entry)

    def redone(self, entry: Undoable) -> None:
        """``entry``'s redo committed: it can be undone again (the rest of the redo stack stays)."""
        self._undo.append(entry)

    def forget(self, record: str) -> None:
        """Drop every entry about ``record`` (a blank plan discarded: its creation is nothing to undo)."""
        for stack in (self._undo, self._redo):
            kept = [entry for entry in stack if entry.record != record]
            stack.clear()
            stack.extend(kept)

    @property
    def undo_label(self) -> str | None:
        """The label of the change ``ctrl+z`` would take back, if any."""
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        """The label of the change ``ctrl+shift+z`` would make again, if any."""
        return self._redo[-1].label if self._redo else None


# -- entries for the usual changes (their jobs import the store only when they run) -------------------
def created(label: str, table: str, row_id: int, delete: Callable[[Store], Any] | None = None) -> Undoable:
    """A record the rep created: undo deletes it with everything under it by then, redo puts that back.

    ``delete`` is the repository's own deletion where it has a rule (a call: only if never held).
    """
    kept: list[Any] = []

    def undo(store: Store) -> Any:
        from salestui.store.undo import remove

        kept[:] = [remove(store, table, row_id, delete)]
        return kept[0]

    def redo(store: Store) -> None:
        from salestui.store.undo import restore

        if kept:
            restore(store, kept[0])

    return Undoable(label, undo, redo, f"{table}:{row_id}")


def deleted(label: str, table: str, row_id: int, kept: Any, delete: Callable[[Store], Any] | None = None) -> Undoable:
    """A record the rep deleted (``kept``: its ``store.undo.Snapshot``): undo puts it back with its ids."""
    latest = [kept]

    def undo(store: Store) -> None:
        from salestui.store.undo import restore

        restore(store, latest[0])

    def redo(store: Store) -> Any:
        from salestui.store.undo import remove

        latest[0] = remove(store, table, row_id, delete)
        return latest[0]

    return Undoable(label, undo, redo, f"{table}:{row_id}")


def cancelled(label: str, before: Any) -> Undoable:
    """A call the rep cancelled (``before``: its ``store.undo.CallState``): undo puts its status back."""

    def undo(store: Store) -> None:
        from salestui.store.undo import put_back

        put_back(store, before)

    def redo(store: Store) -> None:
        from salestui.store.undo import cancel

        cancel(store, before.call_id)

    return Undoable(label, undo, redo, f"call:{before.call_id}")
