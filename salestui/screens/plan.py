"""Call plan: objective and goal, contacts, strategy, advance ladder, objections, checklist, carry-over."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from salestui import format as fmt
from salestui.commands import PaletteCommand
from salestui.domain.carryover import CarryOver, carry_over
from salestui.domain.clock import local, now
from salestui.domain.dates import HINT, Invalid, parse_when
from salestui.domain.enums import LADDER, CallKind, CallStatus, label
from salestui.domain.models import Advance, CallPlan, Contact
from salestui.domain.readiness import readiness
from salestui.screens.base import DataScreen
from salestui.text import clean, literal
from salestui.widgets.fields import TextEditor, TextInput
from salestui.widgets.plan_carryover import CarryOverPanel
from salestui.widgets.plan_checklist import ChecklistList
from salestui.widgets.plan_ladder import AdvanceLadder, AdvanceRung
from salestui.widgets.plan_objections import PlannedObjections
from salestui.widgets.plan_readiness import ReadinessMeter

if TYPE_CHECKING:
    from salestui.store.core import Store

# One-line call fields edited in an Input with the same id.
LINE_FIELDS = ("objective", "goal", "expected_return")

ADVANCE_VS_CONTINUATION = (
    "An advance is a customer commitment that moves the sale (a meeting with the decision maker, "
    "a pilot, data shared, a signature); “send info” or “keep in touch” is a continuation."
)


def export_folder(db_target: str) -> Path:
    """Where call sheets go: ``exports/`` beside the database file (the user's data folder)."""
    if "://" in db_target:
        from platformdirs import user_data_path

        return user_data_path("salestui") / "exports"
    return Path(db_target).expanduser().resolve().parent / "exports"


class PlanScreen(DataScreen):
    """Prepare one call: everything saves as typed; readiness updates live."""

    CSS_PATH = "plan.tcss"
    AUTO_FOCUS = "#objective"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Leave the field you type in; again to go back"),
        Binding("s", "start", "Start call", id="plan.start"),
        Binding("x", "export", "Export sheet", id="plan.export"),
        Binding("p", "pull_carry_over", "Pull carry-over", id="plan.pull"),
        Binding("T", "edit_template", "Checklist template", id="plan.template", show=False),
    ]

    def __init__(self, call_id: int) -> None:
        super().__init__()
        self.call_id = call_id
        self._plan: CallPlan | None = None
        """The plan as the rep sees it now (local edits included): readiness is computed from it."""
        self._version: int | None = None
        """The call row's version last written or read, for optimistic saves."""
        self._version_lock = threading.Lock()
        """Saves run in threads: one at a time may read and bump the version."""
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
                yield CarryOverPanel(id="carry-inline")
                yield Label("When and who", classes="section")
                with Horizontal(classes="field"):
                    yield Label("When", classes="field-label")
                    yield TextInput(placeholder="tomorrow 10:00, +2d 14:30, 2026-12-01 09:30", id="when", compact=True)
                    yield Select(
                        [(label(kind), kind.value) for kind in CallKind],
                        allow_blank=False,
                        id="kind",
                        compact=True,
                    )
                yield Static("", id="when-hint")
                yield Label(Content("Contacts attending (space ticks)"), classes="sub")
                yield SelectionList[int](id="contacts", compact=True)
                yield Static("", id="no-contacts")
                yield Label("Objective", classes="section")
                for field, title, placeholder in (
                    ("objective", "Objective", "one sentence: what this call must achieve"),
                    ("goal", "Goal", "measurable: e.g. verbal yes on scope and price within 10%"),
                    ("expected_return", "Return", "what you expect to have after the meeting"),
                ):
                    with Horizontal(classes="field"):
                        yield Label(title, classes="field-label")
                        yield TextInput(placeholder=placeholder, id=field, compact=True)
                yield Label(Content("Strategy (how you will reach the objective)"), classes="sub")
                yield TextEditor(id="strategy", soft_wrap=True)
                yield Label("Advance ladder", classes="section")
                yield Static(Content(ADVANCE_VS_CONTINUATION), classes="keys")
                yield AdvanceLadder(id="ladder")
                yield Label("Objections", classes="section")
                yield Static(Content("a add · enter edit · d remove"), classes="keys")
                yield PlannedObjections(id="objections")
                yield Label("Checklist", classes="section")
                yield Static(
                    Content("space tick · a add · e rename · d remove · K/J move · t template"), classes="keys"
                )
                yield ChecklistList(id="checklist")
            with VerticalScroll(id="side"):
                yield CarryOverPanel(id="carry")
        yield Footer()

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
    def checklist(self) -> ChecklistList:
        """The preparation checklist."""
        return self.query_one("#checklist", ChecklistList)

    @property
    def when_input(self) -> Input:
        """The scheduled date and time."""
        return self.query_one("#when", Input)

    @property
    def strategy_area(self) -> TextArea:
        """The strategy."""
        return self.query_one("#strategy", TextArea)

    @property
    def contact_list(self) -> SelectionList[int]:
        """Who attends."""
        return self.query_one("#contacts", SelectionList)

    def palette_commands(self) -> list[PaletteCommand]:
        """Commands that only make sense on a plan."""
        return [
            PaletteCommand("Start this call", "Open the in-call screen for this plan", "start"),
            PaletteCommand("Export call sheet", "Write this plan as a one-page Markdown sheet", "export"),
            PaletteCommand("Edit checklist template", "The items new calls' checklists start from", "edit_template"),
            PaletteCommand("Pull in carry-over", "Lessons and open objections of the last debrief", "pull_carry_over"),
        ]

    # -- loading ----------------------------------------------------------------------------------
    def load(self, store: Store) -> None:
        """Plan, the account's contacts and the last debrief's carry-over (worker thread)."""
        with self._version_lock:
            plan = store.calls.plan(self.call_id)
            self._version = plan.version
        contacts = store.accounts.contacts(plan.account_id)
        previous = store.calls.previous_debriefed(plan.account_id, before_call_id=self.call_id)
        self.app.call_from_thread(
            self._show, plan, contacts, carry_over(previous), previous.scheduled_at if previous else None
        )

    def _pending_keys(self) -> set[str]:
        return set(self._pending)

    def _merge(self, stored: CallPlan) -> CallPlan:
        """The stored plan with the edits not yet saved laid over it."""
        if self._plan is None:
            return stored
        pending = self._pending_keys()
        changes: dict[str, Any] = {}
        for field in (*LINE_FIELDS, "strategy", "scheduled_at", "kind"):
            if f"call.{field}" in pending:
                changes[field] = getattr(self._plan, field)
        if "contacts" in pending:
            changes["contact_ids"] = self._plan.contact_ids
        advances = {a.level: a for a in stored.advances}
        for level in LADDER:
            mine = self._plan.advance(level)
            if f"adv.{level.value}" in pending and mine is not None:
                advances[level] = mine
        changes["advances"] = tuple(advances.values())
        return replace(stored, **changes)

    def _show(
        self, stored: CallPlan, contacts: list[Contact], carried: CarryOver, previous_at: datetime | None
    ) -> None:
        self._plan = plan = self._merge(stored)
        self._contacts = contacts
        self._carried = carried
        self._previous_at = previous_at
        state = "" if plan.status is CallStatus.PLANNED else f" · {plan.status.value}"
        outcome = f" · outcome: {fmt.outcome(plan.outcome)}" if plan.outcome else ""
        self.query_one("#account", Static).update(
            Content.assemble(
                ("Account ", "bold"), literal(plan.account_name), (f"   call #{plan.id}{state}{outcome}", "$text-muted")
            )
        )
        pending = self._pending_keys()
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed, SelectionList.SelectedChanged):
            for field in LINE_FIELDS:
                if f"call.{field}" not in pending:
                    self._set_input(self.query_one(f"#{field}", Input), getattr(plan, field))
            if "call.strategy" not in pending and self.strategy_area.text != plan.strategy:
                self.strategy_area.text = plan.strategy
            if "call.scheduled_at" not in pending:
                shown = local(plan.scheduled_at).strftime("%Y-%m-%d %H:%M") if plan.scheduled_at else ""
                if self._parsed_when() != plan.scheduled_at:
                    self._set_input(self.when_input, shown)
            self.query_one("#kind", Select).value = plan.kind.value
            self._show_contacts(contacts, plan.contact_ids)
            for level in LADDER:
                if f"adv.{level.value}" not in pending:
                    self.ladder.rung(level).show(plan.advance(level))
        self.objections.show(plan.objections)
        self.checklist.show(plan.checklist)
        for panel in self.query(CarryOverPanel):
            panel.show(carried, previous_at)
        self._refresh_when_hint()
        self._refresh_readiness()

    @staticmethod
    def _set_input(widget: Input, value: str) -> None:
        if widget.value != value:
            widget.value = value

    def _show_contacts(self, contacts: list[Contact], chosen: tuple[int, ...]) -> None:
        selection = self.contact_list
        highlighted = selection.highlighted
        selection.clear_options()
        selection.add_options(
            Selection(
                Content.assemble(
                    clean(c.name),
                    (f"  {clean(c.title)}" if c.title else "", "$text-muted"),
                    (f"  ({label(c.role)})", "$text-muted"),
                ),
                c.id,
                c.id in chosen,
            )
            for c in contacts
        )
        if contacts:
            selection.highlighted = min(highlighted or 0, len(contacts) - 1)
        selection.display = bool(contacts)
        none = self.query_one("#no-contacts", Static)
        none.display = not contacts
        none.update(Content("No contacts at this account yet: add them in its research (r from home)."))

    def _refresh_readiness(self) -> None:
        if self._plan is not None:
            self.meter.show(readiness(self._plan))

    # -- saving the call row ----------------------------------------------------------------------
    def _save_call(self, field: str, value: object) -> None:
        """Save one field of the call after a typing pause, with the optimistic version."""

        def job(store: Store) -> None:
            with self._version_lock:
                self._version = store.calls.update(self.call_id, version=self._version, **{field: value})

        self.autosave(f"call.{field}", job)

    def _edit(self, **changes: Any) -> None:
        """Apply an edit to the local plan and refresh the meter at once."""
        if self._plan is not None:
            self._plan = replace(self._plan, **changes)
            self._refresh_readiness()

    @on(Input.Changed, "#objective, #goal, #expected_return")
    def _line_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        # Widgets also post changes when filled from the database: only real edits are saved.
        if self._plan is None or getattr(self._plan, field) == event.value:
            return
        self._edit(**{field: event.value})
        self._save_call(field, event.value)

    @on(TextArea.Changed, "#strategy")
    def _strategy_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if self._plan is None or self._plan.strategy == text:
            return
        self._edit(strategy=text)
        self._save_call("strategy", text)

    def _parsed_when(self) -> datetime | None | Invalid:
        text = self.when_input.value.strip()
        if not text:
            return None
        parsed = parse_when(text, now())
        return parsed if isinstance(parsed, Invalid) else parsed.value

    def _refresh_when_hint(self) -> None:
        hint = self.query_one("#when-hint", Static)
        parsed = self._parsed_when()
        hint.set_class(isinstance(parsed, Invalid), "-error")
        if isinstance(parsed, Invalid):
            hint.update(Content(f"✗ {parsed.message}"))
        elif parsed is None:
            hint.update(Content(f"No time set yet: {HINT}"))
        else:
            hint.update(Content(f"→ {fmt.when(parsed)}"))

    @on(Input.Changed, "#when")
    def _when_changed(self, event: Input.Changed) -> None:
        self._refresh_when_hint()
        parsed = self._parsed_when()
        if isinstance(parsed, Invalid):
            # Only valid times are saved; a pending save of an earlier valid value still goes out.
            return
        if self._plan is None or self._plan.scheduled_at == parsed:
            return
        self._edit(scheduled_at=parsed)
        self._save_call("scheduled_at", parsed)

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            kind = CallKind(event.value)
            if self._plan is None or self._plan.kind is kind:
                return
            self._edit(kind=kind)
            self._save_call("kind", kind.value)

    @on(SelectionList.SelectedChanged, "#contacts")
    def _contacts_changed(self, event: SelectionList.SelectedChanged[int]) -> None:
        chosen = tuple(event.selection_list.selected)
        if self._plan is None or set(chosen) == set(self._plan.contact_ids):
            return
        self._edit(contact_ids=chosen)
        self.autosave("contacts", lambda store: store.calls.set_contacts(self.call_id, chosen))

    @on(AdvanceRung.Changed)
    def _advance_changed(self, event: AdvanceRung.Changed) -> None:
        if self._plan is None:
            return
        level, action, owner, due = event.level, event.action, event.owner, event.due
        existing = self._plan.advance(level)
        if existing is not None and (existing.action, existing.owner, existing.due) == (action, owner, due):
            return
        if existing is None and not (action.strip() or owner.strip() or due):
            return
        updated = Advance(
            id=existing.id if existing else 0,
            level=level,
            action=action,
            owner=owner,
            due=due,
            secured=existing.secured if existing else False,
        )
        others = tuple(a for a in self._plan.advances if a.level is not level)
        self._edit(advances=(*others, updated))
        self.autosave(
            f"adv.{level.value}",
            lambda store: store.calls.set_advance(self.call_id, level, action.strip(), owner.strip(), due),
        )

    # -- checklist and objections (saved at once, then shown from the database) ---------------------
    def _structure(self, job: Any, checklist_id: int | None = None, objection_id: int | None = None) -> None:
        """Run a checklist/objection change, then show both lists as stored."""

        def run(store: Store) -> tuple[CallPlan, Any]:
            result = job(store)
            return store.calls.plan(self.call_id), result

        def done(outcome: tuple[CallPlan, Any]) -> None:
            stored, result = outcome
            new_id = result if isinstance(result, int) else None
            if self._plan is not None:
                self._plan = replace(self._plan, checklist=stored.checklist, objections=stored.objections)
            # -1 asks to highlight the row the job just created.
            self.checklist.show(stored.checklist, new_id if checklist_id == -1 else checklist_id)
            self.objections.show(stored.objections, new_id if objection_id == -1 else objection_id)
            self._refresh_readiness()

        self.run_db(run, done)

    @on(ChecklistList.Toggled)
    def _tick(self, event: ChecklistList.Toggled) -> None:
        if self._plan is None:
            return
        item_id, done = event.item.id, event.done
        items = tuple(replace(i, done=done) if i.id == item_id else i for i in self._plan.checklist)
        self._edit(checklist=items)
        self.checklist.show(items)
        self.run_db(lambda store: store.calls.set_checklist_done(item_id, done))

    @on(ChecklistList.AddRequested)
    def _add_item(self) -> None:
        from salestui.modals.text_prompt import TextPrompt

        def added(text: str | None) -> None:
            if text:
                self._structure(lambda store: store.calls.add_checklist_item(self.call_id, text), checklist_id=-1)

        self.app.push_screen(TextPrompt("New checklist item", placeholder="e.g. Reference story ready"), added)

    @on(ChecklistList.RenameRequested)
    def _rename_item(self, event: ChecklistList.RenameRequested) -> None:
        from salestui.modals.text_prompt import TextPrompt

        item_id = event.item.id

        def renamed(text: str | None) -> None:
            if text:
                self._structure(lambda store: store.calls.rename_checklist_item(item_id, text), checklist_id=item_id)

        self.app.push_screen(TextPrompt("Rename checklist item", event.item.text), renamed)

    @on(ChecklistList.RemoveRequested)
    def _remove_item(self, event: ChecklistList.RemoveRequested) -> None:
        item_id = event.item.id
        self._structure(lambda store: store.calls.delete_checklist_item(item_id))

    @on(ChecklistList.MoveRequested)
    def _move_item(self, event: ChecklistList.MoveRequested) -> None:
        item_id, offset = event.item.id, event.offset
        self._structure(lambda store: store.calls.move_checklist_item(item_id, offset), checklist_id=item_id)

    @on(ChecklistList.TemplateRequested)
    def _template_requested(self) -> None:
        self.action_edit_template()

    def action_edit_template(self) -> None:
        """Edit the checklist template new calls start from."""
        from salestui.modals.template_editor import TemplateEditor

        def saved(items: list[str] | None) -> None:
            if items is not None:
                self.run_db(
                    lambda store: store.calls.set_template(items),
                    lambda _: self.notify(
                        f"Checklist template saved ({len(items)} items): new calls start from it.", markup=False
                    ),
                )

        self.run_db(
            lambda store: store.calls.template(), lambda items: self.app.push_screen(TemplateEditor(items), saved)
        )

    @on(PlannedObjections.AddRequested)
    def _add_objection(self) -> None:
        from salestui.modals.objection_editor import ObjectionEditor

        def added(result: tuple[str, str] | None) -> None:
            if result:
                text, response = result
                self._structure(lambda store: store.calls.add_objection(self.call_id, text, response), objection_id=-1)

        self.app.push_screen(ObjectionEditor(), added)

    @on(PlannedObjections.EditRequested)
    def _edit_objection(self, event: PlannedObjections.EditRequested) -> None:
        from salestui.modals.objection_editor import ObjectionEditor

        objection_id = event.objection.id

        def edited(result: tuple[str, str] | None) -> None:
            if result:
                text, response = result
                self._structure(
                    lambda store: store.calls.update_objection(objection_id, text=text, response=response),
                    objection_id=objection_id,
                )

        self.app.push_screen(ObjectionEditor(event.objection.text, event.objection.response, "Edit objection"), edited)

    @on(PlannedObjections.RemoveRequested)
    def _remove_objection(self, event: PlannedObjections.RemoveRequested) -> None:
        from salestui.modals.confirm import Confirm

        objection_id = event.objection.id

        def answered(yes: bool | None) -> None:
            if yes:
                self._structure(lambda store: store.calls.delete_objection(objection_id))

        question = Content.assemble("Remove the objection “", literal(event.objection.text, 200), "”?")
        self.app.push_screen(Confirm(question, yes="Remove"), answered)

    # -- carry-over, export, start ------------------------------------------------------------------
    def action_pull_carry_over(self) -> None:
        """Pull lessons, open objections and unsecured advances of the last debrief into this plan."""
        if self._plan is None:
            return
        if self._carried is None or self._carried.empty:
            self.notify("Nothing to carry over: no earlier debriefed call with this account.", markup=False)
            return
        # The pull writes the strategy from what is on screen now: a pending save of it is superseded.
        pending = self._pending.pop("call.strategy", None)
        if pending is not None:
            pending[0].stop()
        strategy = self.strategy_area.text
        before = self._plan

        def job(store: Store) -> CallPlan:
            with self._version_lock:
                plan, self._version = store.calls.pull_carry_over(self.call_id, strategy, self._version)
            return plan

        def done(stored: CallPlan) -> None:
            objections = len(stored.objections) - len(before.objections)
            lines = len(stored.strategy.splitlines()) - len(strategy.splitlines())
            rungs = sum(1 for a in stored.advances if a.action.strip()) - sum(
                1 for a in before.advances if a.action.strip()
            )
            self._show(stored, self._contacts, self._carried or CarryOver(None), self._previous_at)
            self.notify(
                f"Carried over: {max(objections, 0)} objection(s), {max(lines, 0)} strategy line(s), "
                f"{max(rungs, 0)} advance(s).",
                markup=False,
            )

        self.run_db(job, done)

    async def _saved(self) -> None:
        """Write pending edits and wait for them, so the next screen or file sees them."""
        self.flush_autosave()
        await self.app.workers.wait_for_complete()

    async def action_start(self) -> None:
        """Open the in-call screen for this call."""
        await self._saved()
        self.sales_app.start_call(self.call_id)

    async def action_export(self) -> None:
        """Write the one-page call sheet as Markdown in the exports folder (0600)."""
        from salestui.io.plan_sheet import plan_sheet_markdown, sheet_filename, write_private

        await self._saved()
        folder = export_folder(self.sales_app.db_target)

        def job(store: Store) -> Path:
            text = plan_sheet_markdown(store, self.call_id)
            name = sheet_filename(self.call_id, self._plan.account_name if self._plan else "")
            return write_private(folder / name, text)

        self.run_db(job, lambda path: self.notify(f"Call sheet written to {path}", title="Exported", markup=False))

    def action_back(self) -> None:
        """Escape first leaves the field being typed in; from anywhere else it goes back."""
        if isinstance(self.focused, Input | TextArea):
            self.set_focus(None)
            return
        super().action_back()
