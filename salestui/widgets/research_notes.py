"""Research notes grouped by category: the list on the left, the highlighted note edited on the right."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from salestui.domain.enums import ResearchCategory, label
from salestui.domain.models import ResearchNote
from salestui.text import clean
from salestui.widgets.fields import TextEditor, TextInput
from salestui.widgets.research_common import ItemList, RecordEditor, with_changes

CATEGORY_OPTIONS = tuple((label(c), c.value) for c in ResearchCategory)
FIELDS = ("category", "source", "body")
HINTS = {
    ResearchCategory.CUSTOMER: "Who they are, what they need, how they buy.",
    ResearchCategory.PRODUCT_FIT: "Where our product fits their problem — and where it does not.",
    ResearchCategory.COMPETITOR: "Who else they talk to or already use.",
    ResearchCategory.INDUSTRY: "Trends and pressures in their industry.",
    ResearchCategory.OTHER: "Anything else worth knowing before the call.",
}


def preview(note: ResearchNote) -> Content:
    """One line for the list: the start of the body, and the source dimmed."""
    body = note.body.strip()
    text = Content(clean(body, 80)) if body else Content.styled("(empty note)", "italic $text-muted")
    if note.source.strip():
        text = Content.assemble(text, (" — " + clean(note.source, 40), "$text-muted"))
    return Content.assemble("  ", text)


class NotesPane(Horizontal):
    """The research notes of one account, grouped under customer, product fit, competitor, industry, other."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notes: list[ResearchNote] = []
        self.editor = RecordEditor(
            self,
            "note",
            prefix="n-",
            fields=FIELDS,
        )

    def compose(self) -> ComposeResult:
        """Grouped list, category hint, editor."""
        yield ItemList(id="note-list")
        with Vertical(id="note-side"):
            yield Static("", id="note-hint", classes="hint")
            with Vertical(id="note-editor"):
                with Grid(classes="fields"):
                    yield Label(Content("Category"))
                    yield Select(CATEGORY_OPTIONS, allow_blank=False, compact=True, id="n-category")
                    yield Label(Content("Source"))
                    yield TextInput(compact=True, placeholder="where you learned it (optional)", id="n-source")
                yield TextEditor(id="n-body", compact=True)

    @property
    def items(self) -> ItemList:
        """The grouped list."""
        return self.query_one("#note-list", ItemList)

    @property
    def body(self) -> TextArea:
        """The body of the note being edited."""
        return self.query_one("#n-body", TextArea)

    @property
    def selected_category(self) -> ResearchCategory:
        """The category of the highlighted heading or note."""
        option = self.items.highlighted_option
        if option is None or option.id is None:
            return ResearchCategory.CUSTOMER
        kind, _, value = option.id.partition(":")
        if kind == "cat":
            return ResearchCategory(value)
        note = self._note(int(value))
        return note.category if note else ResearchCategory.CUSTOMER

    @property
    def selected(self) -> ResearchNote | None:
        """The highlighted note, if a note (not a heading) is highlighted."""
        option = self.items.highlighted_option
        if option is None or option.id is None or not option.id.startswith("note:"):
            return None
        return self._note(int(option.id.removeprefix("note:")))

    def _note(self, note_id: int) -> ResearchNote | None:
        return next((n for n in self.notes if n.id == note_id), None)

    def show(self, notes: Sequence[ResearchNote], select_id: int | None = None) -> None:
        """Replace the list (grouped by category), keeping or moving to the chosen note."""
        self.notes = list(notes)
        self._render_list(select_id)

    def _render_list(self, select_id: int | None = None) -> None:
        items = self.items
        current = items.highlighted_option.id if items.highlighted_option else None
        wanted = f"note:{select_id}" if select_id is not None else current
        options: list[Option] = []
        for category in ResearchCategory:
            filed = [n for n in self.notes if n.category is category]
            heading = Content.assemble((label(category), "bold $accent"), (f"  {len(filed)}", "$text-muted"))
            options.append(Option(heading, id=f"cat:{category.value}"))
            options += [Option(preview(note), id=f"note:{note.id}") for note in filed]
        with self.prevent(OptionList.OptionHighlighted):
            items.set_options(options)
            index = next((i for i, o in enumerate(options) if o.id == wanted), 0)
            items.highlighted = index
        self._follow()

    @on(OptionList.OptionHighlighted, "#note-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._follow()

    @on(OptionList.OptionSelected, "#note-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.selected is not None:
            self.body.focus()

    def _follow(self) -> None:
        """Show the highlighted note in the editor, or the hint of the highlighted category."""
        note = self.selected
        hint = self.query_one("#note-hint", Static)
        self.query_one("#note-editor").display = note is not None
        hint.display = note is None
        if note is None:
            category = self.selected_category
            self.editor.clear()
            hint.update(
                Content.assemble(
                    (label(category), "bold"),
                    ": " + HINTS[category] + "\n\n",
                    ("a", "bold"),
                    " adds a note here, ",
                    ("enter", "bold"),
                    " on a note edits it, ",
                    ("d", "bold"),
                    " deletes it.",
                )
            )
            return
        self.editor.show(note)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        changed = self.editor.typed()
        note = self._note(self.editor.record_id) if self.editor.record_id is not None else None
        if not changed or note is None:
            return
        updated = with_changes(note, changed)
        self.notes[self.notes.index(note)] = updated
        if "category" in changed:
            self._render_list(note.id)
        else:
            self.items.replace_option_prompt(f"note:{note.id}", preview(updated))

    def focus_list(self) -> bool:
        """Focus the grouped list."""
        self.items.focus()
        return True
