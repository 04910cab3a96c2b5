"""The questions to ask in a call: add, edit, remove, reorder by key, or pull from the built-in bank."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from salestui.domain.enums import CallKind, QuestionKind, label
from salestui.domain.models import Question
from salestui.domain.questions import BankQuestion, bank, bank_lines, kind_label, kind_letter, parse_bank_lines
from salestui.text import clean, literal
from salestui.widgets.plan_edits import NEW, ListEdit
from salestui.widgets.vim import VimOptionList

if TYPE_CHECKING:
    from salestui.modals.form import FormModal

ALL = 10_000
"""Picker id of "every bank question not in the plan yet"."""

KIND_OPTIONS = tuple((kind_label(kind), kind.value) for kind in QuestionKind)


def question_line(question: Question, number: int, *, answers: bool = True) -> Content:
    """``1. [P] What goes wrong?`` with the hope and, once asked, the answer on lines below."""
    letter = kind_letter(question.kind)
    head = Content.assemble(
        (f"{number}. ", "bold"),
        (f"[{letter}] ", "bold $accent") if letter else "",
        clean(question.text),
        ("  ✓ asked", "bold $text-success") if question.asked and answers else "",
    )
    lines = [head]
    if question.hope.strip():
        lines.append(Content.assemble(("   to learn: ", "$text-muted"), clean(question.hope)))
    if answers and question.answer.strip():
        lines.append(Content.assemble(("   answer: ", "$text-success"), clean(question.answer)))
    return Content("\n").join(lines)


class PlanQuestions(VimOptionList):
    """Numbered questions with their SPIN letter; a/e/d/K/J edit them, Q pulls from the bank."""

    HELP_TITLE = "Questions to ask"
    """The heading of this list's keys in help."""

    BINDINGS = [
        Binding("a", "add", "Add", tooltip="Add question"),
        Binding("Q", "bank", "Bank", tooltip="Question bank"),
        Binding("e", "edit", "Edit", show=False),
        Binding("d,delete", "remove", "Remove", show=False),
        Binding("shift+up,K", "move(-1)", "Move up", show=False),
        Binding("shift+down,J", "move(1)", "Move down", show=False),
        Binding("t", "template", "Edit the bank", show=False),
    ]

    def __init__(self, call_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.call_id = call_id
        """The call whose questions these are."""
        self.kind = CallKind.DISCOVERY
        """The call's kind: which bank ``Q`` offers (the screen keeps it current)."""
        self.questions: tuple[Question, ...] = ()

    def show(self, questions: Sequence[Question], kind: CallKind, select_id: int | None = None) -> None:
        """Show ``questions``, keeping the highlight on the same one (or on ``select_id``)."""
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        index = self.highlighted
        self.kind = kind
        self.questions = tuple(questions)
        self.clear_options()
        if not self.questions:
            self.add_option(
                Option(
                    Content.styled("No questions yet: a to write one, Q to pick from the bank.", "$text-muted"),
                    disabled=True,
                )
            )
            return
        self.add_options(
            Option(question_line(q, number), id=str(q.id)) for number, q in enumerate(self.questions, start=1)
        )
        ids = [q.id for q in self.questions]
        if keep in ids:
            self.highlighted = ids.index(keep)
        elif index is not None:
            self.highlighted = min(index, len(ids) - 1)
        else:
            self.highlighted = 0

    @property
    def current(self) -> Question | None:
        """The highlighted question."""
        if self.highlighted is None or not self.questions or self.highlighted >= len(self.questions):
            return None
        return self.questions[self.highlighted]

    def _form(self, title: str, question: Question | None = None) -> FormModal:
        from salestui.modals.form import FormField, FormModal

        return FormModal(
            title,
            [
                FormField(
                    "text", "Question", question.text if question else "", "e.g. What does a late order cost you?", True
                ),
                FormField("kind", "SPIN kind", question.kind.value if question else "none", options=KIND_OPTIONS),
                FormField("hope", "To learn", question.hope if question else "", "what you hope to find out"),
            ],
            verb="save",
        )

    def action_add(self) -> None:
        """Ask for a new question (text, SPIN kind, what to learn), then have it saved."""
        call_id = self.call_id

        def added(values: dict[str, str] | None) -> None:
            if values:
                text, kind, hope = values["text"], QuestionKind(values["kind"]), values["hope"]
                self.post_message(
                    ListEdit("questions", lambda store: store.calls.add_question(call_id, text, kind, hope), NEW)
                )

        self.app.push_screen(self._form("New question to ask"), added)

    def action_edit(self) -> None:
        """Edit the highlighted question in a popup, then have it saved."""
        question = self.current
        if question is None:
            return

        def edited(values: dict[str, str] | None) -> None:
            if values:
                fields = {"text": values["text"], "kind": QuestionKind(values["kind"]), "hope": values["hope"]}
                job = lambda store: store.calls.update_question(question.id, **fields)  # noqa: E731
                self.post_message(ListEdit("questions", job, question.id))

        self.app.push_screen(self._form("Edit question", question), edited)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_remove(self) -> None:
        """Ask first, then remove the highlighted question."""
        from salestui.modals.confirm import Confirm

        question = self.current
        if question is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(ListEdit("questions", lambda store: store.calls.delete_question(question.id)))

        self.app.push_screen(
            Confirm(Content.assemble("Remove the question “", literal(question.text, 200), "”?"), yes="Remove"),
            answered,
        )

    def action_move(self, offset: int) -> None:
        """Move the highlighted question up or down."""
        question = self.current
        if question is not None:
            self.post_message(
                ListEdit("questions", lambda store: store.calls.move_question(question.id, offset), question.id)
            )

    def action_bank(self) -> None:
        """Pick a question from the bank for this call kind (or all of them) to add."""
        kind = self.kind
        self.post_message(ListEdit("questions", lambda store: store.calls.question_bank(kind), then=self._pick))

    def _pick(self, offered: tuple[BankQuestion, ...]) -> None:
        from salestui.modals.picker import Choice, Picker

        call_id = self.call_id
        present = {" ".join(q.text.lower().split()) for q in self.questions}
        fresh = [(i, q) for i, q in enumerate(offered, start=1) if " ".join(q.text.lower().split()) not in present]
        choices = [
            Choice(i, q.text, f"{kind_label(q.kind)} · {q.hope}" if q.hope else kind_label(q.kind)) for i, q in fresh
        ]
        if len(fresh) > 1:
            choices.insert(0, Choice(ALL, f"All {len(fresh)} questions below"))

        def picked(choice: int | None) -> None:
            chosen = [q for i, q in fresh if choice in (i, ALL)]
            if chosen:
                rows = [(q.text, q.kind, q.hope) for q in chosen]
                self.post_message(ListEdit("questions", lambda store: store.calls.add_questions(call_id, rows)[0], NEW))

        title = f"Questions for a {label(self.kind).lower()} call (enter adds · t on the list edits the bank)"
        self.app.push_screen(Picker(title, choices, empty="Every bank question is in the plan already."), picked)

    def action_template(self) -> None:
        """Edit this call kind's question bank: one question a line, ``P | question | to learn``."""
        from salestui.modals.template_editor import TemplateEditor

        kind = self.kind
        title = f"{label(kind)} question bank: S/P/I/N | question | what to learn (one a line)"

        def saved(lines: list[str] | None) -> None:
            if lines is not None:
                questions = parse_bank_lines(lines)
                custom = None if questions == bank(kind) else questions
                note = f"{label(kind)} question bank saved ({len(questions)} questions)."
                job = lambda store: store.calls.set_question_bank(kind, custom)  # noqa: E731
                self.post_message(ListEdit("questions", job, then=lambda _: self.notify(note, markup=False)))

        def edit(current: tuple[BankQuestion, ...]) -> None:
            self.app.push_screen(TemplateEditor(bank_lines(current), title, bank_lines(bank(kind))), saved)

        self.post_message(ListEdit("questions", lambda store: store.calls.question_bank(kind), then=edit))
