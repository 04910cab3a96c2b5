"""What a rep does to one call from any screen: cancel, delete, start, debrief, with the checks first.

Plan, home, the account's calls tab and the palette all call these, so the question asked and
the rule applied are the same everywhere. Reads go through ``app.run_db``, writes through the
serial writer (``app.write``); nothing here builds a query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from textual.content import Content
from textual.screen import Screen

from salestui.domain.clock import now
from salestui.domain.enums import CallStatus, Outcome
from salestui.domain.readiness import LOW_BELOW, readiness
from salestui.domain.rules import can_delete, is_held
from salestui.text import clean

if TYPE_CHECKING:
    from salestui.app import SalesApp
    from salestui.domain.models import CallPlan
    from salestui.store.core import Store

Done = Callable[[], None]

EARLY_START = timedelta(hours=3)
"""Starting a call more than this before its planned time asks first (the wrong call, or days early)."""


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the checks need to know about a call, read in a worker."""

    call_id: int
    account_name: str
    when: str
    held: bool
    cancelled: bool
    deletable: bool
    future: bool
    started: bool
    missing: tuple[str, ...]
    """What is missing before starting: no time set, low readiness (with its first gaps)."""
    ahead: str = ""
    """How far ahead its planned time is, when starting now would be early: ``in 2 days``."""
    mine: bool = True
    """The rep may change it (``store.scope.is_mine``): another rep's call opens read only."""


def facts_of(plan: CallPlan) -> CallFacts:
    """The facts of ``plan`` at this moment (plain rules; no Textual state)."""
    from salestui import format as fmt

    score = readiness(plan)
    missing: list[str] = []
    if plan.scheduled_at is None:
        missing.append("no time set")
    if score.score < LOW_BELOW:
        gaps = ", ".join(score.missing[:3])
        missing.append(f"readiness {score.score}%" + (f" ({gaps})" if gaps else ""))
    return CallFacts(
        call_id=plan.id,
        account_name=plan.account_name,
        when=fmt.when(plan.scheduled_at),
        held=is_held(plan.outcome) or plan.started_at is not None,
        cancelled=plan.outcome is Outcome.CANCELLED or plan.status is CallStatus.CANCELLED,
        deletable=can_delete(plan.status, plan.outcome, plan.started_at),
        future=plan.scheduled_at is not None and plan.scheduled_at > now(),
        started=plan.started_at is not None,
        missing=tuple(missing),
        ahead=_ahead(plan.scheduled_at - now())
        if plan.scheduled_at and plan.scheduled_at - now() > EARLY_START
        else "",
    )


def _ahead(gap: timedelta) -> str:
    """``in 5 hours``, ``in 2 days``."""
    hours = round(gap.total_seconds() / 3600)
    if hours < 36:
        return f"in {hours} hours"
    return f"in {round(hours / 24)} days"


def _with_facts(app: SalesApp, call_id: int, then: Callable[[CallFacts], None]) -> None:
    def read(store: Store) -> CallFacts:
        from dataclasses import replace

        from salestui.store.scope import is_mine

        plan = store.calls.plan(call_id)
        return replace(facts_of(plan), mine=is_mine(store, plan.owner))

    app.run_db(read, app.while_here(then))


def _ask(app: SalesApp, question: Content, yes: str, no: str, then: Done) -> None:
    from salestui.modals.confirm import Confirm

    def answered(agreed: bool | None) -> None:
        if agreed:
            then()

    app.push_screen(Confirm(question, yes=yes, no=no), answered)


def _question(text: str, facts: CallFacts) -> Content:
    """``text`` with the call named (account name shown literally)."""
    return Content.assemble(text, "\n\n", Content.styled(facts.account_name, "bold"), f" · {facts.when}")


def cancel_call(app: SalesApp, call_id: int, origin: Screen[object] | None = None, done: Done | None = None) -> None:
    """Ask, then cancel a call not held: it stays in history with the outcome "cancelled"."""

    def checked(facts: CallFacts) -> None:
        if facts.held:
            app.notify("This call took place: record its outcome in the debrief instead.", markup=False)
            return
        if facts.cancelled:
            app.notify("This call is already cancelled.", markup=False)
            return

        def write() -> None:
            from salestui import undo
            from salestui.store.undo import CallState, cancel

            def written(before: CallState) -> None:
                app.record_undo(undo.cancelled(f"cancel call with “{clean(facts.account_name, 40)}”", before))
                app.notify("Call cancelled: it stays in review as cancelled (ctrl+z undoes it).", markup=False)
                if done is not None:
                    done()

            app.write(origin, lambda store: cancel(store, call_id), done=written, description="cancel call")

        _ask(
            app,
            _question("Cancel this call? It stays in your history as cancelled.", facts),
            "Cancel call",
            "Keep",
            write,
        )

    _with_facts(app, call_id, checked)


def delete_call(app: SalesApp, call_id: int, origin: Screen[object] | None = None, done: Done | None = None) -> None:
    """Ask, then delete a call never held; a held call is refused (it stays in history)."""

    def checked(found: tuple[CallFacts, str | None]) -> None:
        facts, refused = found
        if not facts.deletable:
            app.notify(
                "This call took place: it stays in your history. Only calls never held can be deleted.", markup=False
            )
            return
        if refused is not None:  # another rep's calls link to it: the database would refuse (team mode)
            app.notify(refused, severity="warning", markup=False)
            return

        def write() -> None:
            from salestui import undo
            from salestui.store.undo import Snapshot, remove

            delete = lambda store: store.calls.delete_unheld(call_id)  # noqa: E731 - never a held call

            def written(kept: Snapshot) -> None:
                app.record_undo(
                    undo.deleted(f"delete call with “{clean(facts.account_name, 40)}”", "call", call_id, kept, delete)
                )
                app.notify("Call deleted (ctrl+z brings it back).", markup=False)
                if done is not None:
                    done()

            app.write(
                origin, lambda store: remove(store, "call", call_id, delete), done=written, description="delete call"
            )

        _ask(app, _question("Delete this call and its plan?", facts), "Delete", "Keep", write)

    def read(store: Store) -> tuple[CallFacts, str | None]:
        from salestui.store.owner import call_delete_refusal

        return facts_of(store.calls.plan(call_id)), call_delete_refusal(store, call_id)

    app.run_db(read, app.while_here(checked))


def start_checked(app: SalesApp, call_id: int, start: Callable[[int], None]) -> None:
    """Start a call; with no time set, low readiness or a time hours ahead, only after a one-key
    confirmation naming why."""

    def checked(facts: CallFacts) -> None:
        if facts.started or not facts.mine or not (facts.missing or facts.ahead):
            start(call_id)  # another rep's call opens read only: nothing starts, nothing to ask
            return
        reasons = [f"is planned {facts.ahead}"] if facts.ahead else []
        if facts.missing:
            reasons.append("has " + " and ".join(facts.missing))
        question = _question("Start anyway? This call " + " and ".join(reasons) + ".", facts)
        _ask(app, question, "Start", "Not yet", lambda: start(call_id))

    _with_facts(app, call_id, checked)


def debrief_checked(app: SalesApp, call_id: int, open_debrief: Callable[[int], None]) -> None:
    """Open a call's debrief unless the call is still to come (not started, time in the future)."""

    def checked(facts: CallFacts) -> None:
        if facts.future and not facts.started and not facts.held:
            app.notify(
                f"That call is still to come ({facts.when}): start it with s, debrief it once it took place.",
                markup=False,
            )
            return
        open_debrief(call_id)

    _with_facts(app, call_id, checked)


def call_menu(
    app: SalesApp,
    call_id: int,
    origin: Screen[object] | None = None,
    cancelled: Done | None = None,
    deleted: Done | None = None,
) -> None:
    """Ask which: cancel the call or delete it (the plan, home and the account's calls tab)."""
    from salestui.modals.call_menu import CallMenu

    def chosen(choice: str | None) -> None:
        if choice == "cancel":
            cancel_call(app, call_id, origin, cancelled)
        elif choice == "delete":
            delete_call(app, call_id, origin, deleted)

    def checked(facts: CallFacts) -> None:
        app.push_screen(CallMenu(_question("This call will not happen?", facts)), chosen)

    _with_facts(app, call_id, checked)
