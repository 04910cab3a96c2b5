"""After a debrief is finished: say so, and when it drafted the next call, open that draft or go home."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from salestui.app import SalesApp
    from salestui.domain.models import CallPlan
    from salestui.store.debriefs import Finished

NextStop = Literal["plan", "home"]


class DebriefDone(ModalScreen[NextStop | None]):
    """Two keys: enter/p opens the drafted call's plan, h goes home; escape stays on the debrief."""

    DEFAULT_CSS = """
    DebriefDone { align: center middle; }
    DebriefDone > Vertical { width: 66; max-width: 95%; height: auto; border: thick $success; background: $surface; padding: 1 2; }
    DebriefDone Horizontal { height: auto; margin-top: 1; }
    DebriefDone Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("enter,p", "choose('plan')", "Open the draft", id="debrief_done.plan", priority=True),
        Binding("h", "choose('home')", "Home", id="debrief_done.home"),
        Binding("escape", "choose(None)", "Stay here"),
    ]

    def __init__(self, message: Content) -> None:
        super().__init__()
        self._message = message

    def compose(self) -> ComposeResult:
        """What was drafted, and the two ways on."""
        with Vertical():
            yield Static(self._message, id="drafted")
            with Horizontal():
                yield Button(Content("Open the draft (enter/p)"), variant="success", id="plan")
                yield Button(Content("Home (h)"), id="home")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The buttons answer too (mouse)."""
        self.dismiss("plan" if event.button.id == "plan" else "home")

    def action_choose(self, choice: NextStop | None) -> None:
        """Answer by key."""
        self.dismiss(choice)


def after_debrief(app: SalesApp, finished: Finished, plan: CallPlan) -> None:
    """Say what finishing did; with a drafted next call, offer to open it."""
    from salestui import format as fmt
    from salestui.domain.carryover import carry_over
    from salestui.domain.clock import local, now
    from salestui.domain.debrief import carried_summary
    from salestui.text import clean

    next_id = finished.next_call_id
    if next_id is None:
        follow = plan.debrief.follow_up if plan.debrief else None
        if follow is not None and follow < local(now()).date():
            app.notify("Debrief done. The follow-up date has passed, so no next call was drafted.")
        else:
            app.notify("Debrief done.")
        app.action_home()
        return
    carried = carry_over(plan)
    lessons = len(carried.lessons) + len(carried.do_differently)
    message = Content.assemble(
        ("Debrief done. ", "bold"),
        f"Next call with {clean(plan.account_name, 60)} drafted for {fmt.when(finished.next_call_at)}\n",
        (
            carried_summary(
                lessons, len(carried.open_objections), len(carried.open_advances), len(carried.unasked_questions)
            ),
            "$text-muted",
        ),
    )

    def chosen(stop: NextStop | None) -> None:
        if stop is not None:
            app.action_home()
            if stop == "plan":
                app.open_plan(next_id)

    app.push_screen(DebriefDone(message), chosen)
    account, when = clean(plan.account_name, 60), fmt.when(finished.next_call_at)

    def warn(others: int) -> None:
        if others:
            calls = "another call" if others == 1 else f"{others} other calls"
            app.notify(
                f"{account} already has {calls} planned for {when}: the draft is a second one in that slot. "
                "Move or delete one in its plan.",
                title="Already planned",
                severity="warning",
                timeout=12,
                markup=False,
            )

    # Read only, off the UI thread: the toast follows the popup by a moment.
    app.run_db(lambda store: store.debriefs.same_slot(next_id), warn)
