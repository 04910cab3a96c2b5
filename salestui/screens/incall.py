"""In the call: pick the advance, mark objections raised, type notes, end and debrief.

Keys: 1 2 3 secure a ladder rung, c continuation only, u an unplanned advance, the letter
beside an objection marks it raised, q ticks a question asked (with its answer), n opens the note line (enter adds the note and gives the
keys back, escape leaves it), ctrl+e or F10 ends the call from anywhere.

Another rep's call (on a team database) opens read only, "alice's — read only": it is shown as
stored, never started, and none of the keys above are offered (escape leaves without asking).

Every confirmed key is written at once through the store's serial writer, so the writes run
strictly in the order the keys were pressed: pressing 3 after 2 always leaves 3 as the final choice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, on
from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.widgets import Input, Label, Static

from salestui.commands import PaletteCommand
from salestui.domain import clock
from salestui.domain.enums import AdvanceLevel, label
from salestui.domain.models import CallNote, CallPlan
from salestui.modals.confirm import Confirm
from salestui.screens.base import DataScreen
from salestui.store.changes import Op
from salestui.text import literal
from salestui.widgets.fields import TextInput
from salestui.widgets.footer import KeysFooter
from salestui.widgets.incall_ladder import CONTINUATION, InCallLadder
from salestui.widgets.incall_notes import NoteLog
from salestui.widgets.incall_objections import OBJECTION_KEYS, RaisedObjections
from salestui.widgets.incall_questions import InCallQuestions
from salestui.widgets.incall_unplanned import UnplannedAdvance
from salestui.widgets.read_only import lock, marker

if TYPE_CHECKING:
    from salestui.store.core import Store

T = TypeVar("T")

CALL_ACTIONS = frozenset({"end_call", "note", "ask", "secure", "continuation", "unplanned", "toggle_objection"})
"""The keys that record the call: off on another rep's call (``read_only``)."""

ADVANCE_GROUP = Binding.Group("Advance", compact=False)
RAISED_GROUP = Binding.Group("Raised", compact=False)


def elapsed_text(seconds: int) -> str:
    """``4:05`` or ``1:02:03``."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class InCallScreen(DataScreen):
    """A calm screen for the call itself."""

    CSS_PATH = "incall.tcss"
    AUTO_FOCUS = ""  # the keys act on the call; the note line takes them only after n

    # The ladder and objection keys are printed on the screen beside what they pick, so the
    # footer keeps to the keys that are not: the note line, ending and leaving.
    BINDINGS = [
        Binding("ctrl+e,f10", "end_call", "End call", id="incall.end", priority=True),
        Binding("n", "note", "Note", id="incall.note"),
        Binding("q", "ask", "Question asked", id="incall.ask"),
        Binding("1", "secure('stretch')", "Stretch", id="incall.stretch", group=ADVANCE_GROUP, show=False),
        Binding("2", "secure('target')", "Target", id="incall.target", group=ADVANCE_GROUP, show=False),
        Binding("3", "secure('fallback')", "Fallback", id="incall.fallback", group=ADVANCE_GROUP, show=False),
        Binding("c", "continuation", "Continuation", id="incall.continuation", show=False),
        Binding("u", "unplanned", "Unplanned", id="incall.unplanned", show=False),
        *(
            Binding(key, f"toggle_objection({index})", f"Objection {key} raised", group=RAISED_GROUP, show=False)
            for index, key in enumerate(OBJECTION_KEYS)
        ),
        Binding("escape", "back", "Leave"),
    ]

    EDITS = True

    elapsed: reactive[int] = reactive(0, init=False)
    """Seconds since the call started (from the domain clock, so screenshots are stable)."""

    def __init__(self, call_id: int) -> None:
        super().__init__()
        self.call_id = call_id
        self.plan: CallPlan | None = None
        """The call as loaded when the screen opened."""
        self.started_at: datetime | None = None
        self._ended_at: datetime | None = None
        """When another rep's call ended (read only): its length is shown, not a running clock."""
        self._ran: tuple[float, float] | None = None
        """Seconds the call had run at load and ``monotonic()`` then: its length when it ends."""
        self._ending = False
        self._facts_sent = 0
        """Keys sent that record how the call went (the ladder shows "not stored yet" until the last is)."""
        self._choice_key = f"call:{call_id}.choice"
        """The last pick of how the call went replaces one still waiting: the last pick is final."""
        self._opened_at = get_time()
        """Keys typed before this (meant for the picker or screen before) never act here."""

    def compose(self) -> ComposeResult:
        """Who and how long at the top, then the ladder, the objections and the notes."""
        with Horizontal(id="topbar"):
            yield Static(Content("In the call"), id="who")
            yield Static(Content("elapsed 0:00"), id="clock")
        yield Static(Content("Starting the call…"), id="objective")
        yield Static("", id="goal")
        yield Static("", id="coaching")
        yield InCallLadder(id="ladder")
        with Horizontal(id="middle"):
            yield RaisedObjections(id="objections")
            yield InCallQuestions(id="questions")
            yield NoteLog(id="notes")
        with Horizontal(id="note-bar"):
            yield Label(Content.assemble((" n ", "reverse"), " note "), id="note-label")
            yield TextInput(
                placeholder="press n, type, enter", id="note", compact=True, max_length=2000, select_on_focus=False
            )
        yield KeysFooter()

    # -- typed children ----------------------------------------------------------------------
    @property
    def ladder(self) -> InCallLadder:
        """Stretch, target, fallback, continuation, unplanned."""
        return self.query_one(InCallLadder)

    @property
    def objections(self) -> RaisedObjections:
        """The planned objections."""
        return self.query_one(RaisedObjections)

    @property
    def questions(self) -> InCallQuestions:
        """The questions to ask, ticked as asked."""
        return self.query_one(InCallQuestions)

    @property
    def notes(self) -> NoteLog:
        """Notes typed so far."""
        return self.query_one(NoteLog)

    @property
    def note_input(self) -> Input:
        """The one-line note."""
        return self.query_one("#note", Input)

    def shows(self, keys: frozenset[str]) -> bool:
        """This call."""
        return f"call:{self.call_id}" in keys

    # -- loading -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        """Start the call and the clock."""
        self.set_interval(1.0, self._tick)

    def on_resize(self) -> None:
        """Less air on short terminals (80x24) so the objections and notes keep their room."""
        self.set_class(self.size.height < 32, "-narrow")

    def load(self, store: Store) -> CallPlan:
        """Start (or resume) the call and read it (through the writer, after any key still saving).

        Another rep's call is only read: never started, nothing written.
        """
        from salestui.store.scope import is_mine

        plan = store.calls.plan(self.call_id)
        if self.read_only or plan.started_at is not None or not is_mine(store, plan.owner):
            return plan  # already running (resumed), or only looked at
        return store.calls.start(self.call_id)

    def show(self, plan: CallPlan) -> None:
        """Who, the objective, the ladder, the objections and the notes."""
        self.plan = plan
        self._ending = False  # a failed end reloads the call: ending may be tried again
        self.read_only_unless_mine(plan.owner)
        self.started_at = plan.started_at
        self._ended_at = plan.ended_at if self.read_only else None
        # Length so far on the wall clock at load, then a monotonic clock: a clock set back mid-call
        # must not end it before it started.
        self._ran = (
            (max(0.0, (clock.now() - plan.started_at).total_seconds()), monotonic()) if plan.started_at else None
        )
        # Kind first: at 80 columns a long account name is cut with …, never the kind.
        self.query_one("#who", Static).update(
            Content.assemble(
                ("● ", "bold"),
                (label(plan.kind), "bold"),
                " · ",
                literal(plan.account_name or "—", limit=200),
                *(("   ", marker(plan.owner).stylize("$warning")) if self.read_only else ()),
            )
        )
        self.query_one("#objective", Static).update(
            Content.assemble(("Objective  ", "bold"), literal(plan.objective or "no objective written"))
        )
        self.query_one("#goal", Static).update(
            Content.assemble(("Goal       ", "bold"), literal(plan.goal or "no goal written"))
        )
        self._show_coaching(plan)
        self.ladder.read_only = self.notes.read_only = self.read_only
        self.ladder.show_plan(plan)
        self.objections.show(plan.objections)
        self.questions.show(plan.questions)
        self.notes.show(plan.notes)
        if self.read_only:
            self._lock()  # rows shown since the last load too
        self.refresh_bindings()
        self._tick()

    def _show_coaching(self, plan: CallPlan) -> None:
        """The coaching notes under the objective, open ones first, one line each (hidden if none)."""
        from salestui.domain.coaching import part_label, sorted_by_part

        shown = self.query_one("#coaching", Static)
        short = self.size.height < 32  # 80x24: only what is still open, the ladder keeps its room
        notes = [n for n in sorted_by_part(plan.coaching, plan) if not (short and n.done)][: 2 if short else 3]
        shown.display = bool(notes)
        shown.styles.padding = (0, 1)
        shown.styles.text_wrap = "nowrap"  # one line a note, cut with …
        shown.styles.text_overflow = "ellipsis"
        shown.update(
            Content("\n").join(
                Content.assemble(
                    ("Coaching   " if number == 0 else "           ", "bold"),
                    ("✔ " if note.done else "☐ ", "$success" if note.done else "$warning"),
                    (literal(part_label(note, plan), limit=60).plain + ": ", "bold" if not note.done else "dim"),
                    literal(" ".join(note.text.split())).stylize("dim" if note.done else ""),
                )
                for number, note in enumerate(notes)
            )
        )

    def _lock(self) -> None:
        """Another rep's call: no note line, every list move-only (``widgets.read_only.lock``)."""
        self.query_one("#note-bar").display = False
        lock(self)
        self.refresh_bindings()

    def _tick(self) -> None:
        if self.read_only and self.started_at is None:
            self.query_one("#clock", Static).update(Content.styled("not started", "dim"))
        elif self._ended_at is not None and self.started_at is not None:
            took = int((self._ended_at - self.started_at).total_seconds())
            self.query_one("#clock", Static).update(Content.assemble(("took ", "dim"), elapsed_text(took)))
        elif self.started_at is not None:
            self.elapsed = int((clock.now() - self.started_at).total_seconds())

    def watch_elapsed(self, seconds: int) -> None:
        self.query_one("#clock", Static).update(Content.assemble(("elapsed ", "dim"), elapsed_text(seconds)))

    # -- writing -----------------------------------------------------------------------------
    def _write(self, change: Op, done: Callable[[Any], None] | None = None, fact: bool = False) -> None:
        """Persist one confirmed action now, after the ones before it (a failure reloads the call).

        ``fact``: a key that records how the call went (a rung, continuation, unplanned): the
        ladder says "not stored yet" until the database has it.
        """
        serial = self._facts_sent = self._facts_sent + (1 if fact else 0)
        if fact:
            self.ladder.pending = True

        def stored(result: Any) -> None:
            # Saves run in order and a newer pick replaces one still waiting: the answer to the
            # last pick sent means every pick is stored.
            if serial == self._facts_sent:
                self.ladder.pending = False
            if done is not None:
                done(result)

        def refused(_: BaseException) -> None:
            if serial == self._facts_sent:
                self.ladder.pending = False  # the toast says why; the reload shows what is stored

        self.save(change, key=change.key, done=stored, failed=refused, description="in-call key")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Objection keys exist only for the objections there are; on another rep's call, only leaving."""
        if self.read_only and action in CALL_ACTIONS:
            return False
        if action == "toggle_objection":
            index = parameters[0]
            return isinstance(index, int) and index < len(self.plan.objections if self.plan else ())
        return True

    # -- the ladder --------------------------------------------------------------------------
    def action_secure(self, level: str) -> None:
        """Secure a ladder rung (changing one's mind is fine: the last pick is final)."""
        if self.plan is None or self.refused_here():
            return
        rung = AdvanceLevel(level)
        if not self.ladder.is_planned(rung):
            self.notify(
                f"No {rung.value} advance was planned for this call. Press u to type what the customer committed to.",
                title="Not planned",
                severity="warning",
            )
            return
        self.ladder.choice = rung.value
        self._write(Op("calls.secure", (self.call_id, rung), key=self._choice_key), fact=True)

    def action_continuation(self) -> None:
        """The call ended with no advance."""
        if self.plan is None or self.refused_here():
            return
        self.ladder.choice = CONTINUATION
        self._write(Op("calls.secure", (self.call_id, None), key=self._choice_key), fact=True)

    def action_unplanned(self) -> None:
        """Type an advance the customer offered that was not on the ladder."""
        if self.plan is None or self.refused_here():
            return

        def record(text: str | None) -> None:
            if not text:
                return
            self.ladder.unplanned_text = text
            self.ladder.choice = AdvanceLevel.UNPLANNED.value
            self._write(Op("calls.secure_unplanned", (self.call_id, text), key=self._choice_key), fact=True)

        self.app.push_screen(UnplannedAdvance(), record)

    @on(InCallLadder.Picked)
    def _picked(self, event: InCallLadder.Picked) -> None:
        if event.choice == CONTINUATION:
            self.action_continuation()
        elif event.choice == AdvanceLevel.UNPLANNED.value:
            self.action_unplanned()
        else:
            self.action_secure(event.choice)

    # -- objections --------------------------------------------------------------------------
    def action_toggle_objection(self, index: int) -> None:
        """Mark the objection raised (or not)."""
        if self.refused_here():
            return
        row = self.objections.toggle(index)
        if row is None:
            return
        objection_id, raised = row.objection_id, row.raised
        self._write(Op("calls.set_raised", (objection_id, raised)))

    # -- questions ---------------------------------------------------------------------------
    def action_ask(self) -> None:
        """Tick a question asked and type the answer heard."""
        self.questions.ask()

    @on(InCallQuestions.Asked)
    def _asked(self, event: InCallQuestions.Asked) -> None:
        if self.refused_here():
            return
        question_id, asked, answer = event.question_id, event.asked, event.answer
        self._write(Op("calls.set_asked", (question_id, asked, answer)))

    # -- notes -------------------------------------------------------------------------------
    def action_note(self) -> None:
        """Type a note."""
        self.set_focus(self.note_input)

    def on_key(self, event: events.Key) -> None:  # type: ignore[override]
        """Open the note line before the next key is handled, so fast typing after n is not lost.

        The n binding runs only once the key has bubbled up to the app, by which time the
        letters typed right after it have already gone past the screen. A key typed before this
        screen was opened (the tail of a name typed into the picker) is dropped: it was not meant
        for the call, and "n" would open the note line for the rest.
        """
        if event.time < self._opened_at:
            event.stop()
            event.prevent_default()
            return
        if event.key == "n" and self.focused is None and self.check_action("note", ()):
            event.stop()
            event.prevent_default()
            self.action_note()
        elif self.focused is self.note_input and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.note_input.insert_text_at_cursor(event.character)
        else:
            super().on_key(event)

    @on(Input.Submitted, "#note")
    def _submit_note(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        # Keys typed after enter but before this ran stay in the line rather than vanish.
        current = self.note_input.value
        leftover = current[len(event.value) :] if current.startswith(event.value) else ""
        self.note_input.value = leftover
        if not leftover:
            self.set_focus(None)
        if text:
            self._add_note(text)

    def _add_note(self, text: str) -> None:
        if self.refused_here():
            return

        def added(note: CallNote) -> None:
            if self.is_open:
                self.notes.add(note)

        self._write(Op("calls.add_note", (self.call_id, text)), added)

    # -- leaving -----------------------------------------------------------------------------
    def action_end_call(self) -> None:
        """End the call (keeping a note still being typed) and go straight to the debrief."""
        if self.plan is None or self._ending or self.refused_here():
            return
        self._ending = True
        self._keep_note_line()
        seconds = self._ran[0] + monotonic() - self._ran[1] if self._ran else None
        self._write(Op("calls.end", (self.call_id, seconds)), self._ended)

    def _ended(self, _: None) -> None:
        if self.is_current:
            self.app.pop_screen()
        self.sales_app.open_debrief(self.call_id)

    def can_leave(self, leave: Callable[[], None]) -> None:
        """Ask before leaving a running call; a note still in the line is saved as a note.

        Another rep's call was only looked at: leaving asks nothing."""
        if self.read_only:
            leave()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._keep_note_line()
                leave()

        status = self.sales_app.save_status
        in_flight = self.store.writer.pending() if self.store is not None else 0
        if status.problem is not None:
            waiting = status.waiting
            saved = (
                f"{waiting} change{'s are' if waiting != 1 else ' is'} not stored yet: retried, and kept if you quit"
            )
        elif in_flight or self.ladder.pending:
            saved = "Your last keys are not stored yet: they are being saved, and kept if you quit"
        else:
            saved = "Everything so far is saved"
        self.app.push_screen(
            Confirm(
                Content(f"Leave without ending the call? {saved}; start the call again to come back."),
                yes="Leave",
            ),
            answered,
        )

    def _keep_note_line(self) -> None:
        """A note typed but not sent is saved as a note (leaving or ending never drops it)."""
        pending = self.note_input.value.strip()
        if pending and not self.read_only:
            self.note_input.clear()
            self._add_note(pending)

    def before_quit(self) -> None:
        """The app is quitting (ctrl+q): a note still in the line is saved before the writer is flushed."""
        with contextlib.suppress(NoMatches):
            self._keep_note_line()

    def on_unmount(self) -> None:
        """However the screen closes, the note line is not lost."""
        if self.store is not None and not self.store.writer.closed:
            self.before_quit()

    def palette_commands(self) -> list[PaletteCommand]:
        """What the palette offers during a call (on another rep's call: nothing of the call's)."""
        if self.read_only:
            return []
        return [
            PaletteCommand("Secure stretch", "Record the stretch advance as secured", "secure('stretch')"),
            PaletteCommand("Secure target", "Record the target advance as secured", "secure('target')"),
            PaletteCommand("Secure fallback", "Record the fallback advance as secured", "secure('fallback')"),
            PaletteCommand("Continuation only", "The call ended with no advance", "continuation"),
            PaletteCommand("Unplanned advance…", "Type what the customer committed to", "unplanned"),
            PaletteCommand("Question asked…", "Tick a planned question asked and note the answer", "ask"),
            PaletteCommand("End call and debrief", "End the call and open its debrief", "end_call"),
        ]
