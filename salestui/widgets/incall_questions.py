"""The questions to ask, in the call: q picks one, ticks it asked and takes the answer in one line."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from salestui.domain.models import Question
from salestui.domain.questions import asked_summary, kind_label
from salestui.text import literal
from salestui.widgets.fields import TextInput
from salestui.widgets.plan_questions import question_line


class QuestionAnswer(ModalScreen[str | None]):
    """The question and one line for the answer: enter ticks it asked (answer optional), escape cancels."""

    DEFAULT_CSS = """
    QuestionAnswer { align: center middle; }
    QuestionAnswer > Vertical { width: 84; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    QuestionAnswer .question { text-style: bold; }
    QuestionAnswer .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question, what the rep hoped to learn, the answer line and the keys."""
        with Vertical():
            yield Static(Content.assemble("Asked: ", literal(self.question.text)), classes="question")
            if self.question.hope.strip():
                yield Static(Content.assemble(("to learn: ", "dim"), literal(self.question.hope)), classes="hint")
            yield Label(Content("Their answer (optional, one line)"))
            yield TextInput(self.question.answer, placeholder="what they said", id="answer", max_length=2000)
            yield Static(Content("enter tick asked · escape cancel"), classes="hint")

    @on(Input.Submitted, "#answer")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without ticking."""
        self.dismiss(None)


class InCallQuestions(VerticalScroll, can_focus=False):
    """The call's questions at a glance, asked ones ticked with the answer under them."""

    DEFAULT_CSS = """
    InCallQuestions { width: 3fr; border: round $foreground 20%; border-title-color: $text-muted; padding: 0 1; scrollbar-size-vertical: 1; }
    InCallQuestions .question-row { height: auto; }
    InCallQuestions .question-row.-asked { color: $text-muted; }
    InCallQuestions .empty { color: $text-muted; }
    """

    class Asked(Message):
        """The rep ticked a question asked (or unticked it), with the answer heard (``None``: unchanged)."""

        def __init__(self, question_id: int, asked: bool, answer: str | None) -> None:
            super().__init__()
            self.question_id = question_id
            self.asked = asked
            self.answer = answer

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.questions: tuple[Question, ...] = ()
        self.border_title = "Questions (q)"

    def show(self, questions: tuple[Question, ...]) -> None:
        """Replace the list."""
        self.questions = tuple(q for q in questions if q.text.strip())
        self.border_subtitle = asked_summary(self.questions) if self.questions else ""
        self.remove_children()
        if not self.questions:
            self.mount(Static(Content("No questions planned."), classes="empty"))
            return
        self.mount_all(
            Static(question_line(q, number), classes="question-row -asked" if q.asked else "question-row")
            for number, q in enumerate(self.questions, start=1)
        )

    def ask(self) -> None:
        """Pick a question (unasked ones first) and tick it asked with its answer; an asked one is unticked."""
        from salestui.modals.picker import Choice, Picker

        if not self.questions:
            self.notify("No questions were planned for this call.", markup=False)
            return
        ordered = sorted(enumerate(self.questions, start=1), key=lambda pair: pair[1].asked)
        choices = [
            Choice(q.id, f"{number}. {q.text}", "✓ asked: enter unticks" if q.asked else kind_label(q.kind))
            for number, q in ordered
        ]

        def picked(question_id: int | None) -> None:
            question = next((q for q in self.questions if q.id == question_id), None)
            if question is None:
                return
            if question.asked:
                self._record(replace(question, asked=False), None)
                return
            self.app.push_screen(QuestionAnswer(question), lambda answer: self._answered(question, answer))

        self.app.push_screen(Picker("Which question did you ask?", choices), picked)

    def _answered(self, question: Question, answer: str | None) -> None:
        if answer is not None:
            self._record(replace(question, asked=True, answer=answer or question.answer), answer)

    def _record(self, question: Question, answer: str | None) -> None:
        self.show(tuple(question if q.id == question.id else q for q in self.questions))
        self.post_message(self.Asked(question.id, question.asked, answer or None))
