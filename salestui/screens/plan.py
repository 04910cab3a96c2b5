"""Call plan: objective and goal, questions, contacts, strategy, ladder, objections, checklist, carry-over."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Select, Static, TextArea

from salestui import format as fmt
from salestui.commands import PaletteCommand
from salestui.domain.carryover import CarryOver, carry_over, pulled_summary
from salestui.domain.coaching import RUNGS, Part, Pin
from salestui.domain.dates import Invalid, shown_when
from salestui.domain.edits import keep_typed
from salestui.domain.enums import LADDER, CallKind, CallStatus, label
from salestui.domain.models import CallPlan, Contact, Rider
from salestui.domain.practice import run_summary
from salestui.domain.readiness import first_empty_field, readiness
from salestui.domain.rules import happened_at
from salestui.screens.base import DataScreen
from salestui.store.changes import FieldChange, Op
from salestui.text import literal
from salestui.widgets.fields import TextEditor, TextInput
from salestui.widgets.footer import KeysFooter
from salestui.widgets.plan_carryover import CarryOverPanel
from salestui.widgets.plan_checklist import ChecklistList
from salestui.widgets.plan_coaching import PlanCoaching
from salestui.widgets.plan_contacts import ContactPicker
from salestui.widgets.plan_edits import NEW, ListEdit
from salestui.widgets.plan_ladder import AdvanceLadder, AdvanceRung
from salestui.widgets.plan_objections import PlannedObjections
from salestui.widgets.plan_questions import PlanQuestions
from salestui.widgets.plan_readiness import ReadinessMeter
from salestui.widgets.plan_when import WhenInput
from salestui.widgets.read_only import lock, marker

if TYPE_CHECKING:
    from salestui.store.core import Store

# One-line call fields edited in an Input with the same id.
LINE_FIELDS = ("objective", "goal", "expected_return")


LIST_KEYS = ("a", "e", "d", "t", "K", "J")
"""Letters the plan's lists (questions, objections, checklist) act on."""

EDIT_ACTIONS = frozenset(
    {"start", "pull_carry_over", "practise", "edit_template", "call_menu", "question_bank", "list_key"}
)
"""The plan's own keys that change the call: off on another rep's plan (``read_only``)."""


class PlanScreen(DataScreen):
    """Prepare one call: everything saves as typed; readiness updates live."""

    CSS_PATH = "plan.tcss"
    AUTO_FOCUS = "#objective"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        # Short footer words, p and P only in help and the palette: Quit and Help stay in view at
        # 80 columns with a list's own keys in front (help shows the tooltips).
        Binding("s", "start", "Start", id="plan.start", tooltip="Start call"),
        Binding("x", "export", "Export", id="plan.export", tooltip="Export the call sheet"),
        Binding("p", "pull_carry_over", "Pull", id="plan.pull", tooltip="Pull in the carry-over", show=False),
        Binding("P", "practise", "Practise", id="plan.practise", show=False),
        Binding("T", "edit_template", "Checklist template", id="plan.template", show=False),
        Binding("f8", "call_menu", "Cancel/delete call", id="plan.cancel_delete", show=False),
        # Outside a text field: the bank from anywhere, and a list's letters say where they work
        # (the focused list's own bindings come first).
        Binding("Q", "question_bank", "Question bank", id="plan.bank", show=False),
        Binding(
            "C", "coach", "Coach", id="plan.coach", tooltip="Coaching note on the part the cursor is on", show=False
        ),
        *(Binding(key, f"list_key('{key}')", "", show=False) for key in LIST_KEYS),
    ]

    EDITS = True

    def __init__(self, call_id: int, created: bool = False) -> None:
        super().__init__()
        self.call_id = call_id
        self.created = created
        """The call was made for this visit (``p``, ``n``): left blank, it is discarded (``_discard_if_blank``)."""
        self.record = f"call:{call_id}"
        """The writer's name for the call row (its optimistic version is chained under it)."""
        self._plan: CallPlan | None = None
        """The plan as the rep sees it now (local edits included): readiness is computed from it."""
        self._contacts: list[Contact] = []
        """The account's contacts, to choose who attends."""
        self._carried: CarryOver | None = None
        """What the account's last debrief hands on (``None`` until loaded)."""
        self._previous_at: datetime | None = None
        """When the call the carry-over comes from took place."""

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Readiness on top; the plan sections in a scroll; the carry-over beside them."""
        yield Header()
        yield ReadinessMeter("Loading the plan…", id="meter")
        with Horizontal(id="body"):
            with VerticalScroll(id="form", can_focus=False):
                yield Static("", id="account")
                yield PlanCoaching((Part.PLAN,), id="coach-plan")
                yield CarryOverPanel(id="carry-inline")
                yield Label("When and who", classes="section")
                with Horizontal(classes="field"):
                    yield Label("When", classes="field-label")
                    yield WhenInput(id="when", compact=True)
                    yield Select(
                        [(label(kind), kind.value) for kind in CallKind],
                        allow_blank=False,
                        id="kind",
                        compact=True,
                    )
                yield Static("", id="when-hint")
                yield Label(Content("Contacts attending (space ticks)"), classes="sub")
                yield ContactPicker(id="contacts")
                yield Static(
                    Content("No contacts at this account yet: add them in its research (r from home)."),
                    id="no-contacts",
                )
                with Horizontal(classes="field"):
                    yield Label("Riding", classes="field-label")
                    yield TextInput(
                        placeholder="colleagues riding along, commas between names", id="riders", compact=True
                    )
                yield Label("Objective", classes="section")
                for field, title, placeholder in (
                    ("objective", "Objective", "one sentence: what this call must achieve"),
                    ("goal", "Goal", "measurable: e.g. verbal yes on scope and price within 10%"),
                    ("expected_return", "Return", "what you expect to have after the meeting"),
                ):
                    with Horizontal(classes="field"):
                        yield Label(title, classes="field-label")
                        yield TextInput(placeholder=placeholder, id=field, compact=True)
                yield PlanCoaching((Part.OBJECTIVE,), id="coach-objective")
                yield Label("Questions to ask", classes="section")
                yield Static(Content("a add · e edit · d remove · K/J move · Q bank · t edit bank"), classes="keys")
                yield PlanQuestions(self.call_id, id="questions")
                yield PlanCoaching((Part.QUESTION,), id="coach-questions")
                yield Label(Content("Strategy (how you will reach the objective)"), classes="sub")
                yield TextEditor(id="strategy", soft_wrap=True)
                yield Label("Advance ladder", classes="section")
                yield AdvanceLadder(id="ladder")
                yield PlanCoaching(RUNGS, id="coach-ladder")
                yield Label("Objections", classes="section")
                yield Static(Content("a add · enter edit · d remove"), classes="keys")
                yield PlannedObjections(self.call_id, id="objections")
                yield PlanCoaching((Part.OBJECTION,), id="coach-objections")
                yield Label("Checklist", classes="section")
                yield Static(
                    Content("space tick · a add · e rename · d remove · K/J move · t template"), classes="keys"
                )
                yield ChecklistList(self.call_id, id="checklist")
            with VerticalScroll(id="side"):
                yield CarryOverPanel(id="carry")
        yield KeysFooter()

    @property
    def meter(self) -> ReadinessMeter:
        """The live readiness meter."""
        return self.query_one("#meter", ReadinessMeter)

    @property
    def ladder(self) -> AdvanceLadder:
        """Stretch, target and fallback."""
        return self.query_one("#ladder", AdvanceLadder)

    @property
    def objections(self) -> PlannedObjections:
        """The anticipated objections."""
        return self.query_one("#objections", PlannedObjections)

    @property
    def questions(self) -> PlanQuestions:
        """The questions to ask."""
        return self.query_one("#questions", PlanQuestions)

    @property
    def checklist(self) -> ChecklistList:
        """The preparation checklist."""
        return self.query_one("#checklist", ChecklistList)

    @property
    def when_input(self) -> WhenInput:
        """The scheduled date and time."""
        return self.query_one(WhenInput)

    @property
    def strategy_area(self) -> TextArea:
        """The strategy."""
        return self.query_one("#strategy", TextArea)

    @property
    def contact_list(self) -> ContactPicker:
        """Who attends."""
        return self.query_one(ContactPicker)

    def palette_commands(self) -> list[PaletteCommand]:
        """Commands that only make sense on a plan (on another rep's, only the export)."""
        if self.read_only:
            return [
                PaletteCommand("Export call sheet", "Write this plan as a one-page Markdown sheet", "export"),
                PaletteCommand("Coach this call", "A coaching note on the part of the plan the cursor is on", "coach"),
            ]
        return [
            PaletteCommand("Start this call", "Open the in-call screen for this plan", "start"),
            PaletteCommand("Coach this call", "A coaching note on the part of the plan the cursor is on", "coach"),
            PaletteCommand("Export call sheet", "Write this plan as a one-page Markdown sheet", "export"),
            PaletteCommand("Practise the call", "Rehearse the plan card by card, with a timer", "practise"),
            PaletteCommand("Edit checklist template", "The items new calls' checklists start from", "edit_template"),
            PaletteCommand("Pull in carry-over", "Lessons and open objections of the last debrief", "pull_carry_over"),
        ]

    def shows(self, keys: frozenset[str]) -> bool:
        """This call, its debrief, or the account's records (contacts attend, the carry-over)."""
        account = f"account:{self._plan.account_id}" if self._plan is not None else None
        return any(
            key in (self.record, f"debrief:{self.call_id}", account) or key.startswith("contact:") for key in keys
        )

    # -- loading ----------------------------------------------------------------------------------
    def load(self, store: Store) -> tuple[CallPlan, list[Contact], CarryOver, datetime | None]:
        """Plan, the account's contacts and the last debrief's carry-over (through the writer)."""
        plan = store.calls.plan(self.call_id)
        store.writer.seen(self.record, plan.version)
        contacts = store.accounts.contacts(plan.account_id)
        previous = store.calls.previous_debriefed(plan.account_id, before_call_id=self.call_id)
        held = happened_at(previous.started_at, previous.ended_at, previous.scheduled_at) if previous else None
        return plan, contacts, carry_over(previous), held

    def show(self, data: tuple[CallPlan, list[Contact], CarryOver, datetime | None]) -> None:
        """Fill every field the rep has not typed in since the load was asked for."""
        stored, contacts, carried, previous_at = data
        self._contacts, self._carried, self._previous_at = contacts, carried, previous_at
        self._plan = plan = keep_typed(stored, self._plan, self.fields.typed)
        self._read_only_if_not_mine(plan.owner)
        state = "" if plan.status is CallStatus.PLANNED else f" · {plan.status.value}"
        outcome = f" · outcome: {fmt.outcome(plan.outcome)}" if plan.outcome else ""
        self.query_one("#account", Static).update(
            Content.assemble(
                ("Account ", "bold"),
                literal(plan.account_name),
                (f"   call #{plan.id}{state}{outcome} · {run_summary(plan)}", "$text-muted"),
                *(("   ", marker(plan.owner).stylize("$warning")) if self.read_only else ()),
            )
        )
        for field in LINE_FIELDS:
            self.fields.fill(field, self.query_one(f"#{field}", Input), getattr(plan, field))
        self.fields.fill("strategy", self.strategy_area, plan.strategy)
        if self.when_input.parsed() != plan.scheduled_at:
            shown = shown_when(plan.scheduled_at) if plan.scheduled_at else ""  # "01:30 EST" in a fold
            self.fields.fill("scheduled_at", self.when_input, plan.scheduled_at, shown)
        else:
            self.fields.fill("scheduled_at", None, plan.scheduled_at)
        self.fields.fill("kind", self.query_one("#kind", Select), plan.kind.value)
        with self.prevent(Select.Changed):
            self.contact_list.show(contacts, plan.contact_ids)
        self.query_one("#no-contacts", Static).display = not contacts
        for level in LADDER:
            if not self.fields.typed(f"adv.{level.value}"):
                self.ladder.rung(level).show(plan.advance(level))
        self.objections.show(plan.objections)
        self.questions.show(plan.questions, plan.kind)
        self.checklist.show(plan.checklist)
        for coached in self.query(PlanCoaching):
            coached.show(plan)
        self.fields.fill("riders", self.query_one("#riders", Input), ", ".join(r.name for r in plan.riders))
        for panel in self.query(CarryOverPanel):
            panel.show(carried, previous_at)
        self._refresh_when_hint()
        self._refresh_readiness()

    def _read_only_if_not_mine(self, owner: str) -> None:
        """Another rep's plan: every field read-only (rows shown since the last load too)."""
        self.read_only_unless_mine(owner)
        if not self.read_only:
            return
        lock(self.query_one("#form"))
        for hint in self.query("#form .keys"):
            hint.display = False  # the lists' keys are off: their key lines would mislead
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On another rep's plan the keys that change the call are off (the export stays)."""
        return not (self.read_only and action in EDIT_ACTIONS)

    def first_focus(self) -> str | None:
        """The plan opens on its first empty field, in screen order."""
        return f"#{first_empty_field(self._plan)}" if self._plan is not None else None

    def _refresh_readiness(self) -> None:
        if self._plan is not None:
            self.meter.show(readiness(self._plan))

    # -- saving the call row ----------------------------------------------------------------------
    def _save_call(self, field: str, value: object, widget: Widget | None = None) -> None:
        """Save one field of the call row as typed (merged with another window's edit of it)."""
        call_id = self.call_id
        self.fields.save(field, lambda base: FieldChange("call", call_id, field, base, value), widget=widget)

    def _edit(self, **changes: Any) -> None:
        """Apply an edit to the local plan and refresh the meter at once."""
        if self._plan is not None:
            self._plan = replace(self._plan, **changes)
            self._refresh_readiness()

    @on(Input.Changed, "#objective, #goal, #expected_return")
    def _line_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if self._plan is None or getattr(self._plan, field) == event.value:
            return
        self._edit(**{field: event.value})
        self._save_call(field, event.value, event.input)

    @on(TextArea.Changed, "#strategy")
    def _strategy_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if self._plan is None or self._plan.strategy == text:
            return
        self._edit(strategy=text)
        self._save_call("strategy", text, event.text_area)

    def _refresh_when_hint(self) -> None:
        content, mistaken = self.when_input.hint()
        hint = self.query_one("#when-hint", Static)
        hint.set_class(mistaken, "-error")
        hint.update(content)

    @on(Input.Changed, "#when")
    def _when_changed(self, event: Input.Changed) -> None:
        self._refresh_when_hint()
        parsed = self.when_input.parsed()
        if isinstance(parsed, Invalid):
            # Only valid times are saved; a pending save of an earlier valid value still goes out.
            return
        if self._plan is None or self._plan.scheduled_at == parsed:
            return
        self._edit(scheduled_at=parsed)
        self._save_call("scheduled_at", parsed)

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and not self.refused_here():
            kind = CallKind(event.value)
            if self._plan is None or self._plan.kind is kind:
                return
            self._edit(kind=kind)
            self.questions.kind = kind
            self._save_call("kind", kind.value)

    @on(ContactPicker.Changed)
    def _contacts_changed(self, event: ContactPicker.Changed) -> None:
        chosen = event.chosen
        if self._plan is None or set(chosen) == set(self._plan.contact_ids) or self.refused_here():
            return
        self._edit(contact_ids=chosen)
        call_id = self.call_id
        self.fields.save(
            "contacts", lambda _: Op("calls.set_contacts", (call_id, tuple(chosen)), key=f"{self.record}.contacts")
        )

    @on(AdvanceRung.Changed)
    def _advance_changed(self, event: AdvanceRung.Changed) -> None:
        if self._plan is None or self.refused_here():
            return
        level, typed = event.level, event.advance
        self._edit(advances=(*(a for a in self._plan.advances if a.level is not level), typed))
        call_id, action, owner, due = self.call_id, typed.action.strip(), typed.owner.strip(), typed.due
        self.fields.save(
            f"adv.{level.value}",
            lambda _: Op(
                "calls.set_advance", (call_id, level, action, owner, due), key=f"{self.record}.adv.{level.value}"
            ),
        )

    # -- checklist, objections and questions (saved in order, then shown as stored) ----------------
    @on(ListEdit)
    def _list_edit(self, event: ListEdit) -> None:
        if self.refused_here():
            return
        call_id, select, job, name, then = self.call_id, event.select, event.job, event.list_name, event.then

        def run(store: Store) -> tuple[CallPlan, Any]:
            result = job(store)
            return store.calls.plan(call_id), result

        def done(outcome: tuple[CallPlan, Any]) -> None:
            stored, result = outcome
            chosen = (result if isinstance(result, int) else None) if select == NEW else select
            if self._plan is not None:
                lists = {"checklist": stored.checklist, "objections": stored.objections, "questions": stored.questions}
                self._plan = replace(self._plan, **lists)
            self.checklist.show(stored.checklist, chosen if name == "checklist" else None)
            self.objections.show(stored.objections, chosen if name == "objections" else None)
            self.questions.show(
                stored.questions,
                self._plan.kind if self._plan else stored.kind,
                chosen if name == "questions" else None,
            )
            self._refresh_readiness()
            if then is not None:
                then(result)

        self.save(run, done=done, description="list edit")

    @on(ChecklistList.Toggled)
    def _tick(self, event: ChecklistList.Toggled) -> None:
        if self._plan is None or self.refused_here():
            return
        item_id, done = event.item.id, event.done
        items = tuple(replace(i, done=done) if i.id == item_id else i for i in self._plan.checklist)
        self._edit(checklist=items)
        self.checklist.show(items)
        self.save(lambda store: store.calls.set_checklist_done(item_id, done), key=f"check.{item_id}")

    # -- coaching and riders ---------------------------------------------------------------------
    @on(PlanCoaching.Toggled)
    def _coaching_done(self, event: PlanCoaching.Toggled) -> None:
        if self._plan is None or getattr(self, "read_only", False):
            return
        note_id, done = event.note.id, event.done
        notes = tuple(replace(n, done=done) if n.id == note_id else n for n in self._plan.coaching)
        self._edit(coaching=notes)
        for coached in self.query(PlanCoaching):
            coached.show(self._plan)
        from salestui.store import coaching

        self.save(lambda store: coaching.set_done(store, note_id, done), key=f"coaching.{note_id}")

    @on(Input.Changed, "#riders")
    def _riders_changed(self, event: Input.Changed) -> None:
        if self._plan is None or getattr(self, "read_only", False):
            return
        if event.value == ", ".join(r.name for r in self._plan.riders):
            return
        from salestui.store import coaching

        call_id, names = self.call_id, event.value.split(",")
        self._edit(riders=tuple(Rider(0, call_id, n.strip()) for n in names if n.strip()))
        self.save(lambda store: coaching.set_riders(store, call_id, names), key=f"riders.{call_id}")

    def coaching_pin(self) -> Pin:
        """The part of the plan the cursor is on (the whole plan when it is on none)."""
        focused = self.focused
        for widget in (focused, *(focused.ancestors if focused is not None else ())):
            if isinstance(widget, PlanCoaching) and widget.current is not None:
                note = widget.current
                return Pin(Part(note.part), note.part_id)
            if widget is self.objections and self.objections.current is not None:
                return Pin(Part.OBJECTION, self.objections.current.id)
            if widget is self.questions and self.questions.current is not None:
                return Pin(Part.QUESTION, self.questions.current.id)
            if isinstance(widget, AdvanceRung):
                return Pin(Part(widget.level.value))
            if getattr(widget, "id", None) in ("objective", "goal", "expected_return", "strategy"):
                return Pin(Part.OBJECTIVE)
        return Pin(Part.PLAN)

    def action_coach(self) -> None:
        """Write a coaching note on the part the cursor is on (a manager on a rep's plan, or the rep)."""
        from salestui.domain.coaching import part_label
        from salestui.modals.text_prompt import TextPrompt

        if self._plan is None:
            return
        pin, plan, call_id = self.coaching_pin(), self._plan, self.call_id

        def written(text: str | None) -> None:
            if not text or not text.strip():
                return
            from salestui.store import coaching

            def done(_note: object) -> None:
                self.notify(f"Coaching note added on {part_label(pin, plan)}.", markup=False)
                self.reload()

            self.save(lambda store: coaching.add_note(store, call_id, text, pin), done=done, description="coaching")

        self.app.push_screen(
            TextPrompt(f"Coaching on {part_label(pin, plan)}", placeholder="what to do differently"), written
        )

    def action_edit_template(self) -> None:
        """Edit the checklist template new calls start from."""
        self.checklist.action_template()

    # -- carry-over, export, start ------------------------------------------------------------------
    def action_pull_carry_over(self) -> None:
        """Pull lessons, open objections and unsecured advances of the last debrief into this plan."""
        if self._plan is None:
            return
        if self._carried is None or self._carried.empty:
            self.notify("Nothing to carry over: no earlier debriefed call with this account.", markup=False)
            return
        strategy = self.strategy_area.text
        before, call_id = self._plan, self.call_id

        def done(result: tuple[CallPlan, int]) -> None:
            stored = result[0]
            self.show((stored, self._contacts, self._carried or CarryOver(None), self._previous_at))
            self.notify(pulled_summary(before, stored, strategy), markup=False)

        # Not keyed: strategy saves asked for before it run first, and typing after it never replaces it.
        job = lambda store, version: store.calls.pull_carry_over(call_id, strategy, version)  # noqa: E731
        self.save(job, record=self.record, done=done, description="pull carry-over")

    async def action_start(self) -> None:
        """Open the in-call screen for this call."""
        await self.saved()
        self.sales_app.start_call(self.call_id, check=True)

    async def action_call_menu(self) -> None:
        """Cancel this call (kept in history) or delete it (only if never held; the plan then closes)."""
        from salestui.call_actions import call_menu

        await self.saved()
        call_menu(self.sales_app, self.call_id, self, deleted=lambda: self.is_current and self.app.pop_screen())

    async def action_practise(self) -> None:
        """Rehearse this call on the practice screen."""
        await self.saved()
        self.sales_app.open_practice(self.call_id)

    async def action_export(self) -> None:
        """Write the one-page call sheet (Markdown), asking where (the same export as the palette's)."""
        from salestui.exporting import export_call_sheet

        await self.saved()
        export_call_sheet(self.sales_app, self.call_id)

    # -- keys of the lists, from anywhere ------------------------------------------------------------
    def action_question_bank(self) -> None:
        """Add questions from the bank for this call's kind, wherever the cursor is."""
        self.questions.action_bank()

    def action_list_key(self, key: str) -> None:
        """A list's letter pressed away from the lists: say where it works."""
        self.notify(
            f"{key} works on the list with the cursor: tab to Questions, Objections or Checklist first.",
            timeout=4,
            markup=False,
        )

    # -- a new plan left blank --------------------------------------------------------------------
    @on(events.Unmount)
    def _discard_if_blank(self, event: events.Unmount) -> None:
        """Leaving a plan made for this visit with nothing typed or ticked deletes the call.

        Decided by the store after every save asked for (the writer is serial), so a field typed
        just before leaving keeps the call. Its "new call" undo entry goes too: nothing is left to undo.
        """
        app = self.sales_app
        if not self.created or app.store is None:
            return
        call_id = self.call_id

        def discarded(gone: bool) -> None:
            if gone:
                app.undo_history.forget(f"call:{call_id}")
                app.notify("Empty plan discarded.", markup=False)

        from salestui.store.undo import discard_if_blank

        with contextlib.suppress(RuntimeError):  # quitting: the writer has closed
            app.write(None, lambda store: discard_if_blank(store, call_id), done=discarded, description="discard")
