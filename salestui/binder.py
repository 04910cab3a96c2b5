"""The field binder: one owner, per screen, of every field that saves as typed.

Per field (named like the change it saves, ``call:5.objective``) it holds:

- **the base**: the stored value this window's text was built on. A fill from the database sets
  it; a save sets it to the value sent (the next edit is made on top of that one). Every save
  carries it, so the store can merge with what another window saved since (``store.changes``).
- **typed since load**: the field's last save is not answered yet (a newer save of a field
  replaces one still waiting in the writer, so only the last one counts). A reload never overwrites such a field
  (the save in flight merges, and its answer brings the merged text); any other field takes the
  stored value at once, its cursor kept by its words (``domain.merge.moved_cursor``).
- **the answer**: when the stored value is not what was typed (merged with another window, or a
  choice that replaced another window's), the field shows it and the rep is told what happened.
- **a refusal for good**: a save the database refuses because the record is another rep's
  (``NotYours``) never leaves its text on screen as if kept: the field shows the stored value
  again (the app's toast says why).

Screens call ``fill`` when showing a record and ``save`` from a field's ``Changed`` handler;
none of them builds writer keys or tracks edits by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.widget import Widget

    from salestui.screens.base import DataScreen
    from salestui.store.changes import Applied, Change, FieldChange

_UNSEEN: Any = object()
"""No value of the field has been shown yet."""


def widget_value(widget: Widget) -> Any:
    """What a field widget holds (an Input's or TextArea's text, a Select's or rating's value)."""
    from textual.widgets import Input, TextArea

    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    return getattr(widget, "value", None)


def show_value(widget: Widget, value: Any) -> None:
    """Put ``value`` in a field without posting its Changed message; the cursor keeps its place
    among the words around it (text another window added before it moves it along)."""
    from textual.widgets import Input, Select, TextArea

    from salestui.domain.merge import moved_cursor

    with widget.prevent(Input.Changed, TextArea.Changed, Select.Changed):
        if isinstance(widget, TextArea):
            if widget.text == value:
                return
            before, (row, column) = widget.text, widget.cursor_location
            offset = sum(len(line) + 1 for line in before.split("\n")[:row]) + column
            widget.load_text(value)
            place = moved_cursor(before, value, offset) if widget.has_focus else len(value)
            lines = value[:place].split("\n")
            widget.move_cursor((len(lines) - 1, len(lines[-1])))
        elif isinstance(widget, Input):
            if widget.value == value:
                return
            before, cursor = widget.value, widget.cursor_position
            widget.value = value
            widget.cursor_position = moved_cursor(before, value, cursor) if widget.has_focus else len(value)
        elif isinstance(widget, Select):
            if widget.value != value:
                widget.value = value
        else:
            widget.set_reactive(type(widget).value, value)  # type: ignore[attr-defined]
            widget.refresh()


class FieldBinder:
    """The fields of one screen that save as typed (see the module docstring)."""

    def __init__(self, screen: DataScreen) -> None:
        self._screen = screen
        self._base: dict[str, Any] = {}
        self._sent: dict[str, int] = {}
        """Per field, the number of the last save sent."""
        self._settled: dict[str, int] = {}
        """Per field, the number of the last save answered (typed while lower than ``_sent``)."""
        self._widgets: dict[str, Widget] = {}
        self._shown_text: dict[str, Any] = {}
        """Per field, the stored value last shown by a fill: what ctrl+z restores if the rep empties it."""
        self._stored: dict[str, tuple[Any, Any]] = {}
        """Per field, the value the database holds and how the widget shows it: what a refused save puts back."""

    def typed(self, name: str) -> bool:
        """The rep changed ``name`` and its save has not been answered yet."""
        return self._sent.get(name, 0) > self._settled.get(name, 0)

    def base(self, name: str, default: Any = None) -> Any:
        """The stored value the field's text was built on."""
        value = self._base.get(name, _UNSEEN)
        return default if value is _UNSEEN else value

    def fill(self, name: str, widget: Widget | None, stored: Any, shown: Any = _UNSEEN) -> bool:
        """Show a stored value (as ``shown`` when the widget holds it in another form, e.g. a
        date as text), unless the rep's save of this field is still in flight. ``False`` if kept."""
        if self.typed(name):
            return False
        self._base[name] = stored
        self._shown_text[name] = stored
        self._stored[name] = (stored, stored if shown is _UNSEEN else shown)
        if widget is not None:
            self._widgets[name] = widget
            value = stored if shown is _UNSEEN else shown
            held = widget_value(widget)
            if isinstance(value, str) and isinstance(held, str) and held != value and held.strip() == value.strip():
                return True  # the store trims what it keeps: the space just typed stays on screen
            show_value(widget, value)
        return True

    def save(
        self,
        name: str,
        make: Callable[[Any], Change],
        *,
        widget: Widget | None = None,
        done: Callable[[Any], None] | None = None,
        label: str = "",
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Save an edit: ``make(base)`` builds the change (a ``FieldChange`` carries the base).

        ``widget`` shows the answer when the database holds something else (a merge);
        ``label`` names the field in what the rep is told; ``failed`` hears a refusal.
        """
        from salestui.store.changes import Applied, FieldChange  # the first save, not the first frame

        if widget is not None:
            self._widgets[name] = widget
        change = make(self.base(name))
        if isinstance(change, FieldChange):
            self._base[name] = change.value  # the next edit is made on top of this one
        serial = self._sent[name] = self._sent.get(name, 0) + 1

        def answered(result: Any) -> None:
            self._settled[name] = max(self._settled.get(name, 0), serial)
            if isinstance(result, Applied):
                self._answered(name, result, label)
            if done is not None:
                done(result)

        def refused(error: BaseException) -> None:
            self._settled[name] = max(self._settled.get(name, 0), serial)
            if isinstance(change, FieldChange):
                self._base[name] = change.base  # not stored: the next edit is still made on the old base
            self._put_back(name, error)
            if failed is not None:
                failed(error)

        self._screen.save(change, key=getattr(change, "key", None) or name, done=answered, failed=refused)

    def _put_back(self, name: str, error: BaseException) -> None:
        """Another rep's record refused the save: once no newer save of the field is in flight,
        the field shows what the database holds (the text typed can never be kept there)."""
        from salestui.store.core import NotYours

        stored = self._stored.get(name)
        widget = self._widgets.get(name)
        if not isinstance(error, NotYours) or self.typed(name) or stored is None or widget is None:
            return
        self._base[name] = stored[0]
        if widget.is_attached:
            show_value(widget, stored[1])

    def _remember(self, label: str, undo: FieldChange, redo: FieldChange) -> None:
        """Offer ctrl+z for a field change (the app's undo history, when there is one)."""
        record_undo = getattr(getattr(self._screen, "app", None), "record_undo", None)
        if record_undo is None:
            return
        from salestui.undo import Undoable

        record_undo(Undoable(label, undo, redo, record=undo.record))

    def _answered(self, name: str, applied: Applied, label: str) -> None:
        from salestui.store.changes import FieldChange

        change = applied.change
        what = label or change.field.replace("_", " ")
        if applied.replaced is not None:
            self._remember(
                f"{what}: back to the other window's choice",
                FieldChange(change.table, change.row_id, change.field, applied.stored, applied.replaced),
                FieldChange(change.table, change.row_id, change.field, applied.replaced, applied.stored),
            )
            self._screen.notify(
                f"{what.capitalize()}: your choice replaced one made in another window meanwhile "
                "(ctrl+z outside a text field puts theirs back).",
                title="Changed in another window",
                markup=False,
                timeout=8,
            )
        elif not str(applied.stored or "").strip():
            # A field emptied (at once, or letter by letter): ctrl+z brings back the text it had when shown.
            before = self._shown_text.pop(name, change.base)
            if isinstance(before, str) and before.strip():
                self._remember(
                    f"clear {what}",
                    FieldChange(change.table, change.row_id, change.field, applied.stored, before),
                    FieldChange(change.table, change.row_id, change.field, before, applied.stored),
                )
        kept = self._stored.get(name)
        if kept is not None and kept[0] == kept[1]:  # shown as stored (not a date shown as text)
            self._stored[name] = (applied.stored, applied.stored)
        else:
            self._stored.pop(name, None)
        if self.typed(name):
            return  # the rep typed on: the save in flight merges again and its answer shows the result
        self._base[name] = applied.stored
        if not applied.merged:
            return
        widget = self._widgets.get(name)
        if widget is not None and widget.is_attached:
            show_value(widget, applied.stored)
        self._screen.notify(
            f"{what.capitalize()} was changed in another window too: "
            + ("both texts are kept, the other window's marked." if applied.conflicted else "both changes are kept."),
            title="Merged",
            markup=False,
            timeout=6,
        )
