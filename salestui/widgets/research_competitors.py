"""Competitor comparisons: our offer against each named competitor, edited in place."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from salestui.domain.models import Comparison
from salestui.text import clean
from salestui.widgets.fields import TextEditor, TextInput
from salestui.widgets.research_common import ItemList, RecordEditor, with_changes

FIELDS = ("competitor", "their_strengths", "their_weaknesses", "our_edge")


class CompetitorsPane(Horizontal):
    """Competitors on the left; their strengths, their weaknesses and our edge on the right."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparisons: list[Comparison] = []
        self.editor = RecordEditor(
            self,
            "comparison",
            prefix="x-",
            fields=FIELDS,
            required={"competitor": "The competitor needs a name: it keeps its last one until you type one."},
        )

    def compose(self) -> ComposeResult:
        """List, empty hint, editor."""
        yield ItemList(id="competitor-list")
        with Vertical(id="competitor-side"):
            yield Static(
                Content.from_markup(
                    "No competitor comparisons yet.\n\nPress [b]a[/b] to compare our offer with a competitor: "
                    "their strengths, their weaknesses, and our edge."
                ),
                id="competitor-hint",
                classes="hint",
            )
            with Vertical(id="competitor-editor"):
                with Horizontal(classes="line"):
                    yield Label(Content("Competitor"))
                    yield TextInput(compact=True, id="x-competitor")
                yield Static("", id="x-error", classes="error")
                yield Label(Content("Their strengths"), classes="field-label")
                yield TextEditor(id="x-their_strengths", compact=True)
                yield Label(Content("Their weaknesses"), classes="field-label")
                yield TextEditor(id="x-their_weaknesses", compact=True)
                yield Label(Content("Our edge"), classes="field-label")
                yield TextEditor(id="x-our_edge", compact=True)

    @property
    def items(self) -> ItemList:
        """The competitors."""
        return self.query_one("#competitor-list", ItemList)

    @property
    def selected(self) -> Comparison | None:
        """The highlighted comparison."""
        option = self.items.highlighted_option
        if option is None or option.id is None:
            return None
        return self._comparison(int(option.id))

    def _comparison(self, comparison_id: int) -> Comparison | None:
        return next((c for c in self.comparisons if c.id == comparison_id), None)

    def show(self, comparisons: Sequence[Comparison], select_id: int | None = None) -> None:
        """Replace the list, keeping or moving to the chosen comparison."""
        items = self.items
        current = items.highlighted_option.id if items.highlighted_option else None
        wanted = str(select_id) if select_id is not None else current
        self.comparisons = list(comparisons)
        options = [Option(Content(clean(c.competitor, 60)), id=str(c.id)) for c in self.comparisons]
        with self.prevent(OptionList.OptionHighlighted):
            items.set_options(options)
            items.highlighted = next((i for i, o in enumerate(options) if o.id == wanted), 0) if options else None
        items.display = bool(options)
        self._follow()

    @on(OptionList.OptionHighlighted, "#competitor-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._follow()

    @on(OptionList.OptionSelected, "#competitor-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#x-their_strengths", TextArea).focus()

    def _follow(self) -> None:
        comparison = self.selected
        self.query_one("#competitor-editor").display = comparison is not None
        self.query_one("#competitor-hint").display = comparison is None
        if comparison is None:
            self.editor.clear()
            return
        self.editor.show(comparison)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        changed = self.editor.typed()
        comparison = self._comparison(self.editor.record_id) if self.editor.record_id is not None else None
        if comparison is None or not changed:
            return
        updated = with_changes(comparison, changed)
        self.comparisons[self.comparisons.index(comparison)] = updated
        if "competitor" in changed:
            self.items.replace_option_prompt(str(comparison.id), Content(clean(updated.competitor, 60)))

    def focus_list(self) -> bool:
        """Focus the list; False when there is nothing in it."""
        if self.comparisons:
            self.items.focus()
            return True
        return False
