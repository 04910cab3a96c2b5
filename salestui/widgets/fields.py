"""The text fields every screen uses: what enters them is clean, focusing them never selects.

- Focus never selects the text (Textual's Input does by default): coming back from a popup or
  tabbing in leaves the cursor at the end, so the next letter adds to the words, never replaces.
- Pasted text loses its control characters (an ANSI colour code pasted from a terminal would
  otherwise be stored and move the cursor off what is shown).
- Tab moves on and escape leaves a multi-line field, as in a one-line one (the screen's ``back``
  handles escape; ``tab_behavior="focus"`` keeps TextArea from taking it).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input, TextArea

from salestui.text import entered


class TextInput(Input):
    """A one-line field: no select-on-focus, clean paste."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if not self.select_on_focus:
            self.cursor_position = len(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual calls Input's own handler after this one (it walks the class tree): clean the text first.
        event.text = entered(event.text.splitlines()[0] if event.text else "")

    def insert_text_at_cursor(self, text: str) -> None:
        """Insert typed or pasted text, control characters removed."""
        super().insert_text_at_cursor(entered(text))


class TextEditor(TextArea):
    """A multi-line field: clean paste, escape leaves the field, tab moves on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("tab_behavior", "focus")
        kwargs.setdefault("soft_wrap", True)
        super().__init__(*args, **kwargs)

    def _on_paste(self, event: events.Paste) -> None:
        # TextArea's own handler runs after this one and inserts the cleaned text.
        event.text = entered(event.text, lines=True)
