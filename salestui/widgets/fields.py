"""The text fields every screen uses: what enters them is clean, entering them never selects.

- Focus never selects the text (Textual's Input does by default) and puts the cursor at the end
  of it: tabbing in, clicking below a multi-line field's text or the screen's first focus
  leaves the next letter adding to the words, never replacing them or gluing onto their start.
  A click on the text itself puts the cursor where it points.
- Pasted text keeps its order and loses its control characters (an ANSI colour code pasted from
  a terminal would otherwise be stored and move the cursor off what is shown). A one-line field
  turns line breaks and tabs into spaces: a pasted tab never moves the focus. A multi-line field
  keeps them. (A paste holding an ESC reaches the app whole only through ``salestui.paste``.)
- Tab moves on and escape leaves a multi-line field, as in a one-line one (the screen's ``back``
  handles escape; ``tab_behavior="focus"`` keeps TextArea from taking it).

Only public hooks: Textual calls each class's handler of an event, subclass first, so
``on_focus`` and ``on_paste`` here run before Input's and TextArea's own and prepare for them.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, TextArea

from salestui.text import entered


class TextInput(Input):
    """A one-line field: no select-on-focus, cursor at the end on focus, clean paste."""

    # Input sets its virtual size (its text's width) on every key; as a layout reactive that laid
    # out the whole screen each time (the plan's ~80 widgets, one reflow and a full repaint per
    # key). The field's own size does not depend on it: repainting the field is enough.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def on_focus(self, event: events.Focus) -> None:
        """Put the cursor at the end (a click then moves it where it points)."""
        if not self.select_on_focus and not event.from_app_focus:
            self.cursor_position = len(self.value)

    def on_paste(self, event: events.Paste) -> None:
        """Clean the pasted text for one line; Input's own handler then inserts all of it."""
        # Input keeps only the first line of a paste: join them instead, nothing pasted is lost.
        event.text = " ".join(entered(event.text).splitlines())

    def insert_text_at_cursor(self, text: str) -> None:
        """Insert typed or pasted text, control characters removed."""
        super().insert_text_at_cursor(entered(text))


class TextEditor(TextArea):
    """A multi-line field: cursor at the end on focus, clean paste, escape leaves, tab moves on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("tab_behavior", "focus")
        kwargs.setdefault("soft_wrap", True)
        super().__init__(*args, **kwargs)

    def on_focus(self, event: events.Focus) -> None:
        """Put the cursor at the end of the text (new words follow what is there)."""
        if not event.from_app_focus:
            self.move_cursor(self.document.end)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click below the last line puts the cursor at the end, not on the last line's column."""
        offset = event.get_content_offset(self)
        if offset is not None and offset.y + self.scroll_offset.y >= self.wrapped_document.height:
            # After TextArea's own handler, which puts it on the last line under the pointer.
            self.call_next(self.move_cursor, self.document.end)

    def on_paste(self, event: events.Paste) -> None:
        """Clean the pasted text (newlines and tabs kept); TextArea's own handler then inserts it."""
        event.text = entered(event.text, lines=True)
