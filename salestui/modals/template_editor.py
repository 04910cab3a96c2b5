"""Edit the checklist template that new calls start from: one item a line."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from salestui.domain.checklist import DEFAULT_TEMPLATE
from salestui.widgets.fields import TextEditor


class TemplateEditor(ModalScreen[list[str] | None]):
    """A text area with one item per line; ctrl+s saves, ctrl+r restores the defaults."""

    DEFAULT_CSS = """
    TemplateEditor { align: center middle; }
    TemplateEditor > Vertical { width: 84; max-width: 95%; height: 80%; border: thick $primary; background: $surface; padding: 0 1; }
    TemplateEditor TextArea { height: 1fr; }
    TemplateEditor .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+r", "defaults", "Restore defaults", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        items: Sequence[str],
        title: str = "Checklist template: one item a line; new calls start from it",
        defaults: Sequence[str] = DEFAULT_TEMPLATE,
    ) -> None:
        super().__init__()
        self._items = list(items)
        self._title = title
        self._defaults = list(defaults)

    def compose(self) -> ComposeResult:
        """Title, text area, keys."""
        with Vertical():
            yield Static(Content.styled(self._title, "bold $accent"))
            yield TextEditor("\n".join(self._items), id="template", soft_wrap=True)
            yield Static(Content("ctrl+s save · ctrl+r restore the defaults · escape cancel"), classes="hint")

    def on_mount(self) -> None:
        """Start at the end: the usual edit is adding an item."""
        self.text_area.move_cursor(self.text_area.document.end)

    @property
    def text_area(self) -> TextArea:
        """The items."""
        return self.query_one("#template", TextArea)

    def action_save(self) -> None:
        """Give back the non-empty lines."""
        self.dismiss([line.strip() for line in self.text_area.text.splitlines() if line.strip()])

    def action_defaults(self) -> None:
        """Put the default items back in the editor (saved only with ctrl+s)."""
        self.text_area.text = "\n".join(self._defaults)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
