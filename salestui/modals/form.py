"""A small typed form dialog: labelled fields, enter adds, escape cancels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from salestui.text import literal
from salestui.widgets.fields import TextInput


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a form: a line of text, or a choice when ``options`` are given."""

    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()  # (label, value)
    selected: bool = False
    """A suggested value (the filter's text as a name): selected when focused, so typing replaces it."""


class FormModal(ModalScreen[dict[str, str] | None]):
    """Fill some fields; enter (or ctrl+s) returns them, escape returns ``None``."""

    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > Vertical {
        width: 72; max-width: 96%; height: auto; max-height: 96%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FormModal #form-title { text-style: bold; margin: 0 0 1 0; }
    FormModal Grid { grid-size: 2; grid-columns: 12 1fr; grid-rows: 1; grid-gutter: 0 1; height: auto; }
    FormModal Grid Label { color: $text-muted; }
    FormModal #form-error { color: $error; height: auto; }
    FormModal #form-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Add", priority=True),
    ]

    def __init__(self, title: str, fields: Sequence[FormField], verb: str = "add") -> None:
        super().__init__()
        self._title = title
        self._fields = list(fields)
        self._verb = verb

    def compose(self) -> ComposeResult:
        """Title, one row per field, the error line and the keys."""
        with Vertical():
            yield Label(literal(self._title), id="form-title")
            with Grid():
                for spec in self._fields:
                    yield Label(Content(spec.label + (" *" if spec.required else "")))
                    if spec.options:
                        yield Select(
                            spec.options,
                            value=spec.value or spec.options[0][1],
                            allow_blank=False,
                            compact=True,
                            id=f"f-{spec.key}",
                        )
                    else:
                        yield TextInput(
                            spec.value,
                            placeholder=spec.placeholder,
                            compact=True,
                            select_on_focus=spec.selected,
                            id=f"f-{spec.key}",
                        )
            yield Static("", id="form-error")
            yield Static(
                Content(f"enter {self._verb} · tab next field · escape cancel"),
                id="form-hint",
            )

    def values(self) -> dict[str, str]:
        """Current values by field key (text stripped)."""
        out: dict[str, str] = {}
        for spec in self._fields:
            widget = self.query_one(f"#f-{spec.key}")
            if isinstance(widget, Select):
                out[spec.key] = str(widget.value)
            elif isinstance(widget, Input):
                out[spec.key] = widget.value.strip()
        return out

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Return the values, unless a required one is empty."""
        values = self.values()
        missing = [spec for spec in self._fields if spec.required and not values.get(spec.key)]
        if missing:
            self.query_one("#form-error", Static).update(Content(f"{missing[0].label} cannot be empty."))
            self.query_one(f"#f-{missing[0].key}").focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        """Close without adding anything."""
        self.dismiss(None)
