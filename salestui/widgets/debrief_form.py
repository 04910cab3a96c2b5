"""The debrief's typed fields: labels and placeholders, the follow-up date, the new-objection lines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from salestui.domain import clock
from salestui.domain.dates import Invalid, parse_date
from salestui.domain.debrief import follow_up_hint, still_open
from salestui.domain.models import Objection
from salestui.domain.outcomes import OutcomeChoice
from salestui.widgets.debrief_fields import OutcomePanel
from salestui.widgets.fields import TextEditor, TextInput

TEXT_AREAS = ("went_well", "do_differently", "lessons", "customer_feedback")
"""Multi-line debrief fields (tab moves on, enter starts a new line)."""

LABELS = {
    "went_well": "Went well",
    "do_differently": "Do differently",
    "lessons": "Lessons (next call)",
    "customer_feedback": "Customer feedback",
    "next_step": "Next step",
    "follow_up": "Follow-up date",
    "rating": "Self-rating",
}
PLACEHOLDERS = {
    "went_well": "what worked (tab: next field)",
    "do_differently": "what you would change next time",
    "lessons": "what the next call with this account must remember",
    "customer_feedback": "what the customer said about us, the offer, the call",
}


def today() -> date:
    """Today on the domain clock, in local time."""
    return clock.local(clock.now()).date()


def row(title: str, *widgets: Widget, id: str | None = None) -> Horizontal:
    """A labelled form row."""
    return Horizontal(Label(title, classes="field-label"), *widgets, classes="row", id=id)


def text_row(name: str) -> Horizontal:
    """A multi-line field with its label."""
    return row(LABELS[name], TextEditor(id=name, compact=True, placeholder=PLACEHOLDERS[name]))


class _FollowUpValidator(Validator):
    """A follow-up is empty, or a date today or later (an old date already saved may stay)."""

    def __init__(self, field: FollowUpInput) -> None:
        super().__init__()
        self._field = field

    def validate(self, value: str) -> ValidationResult:
        """Check with the same parser as every other date field."""
        parsed = self._field.parse(value)
        return self.failure(parsed.message) if isinstance(parsed, Invalid) else self.success()


class FollowUpInput(TextInput):
    """``+7d``, ``fri``, ``2026-12-01``: today or later, or the date already saved."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(placeholder="+7d, fri, 2026-12-01", valid_empty=True, **kwargs)
        self.validators = [_FollowUpValidator(self)]
        self.stored: date | None = None
        """The follow-up as saved (a past one may stay as it is)."""

    def parse(self, text: str) -> date | None | Invalid:
        """``text`` as a follow-up: a date, ``None`` when empty, or why it is not one."""
        if not text.strip():
            return None
        parsed = parse_date(text, today())
        if isinstance(parsed, Invalid):
            return parsed
        if parsed < today() and parsed != self.stored:
            return Invalid("That date has passed: pick today or later (e.g. +7d).")
        return parsed

    def parsed(self) -> date | None | Invalid:
        """The follow-up typed now."""
        return self.parse(self.value)


class NewObjection(Vertical):
    """An objection that came up unplanned, and the response that worked; enter adds it."""

    DEFAULT_CSS = "NewObjection { height: auto; }"

    class Added(Message):
        """The rep added an objection that came up."""

        def __init__(self, text: str, response: str) -> None:
            super().__init__()
            self.text = text
            self.response = response

    def compose(self) -> ComposeResult:
        """Two lines: the objection, the response."""
        yield row(
            "Came up, unplanned",
            TextInput(placeholder="a new objection (enter adds it)", id="new_objection", compact=True),
        )
        yield row(
            "Response that worked", TextInput(placeholder="optional (enter adds)", id="new_response", compact=True)
        )

    def _inputs(self) -> Iterator[Input]:
        yield self.query_one("#new_objection", Input)
        yield self.query_one("#new_response", Input)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text_input, response_input = self._inputs()
        text = text_input.value.strip()
        if text:
            self.post_message(self.Added(text, response_input.value.strip()))
            text_input.value = response_input.value = ""
        else:
            self.notify("Type the objection first.", severity="warning")
        text_input.focus()


class HintLine(Static):
    """A line under a field that says what it means; re-drawn only when its words change."""

    DEFAULT_CSS = "HintLine { height: auto; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self._key = ""

    def put(self, content: Content, show: bool = True) -> None:
        """Show ``content`` (updating a Static re-lays the form out: skipped when nothing changed)."""
        key = content.plain + repr(content.spans)
        if key != self._key:
            self._key = key
            self.update(content)
        self.display = show


def objections_title(objections: tuple[Objection, ...]) -> Content:
    """The objections heading: how many stay open, or the keys."""
    title = Content.styled("Objections", "bold")
    if open_count := still_open(objections):
        return title + Content.styled(f"  {open_count} still open: carried over to the next call", "$warning")
    if objections:
        return title + Content.styled("  r raised · w handled well · b handled badly · 0 not raised", "$text-muted")
    return title


def follow_up_content(parsed: date | None | Invalid) -> Content:
    """The words beside the follow-up date, coloured by what they say."""
    style = "$error" if isinstance(parsed, Invalid) else "$text-muted" if parsed is None else "$success"
    return Content.styled(follow_up_hint(parsed), style)


def finish_content(hint: str) -> Content:
    """The line above the footer: what ctrl+s does now."""
    return Content.assemble(("ctrl+s Done", "bold $accent"), (f"  {hint}", "$text-muted"))


class OutcomeSection(Vertical):
    """The outcome picker and, for an unplanned advance, what the customer committed to.

    Posts ``Chosen`` for every pick worth saving and ``Done`` when the rep moves on.
    """

    DEFAULT_CSS = "OutcomeSection { height: auto; }"

    class Chosen(Message):
        """The rep picked ``choice`` (with ``text`` for an unplanned advance)."""

        def __init__(self, choice: OutcomeChoice, text: str) -> None:
            super().__init__()
            self.choice = choice
            self.text = text

    class Done(Message):
        """The outcome is settled: on to the next field."""

    def compose(self) -> ComposeResult:
        """The seven choices, then the hidden unplanned line."""
        yield OutcomePanel(id="outcome")
        unplanned = TextInput(placeholder="what the customer will do, who, when", id="unplanned", compact=True)
        yield row("They committed to", unplanned, id="unplanned-row")

    def on_mount(self) -> None:
        """The unplanned line shows only for an unplanned advance."""
        self.query_one("#unplanned-row").display = False
        panel = self.panel
        panel.border_title = "Outcome"
        panel.border_subtitle = "enter confirms · 1-7 changes · y/p/n achieved?"

    @property
    def panel(self) -> OutcomePanel:
        """The seven choices."""
        return self.query_one(OutcomePanel)

    @property
    def unplanned_input(self) -> Input:
        """What the customer committed to."""
        return self.query_one("#unplanned", Input)

    def show(self, choice: OutcomeChoice | None) -> None:
        """Show or hide the unplanned line for ``choice``."""
        self.query_one("#unplanned-row").display = choice is OutcomeChoice.UNPLANNED

    def enter(self) -> bool:
        """Enter: on the choices it confirms the highlighted one; on the unplanned line it moves on.

        Returns whether the rep moves on now: the caller moves the focus at once, before the next
        key is dispatched (a message would arrive after it).
        """
        if self.screen.focused is self.unplanned_input:
            return True
        return self.choose(self.panel.select())

    def choose(self, choice: OutcomeChoice | None) -> bool:
        """A choice confirmed by key (the same one again just moves on); returns whether to move on."""
        if choice is None:
            return False
        if choice is self.panel.choice and choice is not OutcomeChoice.UNPLANNED:
            return True
        return self._picked(choice, confirm=True)

    @on(OutcomePanel.Picked)
    def _outcome_picked(self, event: OutcomePanel.Picked) -> None:
        event.stop()
        if self._picked(event.choice, event.confirm):
            self.post_message(self.Done())

    def _picked(self, choice: OutcomeChoice, confirm: bool) -> bool:
        self.show(choice)
        self.panel.choice = choice
        if choice is OutcomeChoice.UNPLANNED:
            if text := self.unplanned_input.value.strip():
                self.post_message(self.Chosen(choice, text))
            self.screen.set_focus(self.unplanned_input)
            return False
        self.post_message(self.Chosen(choice, ""))
        return confirm

    @on(OutcomePanel.Confirmed)
    def _confirmed(self, event: OutcomePanel.Confirmed) -> None:
        event.stop()
        self.post_message(self.Done())

    @on(Input.Changed, "#unplanned")
    def _unplanned_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if self.panel.choice is OutcomeChoice.UNPLANNED and text:
            self.panel.unplanned_text = text
            self.panel.refresh()
            self.post_message(self.Chosen(OutcomeChoice.UNPLANNED, text))
