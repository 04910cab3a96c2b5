"""Pick one item from a filtered list: an account, a call to start, a call to debrief."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from salestui.text import clean
from salestui.widgets.fields import TextInput


@dataclass(frozen=True, slots=True)
class Choice:
    """One pickable item: its id and its label (user text, shown literally)."""

    id: int
    label: str
    detail: str = ""


class Picker(ModalScreen[int | None]):
    """Type to filter, arrows to move, enter to pick, escape to cancel."""

    DEFAULT_CSS = """
    Picker { align: center middle; }
    Picker > Vertical { width: 80%; max-width: 100; height: 70%; border: thick $primary; background: $surface; padding: 0 1; }
    Picker Label { width: 1fr; margin: 1 0 0 0; text-style: bold; }
    Picker OptionList { height: 1fr; border: none; }
    Picker .empty { color: $text-muted; margin: 1 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
    ]

    def __init__(
        self, title: str, choices: Sequence[Choice] | None, empty: str = "Nothing to pick.", selected: int | None = None
    ) -> None:
        """``choices`` ``None``: the list is still being read (``load`` fills it); typing filters meanwhile."""
        super().__init__()
        self._title = title
        self._choices = list(choices or ())
        self._loaded = choices is not None
        self._empty = empty
        self._selected = selected
        self._submit_on_load = False

    def compose(self) -> ComposeResult:
        """Title, filter and list."""
        with Vertical():
            yield Label(Content(self._title))
            yield TextInput(placeholder="Type to filter…", id="filter")
            yield OptionList(id="choices")
            yield Label(Content(self._empty), classes="empty", id="empty")

    def on_mount(self) -> None:
        """Show every choice."""
        self.query_one("#filter", TextInput).focus()
        self._fill(self.query_one("#filter", TextInput).value)

    def load(self, choices: Sequence[Choice], selected: int | None = None) -> None:
        """The choices, once read: shown filtered by what was typed meanwhile (an enter typed
        meanwhile picks now)."""
        self._choices, self._loaded = list(choices), True
        if selected is not None:
            self._selected = selected
        if self.is_mounted:
            self._fill(self.query_one("#filter", TextInput).value)
            if self._submit_on_load:
                self._submit()

    @property
    def selected(self) -> int | None:
        """The id of the highlighted choice."""
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return int(options.get_option_at_index(options.highlighted).id or 0)

    def _fill(self, text: str) -> None:
        words = text.lower().split()
        options = self.query_one(OptionList)
        options.clear_options()
        shown = [c for c in self._choices if all(w in f"{c.label} {c.detail}".lower() for w in words)]
        options.add_options(
            Option(Content.assemble(clean(c.label), ("  " + clean(c.detail), "dim") if c.detail else ""), id=str(c.id))
            for c in shown
        )
        if shown:
            ids = [c.id for c in shown]
            # The preselected choice while nothing is typed; the best match once something is.
            options.highlighted = ids.index(self._selected) if self._selected in ids and not words else 0
        self.query_one("#empty", Label).update(Content(self._empty if self._loaded else "Loading…"))
        self.query_one("#empty").display = not shown

    def on_key(self, event: events.Key) -> None:
        """Text typed before the filter had the cursor goes into it, never anywhere else."""
        field = self.query_one("#filter", TextInput)
        if self.focused is not field and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            field.focus()
            field.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _submit(self) -> None:
        if not self._loaded:
            self._submit_on_load = True
            return
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(int(options.get_option_at_index(options.highlighted).id or 0))

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_move(self, step: int) -> None:
        """Arrows move in the list while typing in the filter."""
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        """Close without picking."""
        self.dismiss(None)
