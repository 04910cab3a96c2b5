"""The advance ladder: stretch, target and fallback, each a customer action, owner and due date."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Static

from salestui import format as fmt
from salestui.domain.clock import local, now
from salestui.domain.continuation import continuation_warning
from salestui.domain.dates import Invalid, parse_date
from salestui.domain.enums import LADDER, AdvanceLevel, label
from salestui.domain.models import Advance
from salestui.widgets.fields import TextInput

RUNG_HELP: dict[AdvanceLevel, str] = {
    AdvanceLevel.STRETCH: "the most they could commit to if the call goes very well",
    AdvanceLevel.TARGET: "the advance you are really going for",
    AdvanceLevel.FALLBACK: "the least you accept to leave with a reason to come back",
}

ACTION_PLACEHOLDER: dict[AdvanceLevel, str] = {
    AdvanceLevel.STRETCH: "e.g. Signs the order form for phase one",
    AdvanceLevel.TARGET: "e.g. CFO joins a pricing review on the 14th",
    AdvanceLevel.FALLBACK: "e.g. Agrees to a 20-minute call with their technical lead",
}


class AdvanceRung(Vertical):
    """One rung: what the customer commits to, who owns it, and by when."""

    class Changed(Message):
        """The rung was edited into a savable state that differs from what it showed."""

        def __init__(self, rung: AdvanceRung, advance: Advance) -> None:
            super().__init__()
            self.rung = rung
            self.level = rung.level
            self.advance = advance
            """The rung as typed (the due date, if any, is valid)."""

    def __init__(self, level: AdvanceLevel) -> None:
        super().__init__(id=f"rung-{level.value}", classes="rung")
        self.level = level
        self.advance: Advance | None = None
        """The advance as stored or last typed."""

    def compose(self) -> ComposeResult:
        """Title, action, owner and due date, and a hint line."""
        yield Label(
            Content.assemble((label(self.level), "bold"), (f" — {RUNG_HELP[self.level]}", "$text-muted")),
            classes="rung-title",
        )
        with Horizontal(classes="field"):
            yield Label("Customer", classes="field-label")
            yield TextInput(
                placeholder=ACTION_PLACEHOLDER[self.level],
                id=f"{self.level.value}-action",
                classes="action",
                compact=True,
            )
        with Horizontal(classes="field"):
            yield Label("Owner", classes="field-label")
            yield TextInput(
                placeholder="who on their side", id=f"{self.level.value}-owner", classes="owner", compact=True
            )
            yield Label("Due", classes="due-label")
            yield TextInput(placeholder="optional: fri, +7d", id=f"{self.level.value}-due", classes="due", compact=True)
        yield Static("", classes="rung-hint")

    @property
    def action_input(self) -> Input:
        """The customer action."""
        return self.query_one(".action", Input)

    @property
    def owner_input(self) -> Input:
        """The owner."""
        return self.query_one(".owner", Input)

    @property
    def due_input(self) -> Input:
        """The optional due date."""
        return self.query_one(".due", Input)

    @property
    def hint(self) -> Static:
        """The warning / due-date line."""
        return self.query_one(".rung-hint", Static)

    def show(self, advance: Advance | None) -> None:
        """Fill the inputs from the stored advance without posting changes."""
        self.advance = advance
        with self.prevent(Input.Changed):
            self.action_input.value = advance.action if advance else ""
            self.owner_input.value = advance.owner if advance else ""
            self.due_input.value = advance.due.isoformat() if advance and advance.due else ""
        self._refresh_hint()

    def parsed_due(self) -> date | None | Invalid:
        """The due date typed, ``None`` when empty, or why it is not a date."""
        text = self.due_input.value.strip()
        if not text:
            return None
        return parse_date(text, local(now()).date())

    def _refresh_hint(self) -> None:
        parts: list[Content] = []
        warning = continuation_warning(self.action_input.value)
        if warning:
            parts.append(Content.styled(f"⚠ {warning}", "$text-warning"))
        due = self.parsed_due()
        if isinstance(due, Invalid):
            parts.append(Content.styled(f"✗ Due: {due.message}", "$text-error"))
        elif due is not None:
            parts.append(Content.styled(f"Due {fmt.day(due)} ({due.strftime('%a')})", "$text-muted"))
        self.hint.update(Content("\n").join(parts))
        self.hint.display = bool(parts)
        self.set_class(warning is not None, "-continuation")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refresh_hint()
        due = self.parsed_due()
        if isinstance(due, Invalid):
            return
        action, owner, old = self.action_input.value, self.owner_input.value, self.advance
        if old is not None and (old.action, old.owner, old.due) == (action, owner, due):
            return
        if old is None and not (action.strip() or owner.strip() or due):
            return
        self.advance = Advance(
            id=old.id if old else 0,
            level=self.level,
            action=action,
            owner=owner,
            due=due,
            secured=bool(old and old.secured),
        )
        self.post_message(self.Changed(self, self.advance))


ADVANCE_VS_CONTINUATION = (
    "An advance is a customer commitment that moves the sale (a meeting with the decision maker, "
    "a pilot, data shared, a signature); “send info” or “keep in touch” is a continuation."
)


class AdvanceLadder(Vertical):
    """Stretch, target and fallback rungs, under the line that tells an advance from a continuation."""

    def compose(self) -> ComposeResult:
        """The advance/continuation line, then one rung per level."""
        yield Static(Content(ADVANCE_VS_CONTINUATION), classes="keys")
        for level in LADDER:
            yield AdvanceRung(level)

    def rung(self, level: AdvanceLevel) -> AdvanceRung:
        """The rung of ``level``."""
        return self.query_one(f"#rung-{level.value}", AdvanceRung)
