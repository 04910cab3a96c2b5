"""Debrief: the honest evaluation right after a call, saved as typed, feeding the next call.

Fast path, keyboard only: the outcome is prefilled (enter confirms, 1-7 changes), then went well,
do differently and lessons (tab between them), next step and follow-up date ("+7d"), ctrl+s.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, Label, Static, TextArea

from salestui import format as fmt
from salestui.commands import PaletteCommand
from salestui.domain import clock
from salestui.domain.carryover import follow_up_at
from salestui.domain.continuation import continuation_warning
from salestui.domain.dates import Invalid
from salestui.domain.debrief import draft_day, finish_hint, finish_problem
from salestui.domain.enums import AdvanceLevel, label
from salestui.domain.models import CallPlan, Debrief
from salestui.domain.outcomes import OutcomeChoice, choice_of
from salestui.domain.rules import happened_at
from salestui.modals.debrief_done import after_debrief
from salestui.screens.base import DataScreen
from salestui.store.changes import Applied, FieldChange, Op
from salestui.text import clean
from salestui.widgets.debrief_fields import DebriefObjectionRow, OutcomePanel, RatingField
from salestui.widgets.debrief_form import (
    LABELS,
    TEXT_AREAS,
    FollowUpInput,
    HintLine,
    NewObjection,
    OutcomeSection,
    finish_content,
    follow_up_content,
    objections_title,
    row,
    text_row,
    today,
)
from salestui.widgets.debrief_panels import DebriefObjections, notes_content, plan_content
from salestui.widgets.fields import TextInput
from salestui.widgets.footer import KeysFooter
from salestui.widgets.read_only import lock, marker, whose
from salestui.widgets.rider_saw import saw_content

if TYPE_CHECKING:
    from salestui.store.core import Store
    from salestui.store.debriefs import Finished


class DebriefScreen(DataScreen):
    """Evaluate one call: outcome, what went well and what to change, objections, next step."""

    CSS_PATH = "debrief.tcss"
    EDITS = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # notes beside the form from 110 columns

    BINDINGS = [
        Binding("ctrl+s", "finish", "Done", id="debrief.finish", priority=True),
        Binding("f2", "focus_outcome", "Outcome", id="debrief.outcome", show=False),
        Binding("f3", "focus_new_objection", "Add objection", id="debrief.add_objection", show=False),
        Binding("f4", "what_i_saw", "What I saw", id="debrief.what_i_saw", show=False),
        # Keys that move focus are handled before the next key is dispatched (priority), so
        # fast typing right after tab or enter lands in the field it was meant for.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
        Binding("enter", "enter", "Confirm", priority=True),
        Binding("1", "outcome_key(1)", "Outcome", key_display="1-7", priority=True),
        *(Binding(str(n), f"outcome_key({n})", show=False, priority=True) for n in range(2, 8)),
    ]

    def __init__(self, call_id: int) -> None:
        super().__init__()
        self.call_id = call_id
        """The call being debriefed."""
        self.record = f"debrief:{call_id}"
        """The writer's name for the debrief row (its version is chained under it)."""
        self._plan: CallPlan | None = None
        self._marked: set[int] = set()
        self._refusal: str | None = None
        """Why the database refused the last change (until a save is stored): never "all saved" meanwhile."""

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Outcome, the evaluation fields, objections; the in-call notes beside them."""
        yield Header()
        with Horizontal(id="titlebar"):
            yield Static("Loading the call…", id="heading")
            yield Static("", id="changed")
        with VerticalScroll(id="body", can_focus=False), Horizontal(id="columns"):
            with Vertical(id="form"):
                yield OutcomeSection()
                yield from (text_row(name) for name in ("went_well", "do_differently", "lessons"))
                next_step = TextInput(placeholder="the customer action you go for next", id="next_step", compact=True)
                yield row(LABELS["next_step"], next_step)
                yield HintLine(id="next_step_hint", classes="hint")
                yield row(
                    LABELS["follow_up"], FollowUpInput(id="follow_up", compact=True), HintLine(id="follow_up_hint")
                )
                yield row(LABELS["rating"], RatingField(id="rating"))
                yield text_row("customer_feedback")
                yield HintLine(id="objections-title", classes="section")
                yield DebriefObjections(id="objections")
                yield NewObjection()
                yield HintLine(id="finish_hint")
            with Vertical(id="side"):
                yield Label("In the call: questions and notes", classes="section")
                yield Static("", id="notes")
                yield Label("From the plan", classes="section")
                yield Static("", id="plan_info")
                yield Label("Riding along", classes="section", id="riders-title")
                yield Static("", id="riders_saw")
        yield KeysFooter()

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
    def follow_up_input(self) -> FollowUpInput:
        """The follow-up date."""
        return self.query_one(FollowUpInput)

    @property
    def outcome(self) -> OutcomeSection:
        """The outcome and the unplanned line."""
        return self.query_one(OutcomeSection)

    @property
    def unplanned_input(self) -> Input:
        """What the customer committed to, for an unplanned advance."""
        return self.outcome.unplanned_input

    @property
    def objections(self) -> DebriefObjections:
        """The planned objections, marked."""
        return self.query_one(DebriefObjections)

    def _field(self, name: str) -> Input | TextArea:
        return self.query_one(f"#{name}", TextArea if name in TEXT_AREAS else Input)

    def _text(self, name: str) -> str:
        field = self._field(name)
        return field.text if isinstance(field, TextArea) else field.value

    def shows(self, keys: frozenset[str]) -> bool:
        """This call and its debrief."""
        return bool(keys & {self.record, f"call:{self.call_id}"})

    # -- loading ---------------------------------------------------------------------------------
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
        self._read_only_if_not_mine(plan.owner)
        heading = Content.assemble(
            ("Debrief  ", "bold $accent"),
            Content.styled(clean(plan.account_name, 60), "bold"),
            f"  ·  {label(plan.kind)}  ·  {fmt.when(happened_at(plan.started_at, plan.ended_at, plan.scheduled_at))}",
            *(("  ·  ", marker(plan.owner).stylize("$warning")) if self.read_only else ()),
        )
        self.query_one("#heading", Static).update(heading)
        self.query_one("#riders_saw", Static).update(saw_content(plan))
        for shown in self.query("#riders-title, #riders_saw"):
            shown.display = bool(plan.riders)  # only calls someone rode along on
        self._show_changed(debrief)
        unplanned = plan.advance(AdvanceLevel.UNPLANNED)
        if not self.fields.typed("outcome"):
            choice = choice_of(plan)
            self.outcome_panel.show_plan(plan, choice, unplanned.action if unplanned and unplanned.secured else "")
            self.fields.fill(
                "unplanned", self.unplanned_input, unplanned.action if unplanned and unplanned.secured else ""
            )
            self.outcome.show(choice)
        for name in (*TEXT_AREAS, "next_step"):
            self.fields.fill(name, self._field(name), getattr(debrief, name) if debrief else "")
        stored = debrief.follow_up if debrief else None
        if not self.fields.typed("follow_up"):
            self.follow_up_input.stored = stored
        if self.follow_up_input.parsed() != stored:
            shown = stored.isoformat() if stored else ""
            self.fields.fill("follow_up", self.follow_up_input, stored, shown)
        else:
            self.fields.fill("follow_up", None, stored)
        self.fields.fill("rating", self.rating, debrief.rating if debrief else None)
        self.objections.show(plan.objections, self._marked)
        self.query_one("#notes", Static).update(notes_content(plan))
        self.query_one("#plan_info", Static).update(plan_content(plan))
        if self.read_only:
            lock(self.query_one("#form"))  # rows shown since the last load too
        self._update_hints()
        if first:
            self.outcome_panel.focus()

    def _read_only_if_not_mine(self, owner: str) -> None:
        """Another rep's debrief: no new objection line, and the outcome panel's keys are off."""
        if self.read_only_unless_mine(owner):
            self.query_one(NewObjection).display = False
            self.outcome_panel.border_subtitle = ""  # its keys (enter, 1-7, y/p/n) are off

    def _show_changed(self, debrief: Debrief | None, saved_now: bool = False) -> None:
        if saved_now:
            text = f"draft, saved {fmt.when(clock.now())} · ctrl+s finishes it"
        elif debrief is None or debrief.updated_at is None:
            text = "not written yet"
        elif debrief.finished:
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
        if self.read_only:
            self._hint("objections-title").put(Content.styled("Objections", "bold"))
            self._hint("finish_hint").put(
                Content.assemble(
                    ("Read only: ", "bold $warning"),
                    f"this is {whose(plan.owner)} call; you can read its debrief, not change it.",
                )
            )
            return
        objections = self.objections.current()
        if changed is None:
            self._hint("objections-title").put(objections_title(objections))
        if changed in (None, "next_step"):
            warning = continuation_warning(self._text("next_step"))
            self._hint("next_step_hint").put(Content.styled(warning or "", "$warning"), show=bool(warning))
        parsed = self.follow_up_input.parsed()
        if changed in (None, "follow_up"):
            self._hint("follow_up_hint").put(follow_up_content(parsed))
        hint = finish_hint(plan, objections, self._text("lessons"), self._text("do_differently"), parsed, today())
        if self._refusal is not None:
            hint = f"your last change was not saved: {self._refusal}"
        self._hint("finish_hint").put(finish_content(hint))

    def _hint(self, name: str) -> HintLine:
        return self.query_one(f"#{name}", HintLine)

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
        parsed = self.follow_up_input.parse(event.value)
        if isinstance(parsed, Invalid):
            self._update_hints("follow_up")  # only dates are saved; the hint says what is wrong
        else:
            self._edited("follow_up", parsed)

    @on(RatingField.Changed)
    def _rating_changed(self, event: RatingField.Changed) -> None:
        if not self.refused_here():
            self._edited("rating", event.value)

    def _edited(self, name: str, value: Any) -> None:
        self._update_hints(name)
        call_id = self.call_id
        widget = self._field(name) if name in (*TEXT_AREAS, "next_step") else None

        def saved(_: Applied) -> None:
            if self._refusal is not None:
                self._refusal = None
                self._update_hints()
            debrief = self._plan.debrief if self._plan is not None else None
            finished = debrief is not None and debrief.finished
            self._show_changed(replace(debrief, updated_at=clock.now()) if debrief else None, saved_now=not finished)

        self.fields.save(
            name,
            lambda base: FieldChange("debrief", call_id, name, base, value),
            widget=widget,
            done=saved,
            failed=self._not_saved,
        )

    def _not_saved(self, error: BaseException) -> None:
        """A change the database refused: the status line and the hint say so (the field shows what is stored)."""
        from salestui.errors import describe

        self._refusal = describe(error)[1]
        self.query_one("#changed", Static).update(Content.styled(f"not saved: {self._refusal}", "$error"))
        self._update_hints()

    # -- outcome ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter and 1-7 belong to the outcome only while it has focus; elsewhere they type.
        On another rep's debrief nothing that changes it runs."""
        if self.read_only and action in ("enter", "outcome_key", "finish", "focus_new_objection", "draft_next"):
            return False
        if action == "enter":
            return self.focused is self.outcome_panel or self.focused is self.unplanned_input
        if action == "outcome_key":
            return self.focused is self.outcome_panel
        return True

    def action_enter(self) -> None:
        """Enter on the outcome confirms it; on the unplanned line it moves on."""
        if self.focused is not self.outcome_panel and self.focused is not self.unplanned_input:
            raise SkipAction()
        if self.outcome.enter():
            self._after_outcome()

    def action_outcome_key(self, number: int) -> None:
        """A number key on the outcome picks that choice and moves on."""
        if self.focused is not self.outcome_panel:
            raise SkipAction()
        if self.outcome.choose(self.outcome_panel.select(number)):
            self._after_outcome()

    @on(OutcomeSection.Done)
    def _after_outcome(self) -> None:
        # set_focus, not focus(): the next key may already be on its way.
        self.set_focus(self.query_one("#went_well", TextArea))

    @on(OutcomeSection.Chosen)
    def _chosen(self, event: OutcomeSection.Chosen) -> None:
        if not self.refused_here():
            self._save_outcome(event.choice, event.text)

    def _save_outcome(self, choice: OutcomeChoice, text: str) -> None:
        """Record the outcome with the same calls as the in-call screen (the last pick wins)."""
        call_id = self.call_id

        def shown(plan: CallPlan) -> None:
            if self._plan is not None:
                self._plan = replace(self._plan, outcome=plan.outcome, advances=plan.advances, status=plan.status)
            self._update_hints()

        def saved(_: None) -> None:
            self.run_db(lambda store: store.calls.plan(call_id), shown)

        change = Op("calls.record_choice", (call_id, choice, text), key=f"call:{call_id}.outcome")
        self.fields.save("outcome", lambda _: change, done=saved)

    @on(OutcomePanel.AchievedSet)
    def _achieved(self, event: OutcomePanel.AchievedSet) -> None:
        if self.refused_here():
            return
        call_id, value = self.call_id, event.achieved.value
        self.fields.save("achieved", lambda base: FieldChange("call", call_id, "achieved", base, value))

    # -- objections ------------------------------------------------------------------------------
    @on(DebriefObjectionRow.Marked)
    def _objection_marked(self, event: DebriefObjectionRow.Marked) -> None:
        if self.refused_here():
            return
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
        if self.refused_here():
            return
        objection_id = event.row.objection.id
        self.save(lambda store: store.calls.delete_objection(objection_id), done=lambda _: self.reload())

    @on(NewObjection.Added)
    def _add_objection(self, event: NewObjection.Added) -> None:
        if self.refused_here():
            return
        call_id, text, response = self.call_id, event.text, event.response
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
        panel, follow = self.outcome_panel, self.follow_up_input.parsed()
        unplanned = panel.choice is OutcomeChoice.UNPLANNED
        problem = finish_problem(panel.choice, unplanned, self.unplanned_input.value, follow)
        if problem is not None:
            message, field = problem
            self.notify(message, severity="warning")
            {"outcome": panel, "unplanned": self.unplanned_input, "follow_up": self.follow_up_input}[field].focus()
            return
        assert not isinstance(follow, Invalid)
        day = draft_day(plan, follow, today())
        when = follow_up_at(day, clock.now()) if day is not None else None
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
        after_debrief(self.sales_app, finished, plan)

    # -- palette and jumps -----------------------------------------------------------------------
    def palette_commands(self) -> list[PaletteCommand]:
        """What the palette offers on this screen (on another rep's debrief, only the plan)."""
        if self.read_only:
            return [PaletteCommand("Open this call's plan", "The plan behind this debrief", "open_plan")]
        return [
            PaletteCommand("Finish debrief", "Done: draft the next call at the follow-up date (ctrl+s)", "finish"),
            PaletteCommand("Draft next call", "Draft this account's next call with the carry-over", "draft_next"),
            PaletteCommand("Change outcome", "Jump to the outcome: 1-7 picks, enter confirms (F2)", "focus_outcome"),
            PaletteCommand(
                "Add an objection that came up", "With the response that worked (F3)", "focus_new_objection"
            ),
            PaletteCommand("Open this call's plan", "The plan behind this debrief", "open_plan"),
            PaletteCommand("What I saw", "A colleague who rode along: what they saw (F4)", "what_i_saw"),
        ]

    def action_what_i_saw(self) -> None:
        """A rider's own words on the call (the rider, or the rep typing them in)."""
        from salestui.widgets.rider_saw import edit_what_i_saw

        edit_what_i_saw(self, self._plan)

    def action_draft_next(self) -> None:
        """Draft the next call: needs a follow-up date first."""
        if self.follow_up_input.parsed() is None:
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
