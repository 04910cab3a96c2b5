"""Debrief: the honest evaluation right after a call, saved as typed, feeding the next call.

Fast path, keyboard only: the outcome is prefilled (enter confirms, 1-7 changes), then went well,
do differently and lessons (tab between them), next step and follow-up date ("+7d"), ctrl+s.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.validation import ValidationResult, Validator
from textual.widgets import Footer, Header, Input, Label, Static, TextArea

from salestui import format as fmt
from salestui.commands import PaletteCommand
from salestui.domain import clock
from salestui.domain.carryover import carry_over, follow_up_at
from salestui.domain.continuation import continuation_warning
from salestui.domain.dates import Invalid, parse_date
from salestui.domain.enums import AdvanceLevel, Handling, label
from salestui.domain.models import CallPlan, Debrief, Objection
from salestui.domain.outcomes import OutcomeChoice, choice_of, level_of, outcome_of
from salestui.modals.debrief_done import DebriefDone, NextStop
from salestui.screens.base import DataScreen
from salestui.text import clean, multiline
from salestui.widgets.debrief_fields import DebriefObjectionRow, OutcomePanel, RatingField
from salestui.widgets.fields import TextEditor, TextInput

if TYPE_CHECKING:
    from salestui.store.core import Store
    from salestui.store.debriefs import Finished

TEXT_AREAS = ("went_well", "do_differently", "lessons", "customer_feedback")
"""Multi-line debrief fields (tab moves on, enter starts a new line)."""
TEXT_LABELS = {
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
_FORGET = object()  # a known value no widget can hold: the next load replaces the field


def _today() -> date:
    return clock.local(clock.now()).date()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class _FollowUpValidator(Validator):
    """A follow-up is empty, or a date today or later (an old date already saved may stay)."""

    def __init__(self, screen: DebriefScreen) -> None:
        super().__init__()
        self._screen = screen

    def validate(self, value: str) -> ValidationResult:
        """Check with the same parser as every other date field."""
        parsed = self._screen.parse_follow_up(value)
        if isinstance(parsed, Invalid):
            return self.failure(parsed.message)
        return self.success()


class _Serial:
    """Runs saves one at a time and drops a save overtaken by a newer one of the same kind.

    Saves run in worker threads; without this, two quick edits could commit out of order,
    or reuse one optimistic version and refuse each other.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._issued: dict[str, int] = {}
        self._ran: dict[str, int] = {}

    def ticket(self, kind: str) -> int:
        """A number for a new save of ``kind`` (UI thread)."""
        self._issued[kind] = self._issued.get(kind, 0) + 1
        return self._issued[kind]

    def is_latest(self, kind: str, ticket: int) -> bool:
        """No newer save of ``kind`` was asked for (UI thread)."""
        return self._issued.get(kind, 0) == ticket

    def claim(self, kind: str, ticket: int) -> bool:
        """Under the lock: may this save run, or has a newer one already?"""
        if self._ran.get(kind, 0) > ticket:
            return False
        self._ran[kind] = ticket
        return True


class DebriefScreen(DataScreen):
    """Evaluate one call: outcome, what went well and what to change, objections, next step."""

    CSS_PATH = "debrief.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # notes beside the form from 110 columns

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "finish", "Done", id="debrief.finish", priority=True),
        Binding("f2", "focus_outcome", "Outcome", id="debrief.outcome", show=False),
        Binding("f3", "focus_new_objection", "Add objection", id="debrief.add_objection", show=False),
        # Keys that move focus are handled before the next key is dispatched (priority), so
        # fast typing right after tab or enter lands in the field it was meant for.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
        Binding("enter", "enter", "Confirm", priority=True),
        Binding("1", "outcome_key(1)", "Change outcome", key_display="1-7", priority=True),
        *(Binding(str(n), f"outcome_key({n})", show=False, priority=True) for n in range(2, 8)),
    ]

    def __init__(self, call_id: int) -> None:
        super().__init__()
        self.call_id = call_id
        """The call being debriefed."""
        self._plan: CallPlan | None = None
        self._serial = _Serial()
        self._debrief_version: int | None = None
        self._call_version: int | None = None
        self._known: dict[str, Any] = {}
        self._dirty: dict[str, Any] = {}
        self._outcome_pending = False
        self._shown: dict[str, str] = {}

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Outcome, the evaluation fields, objections; the in-call notes beside them."""
        yield Header()
        with Horizontal(id="titlebar"):
            yield Static("Loading the call…", id="heading")
            yield Static("", id="changed")
        with VerticalScroll(id="body", can_focus=False), Horizontal(id="columns"):
            with Vertical(id="form"):
                yield OutcomePanel(id="outcome")
                with Horizontal(classes="row", id="unplanned-row"):
                    yield Label("They committed to", classes="field-label")
                    yield TextInput(placeholder="what the customer will do, who, when", id="unplanned", compact=True)
                for name in ("went_well", "do_differently", "lessons"):
                    yield from self._text_row(name)
                with Horizontal(classes="row"):
                    yield Label(TEXT_LABELS["next_step"], classes="field-label")
                    yield TextInput(placeholder="the customer action you go for next", id="next_step", compact=True)
                yield Static("", id="next_step_hint", classes="hint")
                with Horizontal(classes="row"):
                    yield Label(TEXT_LABELS["follow_up"], classes="field-label")
                    yield TextInput(
                        placeholder="+7d, fri, 2026-12-01",
                        id="follow_up",
                        compact=True,
                        validators=[_FollowUpValidator(self)],
                        valid_empty=True,
                    )
                    yield Static("", id="follow_up_hint")
                with Horizontal(classes="row"):
                    yield Label(TEXT_LABELS["rating"], classes="field-label")
                    yield RatingField(id="rating")
                yield from self._text_row("customer_feedback")
                yield Label("Objections", id="objections-title", classes="section")
                yield Vertical(id="objections")
                with Horizontal(classes="row"):
                    yield Label("Came up, unplanned", classes="field-label")
                    yield TextInput(placeholder="a new objection (enter adds it)", id="new_objection", compact=True)
                with Horizontal(classes="row"):
                    yield Label("Response that worked", classes="field-label")
                    yield TextInput(placeholder="optional (enter adds)", id="new_response", compact=True)
                yield Static("", id="finish_hint")
            with Vertical(id="side"):
                yield Label("In-call notes", classes="section")
                yield Static("", id="notes")
                yield Label("From the plan", classes="section")
                yield Static("", id="plan_info")
        yield Footer()

    def _text_row(self, name: str) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(TEXT_LABELS[name], classes="field-label")
            yield TextEditor(
                id=name, compact=True, tab_behavior="focus", soft_wrap=True, placeholder=PLACEHOLDERS[name]
            )

    # -- typed accessors -------------------------------------------------------------------------
    @property
    def outcome_panel(self) -> OutcomePanel:
        """The outcome picker."""
        return self.query_one(OutcomePanel)

    @property
    def rating(self) -> RatingField:
        """The 1-5 self-rating."""
        return self.query_one(RatingField)

    @property
    def follow_up_input(self) -> Input:
        """The follow-up date."""
        return self.query_one("#follow_up", Input)

    @property
    def unplanned_input(self) -> Input:
        """What the customer committed to, for an unplanned advance."""
        return self.query_one("#unplanned", Input)

    def _text(self, name: str) -> str:
        if name in TEXT_AREAS:
            return self.query_one(f"#{name}", TextArea).text
        return self.query_one(f"#{name}", Input).value

    def _set_text(self, name: str, value: str) -> None:
        if name in TEXT_AREAS:
            self.query_one(f"#{name}", TextArea).load_text(value)
        else:
            self.query_one(f"#{name}", Input).value = value

    def parse_follow_up(self, text: str) -> date | None | Invalid:
        """The follow-up typed: a date, ``None`` when empty, or why it is not a date."""
        if not text.strip():
            return None
        parsed = parse_date(text, _today())
        if isinstance(parsed, Invalid):
            return parsed
        if parsed < _today() and parsed != self._known.get("follow_up"):
            return Invalid("That date has passed: pick today or later (e.g. +7d).")
        return parsed

    # -- loading ---------------------------------------------------------------------------------
    def on_mount(self) -> None:
        """Hide the unplanned line until it is picked, then load."""
        self.query_one("#unplanned-row").display = False
        panel = self.outcome_panel
        panel.border_title = "Outcome"
        panel.border_subtitle = "enter confirms · 1-7 changes · y/p/n achieved?"
        super().on_mount()

    def load(self, store: Store) -> None:
        """Fetch the call with its plan, notes and debrief (worker thread)."""
        plan = store.calls.plan(self.call_id)
        self._to_ui(self._show, plan)

    def _to_ui(self, callback: Callable[..., object], *args: Any) -> None:
        # A save may finish after the screen closed or while the app shuts down.
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self._if_shown, callback, *args)

    def _if_shown(self, callback: Callable[..., object], *args: Any) -> None:
        if self in self.app.screen_stack and self.is_mounted:
            callback(*args)

    def _show(self, plan: CallPlan) -> None:
        first = self._plan is None
        self._plan = plan
        debrief = plan.debrief
        self._call_version = max(self._call_version or 0, plan.version)
        if debrief is not None:
            self._debrief_version = max(self._debrief_version or 0, debrief.version)
        heading = Content.assemble(
            ("Debrief  ", "bold $accent"),
            Content.styled(clean(plan.account_name, 60), "bold"),
            f"  ·  {label(plan.kind)}  ·  {fmt.when(plan.scheduled_at)}",
        )
        self.query_one("#heading", Static).update(heading)
        self._show_changed(debrief)
        unplanned = plan.advance(AdvanceLevel.UNPLANNED)
        unplanned_text = unplanned.action if unplanned and unplanned.secured else ""
        choice = choice_of(plan)
        if self._outcome_pending:  # the rep picked something not saved yet: keep it shown
            choice = self.outcome_panel.choice
            unplanned_text = self.unplanned_input.value
        self.outcome_panel.show_plan(plan, choice, unplanned_text)
        self._merge("unplanned", unplanned_text)
        self.query_one("#unplanned-row").display = choice is OutcomeChoice.UNPLANNED
        for name in (*TEXT_AREAS, "next_step"):
            self._merge(name, getattr(debrief, name) if debrief else "")
        self._merge("follow_up", debrief.follow_up if debrief else None)
        self._merge("rating", debrief.rating if debrief else None)
        self._show_objections(plan.objections)
        self._show_side(plan)
        self._update_hints()
        if first:
            self.outcome_panel.focus()

    def _merge(self, name: str, stored: Any) -> None:
        """Show the stored value unless the rep has typed something newer in that field."""
        known = self._known.get(name, _FORGET)
        self._known[name] = stored
        if name in self._dirty:
            return
        if name == "rating":
            if self.rating.value != stored:
                self.rating.set_reactive(RatingField.value, stored)
                self.rating.refresh()
            return
        if name == "follow_up":
            shown = self.parse_follow_up(self.follow_up_input.value)
            if shown != stored:
                self.follow_up_input.value = stored.isoformat() if stored else ""
            return
        if name == "unplanned":
            if not self.unplanned_input.value.strip() or known is _FORGET:
                self.unplanned_input.value = stored
            return
        current = self._text(name)
        if current != stored and (known is _FORGET or current == known):
            self._set_text(name, stored)

    def _show_changed(self, debrief: Debrief | None) -> None:
        if debrief is None or debrief.updated_at is None:
            text = Content.styled("not written yet", "$text-muted")
        else:
            text = Content.styled(f"last changed {fmt.when(debrief.updated_at)}", "$text-muted")
        self.query_one("#changed", Static).update(text)

    def _show_objections(self, objections: tuple[Objection, ...]) -> None:
        box = self.query_one("#objections", Vertical)
        rows = list(box.query(DebriefObjectionRow))
        if [r.objection.id for r in rows] == [o.id for o in objections]:
            for row, objection in zip(rows, objections, strict=True):
                if f"objection:{objection.id}" not in self._dirty:
                    row.objection = objection
                    row.set_reactive(DebriefObjectionRow.handling, objection.handling)
                    row.refresh()
            return
        refocus = self.focused in rows
        box.remove_children()
        if objections:
            box.mount_all(DebriefObjectionRow(o) for o in objections)
        else:
            box.mount(Static(Content.styled("No objections were planned.", "$text-muted"), classes="empty"))
        if refocus:
            self.call_after_refresh(self._focus_first_objection)
        self.call_after_refresh(self._update_hints)

    def _focus_first_objection(self) -> None:
        rows = self.query(DebriefObjectionRow)
        (rows.first() if rows else self.query_one("#new_objection", Input)).focus()

    def _show_side(self, plan: CallPlan) -> None:
        if plan.notes:
            notes = Content("\n").join(
                Content.assemble((clock.local(note.at).strftime("%H:%M") + "  ", "$text-muted"), multiline(note.text))
                for note in plan.notes
            )
        else:
            notes = Content.styled("No notes were taken in the call.", "$text-muted")
        self.query_one("#notes", Static).update(notes)
        parts: list[Content] = []
        for title, text in (("Goal", plan.goal), ("Strategy", plan.strategy), ("Expected", plan.expected_return)):
            if text.strip():
                parts.append(Content.assemble((f"{title}: ", "bold"), multiline(text)))
        self.query_one("#plan_info", Static).update(
            Content("\n").join(parts) if parts else Content.styled("Nothing else was planned.", "$text-muted")
        )

    # -- hints -----------------------------------------------------------------------------------
    def _current_objections(self) -> tuple[Objection, ...]:
        return tuple(replace(row.objection, handling=row.handling) for row in self.query(DebriefObjectionRow))

    def _update_hints(self, changed: str | None = None) -> None:
        """Refresh the hints that depend on ``changed`` (all of them when ``None``)."""
        plan = self._plan
        if plan is None or changed in ("went_well", "customer_feedback", "rating"):
            return  # no hint depends on these: keep typing cheap
        objections = self._current_objections()
        if changed is None:
            still_open = sum(1 for o in objections if o.handling in (Handling.RAISED, Handling.BADLY))
            title = Content.styled("Objections", "bold")
            if still_open:
                title += Content.styled(f"  {still_open} still open: carried over to the next call", "$warning")
            elif objections:
                title += Content.styled("  r raised · w handled well · b handled badly · 0 not raised", "$text-muted")
            self._put("#objections-title", title)
        if changed in (None, "next_step"):
            warning = continuation_warning(self._text("next_step"))
            self._put("#next_step_hint", Content.styled(warning, "$warning") if warning else Content(""))
            self.query_one("#next_step_hint").display = bool(warning)
        parsed = self.parse_follow_up(self.follow_up_input.value)
        if changed in (None, "follow_up"):
            if isinstance(parsed, Invalid):
                hint = Content.styled(parsed.message, "$error")
            elif parsed is None:
                hint = Content.styled("no date: nothing drafted", "$text-muted")
            else:
                hint = Content.styled(f"→ {parsed.strftime('%a %d %b %Y')}", "$success")
            self._put("#follow_up_hint", hint)
        self._put("#finish_hint", self._finish_hint(plan, objections, parsed))

    def _put(self, selector: str, content: Content) -> None:
        # Updating a Static re-lays the form out: skip it when nothing changed.
        widget = self.query_one(selector, Static)
        if self._shown.get(selector) != content.plain + repr(content.spans):
            self._shown[selector] = content.plain + repr(content.spans)
            widget.update(content)

    def _finish_hint(self, plan: CallPlan, objections: tuple[Objection, ...], follow: object) -> Content:
        keys = Content.styled("ctrl+s Done", "bold $accent")
        muted = "$text-muted"
        drafted = plan.debrief is not None and plan.debrief.next_call_id is not None
        if not isinstance(follow, date):
            return Content.assemble(
                keys, ("  everything is already saved; set a follow-up date to draft the next call", muted)
            )
        if follow < _today() and not drafted:
            return Content.assemble(
                keys, ("  the follow-up date has passed: set a new one to draft the next call", muted)
            )
        base = plan.debrief or Debrief(id=0, call_id=plan.id)
        preview = replace(
            plan,
            objections=objections,
            debrief=replace(base, lessons=self._text("lessons"), do_differently=self._text("do_differently")),
        )
        carried = carry_over(preview)
        lessons = len(carried.lessons) + len(carried.do_differently)
        verb = "moves the drafted next call to" if drafted else "drafts the next call on"
        return Content.assemble(
            keys,
            (
                f"  {verb} {follow.strftime('%a %d %b')} carrying "
                f"{_plural(lessons, 'lesson')}, {_plural(len(carried.open_objections), 'objection')}, "
                f"{_plural(len(carried.open_advances), 'open advance')}",
                muted,
            ),
        )

    # -- saving as typed -------------------------------------------------------------------------
    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in TEXT_AREAS:
            self._edited(event.text_area.id, event.text_area.text)

    @on(Input.Changed, "#next_step")
    def _next_step_changed(self, event: Input.Changed) -> None:
        self._edited("next_step", event.value)

    @on(Input.Changed, "#follow_up")
    def _follow_up_changed(self, event: Input.Changed) -> None:
        parsed = self.parse_follow_up(event.value)
        if not isinstance(parsed, Invalid):
            self._edited("follow_up", parsed)
        else:
            self._update_hints("follow_up")

    @on(RatingField.Changed)
    def _rating_changed(self, event: RatingField.Changed) -> None:
        self._edited("rating", event.value)

    def _edited(self, name: str, value: Any) -> None:
        self._update_hints(name)
        if name not in self._dirty and value == self._known.get(name, _FORGET):
            return  # the screen itself filled the field
        self._dirty[name] = value
        fields = dict(self._dirty)
        self.autosave("debrief", partial(self._save_fields, self._serial.ticket("debrief"), fields))

    def _save_fields(self, ticket: int, fields: dict[str, Any], store: Store) -> None:
        """Worker: write the edited fields with the newest version."""
        from salestui.store.core import StaleEdit

        with self._serial.lock:
            if not self._serial.claim("debrief", ticket):
                return
            try:
                debrief = store.debriefs.save(self.call_id, self._debrief_version, **fields)
            except StaleEdit:
                self._to_ui(self._drop_edits, fields)
                raise  # the app says so and reloads the newer version
            self._debrief_version = debrief.version
        self._to_ui(self._saved, fields, debrief)

    def _saved(self, fields: dict[str, Any], debrief: Debrief) -> None:
        for name, value in fields.items():
            self._known[name] = value
            if name in self._dirty and self._dirty[name] == value:
                del self._dirty[name]
        if self._plan is not None:
            self._plan = replace(self._plan, debrief=debrief)
        self._show_changed(debrief)

    def _drop_edits(self, fields: dict[str, Any]) -> None:
        for name in fields:
            self._dirty.pop(name, None)
            self._known[name] = _FORGET

    # -- outcome ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter and 1-7 belong to the outcome only while it has focus; elsewhere they type."""
        if action == "enter":
            return self.focused is self.outcome_panel or self.focused is self.unplanned_input
        if action == "outcome_key":
            return self.focused is self.outcome_panel
        return True

    def action_enter(self) -> None:
        """Enter on the outcome confirms it; on the unplanned line it moves on."""
        if self.focused is self.outcome_panel:
            self._choose(self.outcome_panel.select())
        elif self.focused is self.unplanned_input:
            self._after_outcome()
        else:
            raise SkipAction()

    def action_outcome_key(self, number: int) -> None:
        """A number key on the outcome picks that choice and moves on."""
        if self.focused is not self.outcome_panel:
            raise SkipAction()
        self._choose(self.outcome_panel.select(number))

    def _choose(self, choice: OutcomeChoice | None) -> None:
        if choice is None:
            return
        if choice is self.outcome_panel.choice and choice is not OutcomeChoice.UNPLANNED:
            self._after_outcome()
        else:
            self._picked(choice, confirm=True)

    @on(OutcomePanel.Picked)
    def _outcome_picked(self, event: OutcomePanel.Picked) -> None:
        self._picked(event.choice, event.confirm)

    def _picked(self, choice: OutcomeChoice, confirm: bool) -> None:
        row = self.query_one("#unplanned-row")
        if choice is OutcomeChoice.UNPLANNED:
            row.display = True
            self.outcome_panel.choice = OutcomeChoice.UNPLANNED
            text = self.unplanned_input.value.strip()
            if text:
                self._save_outcome(OutcomeChoice.UNPLANNED, text)
            else:
                self._outcome_pending = True
            self.set_focus(self.unplanned_input)
            return
        row.display = False
        self.outcome_panel.choice = choice
        self._save_outcome(choice, "")
        if confirm:
            self._after_outcome()

    @on(OutcomePanel.Confirmed)
    def _outcome_confirmed(self) -> None:
        self._after_outcome()

    def _after_outcome(self) -> None:
        # set_focus, not focus(): the next key may already be on its way.
        self.set_focus(self.query_one("#went_well", TextArea))

    @on(Input.Changed, "#unplanned")
    def _unplanned_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if self.outcome_panel.choice is OutcomeChoice.UNPLANNED and text and text != self._known.get("unplanned"):
            self._outcome_pending = True
            self.outcome_panel.unplanned_text = text
            self.outcome_panel.refresh()
            ticket = self._serial.ticket("outcome")
            self.autosave("outcome", partial(self._outcome_job, ticket, OutcomeChoice.UNPLANNED, text))

    def _save_outcome(self, choice: OutcomeChoice, text: str) -> None:
        self._outcome_pending = True
        self.run_db(partial(self._outcome_job, self._serial.ticket("outcome"), choice, text))

    def _outcome_job(self, ticket: int, choice: OutcomeChoice, text: str, store: Store) -> None:
        """Worker: record the outcome with the same calls as the in-call screen."""
        with self._serial.lock:
            if not self._serial.claim("outcome", ticket):
                return
            self._apply_outcome(store, choice, text)
            plan = store.calls.plan(self.call_id)
        self._to_ui(self._outcome_saved, ticket, plan)

    def _apply_outcome(self, store: Store, choice: OutcomeChoice, text: str) -> None:
        level = level_of(choice)
        if choice is OutcomeChoice.UNPLANNED:
            store.calls.secure_unplanned(self.call_id, text)
        elif level is not None:
            store.calls.secure(self.call_id, level)
        else:
            store.calls.set_outcome(self.call_id, outcome_of(choice))

    def _outcome_saved(self, ticket: int, plan: CallPlan) -> None:
        if self._plan is not None:
            self._plan = replace(self._plan, outcome=plan.outcome, advances=plan.advances, status=plan.status)
        unplanned = plan.advance(AdvanceLevel.UNPLANNED)
        if unplanned is not None and unplanned.secured:
            self._known["unplanned"] = unplanned.action
        if self._serial.is_latest("outcome", ticket):
            self._outcome_pending = "outcome" in self._pending
        self._update_hints()

    @on(OutcomePanel.AchievedSet)
    def _achieved(self, event: OutcomePanel.AchievedSet) -> None:
        ticket = self._serial.ticket("achieved")
        value = event.achieved.value

        def save(store: Store) -> None:
            with self._serial.lock:
                if self._serial.claim("achieved", ticket):
                    self._call_version = store.calls.update(self.call_id, self._call_version, achieved=value)

        self.run_db(save)

    # -- objections ------------------------------------------------------------------------------
    @on(DebriefObjectionRow.Marked)
    def _objection_marked(self, event: DebriefObjectionRow.Marked) -> None:
        key = f"objection:{event.row.objection.id}"
        ticket = self._serial.ticket(key)
        objection_id, handling = event.row.objection.id, event.handling
        self._dirty[key] = handling

        def save(store: Store) -> None:
            with self._serial.lock:
                if self._serial.claim(key, ticket):
                    store.calls.update_objection(objection_id, handling=handling)
            self._to_ui(self._objection_saved, key, handling)

        self.run_db(save)
        self._update_hints()

    def _objection_saved(self, key: str, handling: Handling) -> None:
        if self._dirty.get(key) == handling:
            del self._dirty[key]

    @on(DebriefObjectionRow.Removed)
    def _objection_removed(self, event: DebriefObjectionRow.Removed) -> None:
        objection_id = event.row.objection.id
        self.run_db(lambda store: store.calls.delete_objection(objection_id), lambda _: self.reload())

    @on(Input.Submitted, "#new_objection, #new_response")
    def _add_objection(self) -> None:
        text_input = self.query_one("#new_objection", Input)
        response_input = self.query_one("#new_response", Input)
        text = text_input.value.strip()
        if not text:
            self.notify("Type the objection first.", severity="warning")
            text_input.focus()
            return
        response = response_input.value.strip()
        text_input.value = response_input.value = ""
        text_input.focus()
        self.run_db(
            lambda store: store.calls.add_objection(self.call_id, text, response, came_up_unplanned=True),
            lambda _: self.reload(),
        )

    # -- finishing -------------------------------------------------------------------------------
    def action_finish(self) -> None:
        """Done: save the last keystrokes and draft the next call at the follow-up date."""
        plan = self._plan
        if plan is None:
            return
        panel = self.outcome_panel
        if panel.choice is None:
            self.notify("Pick the outcome first: 1-7, then enter.", severity="warning")
            panel.focus()
            return
        unplanned_text = self.unplanned_input.value.strip()
        if panel.choice is OutcomeChoice.UNPLANNED and not unplanned_text:
            self.notify("Type what the customer committed to.", severity="warning")
            self.unplanned_input.focus()
            return
        follow = self.parse_follow_up(self.follow_up_input.value)
        if isinstance(follow, Invalid):
            self.notify(follow.message, severity="warning")
            self.follow_up_input.focus()
            return
        when = None
        if follow is not None:
            drafted = plan.debrief is not None and plan.debrief.next_call_id is not None
            if follow >= _today() or drafted:
                when = follow_up_at(follow, clock.now())
        fields: dict[str, Any] = {name: self._text(name) for name in (*TEXT_AREAS, "next_step")}
        fields["follow_up"] = follow
        fields["rating"] = self.rating.value
        # Everything typed goes into the one finishing transaction instead of pending saves.
        for timer, _fire in self._pending.values():
            timer.stop()
        self._pending.clear()
        outcome = (panel.choice, unplanned_text) if self._outcome_pending else None
        tickets = (self._serial.ticket("debrief"), self._serial.ticket("outcome"))
        self.run_db(partial(self._finish_job, tickets, outcome, fields, when), self._finished)

    def _finish_job(
        self,
        tickets: tuple[int, int],
        outcome: tuple[OutcomeChoice, str] | None,
        fields: dict[str, Any],
        when: Any,
        store: Store,
    ) -> tuple[Finished, dict[str, Any], CallPlan]:
        """Worker: last outcome change, then the debrief and the drafted call in one transaction."""
        with self._serial.lock:
            self._serial.claim("outcome", tickets[1])
            if outcome is not None:
                self._apply_outcome(store, *outcome)
            self._serial.claim("debrief", tickets[0])
            finished = store.debriefs.finish(self.call_id, self._debrief_version, follow_up_at=when, **fields)
            self._debrief_version = finished.debrief.version
            plan = store.calls.plan(self.call_id)
        return finished, fields, plan

    def _finished(self, result: tuple[Finished, dict[str, Any], CallPlan]) -> None:
        finished, fields, plan = result
        self._outcome_pending = False
        self._saved(fields, finished.debrief)
        self._plan = plan
        if finished.next_call_id is None:
            follow = fields.get("follow_up")
            if isinstance(follow, date) and follow < _today():
                self.notify("Debrief done. The follow-up date has passed, so no next call was drafted.")
            else:
                self.notify("Debrief done.")
            self.sales_app.action_home()
            return
        carried = carry_over(plan)
        message = Content.assemble(
            ("Debrief done. ", "bold"),
            f"Next call with {clean(plan.account_name, 60)} drafted for {fmt.when(finished.next_call_at)}",
            (
                f"\ncarrying {_plural(len(carried.lessons) + len(carried.do_differently), 'lesson')}, "
                f"{_plural(len(carried.open_objections), 'objection')} and "
                f"{_plural(len(carried.open_advances), 'open advance')}.",
                "$text-muted",
            ),
        )
        next_id = finished.next_call_id

        def chosen(stop: NextStop | None) -> None:
            if stop is None:
                return
            self.sales_app.action_home()
            if stop == "plan":
                self.sales_app.open_plan(next_id)

        self.app.push_screen(DebriefDone(message), chosen)

    # -- palette and jumps -----------------------------------------------------------------------
    def palette_commands(self) -> list[PaletteCommand]:
        """What the palette offers on this screen."""
        return [
            PaletteCommand("Finish debrief", "Done: draft the next call at the follow-up date (ctrl+s)", "finish"),
            PaletteCommand("Draft next call", "Draft this account's next call with the carry-over", "draft_next"),
            PaletteCommand("Change outcome", "Jump to the outcome: 1-7 picks, enter confirms (F2)", "focus_outcome"),
            PaletteCommand(
                "Add an objection that came up", "With the response that worked (F3)", "focus_new_objection"
            ),
            PaletteCommand("Open this call's plan", "The plan behind this debrief", "open_plan"),
        ]

    def action_draft_next(self) -> None:
        """Draft the next call: needs a follow-up date first."""
        if self.parse_follow_up(self.follow_up_input.value) is None:
            self.notify("Type a follow-up date first (e.g. +7d), then ctrl+s.")
            self.follow_up_input.focus()
            return
        self.action_finish()

    def action_focus_outcome(self) -> None:
        """Jump to the outcome."""
        self.outcome_panel.focus()

    def action_focus_new_objection(self) -> None:
        """Jump to the new-objection line."""
        self.query_one("#new_objection", Input).focus()

    def action_open_plan(self) -> None:
        """Open the plan of this call."""
        self.flush_autosave()
        self.sales_app.open_plan(self.call_id)
