"""Debrief: the honest evaluation right after a call, saved as typed, feeding the next call.

Fast path, keyboard only: the outcome is prefilled (enter confirms, 1-7 changes), then went well,
do differently and lessons (tab between them), next step and follow-up date ("+7d"), ctrl+s.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
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
from salestui.domain.debrief import finish_hint, follow_up_hint, is_finished, plural, still_open
from salestui.domain.enums import AdvanceLevel, label
from salestui.domain.models import CallPlan, Debrief
from salestui.domain.outcomes import OutcomeChoice, choice_of, level_of, outcome_of
from salestui.modals.debrief_done import DebriefDone, NextStop
from salestui.screens.base import DataScreen
from salestui.text import clean
from salestui.widgets.debrief_fields import DebriefObjectionRow, OutcomePanel, RatingField
from salestui.widgets.debrief_panels import DebriefObjections, notes_content, plan_content
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


def _today() -> date:
    return clock.local(clock.now()).date()


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


class DebriefScreen(DataScreen):
    """Evaluate one call: outcome, what went well and what to change, objections, next step."""

    CSS_PATH = "debrief.tcss"
    EDITS = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # notes beside the form from 110 columns

    BINDINGS = [
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
        self.record = f"debrief:{call_id}"
        """The writer's name for the debrief row (its version is chained under it)."""
        self._plan: CallPlan | None = None
        self._stored_follow_up: date | None = None
        self._marked: set[int] = set()
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
                yield DebriefObjections(id="objections")
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

    @property
    def objections(self) -> DebriefObjections:
        """The planned objections, marked."""
        return self.query_one(DebriefObjections)

    def _field(self, name: str) -> Input | TextArea:
        return self.query_one(f"#{name}", TextArea if name in TEXT_AREAS else Input)

    def _text(self, name: str) -> str:
        field = self._field(name)
        return field.text if isinstance(field, TextArea) else field.value

    def parse_follow_up(self, text: str) -> date | None | Invalid:
        """The follow-up typed: a date, ``None`` when empty, or why it is not a date."""
        if not text.strip():
            return None
        parsed = parse_date(text, _today())
        if isinstance(parsed, Invalid):
            return parsed
        if parsed < _today() and parsed != self._stored_follow_up:
            return Invalid("That date has passed: pick today or later (e.g. +7d).")
        return parsed

    # -- loading ---------------------------------------------------------------------------------
    def on_mount(self) -> None:
        """Hide the unplanned line until it is picked."""
        self.query_one("#unplanned-row").display = False
        panel = self.outcome_panel
        panel.border_title = "Outcome"
        panel.border_subtitle = "enter confirms · 1-7 changes · y/p/n achieved?"

    def load(self, store: Store) -> CallPlan:
        """The call with its plan, notes and debrief (through the writer, after pending saves)."""
        plan = store.calls.plan(self.call_id)
        if plan.debrief is not None:
            store.writer.seen(self.record, plan.debrief.version)
        return plan

    def show(self, plan: CallPlan) -> None:
        """Fill every field the rep has not typed in since the load was asked for."""
        first = self._plan is None
        self._plan = plan
        debrief = plan.debrief
        heading = Content.assemble(
            ("Debrief  ", "bold $accent"),
            Content.styled(clean(plan.account_name, 60), "bold"),
            f"  ·  {label(plan.kind)}  ·  {fmt.when(plan.scheduled_at)}",
        )
        self.query_one("#heading", Static).update(heading)
        self._show_changed(debrief)
        unplanned = plan.advance(AdvanceLevel.UNPLANNED)
        if not self.typed_since_load("outcome"):
            choice = choice_of(plan)
            self.outcome_panel.show_plan(plan, choice, unplanned.action if unplanned and unplanned.secured else "")
            self.fill("unplanned", self.unplanned_input, unplanned.action if unplanned and unplanned.secured else "")
            self.query_one("#unplanned-row").display = choice is OutcomeChoice.UNPLANNED
        for name in (*TEXT_AREAS, "next_step"):
            self.fill(name, self._field(name), getattr(debrief, name) if debrief else "")
        self._stored_follow_up = debrief.follow_up if debrief else None
        if self.parse_follow_up(self.follow_up_input.value) != self._stored_follow_up:
            shown = self._stored_follow_up.isoformat() if self._stored_follow_up else ""
            self.fill("follow_up", self.follow_up_input, shown)
        self.fill("rating", self.rating, debrief.rating if debrief else None)
        self.objections.show(plan.objections, self._marked)
        self.query_one("#notes", Static).update(notes_content(plan))
        self.query_one("#plan_info", Static).update(plan_content(plan))
        self._update_hints()
        if first:
            self.outcome_panel.focus()

    def _show_changed(self, debrief: Debrief | None) -> None:
        if debrief is None or debrief.updated_at is None:
            text = "not written yet"
        elif is_finished(debrief):
            text = f"done · last changed {fmt.when(debrief.updated_at)}"
        else:
            text = f"draft, saved {fmt.when(debrief.updated_at)} · ctrl+s finishes it"
        self.query_one("#changed", Static).update(Content.styled(text, "$text-muted"))

    # -- hints -----------------------------------------------------------------------------------
    def _update_hints(self, changed: str | None = None) -> None:
        """Refresh the hints that depend on ``changed`` (all of them when ``None``)."""
        plan = self._plan
        if plan is None or changed in ("went_well", "customer_feedback", "rating"):
            return  # no hint depends on these: keep typing cheap
        objections = self.objections.current()
        if changed is None:
            title = Content.styled("Objections", "bold")
            if open_count := still_open(objections):
                title += Content.styled(f"  {open_count} still open: carried over to the next call", "$warning")
            elif objections:
                title += Content.styled("  r raised · w handled well · b handled badly · 0 not raised", "$text-muted")
            self._put("#objections-title", title)
        if changed in (None, "next_step"):
            warning = continuation_warning(self._text("next_step"))
            self._put("#next_step_hint", Content.styled(warning or "", "$warning"))
            self.query_one("#next_step_hint").display = bool(warning)
        parsed = self.parse_follow_up(self.follow_up_input.value)
        if changed in (None, "follow_up"):
            style = "$error" if isinstance(parsed, Invalid) else "$text-muted" if parsed is None else "$success"
            self._put("#follow_up_hint", Content.styled(follow_up_hint(parsed), style))
        lessons, differently = self._text("lessons"), self._text("do_differently")
        hint = finish_hint(plan, objections, lessons, differently, parsed, _today())
        self._put("#finish_hint", Content.assemble(("ctrl+s Done", "bold $accent"), (f"  {hint}", "$text-muted")))

    def _put(self, selector: str, content: Content) -> None:
        # Updating a Static re-lays the form out: skip it when nothing changed.
        key = content.plain + repr(content.spans)
        if self._shown.get(selector) != key:
            self._shown[selector] = key
            self.query_one(selector, Static).update(content)

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
        if isinstance(parsed, Invalid):
            self._update_hints("follow_up")  # only dates are saved; the hint says what is wrong
        else:
            self._edited("follow_up", parsed)

    @on(RatingField.Changed)
    def _rating_changed(self, event: RatingField.Changed) -> None:
        self._edited("rating", event.value)

    def _edited(self, name: str, value: Any) -> None:
        self._update_hints(name)
        call_id = self.call_id

        def job(store: Store, version: int | None) -> Debrief:
            return store.debriefs.save(call_id, version, **{name: value})

        self.save_field(name, job, record=self.record, done=self._show_changed)

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
        unplanned = choice is OutcomeChoice.UNPLANNED
        self.query_one("#unplanned-row").display = unplanned
        self.outcome_panel.choice = choice
        if unplanned:
            if text := self.unplanned_input.value.strip():
                self._save_outcome(choice, text)
            self.set_focus(self.unplanned_input)
            return
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
        if self.outcome_panel.choice is OutcomeChoice.UNPLANNED and text:
            self.outcome_panel.unplanned_text = text
            self.outcome_panel.refresh()
            self._save_outcome(OutcomeChoice.UNPLANNED, text)

    def _save_outcome(self, choice: OutcomeChoice, text: str) -> None:
        """Record the outcome with the same calls as the in-call screen (the last pick wins)."""
        call_id, level = self.call_id, level_of(choice)

        def job(store: Store) -> CallPlan:
            if choice is OutcomeChoice.UNPLANNED:
                store.calls.secure_unplanned(call_id, text)
            elif level is not None:
                store.calls.secure(call_id, level)
            else:
                store.calls.set_outcome(call_id, outcome_of(choice))
            return store.calls.plan(call_id)

        def saved(plan: CallPlan) -> None:
            if self._plan is not None:
                self._plan = replace(self._plan, outcome=plan.outcome, advances=plan.advances, status=plan.status)
            self._update_hints()

        self._edited_at["outcome"] = self._load_seq
        self.save(job, key=f"call:{call_id}.outcome", done=saved, description="save outcome")

    @on(OutcomePanel.AchievedSet)
    def _achieved(self, event: OutcomePanel.AchievedSet) -> None:
        call_id, value = self.call_id, event.achieved.value
        self.save_field("achieved", lambda store: store.calls.update(call_id, achieved=value))

    # -- objections ------------------------------------------------------------------------------
    @on(DebriefObjectionRow.Marked)
    def _objection_marked(self, event: DebriefObjectionRow.Marked) -> None:
        objection_id, handling = event.row.objection.id, event.handling
        self._marked.add(objection_id)
        self.save(
            lambda store: store.calls.update_objection(objection_id, handling=handling),
            key=f"objection:{objection_id}.handling",
            description="mark objection",
        )
        self._update_hints()

    @on(DebriefObjectionRow.Removed)
    def _objection_removed(self, event: DebriefObjectionRow.Removed) -> None:
        objection_id = event.row.objection.id
        self.save(lambda store: store.calls.delete_objection(objection_id), done=lambda _: self.reload())

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
        call_id = self.call_id
        self.save(
            lambda store: store.calls.add_objection(call_id, text, response, came_up_unplanned=True),
            done=lambda _: self.reload(),
        )

    # -- finishing -------------------------------------------------------------------------------
    def action_finish(self) -> None:
        """Done: the last keystrokes and the drafted next call at the follow-up date, in one transaction."""
        plan = self._plan
        if plan is None:
            return
        panel = self.outcome_panel
        if panel.choice is None:
            self.notify("Pick the outcome first: 1-7, then enter.", severity="warning")
            panel.focus()
            return
        if panel.choice is OutcomeChoice.UNPLANNED and not self.unplanned_input.value.strip():
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
        call_id = self.call_id

        def job(store: Store, version: int | None) -> tuple[Finished, CallPlan]:
            # Saves asked for before this one (the outcome, the fields) have run: the writer keeps order.
            finished = store.debriefs.finish(call_id, version, follow_up_at=when, **fields)
            return finished, store.calls.plan(call_id)

        self.save(job, record=self.record, done=self._finished, description="finish debrief")

    def _finished(self, result: tuple[Finished, CallPlan]) -> None:
        finished, plan = result
        self._plan = plan
        self._show_changed(finished.debrief)
        if finished.next_call_id is None:
            follow = plan.debrief.follow_up if plan.debrief else None
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
                f"\ncarrying {plural(len(carried.lessons) + len(carried.do_differently), 'lesson')}, "
                f"{plural(len(carried.open_objections), 'objection')} and "
                f"{plural(len(carried.open_advances), 'open advance')}.",
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

    async def action_open_plan(self) -> None:
        """Open the plan of this call."""
        await self.saved()
        self.sales_app.open_plan(self.call_id)
