"""Ask where to write an export: a path prefilled with a sensible default, checked as it is typed."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from salestui.io.files import export_folder
from salestui.text import literal
from salestui.widgets.fields import TextInput


def check_target(text: str) -> tuple[Path | None, str]:
    """The path typed (``~`` expanded) and a note: why it cannot be written, or what will happen."""
    if not text.strip():
        return None, "Type a file name."
    path = Path(text.strip()).expanduser()
    if path.is_dir():
        return None, "That is a folder: add a file name."
    if not path.parent.is_dir():
        if path.parent == export_folder():
            return path, f"The export folder {path.parent} will be created; the file readable by you only."
        return None, f"The folder {path.parent} does not exist."
    if path.exists():
        return path, "This file exists and will be replaced."
    return path, "Readable by you only."


class ExportPath(ModalScreen[Path | None]):
    """Enter writes to the path shown (or typed), escape cancels."""

    DEFAULT_CSS = """
    ExportPath { align: center middle; }
    ExportPath > Vertical { width: 90%; max-width: 100; height: auto; border: thick $primary;
                            background: $surface; padding: 1 2; }
    ExportPath #title { text-style: bold; }
    ExportPath #what { color: $text-muted; margin-bottom: 1; }
    ExportPath #note { color: $text-muted; margin-top: 1; }
    ExportPath #note.-problem { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, what: str, default: Path) -> None:
        super().__init__()
        self._title = title
        self._what = what
        self._default = default

    def compose(self) -> ComposeResult:
        """Title, what the file will hold, the path, and a note about it."""
        with Vertical():
            yield Label(Content(self._title), id="title")
            yield Static(Content(self._what), id="what")
            yield TextInput(str(self._default), id="path", select_on_focus=False)
            yield Static(id="note")

    @property
    def path_input(self) -> Input:
        """The path field."""
        return self.query_one("#path", Input)

    def on_mount(self) -> None:
        """Cursor at the end of the path, note about it shown."""
        self.path_input.focus()
        self.path_input.cursor_position = len(self.path_input.value)
        self._show(self.path_input.value)

    @on(Input.Changed, "#path")
    def _changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, text: str) -> None:
        path, note = check_target(text)
        shown = self.query_one("#note", Static)
        shown.update(literal(f"{note}  Enter writes, escape cancels."))
        shown.set_class(path is None, "-problem")

    @on(Input.Submitted, "#path")
    def _submit(self, event: Input.Submitted) -> None:
        path, _ = check_target(event.value)
        if path is not None:
            self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
