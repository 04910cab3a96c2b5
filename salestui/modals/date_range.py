"""Ask for a date range (from, to): the review's custom period."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from salestui.domain.clock import now
from salestui.domain.dates import Invalid, parse_date
from salestui.widgets.fields import TextInput


class DateRange(ModalScreen[tuple[date | None, date | None] | None]):
    """Two dates, either may stay empty (open ended); enter applies, escape cancels."""

    DEFAULT_CSS = """
    DateRange { align: center middle; }
    DateRange > Vertical { width: 60; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    DateRange Label { margin: 1 0 0 0; }
    DateRange #range-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: date | None = None, end: date | None = None) -> None:
        super().__init__()
        self._start = start
        self._end = end

    def compose(self) -> ComposeResult:
        """From, to, and an inline error line."""
        with Vertical():
            yield Label(Content.styled("Calls between two dates", "bold"))
            yield Label("From (empty = since the first call)")
            yield TextInput(
                self._start.isoformat() if self._start else "", placeholder="2026-01-01, -30d, -2w…", id="from"
            )
            yield Label("To (empty = up to today)")
            yield TextInput(self._end.isoformat() if self._end else "", placeholder="2026-03-31, today…", id="to")
            yield Static("", id="range-error")

    def _parse(self, text: str) -> date | None | Invalid:
        if not text.strip():
            return None
        return parse_date(text, now().astimezone().date())

    @on(Input.Submitted)
    def _apply(self) -> None:
        start = self._parse(self.query_one("#from", Input).value)
        end = self._parse(self.query_one("#to", Input).value)
        error = self.query_one("#range-error", Static)
        for value in (start, end):
            if isinstance(value, Invalid):
                error.update(Content(value.message))
                return
        assert not isinstance(start, Invalid) and not isinstance(end, Invalid)
        if start and end and end < start:
            error.update(Content("The end comes before the start."))
            return
        self.dismiss((start, end))

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)
