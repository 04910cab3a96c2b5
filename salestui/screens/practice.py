"""Practise the call: the plan as a rehearsal, one card at a time, keyboard only.

The opening, a card per coaching note (how the rep will act on it; reveal shows the part of
the plan it is about), each question, each objection (the rep answers aloud, reveals the planned
response, marks it ready or shaky), then how to ask for the stretch, the target and the
fallback. A timer runs; finishing records the run and ticks the "Practised the call" item.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Header, Static

from salestui.commands import PaletteCommand
from salestui.domain import clock
from salestui.domain.coaching import coaching_cards
from salestui.domain.models import CallPlan, PracticeRun
from salestui.domain.practice import Card, cards
from salestui.screens.base import DataScreen
from salestui.screens.incall import elapsed_text
from salestui.text import literal, multiline
from salestui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from salestui.store.core import Store

READY, SHAKY = "ready", "shaky"


class PracticeScreen(DataScreen):
    """A rehearsal of one call's plan."""

    CSS_PATH = "practice.tcss"
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("space", "reveal", "Reveal", id="practice.reveal"),
        Binding("r", "mark('ready')", "Ready", id="practice.ready"),
        Binding("s", "mark('shaky')", "Shaky", id="practice.shaky"),
        # Next, back and leave are on the keys line above the footer: at 80 columns the footer
        # keeps room for finish, help and quit.
        Binding("right,l,n", "step(1)", "Next", id="practice.next", show=False),
        Binding("left,h,b", "step(-1)", "Back", id="practice.back", show=False),
        Binding("ctrl+s,f", "finish", "Finish", id="practice.finish", priority=True),
        Binding("escape", "back", "Leave", show=False),
    ]

    elapsed: reactive[int] = reactive(0, init=False)
    """Seconds since the rehearsal started."""

    def __init__(self, call_id: int) -> None:
        super().__init__()
        self.call_id = call_id
        self.cards: tuple[Card, ...] = ()
        """The rehearsal, in order."""
        self.index = 0
        """The card shown."""
        self.marks: dict[int, str] = {}
        """Card index -> ``ready`` or ``shaky``."""
        self.revealed: set[int] = set()
        self.started_at: datetime = clock.now()
        self.finished: PracticeRun | None = None
        """The recorded run, once finished."""

    def compose(self) -> ComposeResult:
        """Progress and timer on top, the card, the keys."""
        yield Header()
        with Horizontal(id="practice-top"):
            yield Static("", id="practice-progress")
            yield Static("", id="practice-clock")
        with Vertical(id="practice-card"):
            yield Static("", id="practice-title")
            yield Static("", id="practice-prompt")
            yield Static("", id="practice-reveal")
            yield Static("", id="practice-mark")
        yield Static(
            Content("space reveal · r ready · s shaky · → next · ← back · f finish · escape leave"),
            id="practice-keys",
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        """Start the timer."""
        self.set_interval(1.0, self._tick)

    def load(self, store: Store) -> CallPlan:
        """The plan to rehearse."""
        return store.calls.plan(self.call_id)

    def show(self, plan: CallPlan) -> None:
        """Build the cards and show the first; a reload (the plan changed elsewhere) keeps the card
        shown and the clock running."""
        first = not self.cards
        # The opening first, then the coaching to act on, then the rest of the call.
        self.cards = (*cards(plan)[:1], *coaching_cards(plan), *cards(plan)[1:])
        if first:
            self.started_at = clock.now()
            self.index = 0
        else:
            self.index = max(0, min(self.index, len(self.cards) - 1))
        self.sub_title = plan.account_name
        self._show_card()
        self._tick()
        self.watch_elapsed(self.elapsed)  # the clock shows 0:00 at once, not after the first second

    def shows(self, keys: frozenset[str]) -> bool:
        """Only a change to this call's plan concerns the rehearsal."""
        return f"call:{self.call_id}" in keys

    def _tick(self) -> None:
        self.elapsed = int((clock.now() - self.started_at).total_seconds())

    def watch_elapsed(self, seconds: int) -> None:
        self.query_one("#practice-clock", Static).update(
            Content.assemble(("practising ", "dim"), elapsed_text(seconds))
        )

    @property
    def card(self) -> Card | None:
        """The card shown."""
        return self.cards[self.index] if self.cards else None

    def _show_card(self) -> None:
        card = self.card
        if card is None:
            return
        shaky = sum(1 for mark in self.marks.values() if mark == SHAKY)
        self.query_one("#practice-progress", Static).update(
            Content.assemble(("Practise the call  ", "bold $accent"), f"card {self.index + 1} of {len(self.cards)}"),
        )
        self.query_one("#practice-title", Static).update(Content.styled(card.title, "bold"))
        self.query_one("#practice-prompt", Static).update(literal(card.prompt))
        shown = self.index in self.revealed
        self.query_one("#practice-reveal", Static).update(
            Content.assemble(("→ ", "$accent"), multiline(card.reveal))
            if shown
            else Content.styled("space reveals what you planned", "dim italic")
        )
        mark = self.marks.get(self.index)
        self.query_one("#practice-mark", Static).update(
            Content.assemble(
                (f"marked {mark}" if mark else "not marked", "bold $success" if mark == READY else "bold $warning"),
                (f"   ({shaky} shaky so far)" if shaky else "", "dim"),
            )
        )
        self.query_one("#practice-card").set_class(mark == SHAKY, "-shaky")

    def action_reveal(self) -> None:
        """Show (or hide) what was planned for this card."""
        self.revealed ^= {self.index}
        self._show_card()

    def action_mark(self, mark: str) -> None:
        """Mark the card ready or shaky, and move on."""
        if self.card is None:
            return
        self.marks[self.index] = mark
        if self.index < len(self.cards) - 1:
            self.index += 1
        self._show_card()

    def action_step(self, offset: int) -> None:
        """Skip ahead or go back a card."""
        if self.cards:
            self.index = max(0, min(len(self.cards) - 1, self.index + offset))
            self._show_card()

    def action_finish(self) -> None:
        """Record the run (duration and shaky items) and go back to the plan."""
        if not self.cards or self.finished is not None:
            return
        call_id, seconds = self.call_id, self.elapsed
        shaky = [self.cards[i].item for i, mark in sorted(self.marks.items()) if mark == SHAKY]

        def done(run: PracticeRun) -> None:
            self.finished = run
            count = len(run.shaky)
            self.notify(
                f"Practice recorded ({elapsed_text(run.seconds)}, {count} shaky item{'s' if count != 1 else ''}).",
                markup=False,
            )
            if self.is_current:
                self.app.pop_screen()

        self.save(lambda store: store.calls.record_practice(call_id, seconds, shaky), done=done, description="practice")

    def palette_commands(self) -> list[PaletteCommand]:
        """What the palette offers while practising."""
        return [
            PaletteCommand("Finish practice", "Record this run and tick 'Practised the call'", "finish"),
            PaletteCommand("Reveal the planned answer", "Show what you planned for this card", "reveal"),
        ]
